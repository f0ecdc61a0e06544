"""Numeric facts in the narrative: a spaCy NER trained from a blank ``zh`` pipeline.

The model tags four labels — COUNT, MONEY, PERCENT, ZERO (see annotation.md) — and
exists to tell facts from the numbers that are not facts (years, dates, document
numbers, phone numbers, ordinals, numbers inside 《》 titles, 12345热线), which a
number+unit regex cannot.  Values, units and approx flags come from
``nlp.numbers.parse_quantity`` on the predicted span; ZERO facts get value 0.

Speed: only sentences that can hold a fact (a digit, a Chinese numeral before a
unit-like character, or a negation word) go through the network, in batches; long ones
are cut at commas into pieces read with a little context either side
(``inference.piece_chars``), and only the pieces that can hold a fact are read.
Decoding is done in numpy (``nlp.extract_decode``) at a cost per token, not per step.

Tokenizer: ``DigitTokenizer`` keeps ASCII digit runs (with inner ``.``/``,``) and
Latin words whole and splits everything else per character, so "3.469万余人次" is
``3.469 万 余 人 次``.  It is built in code at load time (registered under
``govreport.digit_tokenizer.v1``) and serializes only a small JSON settings file,
so loading a model never unpickles anything.

Confidence (``inference.confidence: softmax``, default): decoding is greedy — the
same decisions as ``ner.pipe`` — done in numpy (``nlp.extract_decode``) so the
transition scores can be read; a fact's confidence is the lowest softmax probability
of the chosen-best transition over its tokens and the token after it (a proxy, not a
calibrated probability: it flags spans where the model hesitated).  ``none`` gives 1.0.
(A real beam's marginals were tried: beam decoding of this greedily trained model
lost accuracy, and running greedy plus a beam doubled the cost.)
"""

from __future__ import annotations

import json
import random
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from nlp.errors import CorpusError, ModelError
from nlp.extract_decode import GreedyDecoder
from nlp.chars import translator
from nlp.types import FACT_LABELS, Fact, Record, lines_of, loads_yaml

KIND = "extractor"
TOKENIZER_NAME = "govreport.digit_tokenizer.v1"
DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "configs" / "extractor.yaml"

# ---------------------------------------------------------------- which text to look at

_SENT_END = re.compile(r"[。；;！!？?]")
_CN_NUM = "零〇一二三四五六七八九十两百千万亿"
# Chinese counters (量词) a count can take: training swaps a count's unit for another now
# and then, so the model learns "number + any counter" rather than the generator's few.
COUNTERS = ("件", "份", "条", "项", "篇", "个", "次", "人次", "人", "名", "期", "场", "场次", "批",
            "批次", "种", "家", "户", "例", "起", "所", "位", "部", "则", "封", "件次", "个次", "类",
            "轮", "组", "支", "套", "台", "处", "本", "册", "张", "块", "座", "栏", "集")
# A sentence can hold a fact when it has a digit, a Chinese numeral run just before a
# counter/unit character, or a word that can open a zero claim.
CANDIDATE_RE = re.compile(
    r"[0-9０-９]"
    rf"|[{_CN_NUM}]+[余多]?[{''.join(sorted(set(''.join(COUNTERS))))}元万亿%]"
    r"|[未无没零]|不存在|不涉及"
)


_FOLD = {**{c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}, 0x3000: 0x20, 0xA0: 0x20}
_fold_width = translator(_FOLD)


def fold_width(text: str) -> str:
    """Full-width ASCII and wide/no-break spaces to ASCII, one character for one.

    The model always sees folded text (training and inference), whether or not the
    caller normalized it; offsets are unchanged.

    >>> fold_width("共１８８条，　无")
    '共188条, 无'
    """
    return _fold_width(text)


def narrative_spans(text: str) -> list[tuple[int, int]]:
    """Line ranges that are not table grid rows (tabs or pipes): where facts live.

    >>> narrative_spans("共188条。\\n规章\\t0\\t0\\n|a|b|")
    [(0, 6)]
    """
    out = []
    for ln in lines_of(text):
        line = text[ln.start:ln.end]
        if not line.strip() or "\t" in line or line.lstrip().startswith("|"):
            continue
        out.append((ln.start, ln.end))
    return out


