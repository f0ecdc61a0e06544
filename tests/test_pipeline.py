"""The pipeline on the seed files: record fields per output.md, errors as records, models."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from nlp.errors import ModelError
from nlp.indicators import ids_for_template
from nlp.pipeline import Pipeline, narrative_spans
from nlp.segment import title_meta
from nlp.types import Record

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
MODELS = ROOT / "models"


@pytest.fixture(scope="module")
def pipe() -> Pipeline:
    return Pipeline.load(MODELS)  # the shipped models: a broken one fails here, loudly


def test_record_fields(pipe):
    rec = pipe.process(SEEDS[4])
    assert rec.error is None, rec.error
    assert rec.id == SEEDS[4].stem and rec.path == str(SEEDS[4]) and rec.format == "txt"
    # the title prints 石嘴山市卫生健康委: the short form of its kind is written in full, as
    # the seed's gold and the report's own opening sentence write it
    assert rec.template == "2021" and (rec.agency, rec.year) == ("石嘴山市卫生健康委员会", 2023)
    assert rec.lines and all(ln.section for ln in rec.lines)
    assert rec.cells and rec.cells["active.licensing.decisions"].value == 1291
    assert rec.table["active.licensing.decisions"] == 1291
    assert rec.facts and all(rec.text[f.start:f.end] == f.text for f in rec.facts)
    assert set(rec.versions) == {"govreport", "segmenter", "extractor", "linker"}
    data = json.loads(rec.to_json())
    for key in ("path", "format", "cells", "versions", "findings", "lines", "facts", "table"):
        assert key in data


def test_facts_only_in_narrative(pipe):
    rec = pipe.process(SEEDS[0])
    table_lines = {c.line for c in rec.cells.values() if c.line is not None}
    for f in rec.facts:
        line = next(i for i, ln in enumerate(rec.lines) if ln.start <= f.start <= ln.end)
        assert line not in table_lines
        assert rec.lines[line].section not in ("title", "preamble")


def test_an_opening_paragraph_with_no_title_nor_heading_holds_facts(pipe):
    """A report that prints no title and no 一、总体情况 opens with its overview: the
    segmenter puts that first line in the title, yet its figures are the report's facts
    (a title is a few words, never a paragraph of sentences)."""
    text = ("2023年，信川市审计局党组高度重视政府信息公开工作，认真贯彻落实上级有关文件精神和工作要求，"
            "通过门户网站、政务新媒体等多种方式发布重要信息2100多条、审计结果公告31个，组织接受媒体采访12次。\n"
            "在有关会议召开和文件下发后，局党组均第一时间学习传达，研究部署贯彻落实措施。\n")
    rec = pipe.process_text(text, "untitled")
    assert rec.lines[0].section == "title"  # (what the segmenter makes of it)
    assert [f.text for f in rec.facts] == ["2100多条", "31个", "12次"]


def test_a_preamble_that_goes_on_to_the_years_work_holds_facts(pipe):
    """A preamble says how the report was made, in a sentence or two; one that runs on,
    in sentences, into the year's work is the opening paragraph, and its figures count —
    while the preamble's own document number, period and telephone never do."""
    text = ("信川县财政局2023年政府信息公开工作年度报告\n"
            "本报告依据《中华人民共和国政府信息公开条例》（国务院令第711号）编制，数据统计期限为2023年1月1日"
            "至2023年12月31日。2023年，通过门户网站、政务新媒体和其他方式公开信息412条，涉及预算公开、"
            "政策法规等多项内容。如有疑问，请致电0731-1234567。\n"
            "一、总体情况\n（一）主动公开。全年公开财政动态56条。\n")
    rec = pipe.process_text(text, "preamble")
    assert rec.lines[1].section == "preamble"  # (what the segmenter makes of it)
    assert [f.text for f in rec.facts] == ["412条", "56条"]
    short = pipe.process_text(text.replace("2023年，通过门户网站、政务新媒体和其他方式公开信息412条，涉及预算公开、"
                                           "政策法规等多项内容。", ""), "short preamble")
    assert [f.text for f in short.facts] == ["56条"]
    # the sentences before the year's work say how the report was made: its length, tables
    # and office hours are no facts
    about = ("信川市财政局2022年政府信息公开工作年度报告\n"
             "本报告依据《中华人民共和国政府信息公开条例》要求编制，全文共3000余字，含表格6张，附表1张，"
             "如有疑问，请在工作日（每周一至周五，共5天）与市财政局办公室联系。\n"
             "一、总体情况\n2022年，主动公开政府信息300条。\n")
    assert [f.text for f in pipe.process_text(about, "about the report").facts] == ["300条"]


