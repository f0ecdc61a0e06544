"""Section segmenter: decoding, rule baseline, shipped model quality, determinism, safe loading."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import numpy as np
import pytest

from conftest import MODELS
from nlp.component import Work
from nlp.errors import ModelError
from nlp.evaluate.segments import boundaries, document_of, evaluate, predict_aligned
from nlp.pipeline import Pipeline
from nlp.segment import RuleSegmenter, Segmenter, line_features, viterbi
from nlp.segment.rules import section_anchors
from nlp.train.config import load_config
from nlp.types import SECTIONS, Record

ROOT = Path(__file__).resolve().parent.parent
SEED_GOLD = ROOT / "corpus" / "seeds.jsonl"
SYNTH_TEST = ROOT / "corpus" / "synth" / "test.jsonl"
MODEL = ROOT / "models" / "segmenter"
REALDEV = ROOT.parent / "shared" / "realdev" / "realdev.jsonl"

# A tiny report of our own (not from any seed or real report) for the pure tests.
TOY = "\n".join([
    "某某县测试局2022年政府信息公开工作年度报告",
    "根据《中华人民共和国政府信息公开条例》要求编制本报告。",
    "一、总体情况",
    "本年度我局稳步推进公开工作。",
    "二、主动公开政府信息情况",
    "信息内容\t本年制发件数\t本年废止件数\t现行有效件数",
    "规章\t0\t0\t0",
    "三、收到和处理政府信息公开申请情况",
    "一、本年新收政府信息公开申请数量\t0\t0\t0",
    "四、政府信息公开行政复议、行政诉讼情况",
    "0\t0\t0\t0\t0",
    "五、存在的主要问题及改进情况",
    "公开内容仍需丰富。",
    "六、其他需要报告的事项",
    "无。",
])


def _records(path: Path) -> list[Record]:
    return [Record.from_json(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def _need(path: Path, what: str) -> None:
    """Shipped files (corpus, model) must be there: a missing one fails the suite."""
    assert path.exists(), f"{what} missing at {path}"


# ------------------------------------------------------------------ pure pieces
def test_viterbi_never_goes_back_and_one_odd_line_cannot_flip():
    # line 3 looks like section 0 again; the order constraint keeps it in section 1
    emit = np.log(np.array([[.9, .05, .05], [.05, .9, .05], [.8, .1, .1], [.05, .9, .05],
                            [.05, .05, .9]]))
    path = viterbi(emit, 2.0)
    assert path == [0, 1, 1, 1, 2]
    assert all(a <= b for a, b in zip(path, path[1:]))


def test_line_features_see_numbering_and_keywords():
    f = line_features("（三）不予公开")
    assert f["num=cn_paren"] == 1.0 and f["numval=3"] == 1.0
    f = line_features("五、存在的主要问题及改进情况")
    assert f["kwh=problems"] == 1.0 and f["num=cn_dun"] == 1.0
    assert "kwh=problems" not in line_features("本年度无其他需要报告的事项。")


def test_line_features_see_numbering_shapes():
    # 1.2021年度… is numbered (a year follows the dot); 1.5 is a decimal
    assert line_features("1.2021年度政务公开工作要点落实情况")["num=ar_dot"] == 1.0
    assert "num=none" in line_features("1.5万条信息已公开")
    # a line that goes on to its own next item lists points; a citation of 第(三)项 is no item
    assert "next_item_inline" in line_features("一是健全制度，明确专人审核；二是丰富渠道，更新栏目。")
    assert "next_item_inline" in line_features("(一)规范发布。(二)加强解读。")
    assert "next_item_inline" not in line_features("(二)依申请公开。按照《条例》第(三)项答复。")
    assert "next_item_inline" not in line_features("一是健全制度。明确专人审核，三是另一回事。")
    assert "num_only" in line_features("三、") and "num_only" not in line_features("三、收到和处理")


def test_cut_after_numbering_keeps_the_bare_numbering_as_the_last_line():
    import random

    from nlp.train.segmenter import _cut_after_numbering
    doc = document_of(TOY)
    labels = [("title", True), ("preamble", False), ("overview", True), ("overview", False),
              ("active", True), ("active", False), ("active", False), ("requests", True),
              ("requests", False), ("review", True), ("review", False), ("problems", True),
              ("problems", False), ("other", True), ("other", False)]
    from nlp.types import Line
    gold = Record(id="toy", text=TOY, lines=[Line(ln.start, ln.end, s, h) for ln, (s, h) in zip(doc.lines, labels)])
    for seed in range(6):
        cut = _cut_after_numbering(gold, random.Random(seed), heading=True)
        last = cut.text.split("\n")[-1]
        assert last in ("一、", "二、", "三、", "四、", "五、", "六、"), last
        assert cut.lines[-1].heading and cut.lines[-1].end == len(cut.text)
        assert cut.lines[-1].section == labels[len(cut.lines) - 1][0]
    row = _cut_after_numbering(gold, random.Random(0), heading=False)  # 一、本年新收… a table row
    assert row.text.endswith("\n一、") and not row.lines[-1].heading


def test_rule_baseline_is_fooled_by_table_row_labels():
    doc = document_of(TOY)
    lines = RuleSegmenter()(Work(doc))
    assert [ln.section for ln in lines][:3] == ["title", "preamble", "overview"]
    # 一、本年新收… inside table 3 restarts the rule's numbering: the weakness the model fixes
    assert lines[8].heading
    assert lines[-1].section == "other"


# ------------------------------------------------------------------ training
@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> Path:
    """A model trained by `train` on three seed documents (small, fast, deterministic)."""
    _need(SEED_GOLD, "seed gold corpus")
    corpus = tmp_path_factory.mktemp("corpus")
    (corpus / "synth").mkdir()
    lines = SEED_GOLD.read_text(encoding="utf-8").splitlines()[:3]
    (corpus / "synth" / "train.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    from dataclasses import replace

    from nlp.train.segmenter import train
    config = load_config("segmenter", ROOT / "configs" / "segmenter.yaml")
    config = replace(config, train={**config.train, "max_iter": 300, "truncate_copies": 1}, measure_files={})
    out = corpus / "model"
    train(corpus, out, config)
    out2 = corpus / "model2"
    train(corpus, out2, config)
    return out


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.name != "meta.json"}


def test_training_is_deterministic(tiny_model: Path):
    assert _digest(tiny_model) == _digest(tiny_model.parent / "model2")
    seg = Segmenter.load(tiny_model)
    assert isinstance(seg, Segmenter)
    assert seg.meta["corpus_hash"] and seg.meta["settings"]["inference"]["switch_penalty"]


def test_loading_refuses_tampered_or_pickled_files(tiny_model: Path, tmp_path: Path):
    bad = tmp_path / "bad"
    shutil.copytree(tiny_model, bad)
    weights = bad / "section.coef.npy"
    data = bytearray(weights.read_bytes())
    data[-1] ^= 0xFF
    weights.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="hash"):
        Segmenter.load(bad)
    pickled = tmp_path / "pickled"
    shutil.copytree(tiny_model, pickled)
    (pickled / "extra.pkl").write_bytes(b"\x80\x04N.")
    with pytest.raises(ModelError, match="pickle"):
        Segmenter.load(pickled)
    with pytest.raises(ModelError):
        Segmenter.load(tmp_path / "nowhere")


def test_predict_covers_every_line_with_a_known_section(tiny_model: Path):
    seg = Segmenter.load(tiny_model)
    doc = document_of(TOY)
    lines = seg(Work(doc))
    assert len(lines) == len(doc.lines)
    assert all(ln.section in SECTIONS and 0.0 <= ln.confidence <= 1.0 for ln in lines)
    order = [SECTIONS.index(ln.section) for ln in lines]
    assert order == sorted(order)


def test_contract_save_and_load_give_the_same_segmenter(tiny_model: Path, tmp_path: Path):
    """Both backends keep the component contract: a saved component loads back through
    ``nlp.component.load`` (its card names the backend) and segments alike."""
    from nlp import component

    seg = component.load("segmenter", tiny_model)
    assert isinstance(seg, Segmenter) and (seg.stage, seg.backend) == ("segmenter", "linear")
    work = Work(document_of(TOY))
    seg.save(tmp_path / "again")
    again = component.load("segmenter", tmp_path / "again")
    assert again(work) == seg(work) and again.pipe([work, work]) == [seg(work)] * 2
    assert again.meta["corpus_hash"] == seg.meta["corpus_hash"]
    rule = RuleSegmenter()
    rule.save(tmp_path / "rule")
    loaded = component.load("segmenter", tmp_path / "rule")
    assert isinstance(loaded, RuleSegmenter) and loaded.backend == "rule"
    assert loaded(work) == rule(work)


def test_the_shipped_model_loads_unchanged_through_the_registry():
    from nlp import component

    seg = component.load("segmenter", MODEL)
    assert isinstance(seg, Segmenter)
    assert seg.settings["switch_penalty"] == 1.0 and seg.settings["head_chars"] == 10


# ------------------------------------------------------------------ shipped model
@pytest.fixture(scope="module")
def shipped() -> Segmenter:
    _need(MODEL / "meta.json", "shipped segmenter (run `govreport train segmenter`)")
    return Segmenter.load(MODEL)


def test_shipped_model_beats_rule_baseline_on_held_out_synthetic(shipped: Segmenter):
    _need(SYNTH_TEST, "synthetic test split")
    records = _records(SYNTH_TEST)[:60]
    model, rule = evaluate(shipped, records), evaluate(RuleSegmenter(), records)
    assert model["line_accuracy"] >= 0.99
    assert model["line_accuracy"] > rule["line_accuracy"]
    assert model["heading"]["f1"] > rule["heading"]["f1"]


@pytest.mark.parametrize("index", range(5))
def test_seed_section_boundaries_exact_in_txt(shipped: Segmenter, index: int):
    _need(SEED_GOLD, "seed gold corpus")
    gold = _records(SEED_GOLD)[index]
    pred = predict_aligned(shipped, gold)
    assert boundaries(gold, pred) == boundaries(gold, gold.lines), gold.id


@pytest.mark.parametrize("fmt", ["docx", "html", "pdf"])
def test_seed_section_boundaries_exact_in_other_formats(shipped: Segmenter, fmt: str, tmp_path: Path):
    """Each seed re-rendered with real Word/HTML/PDF tables, read back, segmented, aligned by content."""
    _need(SEED_GOLD, "seed gold corpus")
    from nlp.corpus import render
    from nlp.pipeline import document_from_text, read_document

    make = {"docx": render.render_docx, "html": render.render_html, "pdf": render.render_pdf}[fmt]
    for gold in _records(SEED_GOLD):
        path = tmp_path / f"{gold.id}.{fmt}"
        make(render.blocks_from_document(document_from_text(gold.text)), path)
        pred = predict_aligned(shipped, gold, read_document(path))
        assert boundaries(gold, pred) == boundaries(gold, gold.lines), (gold.id, fmt)


def test_shipped_model_reads_a_bare_numbering_as_the_next_part(shipped: Segmenter):
    """An excerpt that stops on 三、 right after table 2: the numbering opens 收到和处理申请."""
    doc = document_of(TOY[:TOY.index("三、") + 2])
    lines = shipped(Work(doc))
    assert (lines[-1].section, lines[-1].heading) == ("requests", True)
    assert lines[-2].section == "active"


def test_shipped_model_joins_a_bare_numbering_and_its_title_on_the_next_line(shipped: Segmenter):
    doc = document_of(TOY.replace("三、收到和处理", "三、\n收到和处理"))
    lines = [ln for ln in shipped(Work(doc)) if ln.end > ln.start]
    at = next(i for i, ln in enumerate(lines) if doc.text[ln.start:ln.end] == "三、")
    assert [(ln.section, ln.heading) for ln in lines[at - 1:at + 3]] == [
        ("active", False), ("requests", True), ("requests", True), ("requests", False)]


def test_shipped_model_keeps_a_title_repeated_after_page_chrome(shipped: Segmenter):
    title = TOY.split("\n", 1)[0]
    text = "\n".join(["", title, "首页 > 信息公开 > 年度报告", "发布时间:2023-01-20  来源:本局", title,
                      TOY.split("\n", 1)[1]])
    doc = document_of(text)
    lines = shipped(Work(doc))
    flagged = [doc.text[ln.start:ln.end] for ln in lines if ln.heading and ln.section in ("title", "preamble")]
    assert flagged == [title, title]
    assert lines[0].section == "title"  # a leading empty line is where every report starts


def test_shipped_model_never_flags_a_line_listing_points(shipped: Segmenter):
    listing = "一是健全制度，明确专人审核发布；二是丰富渠道，及时更新网站栏目；三是加强培训。"
    doc = document_of(TOY.replace("本年度我局稳步推进公开工作。", listing))
    by_text = {doc.text[ln.start:ln.end]: ln for ln in shipped(Work(doc))}
    line = next(ln for text, ln in by_text.items() if text.startswith("一是"))
    assert line.section == "overview" and not line.heading


def test_realdev_heading_f1_beats_rule_baseline(shipped: Segmenter):
    if not REALDEV.is_file():
        pytest.skip(f"realdev set not found at {REALDEV} (evaluation-only data, not shipped)")
    records = _records(REALDEV)
    model, rule = evaluate(shipped, records), evaluate(RuleSegmenter(), records)
    assert model["heading"]["f1"] > rule["heading"]["f1"]
    assert model["heading"]["f1"] >= 0.98  # issue 5 target


def test_feature_scorer_gives_the_scores_of_the_feature_dicts():
    """Decoding sums cached groups of names; training reads the dicts.  Both must put the
    same features on every line: the scorer's scores must be the dicts' scores, for all
    three models, on a cold cache and on a warm one."""
    from nlp.segment import FeatureScorer, content_lines, doc_feature_parts, doc_features

    segmenter = Segmenter.load(MODEL)
    models = [segmenter.section_model, segmenter.heading_model, segmenter.boundary_model]
    scorer = FeatureScorer(models)
    records = [Record.from_json(x) for x in SEED_GOLD.read_text(encoding="utf-8").splitlines() if x.strip()]
    for rec in records * 2:
        _idx, texts, mask = content_lines(document_of(rec.text, rec.id))
        parts, in_table = doc_feature_parts(texts, mask)
        dicts = doc_features(texts, mask)
        got = scorer.scores(parts)
        for model, scores in zip(models, got):
            X = np.zeros((len(dicts), len(model.vocab)))
            for row, feats in enumerate(dicts):
                X[row, [model.vocab[k] for k in feats if k in model.vocab]] = 1.0
            assert np.allclose(scores, X @ model.coef.T + model.intercept), rec.id
        expected = got[0] - np.log(np.exp(got[0] - got[0].max(1, keepdims=True)).sum(1, keepdims=True)) \
            - got[0].max(1, keepdims=True)
        assert np.allclose(segmenter.section_model.log_proba(got[0]), expected)
        assert in_table == [bool(f.get("in_table")) for f in dicts]
        assert any(in_table) and not all(in_table)


def test_feature_scorer_survives_growing_and_clearing_its_cache(monkeypatch):
    """Group sums live in rows of a growing array, and the cache is cleared when full:
    neither may shift a line onto another group's sums."""
    import nlp.segment as seg
    from nlp.segment import scorer
    from nlp.segment.context import shared_groups

    segmenter = Segmenter.load(MODEL)
    model = segmenter.section_model
    monkeypatch.setattr(scorer, "LINE_CACHE", 4)  # clear after 20 sums
    scorer = seg.FeatureScorer([model])
    scorer._sums = scorer._sums[:scorer._used].copy()  # full: grow at once
    records = [Record.from_json(x) for x in SEED_GOLD.read_text(encoding="utf-8").splitlines() if x.strip()]
    for rec in records:
        _idx, texts, mask = seg.content_lines(document_of(rec.text, rec.id))
        parts, _ = seg.doc_feature_parts(texts, mask)
        for start in range(0, len(parts), 7):  # several calls per document, some cached
            chunk = parts[start:start + 7]
            X = np.zeros((len(chunk), len(model.vocab)))
            for row, line in enumerate(chunk):  # a chunk scores as a document of its own
                names = {k for group in (*shared_groups(chunk, row), line.dynamic) for k in group}
                X[row, [model.vocab[k] for k in names if k in model.vocab]] = 1.0
            assert np.allclose(scorer.scores(chunk)[0], X @ model.coef.T + model.intercept), rec.id