def sentence_spans(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Split each range into sentences (ending at 。；！？ or a newline), blanks dropped.

    >>> t = "共188条。无复议\\n好"
    >>> [t[a:b] for a, b in sentence_spans(t, [(0, len(t))])]
    ['共188条。', '无复议', '好']
    """
    out = []
    for start, end in spans:
        pos = start
        while pos <= end:
            line_end = text.find("\n", pos, end)
            if line_end < 0:
                line_end = end
            for m in _SENT_END.finditer(text, pos, line_end):
                out.append((pos, m.end()))
                pos = m.end()
            out.append((pos, line_end))
            pos = line_end + 1
    return [(a, b) for a, b in out if text[a:b].strip()]


# A comma that is not a thousands separator: no fact spans one (checked on every gold
# fact of the corpus and realdev), so a long sentence can be cut there.
_CLAUSE_CUT = re.compile(r"[，,](?![0-9])|(?<![0-9]),")


def clause_pieces(text: str, start: int, end: int, max_chars: int, context: int
                  ) -> list[tuple[int, int, int, int]]:
    """Cut a long sentence at commas into pieces of about ``max_chars`` characters.

    Only the pieces that can hold a fact are then read.  Each piece is
    ``(own_start, own_end, input_start, input_end)``: the model reads ``context``
    characters either side of its own part and keeps the facts that start in it.

    >>> t = "共收到申请3件，予以公开2件，不予公开1件"
    >>> [(t[a:b], t[c:d]) for a, b, c, d in clause_pieces(t, 0, len(t), 8, 2)]
    [('共收到申请3件，', '共收到申请3件，予以'), ('予以公开2件，', '件，予以公开2件，不予'), ('不予公开1件', '件，不予公开1件')]
    """
    if max_chars <= 0 or end - start <= max_chars:
        return [(start, end, start, end)]
    cuts = [m.end() for m in _CLAUSE_CUT.finditer(text, start, end)] + [end]
    pieces, own = [], start
    for k, cut in enumerate(cuts):
        nxt = cuts[k + 1] if k + 1 < len(cuts) else None
        if cut == end or nxt is None or nxt - own > max_chars:
            pieces.append((own, cut, max(start, own - context), min(end, cut + context)))
            own = cut
        if own >= end:
            break
    return pieces


def is_candidate(sentence: str) -> bool:
    """Can this sentence hold a fact?

    >>> is_candidate("一是强化组织领导。"), is_candidate("共发布两条"), is_candidate("未发生复议")
    (False, True, True)
    """
    return CANDIDATE_RE.search(sentence) is not None


# ---------------------------------------------------------------- tokenizer

_TOKEN_RE = re.compile(r"[0-9]+(?:[.,][0-9]+)*|[A-Za-z]+|.", re.S)


def tokenize_words(text: str) -> list[str]:
    """Digit runs and Latin words whole, everything else one character per token.

    >>> tokenize_words("共3.469万余人次, 1,234件 APP")
    ['共', '3.469', '万', '余', '人', '次', ',', ' ', '1,234', '件', ' ', 'APP']
    """
    return _TOKEN_RE.findall(text)


class DigitTokenizer:
    """spaCy tokenizer over ``tokenize_words``; text round-trips exactly (spaces are tokens)."""

    def __init__(self, vocab):
        self.vocab = vocab

    def __call__(self, text: str):
        from spacy.tokens import Doc

        words = tokenize_words(text)
        return Doc(self.vocab, words=words, spaces=[False] * len(words))

    def pipe(self, texts, batch_size=1000):
        for text in texts:
            yield self(text)

    # Nothing to learn: settings only, as JSON (never a pickle).
    def to_disk(self, path, **_kwargs):
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "settings.json").write_text(json.dumps({"pattern": _TOKEN_RE.pattern}))

    def from_disk(self, path, **_kwargs):
        return self

    def to_bytes(self, **_kwargs):
        return json.dumps({"pattern": _TOKEN_RE.pattern}).encode()

    def from_bytes(self, _data, **_kwargs):
        return self


def import_spacy() -> Any:
    """spaCy, imported without letting thinc import torch.

    thinc imports torch whenever it is installed, to offer PyTorch layers: 1.5 s of a
    worker's 2.7 s start-up.  The project's spaCy models are numpy-only, and the
    transformers backend imports torch itself, which stays importable."""
    import sys

    if "thinc" not in sys.modules and "torch" not in sys.modules:
        sys.modules["torch"] = None  # type: ignore[assignment]  # thinc's `import torch` fails
        try:
            import spacy  # noqa: F401
        finally:
            del sys.modules["torch"]
    import spacy
    return spacy


def create_digit_tokenizer():
    """The tokenizer factory the pipeline's config.cfg names (``govreport.digit_tokenizer.v1``);
    also registered through the ``spacy_tokenizers`` entry point, so ``spacy.load`` finds it
    once the package is installed."""
    def make(nlp):
        return DigitTokenizer(nlp.vocab)
    return make


def register_tokenizer() -> None:
    """Make ``spacy.load(".../extractor")`` work in this process without the installed
    entry point (a source checkout on ``sys.path``)."""
    spacy = import_spacy()
    if TOKENIZER_NAME not in spacy.registry.tokenizers:
        spacy.registry.tokenizers(TOKENIZER_NAME, func=create_digit_tokenizer)


_register_tokenizer = register_tokenizer


def spacy_meta(nlp, labels: list[str] | None = None) -> dict[str, Any]:
    """The fields ``spacy.load`` reads from meta.json (lang, name, version, pipeline, …),
    kept beside the project's own card fields so the folder is a valid spaCy pipeline."""
    from nlp import __version__

    spacy = import_spacy()
    major, minor = (int(x) for x in spacy.__version__.split(".")[:2])
    return {"lang": nlp.lang, "name": "govreport_extractor", "version": __version__,
            "description": "Numeric facts in 政府信息公开工作年度报告 narratives (govreport).",
            "spacy_version": f">={major}.{minor},<{major}.{minor + 1}",
            "license": "Apache-2.0", "pipeline": list(nlp.pipe_names),
            "components": list(nlp.component_names), "disabled": [],
            "labels": {"ner": labels if labels is not None else list(nlp.get_pipe("ner").labels)}}


# ---------------------------------------------------------------- settings and pipeline


def load_config(path: Path | str | None = None) -> dict[str, Any]:
    path = Path(path) if path else DEFAULT_CONFIG
    return loads_yaml(path.read_text(encoding="utf-8"))


def _ner_config(model: dict[str, Any]) -> dict[str, Any]:
    return {"model": {
        "@architectures": "spacy.TransitionBasedParser.v2", "state_type": "ner",
        "extra_state_tokens": False, "hidden_width": model["hidden_width"],
        "maxout_pieces": model["maxout_pieces"], "use_upper": True, "nO": None,
        "tok2vec": {"@architectures": "spacy.HashEmbedCNN.v2", "pretrained_vectors": None,
                    "width": model["width"], "depth": model["depth"],
                    "embed_size": model["embed_size"], "window_size": model["window_size"],
                    "maxout_pieces": 3, "subword_features": True}}}


def make_nlp(settings: dict[str, Any]):
    """A blank zh pipeline with the configured tokenizer and an untrained NER."""
    spacy = import_spacy()

    _register_tokenizer()
    if settings.get("tokenizer", "digits") == "digits":
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}})
    else:
        nlp = spacy.blank("zh")
    ner = nlp.add_pipe("ner", config=_ner_config(settings["model"]))
    for label in FACT_LABELS:
        ner.add_label(label)
    return nlp