def test_seed_004_end_to_end_finding():
    rec = Pipeline.load(MODELS).process(SEEDS[4])
    assert any(f.type == "narrative_table_mismatch" and f.indicator == "active.normative.repealed"
               and f.narrative_value == 34 for f in rec.findings), rec.findings


def test_consistent_seeds_clean_end_to_end():
    pipe = Pipeline.load(MODELS)
    for path in SEEDS[:3]:
        rec = pipe.process(path)
        assert [f for f in rec.findings if f.severity == "error"] == [], (path.name, rec.findings)


def test_bad_documents_become_error_records(pipe, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    fake = tmp_path / "fake.pdf"
    fake.write_bytes(b"this is not a pdf")
    for path in (empty, fake, tmp_path / "absent.docx"):
        rec = pipe.process(path)
        assert isinstance(rec, Record) and rec.error is not None
        assert rec.error.kind and str(path.name) in rec.error.message
        assert json.loads(rec.to_json())["error"]["kind"] == rec.error.kind


def test_process_text(pipe):
    rec = pipe.process_text(SEEDS[2].read_text(encoding="utf-8"), id="s2")
    assert rec.id == "s2" and rec.error is None and rec.year == 2024


def test_missing_model_is_named(tmp_path):
    with pytest.raises(ModelError) as err:
        Pipeline.load(tmp_path / "nowhere")
    assert "segmenter" in str(err.value)


def test_helpers_doc():
    assert narrative_spans.__doc__ and title_meta.__doc__


def test_blank_cells_not_invented_for_a_truncated_document(pipe):
    """A download cut inside table 3 has no blank cells — only fewer cells."""
    text = SEEDS[4].read_text(encoding="utf-8")
    cut = text.index("3.危及“三安全一稳定”")
    rec = pipe.process_text(text[:cut], id="cut")
    assert rec.error is None
    assert rec.cells.get("requests.new.total") is not None and rec.cells["requests.new.total"].value == 2
    assert [f for f in rec.findings if f.type == "missing_cell"] == []


def test_seed_003_blank_review_row_reported(pipe):
    rec = pipe.process(SEEDS[3])
    blanks = [f for f in rec.findings if f.type == "missing_cell"]
    assert len(blanks) == 1  # the row said once, every cell named
    assert sorted(blanks[0].cells) == sorted(f"review.{o}" for o in ("upheld", "corrected", "other", "pending", "total"))


def test_process_many_equals_one_by_one_and_keeps_failures_apart(pipe, tmp_path):
    """Several files share one extractor call; the records are those of one file at a
    time, and a broken file in the middle is its own error record."""
    seeds = SEEDS
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"PK\x03\x04 not a zip")
    items = [(p, p.stem) for p in seeds[:2]] + [(bad, "broken")] + [(p, p.stem) for p in seeds[2:]]
    many = pipe.process_many(items)
    assert [r.id for r in many] == [rid for _, rid in items]
    assert many[2].error is not None and "broken.docx" in many[2].error.message
    for rec, (path, rid) in zip(many, items):
        if rid == "broken":
            continue
        one = pipe.process(path, id=rid)
        assert rec.error is None
        assert [(f.start, f.end, f.indicator, f.value) for f in rec.facts] == \
            [(f.start, f.end, f.indicator, f.value) for f in one.facts]
        assert rec.findings == one.findings and rec.table == one.table