def _plain_doc_features(texts, table_ids, head_chars=10):
    """The features as first written, one dict per line with no caching: the reference the
    grouped, cached construction must equal."""
    from nlp.segment.context import _table_kinds
    from nlp.segment.features import _CONTEXT_KEYS, _FAR_KEYS, _bucket, _line_feature_names

    kinds = _table_kinds(texts, table_ids)
    own, near, far = [], [], []
    for text, tid in zip(texts, table_ids):
        names = _line_feature_names(text, head_chars)
        line_near = tuple(k for k in names if k.startswith(_CONTEXT_KEYS))
        line_far = tuple(k for k in names if k.startswith(_FAR_KEYS))
        if tid >= 0:
            grid = ("in_table", f"tbl={kinds[tid]}")
            names, line_near, line_far = names + grid, line_near + grid, line_far + grid[:1]
        own.append(dict.fromkeys(names, 1.0))
        near.append(line_near)
        far.append(line_far)
    n, out = len(own), []
    chars = seen_cn_dun = top = row = 0
    seen_table = seen_title = False
    last_head = "none"
    def head_group(f):
        return next((k[4:] for k in f if k.startswith("kwh=") and k[4:] in SECTIONS), None)

    for i, f in enumerate(own):
        feats = dict(f)
        if not f.get("in_table") and (f.get("num=cn_dun") or f.get("num=ar_dot") or f.get("num=ar_dun")):
            group = head_group(f)
            if group is None and f.get("num_only") and i + 1 < n and own[i + 1].get("num=none"):
                group = head_group(own[i + 1])  # 三、 alone: its title is on the next line
            last_head = group if group is not None else "bare" if f.get("num_only") else last_head
        feats[f"last_head={last_head}"] = 1.0
        if f.get("num=none") and last_head not in ("none", "title", "preamble"):
            feats["body_unnumbered"] = 1.0
        if f.get("num=cn_dun"):
            value = next((int(k[7:]) for k in f if k.startswith("numval=")), 0)
            order = ("row" if row and value == row + 1 else
                     "next" if value == top + 1 else "restart" if value <= top else "jump")
            feats["num_order=" + order] = 1.0
            if order == "next" and not f.get("in_table"):
                feats[f"top={value}"] = 1.0
            top = max(top, value)
            row = value if f.get("in_table") else 0
        feats[f"seen_title={int(seen_title)}"] = 1.0
        seen_title = seen_title or bool(f.get("title_like") and not f.get("kv_head"))
        feats[f"idx={_bucket(i, (1, 2, 3, 5, 8, 12, 20, 40))}"] = 1.0
        feats[f"chars={_bucket(chars, (20, 60, 150, 300, 600, 1000, 2000, 4000))}"] = 1.0
        feats[f"rel={int(10 * i / max(n, 1))}"] = 1.0
        if i == n - 1:
            feats["is_last"] = 1.0
            feats.update({f"last&{k}": 1.0 for k in f if k.startswith(("num=", "first_stop=", "len="))})
            if i and own[i - 1].get("in_table"):
                feats["last&p:in_table"] = 1.0
        feats[f"seen_table={int(seen_table)}"] = 1.0
        feats[f"seen_cn_dun={min(seen_cn_dun, 4)}"] = 1.0
        for off, tag in ((-1, "p"), (1, "n"), (-2, "pp"), (2, "nn")):
            j = i + off
            names = (near[j] if abs(off) == 1 else far[j]) if 0 <= j < n else ("none",)
            feats.update({f"{tag}:{k}": 1.0 for k in names})
        seen_table = seen_table or bool(f.get("in_table"))
        seen_cn_dun += bool(f.get("num=cn_dun"))
        chars += len(texts[i]) + 1
        out.append(feats)
    return out