# ---------------------------------------------------------------- training data


@dataclass
class Sentence:
    """One training/evaluation sentence with its entity spans (sentence-relative)."""

    text: str
    ents: list[tuple[int, int, str]]


def record_sentences(record: Record) -> tuple[list[Sentence], int]:
    """Candidate narrative sentences of a record with their facts as entities.

    Facts sharing a span (a ZERO claim denying several things) become one entity;
    a fact overlapping an earlier one is dropped.  Returns the sentences and the
    number of facts that fell outside every candidate sentence (should be 0).
    """
    text = record.text
    sents = [s for s in sentence_spans(text, narrative_spans(text)) if is_candidate(text[s[0]:s[1]])]
    spans = sorted({(f.start, f.end, f.label) for f in record.facts})
    out, placed = [], set()
    for a, b in sents:
        ents, last = [], -1
        for s, e, label in spans:
            if s >= a and e <= b and s >= last:
                ents.append((s - a, e - a, label))
                placed.add((s, e, label))
                last = e
        out.append(Sentence(fold_width(text[a:b]), ents))
    placed_spans = {(s, e) for s, e, _ in placed}
    missed = sum(1 for s, e, _ in spans if (s, e) not in placed_spans)
    return out, missed


def corpus_sentences(records: list[Record], negative_rate: float, rng: random.Random,
                     limit: int | None = None) -> tuple[list[Sentence], dict[str, int]]:
    """All sentences with facts plus a share of fact-less candidates, deterministically."""
    pos, neg, missed = [], [], 0
    for rec in records:
        sents, m = record_sentences(rec)
        missed += m
        for s in sents:
            (pos if s.ents else neg).append(s)
    neg = [s for s in neg if rng.random() < negative_rate]
    if limit is not None:  # keep every sentence with a fact; negatives fill the rest
        rng.shuffle(pos)
        pos = pos[:limit]
        rng.shuffle(neg)
        neg = neg[:max(0, limit - len(pos))]
    data = pos + neg
    rng.shuffle(data)
    return data, {"positive": len(pos), "negative": len(neg), "missed_facts": missed,
                  "used": len(data)}


