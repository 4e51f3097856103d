"""Change impact: rule changes by item and digest, verdicts that flip, companies ranked by new
mandatory failures; from a batch input, from a workspace, and over HTTP (POST /v1/impact)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest
from serving import QCHECK, running_server

from qcompliance.impact import impact, rule_changes
from qcompliance.impact.catalogues import resolve_catalogue
from qcompliance.impact.portfolio import batch_portfolio
from qcompliance.impact.render import impact_html, impact_table, impact_xlsx
from qcompliance.loading.load import load_checklists

ROOT = Path(__file__).resolve().parents[1]
DAY = dt.date(2026, 11, 20)
KEPT = "cn-after-sales.commitments-kept"
OLD_CHECK = 'check = { fact = "after_sales.commitment_breaches_12m", eq = 0 }'


@pytest.fixture(scope="module")
def catalogues(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of the catalogue where one mandatory rule is stricter, one item's level
    changed and one item removed; and a folder of the example profiles."""
    top = tmp_path_factory.mktemp("impact")
    new = top / "catalogue"
    shutil.copytree(ROOT / "checklists", new)
    path = new / "cn-after-sales.toml"
    text = path.read_text(encoding="utf-8")
    assert OLD_CHECK in text
    text = text.replace(OLD_CHECK, OLD_CHECK.replace("eq = 0", "eq = 1"))
    # Drop the first item of the file (the whole [[items]] block).
    head, _first, rest = text.partition("[[items]]")
    following = rest.partition("[[items]]")
    text = head + "[[items]]" + following[2]
    path.write_text(text, encoding="utf-8")
    profiles = top / "profiles"
    profiles.mkdir()
    for example in ROOT.glob("examples/*.toml"):
        if example.name != "tailoring.toml":
            shutil.copy(example, profiles / example.name)
    return new, profiles


def test_rule_changes_by_item(catalogues: tuple[Path, Path]) -> None:
    """The stricter check is a condition change; the dropped item is removed; the checklist's
    digest differs; the unchanged checklists are not listed."""
    new, _ = catalogues
    lists, rules = rule_changes(load_checklists(), resolve_catalogue(str(new), "--to"))
    by_item = {r.item: r for r in rules}
    assert by_item[KEPT].change == "changed"
    assert by_item[KEPT].aspects == ("condition",)
    removed = [r for r in rules if r.change == "removed"]
    assert len(removed) == 1
    assert [c.id for c in lists] == ["cn-after-sales"]
    assert lists[0].sha256_before != lists[0].sha256_after


def test_verdicts_flip_and_companies_rank(catalogues: tuple[Path, Path]) -> None:
    """Companies that sell to consumers newly fail the stricter mandatory item and come
    first; the others are unchanged; every format names the item by its title."""
    new, profiles = catalogues
    old_set, new_set = load_checklists(), resolve_catalogue(str(new), "--to")
    result = impact(old_set, new_set, batch_portfolio(profiles, new_set.facts), DAY)
    first = result.companies[0]
    assert first.new_mandatory_failures >= 1
    assert KEPT in [c.item for c in first.new_failures]
    counts = [c.new_mandatory_failures for c in result.companies]
    assert counts == sorted(counts, reverse=True)
    assert any(c.new_mandatory_failures == 0 for c in result.companies)
    table = impact_table(result, "zh")
    assert "实际质量与表明的质量状况相符" in table
    assert KEPT not in table
    assert "符合 → 不符合" in table
    page = impact_html(result, "en")
    assert "Actual quality matches what was stated" in page
    assert KEPT not in page
    assert impact_xlsx(result, "zh")[:2] == b"PK"


