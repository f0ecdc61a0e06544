"""Reports: JSONL/CSV/Parquet tables and the HTML review page (plain assertions and a
real headless browser)."""

from __future__ import annotations

import csv
import html
import html.parser
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from nlp.evaluate.findings import reconcile_gold
from nlp.report import page_name, render_page, write_csv, write_html, write_jsonl, write_parquet
from nlp.types import Cell, Record, RecordError

ROOT = Path(__file__).resolve().parent.parent
SEED_GOLD = ROOT / "corpus" / "seeds.jsonl"


@pytest.fixture(scope="module")
def seeds() -> list[Record]:
    gold = [Record.from_json(x) for x in SEED_GOLD.read_text(encoding="utf-8").splitlines() if x.strip()]
    return reconcile_gold(gold)


@pytest.fixture(scope="module")
def seed4(seeds) -> Record:
    rec = next(r for r in seeds if r.id == "seed-004")
    # as a prediction: cells with provenance (line numbers) instead of the bare gold table
    rec.cells = {k: Cell(v, str(v), None) for k, v in rec.table.items()}
    return rec


def failed_record() -> Record:
    return Record(id="broken", path="broken.pdf", format="pdf",
                  error=RecordError("read_error", "broken.pdf: not a PDF file"))


# ---------------------------------------------------------------- tables
def test_jsonl_round_trip(tmp_path, seeds):
    out = tmp_path / "r.jsonl"
    write_jsonl(out, seeds + [failed_record()])
    back = [Record.from_json(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [r.id for r in back] == [r.id for r in seeds] + ["broken"]
    assert back[-1].error.kind == "read_error"
    assert [f.to_dict() for f in back[4].findings] == [f.to_dict() for f in seeds[4].findings]


def test_csv_tables(tmp_path, seeds):
    write_csv(tmp_path, seeds + [failed_record()])
    rows = list(csv.DictReader((tmp_path / "indicators.csv").read_text(encoding="utf-8-sig").splitlines()))
    mine = [r for r in rows if r["id"] == "seed-004"]
    assert {"table", "narrative"} == {r["source"] for r in mine}
    cell = next(r for r in mine if r["indicator"] == "active.normative.repealed" and r["source"] == "table")
    assert cell["value"] == "0" and cell["agency"] and cell["year"] == "2023"
    told = next(r for r in mine if r["indicator"] == "active.normative.repealed" and r["source"] == "narrative")
    assert told["value"] == "34" and "34" in told["raw"]
    findings = list(csv.DictReader((tmp_path / "findings.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert [(f["id"], f["type"]) for f in findings if f["id"] == "seed-004"] == \
        [("seed-004", "narrative_table_mismatch")]
    docs = list(csv.DictReader((tmp_path / "documents.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert docs[-1]["error_kind"] == "read_error" and docs[0]["error_kind"] == ""


def test_parquet_tables_match_csv(tmp_path, seeds):
    import pandas as pd
    write_parquet(tmp_path, seeds)
    ind = pd.read_parquet(tmp_path / "indicators.parquet")
    assert ind["value"].dtype == "float64" and str(ind["year"].dtype) == "Int64"
    assert len(ind[(ind["id"] == "seed-004") & (ind["source"] == "narrative")]) > 0
    fnd = pd.read_parquet(tmp_path / "findings.parquet")
    assert sorted(fnd["type"].unique()) == ["missing_cell", "narrative_table_mismatch"]


def test_writes_are_atomic(tmp_path, seeds, monkeypatch):
    """A failure while writing leaves the previous file intact and no temporary behind."""
    import nlp.persist as persist

    out = tmp_path / "r.jsonl"
    write_jsonl(out, seeds[:1])
    before = out.read_bytes()

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(persist.os, "replace", boom)
    with pytest.raises(OSError):
        write_jsonl(out, seeds)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.jsonl"]


# ---------------------------------------------------------------- HTML, plain
class _Collect(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(page: str) -> list[tuple[str, dict]]:
    p = _Collect()
    p.feed(page)
    return p.tags


def test_page_is_self_contained_and_chinese(seed4):
    page = render_page(seed4)
    assert page.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in page and 'charset="utf-8"' in page
    tags = _tags(page)
    assert not [t for t, a in tags if t in ("script", "link", "img", "iframe")]
    assert "http://" not in page.replace("http：//", "") and "https://" not in page
    assert "石嘴山" in page and "清理废止" in page


def test_page_marks_facts_cells_and_findings(seed4):
    tags = _tags(render_page(seed4))
    marks = [a for t, a in tags if t == "mark"]
    assert len(marks) >= len({f.start for f in seed4.facts}) - 1
    bad_fact = seed4.findings[0].fact
    bad = next(a for a in marks if a["id"] == f"fact-{bad_fact}")
    assert "bad" in bad["class"] and bad["data-indicator"] == "active.normative.repealed"
    assert "34" in bad["title"] and "table = 0" in bad["title"]
    links = [a["href"] for t, a in tags if t == "a" and a.get("href", "").startswith("#cell-")]
    assert "#cell-active.normative.repealed" in links
    cell = next(a for t, a in tags if t == "td" and a.get("id") == "cell-active.normative.repealed")
    assert "bad" in cell["class"].split()
    ok_cell = next(a for t, a in tags if t == "td" and a.get("id") == "cell-active.licensing.decisions")
    assert "linked" in ok_cell["class"].split() and "bad" not in ok_cell["class"].split()
    assert [a["data-type"] for t, a in tags if t == "li" and "finding" in a.get("class", "")] == \
        ["narrative_table_mismatch"]


def test_missing_cells_marked(seeds):
    seed3 = next(r for r in seeds if r.id == "seed-003")
    tags = _tags(render_page(seed3))
    blank = {a["id"] for t, a in tags if t == "td" and "missing" in a.get("class", "").split()}
    assert blank == {f"cell-review.{o}" for o in ("upheld", "corrected", "other", "pending", "total")}


def test_write_html_pages_and_index(tmp_path, seeds):
    written = write_html(tmp_path, seeds + [failed_record()])
    assert sorted(p.name for p in written) == sorted([page_name(r.id) for r in seeds] + ["broken.html", "index.html"])
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    for r in seeds:
        assert f'href="{page_name(r.id)}"' in index
    assert "read_error" in (tmp_path / "broken.html").read_text(encoding="utf-8")
    rows = {m.group(1): m.group(2) for m in re.finditer(r'<a href="[^"]+">([^<]+)</a>.*?<td>([^<]*)</td></tr>', index)}
    assert rows["seed-004"] == "错误 error" and rows["seed-003"] == "警告 warning"
    assert rows["broken"] == "失败 failed: read_error" and "无问题 clean" in rows.values()


# ---------------------------------------------------------------- HTML, real browser
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.slow
def test_page_in_headless_chromium(tmp_path, seed4):
    exe = _chromium()
    if exe is None:
        pytest.skip("chromium not installed (Debian: apt-get install -y chromium; .ci/run installs it)")
    write_html(tmp_path / "html", [seed4])
    page = (tmp_path / "html" / "seed-004.html").resolve()
    cmd = [exe, *CHROMIUM_ARGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page.as_uri()]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=90,
                          env={**os.environ, "HOME": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr[-2000:]
    tags = _tags(proc.stdout)  # the DOM as the browser built it
    marks = [a for t, a in tags if t == "mark" and "fact" in a.get("class", "")]
    assert len(marks) >= 10
    assert any("bad" in a["class"] and a["data-indicator"] == "active.normative.repealed" for a in marks)
    bad_cells = [a["id"] for t, a in tags if t == "td" and "bad" in a.get("class", "").split()]
    assert bad_cells == ["cell-active.normative.repealed"]
    assert "清理废止" in proc.stdout and "narrative_table_mismatch" in proc.stdout


def _installed_family(css: str) -> tuple[str, Path]:
    """The first family of the page's font stack that fontconfig has, and its font file."""
    import re

    stack = re.search(r"body\{font-family:([^;]+);", css.replace("\n", "")).group(1)
    for family in (f.strip().strip('"') for f in stack.split(",")):
        found = subprocess.run(["fc-list", f":family={family}", "file"], capture_output=True, text=True).stdout
        if found.strip():
            return family, Path(found.splitlines()[0].split(":")[0])
    raise AssertionError(f"no family of the stack {stack} is installed (Debian: fonts-noto-cjk)")


def _covered(font_file: Path, text: str) -> set[str]:
    """The characters of ``text`` the font has no glyph for (tofu)."""
    from fontTools.ttLib import TTFont

    font = TTFont(font_file, fontNumber=0, lazy=True)
    cmap = font.getBestCmap()
    return {ch for ch in set(text) if not ch.isspace() and ord(ch) not in cmap and ch != "\u200b"}


@pytest.mark.slow
def test_review_page_shows_the_printed_text_in_headless_chromium(tmp_path):
    """`govreport check --html` end to end, the page opened in the real browser: the text as
    the report printed it (full-width punctuation), a (一) paragraph bold only in its
    heading part, a CJK font of the page's stack installed and covering every character."""
    from typer.testing import CliRunner

    from cli import app
    from conftest import seed_paths
    from nlp.report import CSS

    exe = _chromium()
    if exe is None:
        pytest.skip("chromium not installed (Debian: apt-get install -y chromium; .ci/run installs it)")
    seed = seed_paths()[4]
    res = CliRunner().invoke(app, ["check", str(seed), "--html", str(tmp_path / "html")])
    assert res.exit_code == 0, res.output
    page = (tmp_path / "html" / f"{seed.stem}.html").resolve()
    cmd = [exe, *CHROMIUM_ARGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page.as_uri()]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=90,
                          env={**os.environ, "HOME": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr[-2000:]
    dom = proc.stdout
    narrative = dom[dom.index('id="narrative"'):dom.index('id="tables"')]
    assert "2023年，" in narrative and "（一）" in narrative and "（国办公开办函〔2021〕30号）" in narrative
    assert "2023年," not in narrative and "(一)" not in narrative
    assert '<span class="head">（一）主动公开方面。</span>2023年，' in narrative
    family, font_file = _installed_family(CSS)
    text = re.sub(r"<[^>]+>", "", narrative)
    assert not _covered(font_file, html.unescape(text)), family


def test_a_rerun_clears_stale_pages_and_leaves_other_files(tmp_path, seeds):
    write_html(tmp_path, seeds)
    (tmp_path / "notes.html").write_text("<p>mine</p>", encoding="utf-8")
    write_html(tmp_path, seeds[:2])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [page_name(r.id) for r in seeds[:2]] + ["index.html", "notes.html"])


def test_heading_part_alone_is_bold(seed4):
    page = render_page(seed4)
    heads = re.findall(r'<span class="head">(.*?)</span>', page)
    assert "一、总体情况" in heads
    assert all(len(h) < 40 for h in heads), [h for h in heads if len(h) >= 40]


def test_atomic_writes_get_the_mode_a_plain_open_gives(tmp_path):
    """mkstemp creates 0600 files; written outputs must be readable as any new file is,
    and a rewritten file keeps its mode."""
    from nlp.persist import atomic_write_text

    mask = os.umask(0o022)
    os.umask(mask)
    fresh = tmp_path / "out.jsonl"
    atomic_write_text(fresh, "{}\n")
    plain = tmp_path / "plain.txt"
    plain.write_text("x")
    assert fresh.stat().st_mode & 0o777 == plain.stat().st_mode & 0o777 == 0o666 & ~mask
    fresh.chmod(0o640)
    atomic_write_text(fresh, "{}\n{}\n")
    assert fresh.stat().st_mode & 0o777 == 0o640


def test_what_a_run_keeps_of_a_line_is_what_the_whole_record_says(seeds):
    """A run keeps an outcome and a pairing key per document, read from a compact line
    only up to its table (``_line_data``); they are those of the whole record."""
    from dataclasses import replace

    from nlp.batch import _kept, _line_data
    from nlp.types import Coverage, Finding, TableCoverage, dumps_json_bytes

    recs = list(seeds) + [failed_record(), Record(id="bare"), Record(id="x", path="x.txt", facts=seeds[0].facts),
                          replace(seeds[0], coverage=Coverage({"2": TableCoverage(10)}, ["title"], 3),
                                  findings=[Finding("identity_violation", severity=None, message=None)])]
    for rec in recs:
        whole = _kept(rec.to_dict())
        for compact in (True, False):
            assert _kept(_line_data(dumps_json_bytes(rec.to_dict(compact=compact)))) == whole, (rec.id, compact)
    assert _kept(seeds[0].to_dict()).year is not None and _kept(failed_record().to_dict()).year is None