def test_a_worker_crash_retries_a_chunk_one_document_at_a_time():
    from nlp.batch import _after_crash, chunks

    todo = [(f"d{i}.txt", f"d{i}") for i in range(20)]
    parts = chunks(todo, 2)
    assert [d for c in parts for d in c] == todo and 1 < len(parts[0]) <= 8
    emitted: list[tuple[str, Any]] = []
    retried: set[str] = set()
    again = _after_crash(parts[0], retried, lambda p, result: emitted.append((p, result)))
    assert again == [[d] for d in parts[0]] and not emitted
    assert _after_crash(again[0], retried, lambda p, result: emitted.append((p, result))) == []
    assert emitted and json.loads(emitted[0][1].line)["error"]["kind"] == "worker_crash"
    assert emitted[0][1].kept.outcome.error_kind == "worker_crash" and emitted[0][1].kept.year is None


def test_an_extraction_failure_stays_with_its_document(pipe):
    """When the batched call fails, each document is extracted alone: the one that fails
    gets an error record, the others their facts."""
    class Faulty:
        def __init__(self, real):
            self.real = real

        def pipe(self, works):
            raise RuntimeError("batch failed")

        def __call__(self, work):
            if "#boom#" in work.text:
                raise RuntimeError("cannot extract")
            return self.real(work)

    faulty = Pipeline(pipe.segmenter, Faulty(pipe.extractor), pipe.linker, dict(pipe.versions))
    texts = [SEEDS[0].read_text(encoding="utf-8"), SEEDS[1].read_text(encoding="utf-8") + "\n#boom#",
             SEEDS[4].read_text(encoding="utf-8")]
    from nlp.pipeline import document_from_text

    docs = [(document_from_text(t, path=f"<d{i}>"), f"d{i}", None) for i, t in enumerate(texts)]
    good, bad, other = faulty.process_documents(docs)
    assert bad.error is not None and bad.error.kind == "internal_error" and "cannot extract" in bad.error.message
    assert good.error is None and other.error is None
    assert [(f.start, f.indicator) for f in other.facts] == \
        [(f.start, f.indicator) for f in pipe.process(SEEDS[4]).facts]


def test_a_report_without_a_title_names_agency_and_year_in_its_opening(pipe):
    """Scraped pages often start below the title: the opening sentence names the agency,
    and the page's publication date (the next year) is not the report's year."""
    body = SEEDS[4].read_text(encoding="utf-8")
    body = body[body.index("一、总体情况"):]
    opening = ("发布日期：2024年1月20日  来源：本站\n"
               "根据《中华人民共和国政府信息公开条例》要求，现公布信川市卫生健康局2023年度政府信息公开工作年度报告。\n")
    rec = pipe.process_text(opening + body, "untitled")
    assert (rec.agency, rec.year) == ("信川市卫生健康局", 2023)
    rec = pipe.process_text("发布日期：2024年1月20日\n" + body, "bare")
    assert rec.agency is None and rec.year != 2024  # its body says 市卫生健康委 only


