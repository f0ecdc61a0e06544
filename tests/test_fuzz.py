"""Hostile input: every stage either works or raises the toolkit's own typed error.

Hypothesis feeds readers, normalizer, table parser, extractors and reconciler random
bytes, mutated seeds, mixed encodings, very long lines, deep HTML nesting and huge
tables.  The assertion is always the same: no exception other than ``GovReportError``,
outputs that stay inside their input (offsets), and bounded time per document (the
``deadline``).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlp.extract import text_work
from nlp.extract.rules import RuleExtractor
from nlp.errors import GovReportError, LimitExceeded, ReadError
from nlp.normalize import normalize
from nlp.pipeline import document_from_bytes, document_from_text, read_document
from nlp.read import MAX_BYTES
from nlp.reconcile import reconcile
from nlp.tables import parse_tables
from nlp.types import FACT_LABELS, Fact, Record

from conftest import seed_paths

SUFFIXES = (".txt", ".docx", ".html", ".pdf")
SEEDS = [p.read_bytes() for p in seed_paths()]
FUZZ = settings(max_examples=60, deadline=5000, suppress_health_check=[HealthCheck.too_slow])
# Characters that make table parsing and fact extraction busy: labels, numerals, separators.
BUSY = st.sampled_from(list("0123456789０１２一二三四五六七八九十百千万两零〇件条份项%．.,，、：:（）()|\t\n 　/—-无未收到申请本年新收结转总计予以公开规章行政许可复议诉讼其中余近约"))
busy_text = st.lists(BUSY, max_size=600).map("".join)


def _read_or_typed_error(data: bytes, name: str) -> None:
    try:
        doc = document_from_bytes(data, name)
    except GovReportError as err:
        assert name in str(err)  # the error names the file
        return
    assert doc.offset_map is None or len(doc.offset_map) == len(doc.text) + 1
    for ln in doc.lines:
        assert 0 <= ln.start <= ln.end <= len(doc.text)


@FUZZ
@given(data=st.binary(max_size=4096), suffix=st.sampled_from(SUFFIXES))
def test_readers_take_random_bytes(data: bytes, suffix: str) -> None:
    _read_or_typed_error(data, f"random{suffix}")


@FUZZ
@given(seed=st.sampled_from(range(len(SEEDS))), cuts=st.lists(st.tuples(st.integers(0, 12000), st.binary(max_size=8)),
                                                           max_size=8))
def test_readers_take_mutated_seeds(seed: int, cuts: list[tuple[int, bytes]]) -> None:
    data = bytearray(SEEDS[seed])
    for pos, junk in cuts:  # overwrite, insert and truncate at random places
        pos %= max(len(data), 1)
        data[pos:pos + len(junk)] = junk
    _read_or_typed_error(bytes(data), "mutated.txt")


@FUZZ
@given(text=st.text(max_size=400), encoding=st.sampled_from(["utf-8", "gb18030", "utf-16", "utf-8-sig"]))
def test_readers_take_any_text_in_any_encoding(text: str, encoding: str) -> None:
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        return
    _read_or_typed_error(data, "any.txt")


def test_mixed_encodings_in_one_file_are_read_or_refused_cleanly() -> None:
    data = "一、总体情况\n".encode("utf-8") + "共收到申请3件。\n".encode("gb18030") + "无".encode("utf-16")
    _read_or_typed_error(data, "mixed.txt")


@FUZZ
@given(text=st.text(max_size=500))
def test_normalize_maps_every_character_back(text: str) -> None:
    out = normalize(text)
    assert len(out.offset_map) == len(out.text) + 1
    assert all(0 <= o <= len(text) for o in out.offset_map)
    assert out.offset_map == sorted(out.offset_map)


@FUZZ
@given(text=busy_text)
def test_table_parser_takes_anything(text: str) -> None:
    doc = document_from_text(text)
    result = parse_tables(doc, None)
    assert result.template in ("2021", "2019", "unknown")
    for cell in result.cells.values():
        assert cell.line is None or 0 <= cell.line < len(doc.lines)


@FUZZ
@given(text=busy_text)
def test_rule_extractor_spans_stay_inside(text: str) -> None:
    for fact in RuleExtractor()(text_work(text, [(0, len(text))])):
        assert 0 <= fact.start < fact.end <= len(text)
        assert fact.label in FACT_LABELS


@pytest.fixture(scope="module")
def trained_extractor():
    from nlp.component import load
    return load("extractor", Path(__file__).resolve().parent.parent / "models" / "extractor")


@settings(max_examples=40, deadline=10000, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(text=busy_text)
def test_trained_extractor_spans_stay_inside(trained_extractor, text: str) -> None:
    for fact in trained_extractor(text_work(text)):
        assert 0 <= fact.start < fact.end <= len(text)
        assert fact.text == text[fact.start:fact.end]


ids = st.sampled_from(["requests.new.total", "requests.carried_over.total", "requests.total.total",
                       "active.normative.repealed", "review.total", "narrative.active.items", None])
numbers = st.one_of(st.none(), st.integers(-5, 10**7), st.floats(allow_nan=True, allow_infinity=True))
facts = st.builds(Fact, start=st.integers(0, 50), end=st.integers(0, 60), text=st.text(max_size=5),
                  label=st.sampled_from(FACT_LABELS), value=numbers, unit=st.sampled_from([None, "件", "条", "%"]),
                  approx=st.booleans(), indicator=ids)


@FUZZ
@given(fs=st.lists(facts, max_size=12),
       table=st.dictionaries(st.sampled_from(["requests.new.total", "requests.total.total", "review.total",
                                              "requests.carried_over.total", "requests.carried_forward.total",
                                              "active.normative.repealed", "review.upheld"]),
                             st.integers(0, 5000), max_size=7),
       template=st.sampled_from(["2021", "2019", "unknown", None]))
def test_reconciler_takes_any_record(fs, table, template) -> None:
    rec = Record(id="fuzz", text="x" * 60, template=template, facts=fs, table=table)
    for finding in reconcile(rec):
        assert finding.type and finding.message


# ---------------------------------------------------------------- limits and hostile files
def test_very_long_line_is_bounded() -> None:
    from nlp.read import MAX_CHARS
    text = ("共收到申请3件，" * (MAX_CHARS // 8 - 10)).encode("utf-8")  # one line just under the limit
    doc = document_from_bytes(text, "long.txt")
    assert len(doc.lines) == 1
    with pytest.raises(LimitExceeded, match="MAX_CHARS"):  # just over it: refused before splitting
        document_from_bytes(text + "共收到申请3件，".encode("utf-8") * 20, "long.txt")


def _rows(n: int) -> str:
    return "三、收到和处理政府信息公开申请情况\n" + "\n".join(
        "一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1" for _ in range(n))


def test_thousands_of_table_rows() -> None:
    from nlp.read import MAX_TABLE_ROWS
    result = parse_tables(document_from_text(_rows(MAX_TABLE_ROWS - 10)), None)  # at the limit: parsed
    assert result.template in ("2021", "2019", "unknown")
    with pytest.raises(LimitExceeded, match="rows.*MAX_TABLE_ROWS") as caught:  # past it: refused early
        document_from_bytes(_rows(MAX_TABLE_ROWS + 1).encode("utf-8"), "rows.txt")
    assert caught.value.kind == "limit_exceeded" and caught.value.limit == "MAX_TABLE_ROWS"


def test_deep_html_nesting() -> None:
    html = "<html><body>" + "<div>" * 20000 + "一、总体情况" + "</div>" * 20000 + "</body></html>"
    _read_or_typed_error(html.encode("utf-8"), "deep.html")


def test_html_scripts_are_never_text_and_resources_never_fetched() -> None:
    html = ("<html><head><script>document.write('注入');fetch('http://203.0.113.9/x')</script>"
            "<link rel=stylesheet href='http://203.0.113.9/s.css'></head><body>"
            "<img src='http://203.0.113.9/p.png' onerror=\"alert('x')\"><p>一、总体情况</p>"
            "<iframe src='http://203.0.113.9/'></iframe><p>共收到申请3件。</p></body></html>")
    doc = document_from_bytes(html.encode("utf-8"), "hostile.html")
    assert "注入" not in doc.text and "fetch" not in doc.text and "alert" not in doc.text
    assert "共收到申请3件。" in doc.text


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.truncate(MAX_BYTES + 1)
    with pytest.raises(LimitExceeded, match="big.txt"):
        read_document(big)


def _docx_with(member: str, payload: bytes) -> bytes:
    from docx import Document as Docx
    buf = io.BytesIO()
    Docx().save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr(member, payload)
    return out.getvalue()


def test_docx_zip_bomb_is_refused() -> None:
    data = _docx_with("word/media/bomb.bin", b"\0" * (400 * 1024 * 1024))  # 400 MB → ~400 kB zipped
    assert len(data) < 2 * 1024 * 1024
    with pytest.raises(LimitExceeded, match="bomb.docx"):
        document_from_bytes(data, "bomb.docx")


def test_docx_with_oversized_image_is_refused() -> None:
    data = _docx_with("word/media/image1.png", b"\x89PNG" + b"\0" * (120 * 1024 * 1024))
    with pytest.raises(LimitExceeded, match="image.docx"):
        document_from_bytes(data, "image.docx")


def test_scanned_pdf_says_so(tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas
    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.rect(50, 50, 400, 600, fill=1)  # an "image" of a page, no text layer
    c.showPage()
    c.save()
    with pytest.raises(ReadError, match="scanned PDF, no text layer"):
        read_document(path)


def test_too_many_lines_is_refused() -> None:
    from nlp.read import MAX_LINES
    with pytest.raises(LimitExceeded, match="lines.txt.*limit"):
        document_from_bytes(b"1\n" * (MAX_LINES + 1), "lines.txt")


# ---------------------------------------------------------------- the fuzzing harness, a short sample (issue 22)
@pytest.fixture(scope="module")
def fuzz_process():
    from nlp.fuzz import pipeline_process
    models = Path(__file__).resolve().parent.parent / "models"
    return pipeline_process(str(models), fallback=False)  # a broken shipped model fails here


def test_fuzz_inputs_are_deterministic():
    from nlp.fuzz import load_seeds, make_input
    seeds = load_seeds(("txt", "html"), limit=2)
    for reader in ("txt", "html"):
        first = [make_input(seeds, reader, i, seed=3) for i in range(6)]
        assert first == [make_input(seeds, reader, i, seed=3) for i in range(6)]
        assert len({data for data, _ in first}) == 6  # and they differ from each other


@pytest.mark.parametrize("reader", ["txt", "docx", "html", "pdf"])
def test_fuzz_sample_has_no_internal_error_no_slow_input_no_memory_spike(fuzz_process, reader):
    """Eight mutated inputs per reader through the whole pipeline, each in a forked child
    under the harness's time and memory watch (the long run is in SECURITY.md)."""
    from nlp.fuzz import fuzz
    with open("/proc/self/status") as fh:  # the children start as copies of this process
        base = next(int(ln.split()[1]) for ln in fh if ln.startswith("VmRSS:")) / 1024
    tally = fuzz((reader,), 8, seed=0, timeout=10.0, memory_mib=2048, process=fuzz_process)[reader]
    assert tally.inputs == 8
    assert not tally.internal, tally.internal
    assert not tally.slow, tally.slow
    # what one input adds to a process holding the models: a batch worker starts near 200 MiB
    assert tally.peak_mib - base < 800, (tally.peak_mib, base, tally.peak_input)
    assert tally.ok + sum(tally.typed.values()) + len(tally.starved) == 8