_COUNT_TAIL = re.compile(r"^(.*?[0-9%s](?:余|多)?\s?)(%s)$" % (
    _CN_NUM, "|".join(sorted(COUNTERS, key=len, reverse=True))))


def _small_cn(n: int) -> str:
    """Chinese numeral for 1..99 (两 is not used: 二 reads everywhere).

    >>> _small_cn(1), _small_cn(12), _small_cn(40), _small_cn(23)
    ('一', '十二', '四十', '二十三')
    """
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def augment(sentences: list[Sentence], rng: random.Random, rate: float) -> list[Sentence]:
    """Extra copies of sentences with a count rewritten: another counter, or a small
    Arabic number as a Chinese numeral.  Spans are shifted; labels unchanged."""
    out = []
    for s in sentences:
        counts = [k for k, (a, b, lab) in enumerate(s.ents) if lab == "COUNT"]
        if not counts or rng.random() >= rate:
            continue
        k = rng.choice(counts)
        a, b, lab = s.ents[k]
        span = s.text[a:b]
        m = _COUNT_TAIL.match(span)
        if m is None:
            continue
        head, unit = m.group(1), m.group(2)
        digits = re.fullmatch(r"([0-9]+)(\s?)", head)
        if digits and 0 < int(digits.group(1)) < 100 and rng.random() < 0.5:
            new = _small_cn(int(digits.group(1))) + digits.group(2) + unit
        else:
            new = head + rng.choice([u for u in COUNTERS if u != unit])
        shift = len(new) - len(span)
        ents = [(x, y, l) if y <= a else (x + shift, y + shift, l) for x, y, l in s.ents if (x, y) != (a, b)]
        ents.append((a, b + shift, lab))
        out.append(Sentence(s.text[:a] + new + s.text[b:], sorted(ents)))
    return out


def _examples(nlp, sentences: list[Sentence]) -> tuple[list, int]:
    from spacy.training import Example

    out, misaligned = [], 0
    for s in sentences:
        doc = nlp.make_doc(s.text)
        ents = []
        for a, b, label in s.ents:
            span = doc.char_span(a, b, label=label, alignment_mode="strict")
            if span is None:  # a gold boundary inside a digit run: keep the example, count it
                misaligned += 1
                span = doc.char_span(a, b, label=label, alignment_mode="expand")
            if span is not None:
                ents.append((span.start_char, span.end_char, label))
        out.append(Example.from_dict(doc, {"entities": ents}))
    return out, misaligned


