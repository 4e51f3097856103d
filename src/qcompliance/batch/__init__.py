"""Batches: check a whole portfolio of companies in one streamed run (``qcheck batch``).

:func:`open_source` reads an input (a folder of profiles, JSON Lines, CSV or XLSX) one company
at a time; :func:`run_batch` evaluates the companies, here or on any executor (a process pool,
Dask), and hands each :class:`Outcome` to a sink in input order: the summary and assessments
writers (:mod:`.output`) and the :class:`Portfolio` report. :mod:`.questionnaire` writes the
sheet suppliers fill in, which is itself a valid input. docs/batch.md describes the formats.
"""

from __future__ import annotations

from qcompliance.batch.run import BatchStats, process_pool, run_batch
from qcompliance.batch.sources import Entry, Source, open_source
from qcompliance.batch.work import Job, Outcome, evaluate_chunk

__all__ = [
    "BatchStats",
    "Entry",
    "Job",
    "Outcome",
    "Source",
    "evaluate_chunk",
    "open_source",
    "process_pool",
    "run_batch",
]
