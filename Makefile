# Two entry points: `make demo` runs qcheck on the bundled example, `make test` runs every test.
# Both create the local virtual environment .venv from pyproject.toml first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

DOCS_STAMP := $(VENV)/.docs-installed

.PHONY: demo test lint typecheck clean docs screenshots bench bench-batch fuzz

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/qcheck run examples/small-food-producer.toml --as-of 2026-11-20 --fail-on never

# pytest exits 5 when a -k/-m filter (PYTEST_ARGS) selects nothing; that is not a failure of the
# code. Without a filter, a run that collects no test at all fails (tests/test_makefile.py).
# Tests run in parallel (pytest-xdist, a worker per core). --dist loadgroup keeps the tests of
# a file that share a module-scoped server or browser on one worker (tests/conftest.py groups
# them), so it starts once; the rest go to whichever worker is free. The 15 slowest tests are
# printed at the end. It installs the docs extra too, so the docs tests run rather than skip.
# PYTEST_WORKERS=0 runs in one process. Parallel-safe tests: CONTRIBUTING.md.
PYTEST_WORKERS ?= auto
test: $(DOCS_STAMP)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadgroup --durations=15 $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ] && [ -n "$(strip $(PYTEST_ARGS))" ]; then \
		echo "pytest: no tests selected by the filter"; exit 0; fi; exit $$rc

# A longer property-based fuzz than CI runs (docs/fuzzing.md); FUZZ_EXAMPLES per property.
FUZZ_EXAMPLES ?= 2000
fuzz: $(STAMP)
	QCOMPLIANCE_FUZZ_PROFILE=fuzz QCOMPLIANCE_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) \
		$(BIN)/python -m pytest tests/test_fuzz.py -q -p no:randomly --hypothesis-show-statistics

# Rule engines side by side and the cost per profile (bench/README.md); installs the peers.
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,bench]'
	$(BIN)/python bench/bench_engines.py
	$(BIN)/python bench/bench_documents.py

# The documentation site (mkdocs-material + mkdocstrings), Chinese first; --strict turns every
# warning (a broken link, a missing page) into a failure. Builds offline.
$(DOCS_STAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,docs]'
	touch $(DOCS_STAMP)

# Warnings are printed, never hidden: with --strict each one fails the build (tests/test_docs.py).
MKDOCS_CONFIG ?= mkdocs.yml
docs: $(DOCS_STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --config-file $(MKDOCS_CONFIG)

# Screenshots of the HTML report (zh, en) and of the terminal summary (tmux), for the docs site.
screenshots: $(STAMP)
	$(BIN)/python scripts/screenshots.py docs/img
	$(BIN)/python scripts/screenshots_web.py docs/img

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# End-to-end qcheck batch throughput and peak RSS (bench/bench_batch.py; sizes as arguments).
BENCH_BATCH_SIZES ?= 10000 100000
bench: bench-batch
bench-batch: $(STAMP)
	$(BIN)/python bench/bench_batch.py $(BENCH_BATCH_SIZES)

clean:
	rm -rf $(VENV) build dist site .pytest_cache .mypy_cache .ruff_cache .hypothesis