def _load_split(corpus_dir: Path, name: str) -> list[Record]:
    from nlp.types import Record as _Record

    path = corpus_dir / name
    if not path.is_file():
        return []
    records = []
    with open(path, encoding="utf-8") as fh:
        for i, line in enumerate(fh, 1):
            if line.strip():
                try:
                    records.append(_Record.from_json(line))
                except (ValueError, KeyError) as err:
                    raise CorpusError(str(path), f"line {i}: {err}") from None
    return records


def corpus_files(corpus_dir: Path) -> dict[str, Path]:
    corpus_dir = Path(corpus_dir)
    names = {"train": "synth/train.jsonl", "dev": "synth/dev.jsonl", "test": "synth/test.jsonl",
             "seeds": "seeds.jsonl"}
    return {k: corpus_dir / v for k, v in names.items() if (corpus_dir / v).is_file()}


# ---------------------------------------------------------------- training


def _sentence_f1(nlp, sentences: list[Sentence], batch_size: int = 256) -> float:
    tp = fp = fn = 0
    docs = nlp.pipe((s.text for s in sentences), batch_size=batch_size)
    for s, doc in zip(sentences, docs):
        gold = {(a, b, lab) for a, b, lab in s.ents}
        pred = {(e.start_char, e.end_char, e.label_) for e in doc.ents}
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
    return 2 * tp / max(2 * tp + fp + fn, 1)


def train(corpus_dir: Path | str, out_dir: Path | str, config: dict[str, Any] | Path | str | None = None,
          log=print) -> dict[str, Any]:
    """Train the spaCy extractor on ``corpus_dir`` and save it in ``out_dir``; returns metrics.

    Deterministic: fixed seeds for data sampling, shuffling and weight init.
    Dev F1 (span, exact) after each epoch picks the weights that are kept.
    """
    spacy = import_spacy()
    from spacy.util import fix_random_seed, minibatch

    from nlp.persist import corpus_hash, write_meta

    settings = config if isinstance(config, dict) else load_config(config)
    if settings.get("backend", "spacy") == "transformers":
        from nlp.extract_trf import train as train_trf
        return train_trf(corpus_dir, out_dir, settings, log=log)
    corpus_dir, out_dir = Path(corpus_dir), Path(out_dir)
    files = corpus_files(corpus_dir)
    if "train" not in files and "seeds" not in files:
        raise CorpusError(str(corpus_dir), "no synth/train.jsonl or seeds.jsonl to train on")
    tr = settings["train"]
    seed = int(settings.get("seed", 0))
    fix_random_seed(seed)
    rng = random.Random(seed)

    train_records = _load_split(corpus_dir, "synth/train.jsonl") or _load_split(corpus_dir, "seeds.jsonl")
    dev_records = _load_split(corpus_dir, "synth/dev.jsonl")
    train_sents, train_stats = corpus_sentences(train_records, tr["negative_rate"], rng,
                                                tr.get("max_sentences"))
    extra = augment(train_sents, random.Random(seed + 2), float(tr.get("augment_rate", 0.0)))
    train_stats["augmented"] = len(extra)
    train_sents = train_sents + extra
    dev_sents, _ = corpus_sentences(dev_records, 1.0, random.Random(seed + 1),
                                    tr.get("max_dev_sentences"))
    nlp = make_nlp(settings)
    examples, misaligned = _examples(nlp, train_sents)
    log(f"train sentences: {train_stats}, misaligned spans: {misaligned}; dev sentences: {len(dev_sents)}")
    optimizer = nlp.initialize(lambda: examples[:2000])
    optimizer.learn_rate = float(tr["learn_rate"])
    best, best_bytes, stale, history = -1.0, None, 0, []
    started = time.perf_counter()
    for epoch in range(int(tr["max_epochs"])):
        order = list(range(len(examples)))
        random.Random(seed + epoch).shuffle(order)
        losses: dict[str, float] = {}
        for batch in minibatch([examples[i] for i in order], size=int(tr["batch_size"])):
            nlp.update(batch, drop=float(tr["dropout"]), sgd=optimizer, losses=losses)
        score = _sentence_f1(nlp, dev_sents) if dev_sents else _sentence_f1(nlp, train_sents[:1000])
        history.append({"epoch": epoch + 1, "loss": round(float(losses.get("ner", 0.0)), 2),
                        "dev_f1": round(float(score), 4), "seconds": round(time.perf_counter() - started, 1)})
        log(f"epoch {epoch + 1}: {history[-1]}")
        if score > best:
            best, best_bytes, stale = score, nlp.to_bytes(), 0
            if score >= float(tr.get("stop_at", 1.01)):
                break  # dev cannot tell better weights apart any more
        else:
            stale += 1
            if stale >= int(tr["patience"]):
                break
    nlp.from_bytes(best_bytes)

    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.rglob("*"):
        if old.is_file():
            old.unlink()
    nlp.to_disk(out_dir, exclude=["meta.json"])  # meta.json is our card
    meta = write_meta(out_dir, KIND, backend="spacy", corpus_hash=corpus_hash(list(files.values())),
                      corpus_files=sorted(str(p.relative_to(corpus_dir)) for p in files.values()),
                      settings=settings, training={"sentences": train_stats, "misaligned": misaligned,
                                                   "history": history, "best_dev_f1": round(best, 4)},
                      **spacy_meta(nlp, list(FACT_LABELS)))
    metrics = evaluate_model(out_dir, corpus_dir)
    from nlp.persist import update_meta
    update_meta(out_dir, metrics=metrics)
    meta["metrics"] = metrics
    return metrics


