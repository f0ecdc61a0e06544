"""Numeric facts in the narrative: a spaCy NER trained from a blank ``zh`` pipeline.

The model tags four labels — COUNT, MONEY, PERCENT, ZERO (see annotation.md) — and
exists to tell facts from the numbers that are not facts (years, dates, document
numbers, phone numbers, ordinals, numbers inside 《》 titles, 12345热线), which a
number+unit regex cannot.  Values, units and approx flags come from
``nlp.numbers.parse_quantity`` on the predicted span; ZERO facts get value 0.

Speed: only sentences that can hold a fact (a digit, a Chinese numeral before a
unit-like character, or a negation word) go through the network, in batches; long ones
are cut at commas into pieces read with a little context either side
(``inference.piece_chars``), and only the pieces that can hold a fact are read
(``nlp.extract.text``).  ``pipe`` reads the sentences of many documents in one call.
Decoding is done in numpy (``nlp.extract.decode``) at a cost per token, not per step.

Tokenizer: ``DigitTokenizer`` keeps ASCII digit runs (with inner ``.``/``,``) and
Latin words whole and splits everything else per character, so "3.469万余人次" is
``3.469 万 余 人 次``.  It is built in code at load time (registered under
``govreport.digit_tokenizer.v1``) and serializes only a small JSON settings file,
so loading a model never unpickles anything.

Confidence (``inference.confidence: softmax``, default): decoding is greedy — the
same decisions as ``ner.pipe`` — done in numpy (``nlp.extract.decode``) so the
transition scores can be read; a fact's confidence is the lowest softmax probability
of the chosen-best transition over its tokens and the token after it (a proxy, not a
calibrated probability: it flags spans where the model hesitated).  ``none`` gives 1.0.
(A real beam's marginals were tried: beam decoding of this greedily trained model
lost accuracy, and running greedy plus a beam doubled the cost.)
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Sequence

import numpy

from nlp.chars import is_ideograph
from nlp.component import Base, Work
from nlp.errors import ModelError
from nlp.extract.decode import GreedyDecoder
from nlp.extract.network import FILES as FILES_OF_NETWORK
from nlp.extract.network import Network
from nlp.extract.text import (clause_pieces, fact_from_span, fold_width, is_candidate, mask_thresholds,
                              sentence_spans, with_list_siblings, with_thing_counts)
from nlp.types import FACT_LABELS, Fact

__all__ = ["Extractor", "DigitTokenizer", "tokenize_words", "import_spacy", "create_digit_tokenizer",
           "register_tokenizer", "make_nlp", "spacy_meta", "TOKENIZER_NAME", "KIND"]

KIND = "extractor"
TOKENIZER_NAME = "govreport.digit_tokenizer.v1"


# ---------------------------------------------------------------- tokenizer

_TOKEN_RE = re.compile(r"[0-9]+(?:[.,][0-9]+)*|[A-Za-z]+|.", re.S)

# The network never saw a figure as a sentence's first word (14件申请已全部办结。): its
# training sentences open with words, and it tags few figures with nothing on their left.
# A piece that opens with a digit is read after a comma, where its training put such
# clauses (…，14件已全部办结): 16 of 17 probes found against 7 bare (9 after a 。).
_LEAD = "\uff0c"


_CLAUSE_WORDS = 4  # ideographs after the figure that make a clause, not a table cell (24.5万元 |)


def _led(piece: str) -> tuple[str, int]:
    """The network's input for a piece, and how many characters were put before it."""
    if piece[:1].isdigit() and sum(map(is_ideograph, piece)) >= _CLAUSE_WORDS + 1:
        return _LEAD + piece, len(_LEAD)
    return piece, 0


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


# ---------------------------------------------------------------- pipeline