@pytest.mark.parametrize("opening, agency", [
    # the subject of the overview's first sentence, after the year
    ("一、总体情况\n2023年，信川市水利局坚持以人民为中心，扎实推进政务公开。", "信川市水利局"),
    # the subject of a clause, after what the report follows
    ("按照《条例》第五十条的规定，信川市审计局向社会公布本年度报告。\n一、总体情况\n", "信川市审计局"),
    # a national office and its local bureau are one name, in the contact line
    ("如对本报告有疑问，请与国家税务总局信川市税务局办公室联系。\n一、总体情况\n", "国家税务总局信川市税务局"),
    # an opening sentence below a scraped page's header, the year first
    ("首页 > 政务公开\n字号：大 中 小\n打印本页\n特向社会公布2022年度信川市住建局政府信息公开工作年度报告。\n",
     "信川市住房和城乡建设局"),
    # a title that is a row of a scraped page's table
    ("| 2025-01-20 | 信川市教育局2024年度政府信息公开工作年度报告 | | |\n", "信川市教育局"),
    # a township's title names the township: its government
    ("信川县横山镇2023年政府信息公开工作年度报告\n", "信川县横山镇人民政府"),
    # a page number above a title that names no agency is no agency; the body names it
    ("- 1 -\n2023年度政府信息公开年度报告\n一、总体情况\n2023年，信川市财政局坚持依法公开。\n", "信川市财政局"),
    # a title without the place, completed by the contact line
    ("应急管理局2023年政府信息公开工作年度报告\n如有疑问，请联系：信川市应急管理局办公室。\n", "信川市应急管理局"),
    # a title a one-line dump runs into page furniture, before and after it
    ("长者模式 无障碍 > 年报 > 信川市教育局 信川市教育局2023年政府信息公开工作年度报告 发布时间：2024-01-10 "
     "访问量：35\n", "信川市教育局"),
    # a name a reader needs the place for (市财政局; not 我局, not the leadership): the city
    # the report names more than once (the body below: 石嘴山市's portal, its commission)
    ("一、总体情况\n2023年，在市委市政府领导下，市财政局认真贯彻《条例》。我局高度重视。\n", "石嘴山市财政局"),
    # brigades are agencies too, in the opening sentence as in a title
    ("按照《条例》要求，现公布信川市公安局交警支队第二大队2022年政府信息公开年度报告。\n", "信川市公安局交警支队第二大队"),
])
def test_a_report_without_a_title_names_its_agency_in_its_body(pipe, opening, agency):
    body = SEEDS[4].read_text(encoding="utf-8")
    body = body[body.index("二、主动公开"):]
    assert pipe.process_text(opening + body, "untitled").agency == agency


def test_a_sites_government_is_not_the_title_of_a_body_of_its_place(pipe):
    """A one-line dump runs the site's name (保山市人民政府) into the title of a body of the
    same place: the title names the body alone."""
    text = ("保山市人民政府 保山咖啡产业园区管理委员会2021年政府信息公开工作年度报告 信息来源:保山咖啡产业园区"
            "管理委员会 发布日期:2022年01月24日 点击: [字体: ] 根据《条例》要求，现公布本报告。\n")
    assert pipe.process_text(text, "x").agency == "保山咖啡产业园区管理委员会"


def test_more_facts_than_the_limit_is_refused_before_linking(pipe, monkeypatch):
    """A document whose narrative holds more figures than MAX_FACTS is a typed refusal
    naming the limit, not minutes of linking; at the limit it is processed."""
    from nlp.read import common

    count = len(pipe.process(SEEDS[4]).facts)
    linked = []
    linker = pipe.linker
    monkeypatch.setattr(pipe, "linker", lambda work: linked.append(work) or linker(work))
    monkeypatch.setattr(common, "MAX_FACTS", count - 1)
    rec = pipe.process(SEEDS[4])
    assert rec.error is not None and rec.error.kind == "limit_exceeded", rec.error
    assert linked == []  # refused before the stages that pay per fact
    assert f"{count} numeric facts" in rec.error.message and "MAX_FACTS" in rec.error.message
    assert SEEDS[4].name in rec.error.message
    monkeypatch.setattr(common, "MAX_FACTS", count)
    assert pipe.process(SEEDS[4]).error is None and len(linked) == 1


def test_a_dump_of_figures_on_one_line_is_refused_at_the_shipped_limit(pipe):
    from nlp.read import MAX_FACTS

    lines = SEEDS[0].read_text(encoding="utf-8").split("\n")
    heading = next(i for i, line in enumerate(lines) if line.startswith("一、"))
    dump = "，".join(f"发布信息{n}条" for n in range(MAX_FACTS + 100)) + "。"
    rec = pipe.process_text("\n".join(lines[:heading + 1] + [dump] + lines[heading + 1:]), id="dump")
    assert rec.error is not None and rec.error.kind == "limit_exceeded", rec.error
    assert "MAX_FACTS" in rec.error.message