def test_cached_feature_groups_equal_the_plain_definition():
    from nlp.segment import content_lines, doc_features

    records = [Record.from_json(x) for x in SEED_GOLD.read_text(encoding="utf-8").splitlines() if x.strip()]
    records += [Record.from_json(x) for x in SYNTH_TEST.read_text(encoding="utf-8").splitlines()[:40]]
    for rec in records:
        _idx, texts, mask = content_lines(document_of(rec.text, rec.id))
        assert [set(f) for f in doc_features(texts, mask)] == \
            [set(f) for f in _plain_doc_features(texts, mask)], rec.id


def _plain_viterbi(emit, move, stay):
    """The monotone Viterbi as first written, line by line: the reference for the
    vectorized one (ties: staying beats moving up, the lowest state wins)."""
    n, k = emit.shape
    score = [(stay[0] if j == 0 else move[0]) + emit[0][j] for j in range(k)]
    back = []
    for t in range(1, n):
        new, ptr = [], []
        best_i, best_v = 0, -np.inf
        for j in range(k):
            keep, up = score[j] + stay[t], best_v + move[t]
            new.append((keep if keep >= up else up) + emit[t][j])
            ptr.append(j if keep >= up else best_i)
            if score[j] > best_v:
                best_i, best_v = j, score[j]
        score = new
        back.append(ptr)
    path = [max(range(k), key=score.__getitem__)]
    for ptr in reversed(back):
        path.append(ptr[path[-1]])
    return path[::-1]