def _ner_config(model: dict[str, Any]) -> dict[str, Any]:
    return {"model": {
        "@architectures": "spacy.TransitionBasedParser.v2", "state_type": "ner",
        "extra_state_tokens": False, "hidden_width": model["hidden_width"],
        "maxout_pieces": model["maxout_pieces"], "use_upper": True, "nO": None,
        "tok2vec": {"@architectures": "spacy.HashEmbedCNN.v2", "pretrained_vectors": None,
                    "width": model["width"], "depth": model["depth"],
                    "embed_size": model["embed_size"], "window_size": model["window_size"],
                    "maxout_pieces": 3, "subword_features": True}}}


def tokenizer_of(settings: dict[str, Any]) -> str:
    """The tokenizer a model's settings name: ``model.tokenizer``; cards written before the
    one settings schema keep it at the top.

    >>> tokenizer_of({"model": {"tokenizer": "char"}}), tokenizer_of({"tokenizer": "char"}), tokenizer_of({})
    ('char', 'char', 'digits')
    """
    return (settings.get("model") or {}).get("tokenizer") or settings.get("tokenizer", "digits")


def make_nlp(settings: dict[str, Any]):
    """A blank zh pipeline with the configured tokenizer and an untrained NER."""
    spacy = import_spacy()

    register_tokenizer()
    if tokenizer_of(settings) == "digits":
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}})
    else:
        nlp = spacy.blank("zh")
    ner = nlp.add_pipe("ner", config=_ner_config(settings["model"]))
    for label in FACT_LABELS:
        ner.add_label(label)
    return nlp


def _load_nlp(model_dir: Path | None, meta: dict[str, Any]):
    """The spaCy pipeline saved in ``model_dir``."""
    if model_dir is None:
        raise ModelError("extractor", "no spaCy pipeline: the extractor was built from a network alone")
    register_tokenizer()
    try:
        nlp = make_nlp(meta["settings"])
        nlp.from_disk(model_dir, exclude=["tokenizer", "meta.json", *FILES_OF_NETWORK])
    except (OSError, ValueError, KeyError) as err:
        raise ModelError(str(model_dir), f"cannot load the spaCy extractor ({err}); retrain it with "
                                         f"`govreport train extractor --out {model_dir}`") from None
    return nlp


# ---------------------------------------------------------------- the network, for numpy


def export_network(ner) -> Network:
    """The NER's weights and settings as a :class:`~nlp.extract.network.Network`, which
    runs without spaCy.  Only the architecture :func:`make_nlp` builds is understood
    (``HashEmbedCNN`` tok2vec, ``TransitionBasedParser``); anything else is a
    :class:`ModelError` rather than a network that would decide differently."""
    from spacy.lang.norm_exceptions import BASE_NORMS
    from spacy.symbols import IDS

    model = ner.model
    tok2vec = model.get_ref("tok2vec")
    found: dict[str, list] = {}
    _collect(tok2vec, found)
    embeds, maxouts, norms = found.get("hashembed", []), found.get("maxout", []), found.get("layernorm", [])
    windows, linears = found.get("expand_window", []), found.get("linear", [])
    columns = found.get("extract_features", [None])[0]
    if not (columns and len(embeds) == len(columns.attrs["columns"]) and len(maxouts) == len(norms) == len(windows) + 1
            and len(linears) == 1 and len({w.attrs["window_size"] for w in windows}) <= 1):
        raise ModelError("extractor", "its network is not the architecture the numpy decoder knows "
                                      "(HashEmbedCNN, then a linear projection)")
    arrays = {}
    for c, layer in enumerate(embeds):
        arrays[f"embed.{c}.E"] = layer.get_param("E")
    names = ["embed.mix"] + [f"encode.{k}" for k in range(len(windows))]
    for name, maxout, norm in zip(names, maxouts, norms):
        arrays[name + ".W"], arrays[name + ".b"] = maxout.get_param("W"), maxout.get_param("b")
        arrays[name + ".G"], arrays[name + ".g_b"] = norm.get_param("G"), norm.get_param("b")
    arrays["project.W"], arrays["project.b"] = linears[0].get_param("W"), linears[0].get_param("b")
    lower, upper = model.get_ref("lower"), model.get_ref("upper")
    arrays["lower.W"], arrays["lower.b"], arrays["lower.pad"] = (lower.get_param(p) for p in ("W", "b", "pad"))
    arrays["upper.W"], arrays["upper.b"] = upper.get_param("W"), upper.get_param("b")
    pads = [layer.attrs["pad"] for layer in found.get("with_array", []) if _holds(layer, "expand_window")]
    spec = {"columns": list(columns.attrs["columns"]), "seeds": [int(e.attrs["seed"]) for e in embeds],
            "depth": len(windows), "window": int(windows[0].attrs["window_size"]) if windows else 0,
            "pad": int(pads[0]) if pads else 0,
            "moves": [ner.moves.get_class_name(i) for i in range(ner.moves.n_moves)],
            "unseen_moves": sorted(int(c) for c in model.attrs.get("unseen_classes", ())),
            # strings spaCy gives fixed small ids instead of their hashes (attribute names,
            # tags, and some plain words such as "number")
            "symbols": {name: int(i) for name, i in IDS.items() if name},
            # a word's norm is its lower case, except these (full-width punctuation, quotes…)
            "norms": dict(BASE_NORMS) | dict(ner.vocab.lookups.get_table("lexeme_norm", {}))}
    return Network(spec, {k: numpy.ascontiguousarray(v, dtype=numpy.float32) for k, v in arrays.items()})