def test_fuzz_harness_sees_an_internal_error_and_a_slow_input(tmp_path):
    """The watch itself: an untyped exception and a runaway child are caught and counted."""
    from nlp.fuzz import run_one

    def buggy(path):
        raise KeyError("bug")

    def hangs(path):
        while True:
            pass

    assert run_one(buggy, b"x", ".txt", 5, 0, tmp_path).status == "internal"
    out = run_one(hangs, b"x", ".txt", 0.5, 0, tmp_path, wall_factor=20)
    assert out.status == "timeout" and out.seconds >= 0.5


# ---------------------------------------------------------------- numbers too long to be figures
@pytest.mark.parametrize("digits", [16, 20, 400, 5000])
def test_digit_runs_are_no_values_and_never_raise(digits):
    from nlp.numbers import parse_quantity
    from nlp.tables import parse_value
    run = "9" * digits
    assert parse_value(run) == ("text", None)
    with pytest.raises(ValueError, match="not a figure"):
        parse_quantity(run + "件")
    text = f"一、总体情况\n共收到申请{run}件。\n三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量\t{run}\t1"
    rec = RuleExtractor()(text_work(text, [(0, len(text))]))
    assert all(f.value is None or abs(f.value) < 10 ** 15 for f in rec)
    result = parse_tables(document_from_text(text), None)
    assert all(c.value is None or abs(c.value) < 10 ** 15 for c in result.cells.values())