def _plain_marginals(emit, move, stay):
    """Forward-backward in log space one line at a time: the plain definition."""
    n, k = emit.shape
    alpha = np.empty((n, k))
    alpha[0] = np.where(np.arange(k) == 0, stay[0], move[0]) + emit[0]
    for t in range(1, n):
        prev = alpha[t - 1]
        up = np.concatenate([[-np.inf], np.logaddexp.accumulate(prev)[:-1]]) + move[t]
        alpha[t] = np.logaddexp(prev + stay[t], up) + emit[t]
    beta = np.zeros((n, k))
    for t in range(n - 2, -1, -1):
        nxt = beta[t + 1] + emit[t + 1]
        later = np.concatenate([np.logaddexp.accumulate(nxt[::-1])[::-1][1:], [-np.inf]]) + move[t + 1]
        beta[t] = np.logaddexp(nxt + stay[t + 1], later)
    post = alpha + beta
    post = np.exp(post - post.max(axis=1, keepdims=True))
    return post / post.sum(axis=1, keepdims=True)


def test_vectorized_decoding_equals_the_line_by_line_definitions():
    """``viterbi`` and ``marginals`` run over all lines one state at a time; they must give
    the paths (ties included) and posteriors of the line-by-line recursions."""
    from nlp.segment.decode import _switch_costs, marginals

    rng = np.random.default_rng(7)
    for case in range(400):
        n, k = int(rng.integers(1, 80)), int(rng.integers(1, 9))
        emit = np.log(rng.dirichlet(np.ones(k) * rng.choice([0.2, 1.0, 10.0]), size=n))
        if case % 10 == 0:  # equal emissions: ties everywhere
            emit = np.zeros((n, k))
        switch = (rng.normal(-2, 2, n), rng.normal(0, 0.5, n)) if case % 2 else (float(rng.uniform(0, 3)), None)
        move, stay = _switch_costs(n, *switch)
        assert viterbi(emit, *switch) == _plain_viterbi(emit, move, stay)
        post = marginals(emit, *switch)
        assert np.allclose(post, _plain_marginals(emit, move, stay), atol=1e-9)
        assert np.allclose(post.sum(axis=1), 1.0)
    # weights so small that any probability-space product would underflow
    emit, tiny = np.log(np.array([[.6, .4], [.3, .7], [.5, .5]])), np.full(3, -800.0)
    post = marginals(emit, tiny, tiny)
    assert np.isfinite(post).all() and np.allclose(post, _plain_marginals(emit, tiny, tiny))
    # a long document forced through one state: still finite, still the definition
    emit = np.log(np.maximum(rng.dirichlet(np.ones(8) * 0.05, size=3000), 1e-300))
    move, stay = rng.normal(-8, 4, 3000), rng.normal(0, 0.5, 3000)
    assert viterbi(emit, move, stay) == _plain_viterbi(emit, move, stay)
    assert np.allclose(marginals(emit, move, stay), _plain_marginals(emit, move, stay), atol=1e-9)