def evaluate_model(model_dir: Path | str, corpus_dir: Path | str, realdev: Path | str | None = None,
                   baselines: bool = False) -> dict[str, Any]:
    """Span/value metrics of a saved extractor on every evaluation set that exists."""
    from nlp.evaluate.facts import evaluate_extractor

    extractor = load_extractor(model_dir)
    sets = {name: _load_split(Path(corpus_dir), rel) for name, rel in
            (("synth_dev", "synth/dev.jsonl"), ("synth_test", "synth/test.jsonl"), ("seeds", "seeds.jsonl"))}
    if realdev is None:
        default = Path(corpus_dir).resolve().parent.parent / "shared" / "realdev" / "realdev.jsonl"
        realdev = default if default.is_file() else None
    if realdev is not None and Path(realdev).is_file():
        sets["realdev"] = _load_split(Path(realdev).parent, Path(realdev).name)
    out = {name: evaluate_extractor(extractor, recs) for name, recs in sets.items() if recs}
    if baselines:
        out["baselines"] = {name: baseline_metrics(recs[:200]) for name, recs in sets.items() if recs}
    return out


def baseline_metrics(records: list[Record]) -> dict[str, Any]:
    """The rule and Recognizers-Text baselines on the same records (whichever import)."""
    from nlp.evaluate.facts import evaluate_extractor

    from nlp.baselines import RecognizersExtractor, RuleExtractor

    runners = {"rule": RuleExtractor()}
    if RecognizersExtractor.available():
        runners["recognizers"] = RecognizersExtractor()
    return {name: evaluate_extractor(r, records) for name, r in runners.items()}


# ---------------------------------------------------------------- inference


_NEGATION = re.compile(r"[未无没零〇不]")


def fact_from_span(text: str, start: int, end: int, label: str, confidence: float | None) -> Fact | None:
    """Build a Fact with value/unit/approx from the span; None when no value can be read
    (a zero claim needs a word that says none: every gold ZERO span has one).

    >>> fact_from_span("无行政复议", 0, 5, "ZERO", None).value
    0
    >>> fact_from_span("公安局110接处警等信息", 3, 12, "ZERO", None) is None
    True
    """
    from nlp.numbers import parse_quantity

    span = text[start:end]
    if label == "ZERO":
        if not _NEGATION.search(span):
            return None
        return Fact(start, end, span, label, 0, None, False, None, confidence)
    try:
        q = parse_quantity(span, before=text[max(0, start - 4):start], after=text[end:end + 3])
    except ValueError:
        return None
    return Fact(start, end, span, label, q.value, q.unit or None, q.approx, None, confidence)