def test_the_agencys_own_name_is_no_figures_object(pipe):
    """信访 in the name of a petitions bureau is not what its figures count: the linker
    reads the text with the agency's own name blanked (offsets kept)."""
    from nlp.pipeline import document_from_text, without_own_name

    text = ("信川市信访局2025年政府信息公开工作年度报告\n一、总体情况\n(二)依申请公开工作方面\n"
            "2025年,信川市信访局共受理政府信息公开申请4件。")
    rec = pipe.process_text(text, "x")
    assert rec.agency == "信川市信访局"
    assert [(f.text, f.indicator) for f in rec.facts] == [("4件", "requests.new.total")]
    assert rec.text == text  # the record keeps the text as read
    blanked = without_own_name(document_from_text(text, "x"), rec.agency).text
    assert len(blanked) == len(text) and "信访局" not in blanked and "政府信息公开申请4件" in blanked


def test_an_opening_without_tables_links_its_figures_on_its_years_template(pipe):
    """No table read and no title: the year the opening speaks of says which template
    (2022: 本年制发, not the 2019 grid's 本年新制作)."""
    text = ("(一)主动公开情况：自2022年1月1日起至2022年12月31日，我中心在网站主动公开信息28条。\n"
            "全年共公开信息10条，全年共制定0条行政规范性文件，办理行政许可0件。\n")
    rec = pipe.process_text(text)
    got = {f.text: f.indicator for f in rec.facts}
    assert got["0条"] == "active.normative.issued"
    assert rec.template == "2021"  # the record says so too, as the linker took it


@pytest.mark.parametrize("claim", ["未收到“依申请公开”申请", "未收到依申请公开件"])
def test_a_zero_claim_the_network_misses_is_still_a_claim(pipe, claim):
    """A claim the network takes no span of (quotation marks inside it, 依申请公开件, after
    我局网站): the rule backstop does, and the linker gives it new requests' cell."""
    text = f"信川市某局2023年政府信息公开工作年度报告\n一、总体情况\n（二）依申请公开\n2023年，我局网站{claim}。\n"
    got = {(f.text, f.label, f.indicator) for f in pipe.process_text(text).facts}
    assert got == {(claim, "ZERO", "requests.new.total")}


@pytest.mark.parametrize("sentence", ["部分工作人员未有效掌握依申请公开办理流程。",  # what is not done is no count
                                      "截至目前尚未收到行政复议决定书。",  # a letter awaited, no review denied
                                      "本年度是否未收到申请？经核查，共收到3件。"])  # a question
def test_the_zero_claim_backstop_takes_no_claim_a_report_does_not_make(pipe, sentence):
    text = f"信川市某局2023年政府信息公开工作年度报告\n一、总体情况\n（二）依申请公开\n2023年，{sentence}\n"
    assert not [f for f in pipe.process_text(text).facts if f.label == "ZERO"]


@pytest.mark.parametrize("opening", [
    "一、总体情况\n2023年，信川市教育局站在新起点上，认真贯彻《条例》。\n",  # 站在: a verb
    "一、总体情况\n2023年，信川市教育局子站共发布信息120条。\n",  # a site's part
    "一、总体情况\n2023年，信川市政务公开工作力度前所未有。\n",  # 前所未有
    "一、总体情况\n2023年，我局打造一支队伍，认真贯彻《条例》。\n",  # a team, no brigade
])
def test_words_ending_as_a_station_institute_or_team_name_no_agency(pipe, opening):
    body = SEEDS[4].read_text(encoding="utf-8")
    body = body[body.index("二、主动公开"):]
    agency = pipe.process_text(opening + body, "untitled").agency
    assert agency is None or not agency.endswith(("站", "所", "队", "前所")), agency


def test_cells_read_on_a_grid_keep_the_records_template_to_that_grid(pipe):
    """An untitled 2020 report whose table-2 header was lost: its rows are read on the 2021
    grid the parser falls back to, so the record does not take 2020's template (2019),
    which holds none of those cells."""
    text = ("一、总体情况\n2020年，信川市某局认真贯彻《条例》，全年主动公开信息12条。\n二、主动公开政府信息情况\n"
            "| 规章 | 0 | 0 | 0 |\n| 规范性文件 | 2 | 1 | 9 |\n三、收到和处理政府信息公开申请情况\n无。\n")
    rec = pipe.process_text(text)
    assert rec.year == 2020 and rec.table
    assert all(cid in ids_for_template(rec.template) for cid in rec.table) or rec.template == "unknown"