def _long_overview(seed: str, paragraphs: int) -> str:
    """``seed`` with an overview grown by distinct paragraphs that speak of requests and
    reviews, as the overviews of long real reports do (（二）依申请公开…)."""
    lines = seed.split("\n")
    at = next(i for i, ln in enumerate(lines) if ln.startswith("二、主动公开"))
    added = [f"（{i}）第{i}批依申请公开：本机关本季度收到政府信息公开申请{i + 3}件，已全部按期答复，"
             f"其中予以公开{i}件；因政府信息公开被申请行政复议{i % 3}件，均已审结。" for i in range(paragraphs)]
    return "\n".join(lines[:at] + added + lines[at:])


def test_a_long_overview_that_speaks_of_requests_keeps_every_part_in_place(shipped: Segmenter):
    """Its prose outweighs any one heading line, and the order never goes back: without the
    template's headings held to their parts, 二、主动公开… and every part after it were read
    as requests (table 2 in the requests part)."""
    from nlp.pipeline import document_from_text

    seed = (ROOT / "corpus" / "seeds" / "000_531237652e105b38.txt").read_text(encoding="utf-8")
    text = _long_overview(seed, 150)
    doc = document_from_text(text)
    lines = shipped(Work(doc))
    texts = doc.line_texts()
    parts = {texts[i].strip(): ln.section for i, ln in enumerate(lines) if ln.heading and ln.section != "title"}
    assert parts["二、主动公开政府信息情况"] == "active"
    assert parts["三、收到和处理政府信息公开申请情况"] == "requests"
    assert parts["四、政府信息公开行政复议、行政诉讼情况"] == "review"
    assert parts["五、存在的主要问题及改进情况"] == "problems"
    assert parts["六、其他需要报告的事项"] == "other"
    grid = [i for i, t in enumerate(texts) if t.startswith("规章")]
    assert grid and all(lines[i].section == "active" for i in grid)