def test_fifteen_digits_are_still_a_value():
    from nlp.numbers import parse_quantity
    assert parse_quantity("123456789012345元").value == 123456789012345


# ---------------------------------------------------------------- the linker is linear in length
def test_linker_heading_walk_and_sentence_scan_are_linear():
    """Facts in a long text without headings or stops: each line's heading is found once
    for the whole document, the sentence and clause ends once per text."""
    from nlp.link import DocContext, clause_start, context as link, sentence_bounds

    text = "\n".join("共收到申请3件" for _ in range(4000))
    ctx = DocContext(text)
    calls = 0
    original = ctx._heading_text

    def counted(i):
        nonlocal calls
        calls += 1
        return original(i)

    ctx._heading_text = counted
    offsets = range(0, len(text), 7)
    assert all(ctx.heading(o) == "" for o in offsets)
    assert calls == len(ctx.lines)  # was: every fact walked up to the top (16 M calls here)
    link._stops.cache_clear()
    stopless = "件" * 200_000
    for o in range(0, len(stopless), 50):
        s, e = sentence_bounds(stopless, o, o + 1)
        assert o - s <= link.MAX_SENTENCE and e - o <= link.MAX_SENTENCE + 1
        assert clause_start(stopless, o, s) == s
    assert link._stops.cache_info().misses == 1