def test_cli_impact_formats_and_errors(catalogues: tuple[Path, Path], tmp_path: Path) -> None:
    """qcheck impact writes JSON, HTML and XLSX; a bad catalogue is one line, exit 2."""
    new, profiles = catalogues
    done = subprocess.run([str(QCHECK), "impact", "--from", "builtin", "--to", str(new),
                           str(profiles), "--as-of", "2026-11-20", "-f", "json"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["schema"] == "qcompliance/impact/v1"
    assert data["companies"][0]["new_mandatory_failures"] >= 1
    for fmt in ("html", "xlsx"):
        out = tmp_path / f"impact.{fmt}"
        made = subprocess.run([str(QCHECK), "impact", "--from", "builtin", "--to", str(new),
                               str(profiles), "--as-of", "2026-11-20", "-f", fmt, "-o",
                               str(out)], capture_output=True, text=True, check=False)
        assert made.returncode == 0, made.stderr
        assert out.stat().st_size > 500
    bad = subprocess.run([str(QCHECK), "impact", "--from", "builtin", "--to",
                          str(tmp_path), str(profiles)], capture_output=True, text=True,
                         check=False)
    assert bad.returncode == 2
    assert "facts.toml" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1


def test_cli_impact_on_a_workspace(catalogues: tuple[Path, Path], store_url: str) -> None:
    """--store evaluates the newest stored profile of every company."""
    new, profiles = catalogues
    for profile in sorted(profiles.glob("*.toml"))[:2]:
        subprocess.run([str(QCHECK), "run", str(profile), "-q", "--store", store_url],
                       capture_output=True, check=False)
    done = subprocess.run([str(QCHECK), "impact", "--from", "builtin", "--to", str(new),
                           "--store", store_url, "--as-of", "2026-11-20", "-f", "json"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["companies"]) == 2


EXTRA = """schema = "qcompliance/checklist/v1"
id = "t-extra"
version = "1"
title = { zh = "新增测试清单", en = "Added test checklist" }

[[sources]]
id = "law"
title = { zh = "测试法", en = "Test Law" }
issuer = { zh = "测试机关", en = "Test authority" }
verified = "text"

[[items]]
id = "t-extra.no-consumer-sales"
title = { zh = "测试新增义务", en = "Test added duty" }
level = "mandatory"
severity = "high"
basis = [{ source = "law", clause = "第一条", quote = "测试条文。" }]
check = { fact = "company.sells_to_consumers", eq = false }
evidence = [{ zh = "测试材料", en = "Test record" }]
remediation = { zh = "测试整改。", en = "Test remediation." }
"""


def test_post_impact_for_stored_companies(catalogues: tuple[Path, Path],
                                          tmp_path: Path) -> None:
    """POST /v1/impact compares the built-in catalogue with the served one (the built-in
    plus a checklist with a new mandatory item) for the stored companies; a path is refused;
    a company token is refused."""
    _, profiles = catalogues
    extra = tmp_path / "t-extra.toml"
    extra.write_text(EXTRA, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'w.sqlite3'}"
    token = subprocess.run([str(QCHECK), "serve", "token", "create", "--role", "consultant",
                            "--store", url], capture_output=True, text=True,
                           check=True).stdout.strip()
    company = subprocess.run([str(QCHECK), "serve", "token", "create", "--company",
                              "91350100M000100Y43", "--store", url], capture_output=True,
                             text=True, check=True).stdout.strip()
    subprocess.run([str(QCHECK), "run", str(profiles / "small-food-producer.toml"), "-q",
                    "--store", url], capture_output=True, check=False)
    served = [a for c in load_checklists().checklists for a in ("-c", c.id)]
    with running_server("--store", url, "--no-access-log", *served, "-c", str(extra)) as base:
        auth = {"Authorization": f"Bearer {token}"}
        got = httpx.post(base + "/v1/impact", headers=auth, timeout=60,
                         json={"from": "builtin", "to": "served", "as_of": "2026-11-20"})
        assert got.status_code == 200, got.text
        data = got.json()
        assert [r["change"] for r in data["rules"]] == ["added"]
        [food] = data["companies"]
        assert [c["item"] for c in food["new_failures"]] == ["t-extra.no-consumer-sales"]
        assert food["new_mandatory_failures"] == 1
        page = httpx.post(base + "/v1/impact?format=html", headers=auth, timeout=60,
                          json={"from": "builtin"})
        assert "测试新增义务" in page.text
        path = httpx.post(base + "/v1/impact", headers=auth, json={"to": "/etc"}, timeout=60)
        assert path.status_code == 400
        assert path.headers["content-type"] == "application/problem+json"
        refused = httpx.post(base + "/v1/impact", json={"from": "builtin"}, timeout=60,
                             headers={"Authorization": f"Bearer {company}"})
        assert refused.status_code == 403