def test_an_anchored_heading_holds_its_part_against_any_run_of_prose(shipped: Segmenter):
    """Sixty lines that each prefer requests by 8 nats over the overview, then the heading
    of part two: unanchored, the path leaves the overview early and can never come back to
    active; anchored, the heading is active and the prose stays before it."""
    from nlp.types import SECTIONS

    order = {s: i for i, s in enumerate(SECTIONS)}
    emit = np.full((62, len(SECTIONS)), -20.0)
    emit[0, order["overview"]] = 0.0
    emit[1:61, order["overview"]], emit[1:61, order["requests"]] = -8.0, 0.0
    emit[61, order["active"]], emit[61, order["requests"]] = 0.0, -10.0
    free = viterbi(emit.copy(), 2.0)
    held = viterbi(shipped.anchored(emit.copy(), {0: "overview", 61: "active"}), 2.0)
    assert free[61] == order["requests"]
    assert held[61] == order["active"] and max(held[:61]) <= order["active"]


def test_a_table_printed_without_its_part_s_heading_opens_that_part():
    """A page that runs from the overview's last sub-part straight into table 2 (no
    二、主动公开… printed): the table's own first header cell opens the part, so its rows
    are read instead of being kept in the overview's prose."""
    cells = ["第二十条第（一）项 |", "信息内容 |", "本年制发件数 |", "本年废止件数 |", "现行有效件数 |",
             "规章 |", "0 |", "0 |", "0 |", "行政规范性文件 |", "2 |", "1 |", "5 |"]
    text = "\n".join(["信川区审计局2024年政府信息公开工作年度报告", "一、总体情况",
                      "（一）主动公开。本年度通过门户网站主动公开信息共计85条。",
                      "（二）监督保障。本局落实信息发布审核制度，自觉接受社会监督。", *cells])
    rec = Pipeline.load(MODELS).process_text(text, "t")
    assert {k: c.value for k, c in rec.cells.items() if k.startswith("active.normative")} == {
        "active.normative.issued": 2, "active.normative.repealed": 1, "active.normative.in_force": 5}
    head = next(ln for ln in rec.lines if text[ln.start:ln.end].startswith("第二十条"))
    assert head.section == "active"