class Extractor:
    """A loaded spaCy extractor: ``extract(text, spans)`` → facts with values and confidence."""

    def __init__(self, nlp, meta: dict[str, Any]):
        self.nlp = nlp
        self.meta = meta
        inf = (meta.get("settings") or {}).get("inference", {})
        self.batch_size = int(inf.get("batch_size", 256))
        self.confidence = str(inf.get("confidence", "softmax"))
        self.piece_chars = int(inf.get("piece_chars", 0))
        self.piece_context = int(inf.get("piece_context", 6))
        self.ner = nlp.get_pipe("ner")
        self.decoder = GreedyDecoder(self.ner)

    def _predict(self, texts: list[str]) -> list[list[tuple[int, int, str, float]]]:
        """Greedy NER entities (char offsets), each with a confidence."""
        out = []
        own_words = isinstance(self.nlp.tokenizer, DigitTokenizer)  # no Docs needed
        for i in range(0, len(texts), self.batch_size):
            batch = texts[i:i + self.batch_size]
            out.extend(self.decoder.decode_words([tokenize_words(t) for t in batch]) if own_words
                       else self.decoder([self.nlp.make_doc(t) for t in batch]))
        if self.confidence != "softmax":
            out = [[(a, b, label, 1.0) for a, b, label, _c in ents] for ents in out]
        return out

    def extract(self, text: str, spans: list[tuple[int, int]] | None = None) -> list[Fact]:
        """Facts in ``text`` (only inside ``spans`` when given; default: non-table lines)."""
        return self.extract_batch([(text, spans)])[0]

    def extract_batch(self, items: list[tuple[str, list[tuple[int, int]] | None]]) -> list[list[Fact]]:
        """:meth:`extract` for several documents in one network call: the network's fixed
        cost per call is shared by every sentence of a batch."""
        pieces = [(k, p) for k, (text, spans) in enumerate(items) for p in self._pieces(text, spans)]
        preds = self._predict([fold_width(items[k][0][c:d]) for k, (_a, _b, c, d) in pieces])
        facts: list[list[Fact]] = [[] for _ in items]
        for (k, (own_start, own_end, c, _d)), ents in zip(pieces, preds):
            for s, e, label, conf in ents:
                if own_start <= c + s < own_end:
                    fact = fact_from_span(items[k][0], c + s, c + e, label, conf)
                    if fact is not None:
                        facts[k].append(fact)
        return facts

    def _pieces(self, text: str, spans: list[tuple[int, int]] | None) -> list[tuple[int, int, int, int]]:
        """The candidate sentences of ``text`` (inside ``spans``), cut into clause pieces."""
        ranges = narrative_spans(text) if spans is None else spans
        # no candidate match holds a comma, so testing each piece's own part tests the sentence
        return [p for a, b in sentence_spans(text, ranges)
                for p in clause_pieces(text, a, b, self.piece_chars, self.piece_context)
                if is_candidate(text[p[0]:p[1]])]


def load_extractor(model_dir: Path | str) -> Any:
    """Load a shipped extractor (spaCy or transformers backend), checking its card and hashes."""
    from nlp.persist import read_meta

    model_dir = Path(model_dir)
    meta = read_meta(model_dir, KIND)
    if meta.get("backend") == "transformers":
        from nlp.extract_trf import TrfExtractor
        return TrfExtractor.load(model_dir, meta)
    _register_tokenizer()
    try:
        nlp = make_nlp(meta["settings"])
        nlp.from_disk(model_dir, exclude=["tokenizer", "meta.json"])
    except (OSError, ValueError, KeyError) as err:
        raise ModelError(str(model_dir), f"cannot load the spaCy extractor ({err}); retrain it with "
                                         f"`govreport train extractor --out {model_dir}`") from None
    return Extractor(nlp, meta)