# ---------------------------------------------------------------- hostile model folders
def _model_dir(tmp_path: Path) -> Path:
    from nlp.persist import write_meta
    model = tmp_path / "model"
    (model / "sub").mkdir(parents=True)
    (model / "weights.json").write_text("{}")
    (model / "sub" / "cfg.json").write_text("{}")
    write_meta(model, "linker")
    return model


def test_upper_case_pickle_suffix_is_refused(tmp_path):
    from nlp.errors import ModelError
    from nlp.persist import read_meta, write_meta
    model = _model_dir(tmp_path)
    (model / "weights.PKL").write_bytes(b"\x80\x04K\x01.")
    write_meta(model, "linker")  # even listed with its hash
    with pytest.raises(ModelError, match="weights.PKL is a pickle"):
        read_meta(model, "linker")


def test_symlinked_model_subfolder_is_refused(tmp_path):
    import shutil
    from nlp.errors import ModelError
    from nlp.persist import read_meta
    model = _model_dir(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    shutil.move(model / "sub", elsewhere)
    (elsewhere / "cfg.json").write_text('{"changed": true}')  # not what the card hashed
    (model / "sub").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(ModelError, match="sub is a symbolic link"):
        read_meta(model, "linker")


def _tiny_token_classifier(path: Path) -> None:
    transformers = pytest.importorskip("transformers")
    cfg = transformers.BertConfig(vocab_size=20, hidden_size=8, num_hidden_layers=1, num_attention_heads=1,
                                  intermediate_size=8, max_position_embeddings=16, num_labels=3)
    transformers.BertForTokenClassification(cfg).save_pretrained(path, safe_serialization=True)
    (path / "vocab.txt").write_text("\n".join(["[PAD]", "[unused1]", "[UNK]", "[CLS]", "[SEP]", "a"]) + "\n")


def _carded(path: Path) -> Path:
    """The folder with a model card listing its files as they are (hashes pass: the
    weights themselves are what is tested)."""
    from nlp.persist import write_meta
    write_meta(path, "extractor", backend="transformers")
    return path


def test_corrupt_safetensors_header_is_a_model_error(tmp_path):
    from nlp.errors import ModelError
    from nlp.extract.trf import TrfExtractor
    _tiny_token_classifier(tmp_path)
    weights = tmp_path / "model.safetensors"
    weights.write_bytes((10 ** 12).to_bytes(8, "little") + b"{not json")  # header length past the file
    with pytest.raises(ModelError, match="cannot load the transformers extractor"):
        TrfExtractor.load(_carded(tmp_path))


def test_transformers_never_runs_code_from_a_model_folder(tmp_path):
    import json
    from nlp.errors import ModelError
    from nlp.extract.trf import TrfExtractor
    _tiny_token_classifier(tmp_path)
    marker = tmp_path / "ran.txt"
    (tmp_path / "modeling_evil.py").write_text(
        f"open({str(marker)!r}, 'w').write('ran')\n"
        "from transformers import BertForTokenClassification as EvilModel\n")
    cfg = json.loads((tmp_path / "config.json").read_text())
    cfg["auto_map"] = {"AutoConfig": "modeling_evil.EvilConfig",
                       "AutoModelForTokenClassification": "modeling_evil.EvilModel"}
    cfg["model_type"] = "govreport-evil"  # no class of transformers' own: only the folder's code could load it
    (tmp_path / "config.json").write_text(json.dumps(cfg))
    with pytest.raises(ModelError, match="cannot load"):  # refused, without a prompt
        TrfExtractor.load(_carded(tmp_path))
    assert not marker.exists()


@FUZZ
@given(text=st.text(alphabet="一二三四五六七八九十百千万亿点两零〇0123456789.,余多约近件条%元百分之左右以上", max_size=14))
def test_number_parsers_raise_only_value_error(text: str) -> None:
    """Found by the fuzzer: 三点五亿 (a multiplier after Chinese decimals) raised KeyError."""
    from nlp.numbers import parse_number, parse_quantity
    for parse in (parse_number, parse_quantity):
        try:
            parse(text)
        except ValueError:
            pass


def test_a_docx_mutation_on_an_archive_zipfile_cannot_open_keeps_it():
    """A second docx mutation on an archive the first one broke (here: a header naming
    zip version 14.8) leaves it as it is instead of stopping the fuzzer (the long run
    stopped at docx input 3,900 on this)."""
    import io
    import zipfile

    from nlp.fuzz import _rezip

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    data = bytearray(buf.getvalue())
    central = data.rindex(b"PK\x01\x02")
    data[central + 6] = 148  # "version needed to extract": 14.8
    assert _rezip(bytes(data), lambda name, content: content) == bytes(data)
    assert _rezip(b"not a zip", lambda name, content: content) == b"not a zip"