def _collect(layer, found: dict[str, list]) -> None:
    """The layers under ``layer`` by name, in the order they run (depth first)."""
    found.setdefault(layer.name.split("(")[0], []).append(layer)
    for sub in layer.layers:
        _collect(sub, found)


def _holds(layer, name: str) -> bool:
    return layer.name == name or any(_holds(sub, name) for sub in layer.layers)


# ---------------------------------------------------------------- the component


class Extractor(Base):
    """The spaCy extractor: ``extractor(work)`` → the facts inside ``work.spans`` with
    values and confidence; ``pipe(works)`` reads every document's sentences in one
    network call (its fixed cost per call is shared by every sentence of a batch).

    Inference runs the exported network in numpy (:mod:`nlp.extract.network`); the spaCy
    pipeline itself (``nlp``, ``ner``) is loaded only when asked for — to save the model,
    to compare with spaCy, or for a model folder saved before the export existed."""

    stage = "extractor"
    backend = "spacy"

    def __init__(self, meta: dict[str, Any], network: Network, nlp=None, model_dir: Path | None = None):
        self.meta = meta
        self.network = network
        self._nlp = nlp
        self._model_dir = model_dir
        inf = (meta.get("settings") or {}).get("inference", {})
        self.batch_size = int(inf.get("batch_size", 256))
        self.confidence = str(inf.get("confidence", "softmax"))
        self.piece_chars = int(inf.get("piece_chars", 0))
        self.piece_context = int(inf.get("piece_context", 6))
        self.tokenizer = tokenizer_of(meta.get("settings") or {})
        self.decoder = GreedyDecoder(network)

    @classmethod
    def from_nlp(cls, nlp, meta: dict[str, Any]) -> Extractor:
        """A trained spaCy pipeline as an extractor (its network exported for numpy)."""
        return cls(meta, export_network(nlp.get_pipe("ner")), nlp=nlp)

    @classmethod
    def load(cls, model_dir: Path | str) -> Extractor:
        """A saved spaCy extractor, its card and file hashes checked.  spaCy is imported
        only when the folder holds no exported network (a model saved before it)."""
        from nlp.persist import read_meta

        model_dir = Path(model_dir)
        meta = read_meta(model_dir, KIND)
        if Network.exists(model_dir):
            try:
                network = Network.load(model_dir)
            except (OSError, ValueError, KeyError) as err:
                raise ModelError(str(model_dir), f"cannot load the extractor's network ({err}); retrain it with "
                                                 f"`govreport train extractor --out {model_dir}`") from None
            return cls(meta, network, model_dir=model_dir)
        return cls.from_nlp(_load_nlp(model_dir, meta), meta)

    @property
    def nlp(self):
        """The spaCy pipeline (loaded from the model folder on first use)."""
        if self._nlp is None:
            self._nlp = _load_nlp(self._model_dir, self.meta)
        return self._nlp

    @property
    def ner(self):
        return self.nlp.get_pipe("ner")

    def save(self, model_dir: Path | str) -> None:
        """The pipeline's files, the exported network and the card (``meta.json``, file
        hashes renewed)."""
        from nlp.persist import write_meta

        model_dir = Path(model_dir)
        nlp = self.nlp  # read before the folder is cleared: it may be the folder loaded from
        model_dir.mkdir(parents=True, exist_ok=True)
        for old in model_dir.rglob("*"):  # an older model's files would fail the hash check
            if old.is_file():
                old.unlink()
        nlp.to_disk(model_dir, exclude=["meta.json"])  # meta.json is our card
        self.network.save(model_dir)
        fields = {k: v for k, v in self.meta.items() if k not in ("kind", "toolkit_version", "compatible", "files")}
        self.meta = write_meta(model_dir, KIND, **{"backend": self.backend, **fields})
        self._model_dir = model_dir

    def _predict(self, texts: list[str]) -> list[list[tuple[int, int, str, float]]]:
        """Greedy NER entities (char offsets), each with a confidence."""
        out = []
        for i in range(0, len(texts), self.batch_size):
            batch = texts[i:i + self.batch_size]
            if self.tokenizer == "digits":
                out.extend(self.decoder.decode_words([tokenize_words(t) for t in batch]))
            else:  # spaCy's own tokenizer: words with their offsets
                docs = [self.nlp.make_doc(t) for t in batch]
                out.extend(self.decoder.decode_words([[t.text for t in d] for d in docs],
                                                     [[t.idx for t in d] for d in docs]))
        if self.confidence != "softmax":
            out = [[(a, b, label, 1.0) for a, b, label, _c in ents] for ents in out]
        return out

    def __call__(self, work: Work) -> list[Fact]:
        """The facts inside ``work.spans`` (none when there are none)."""
        return self.pipe([work])[0]

    def pipe(self, works: Sequence[Work]) -> list[list[Fact]]:
        """The facts of several documents in one network call."""
        items = [(w.text, w.spans) for w in works]
        pieces = [(k, p) for k, (text, spans) in enumerate(items) for p in self._pieces(text, spans)]
        inputs = [_led(mask_thresholds(fold_width(items[k][0][c:d]))) for k, (_a, _b, c, d) in pieces]
        preds = self._predict([text for text, _lead in inputs])
        facts: list[list[Fact]] = [[] for _ in items]
        for (k, (own_start, own_end, c, _d)), (_text, lead), ents in zip(pieces, inputs, preds):
            for s, e, label, conf in ents:
                s, e = s - lead, e - lead
                if own_start <= c + s < own_end and s >= 0:
                    fact = fact_from_span(items[k][0], c + s, c + e, label, conf)
                    if fact is not None:
                        facts[k].append(fact)
        return [with_thing_counts(text, spans, with_list_siblings(text, found))
                for (text, spans), found in zip(items, facts)]

    def _pieces(self, text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
        """The candidate sentences of ``text`` inside ``spans``, cut into clause pieces."""
        # no candidate match holds a comma, so testing each piece's own part tests the sentence
        return [p for a, b in sentence_spans(text, spans)
                for p in clause_pieces(text, a, b, self.piece_chars, self.piece_context)
                if is_candidate(text[p[0]:p[1]])]