def test_a_contents_page_before_the_body_is_the_preamble_s(shipped: Segmenter):
    """A flip-book's contents page lists the parts with dot leaders and page numbers: its
    entries open no part and are no headings; the body's own headings still do."""
    contents = ["目录", "一、总体情况........................ 1", "（一）强化制度建设 ........... 1",
                "二、主动公开政府信息情况 .............. 5", "三、收到和处理政府信息公开申请情况 ...... 6",
                "四、政府信息公开行政复议、行政诉讼情况 .... 8", "五、存在的主要问题及改进情况 .......... 8"]
    body = TOY.split("\n", 1)[1]
    doc = document_of("\n".join([TOY.split("\n", 1)[0], *contents, body]))
    lines = [ln for ln in shipped(Work(doc)) if ln.end > ln.start]
    texts = [doc.text[ln.start:ln.end] for ln in lines]
    listed = [ln for ln, text in zip(lines, texts) if "...." in text]
    assert len(listed) == 6 and all(ln.section == "preamble" and not ln.heading for ln in listed)
    heading = lines[texts.index("一、总体情况")]
    assert heading.section == "overview" and heading.heading


def test_only_a_contents_page_before_the_body_is_held_to_the_preamble():
    """Prose whose lines end in an ellipsis is no contents page (an entry ends in a page
    number), nor are entries after the body's first heading."""
    prose = ["信川市审计局2023年报告", "全年工作扎实推进……", "公开质量不断提升……", "群众满意度持续提高……"]
    assert section_anchors(prose) == {}
    late = ["一、总体情况", "本年度稳步推进。", "二、主动公开政府信息情况 ........ 5",
            "三、收到和处理政府信息公开申请情况 ...... 6", "四、政府信息公开行政复议、行政诉讼情况 .... 8"]
    assert "preamble" not in section_anchors(late).values()
