"""The numpy network and greedy decoder make spaCy's decisions and read its scores,
without spaCy: the hashes, the lexeme strings, every layer and the decisions are compared
with spaCy's and thinc's own."""

from __future__ import annotations

import numpy
import pytest

from nlp.component import load
from nlp.extract import fold_width, prose_spans
from nlp.types import Record

from conftest import MODELS, ROOT, SEED_GOLD, SEEDS_DIR

MODEL = MODELS / "extractor"


@pytest.fixture(scope="module")
def extractor():
    return load("extractor", MODEL)


@pytest.fixture(scope="module")
def pieces(extractor) -> list[str]:
    """What the extractor feeds its network: seed reports and 40 synthetic test reports."""
    lines = SEED_GOLD.read_text(encoding="utf-8").splitlines()
    lines += (ROOT / "corpus" / "synth" / "test.jsonl").read_text(encoding="utf-8").splitlines()[:40]
    texts = [Record.from_json(line).text for line in lines if line.strip()]
    return [fold_width(t[c:d]) for t in texts for _a, _b, c, d in extractor._pieces(t, prose_spans(t))]


def _step_by_step(ner, docs) -> list[list[tuple[int, int, str, float]]]:
    """The reference: spaCy's own state machine stepped as a width-1 beam, reading the
    softmax of the scores it decides on at every token."""
    from spacy.pipeline._parser_internals import _beam_utils

    index = {id(doc): k for k, doc in enumerate(docs)}
    conf = [numpy.ones(len(doc) + 1) for doc in docs]
    batch = _beam_utils.BeamBatch(ner.moves, ner.moves.init_batch(docs), None, 1)
    model = ner.model.predict(docs)
    while not batch.is_done:
        states = batch.get_unfinished_states()
        if not states:
            break
        scores = model.predict(states)
        exp = numpy.exp(scores - scores.max(axis=1, keepdims=True))
        for state, p in zip(states, (exp / exp.sum(axis=1, keepdims=True)).max(axis=1)):
            conf[index[id(state.doc)]][state.B(0)] = p
        batch.advance(scores)
    out = []
    for k, beam in enumerate(batch):
        doc, parses = docs[k], ner.moves.get_beam_parses(beam)
        ents = max(parses, key=lambda x: x[0])[1] if parses else []
        out.append([(doc[s:e].start_char, doc[s:e].end_char, lab, round(float(conf[k][s:e + 1].min()), 4))
                    for s, e, lab in sorted(ents)])
    return out


def test_same_spans_as_spacy_greedy_parser(extractor, pieces):
    assert len(pieces) > 500
    ours = extractor._predict(pieces)
    theirs = [[(e.start_char, e.end_char, e.label_) for e in doc.ents]
              for doc in extractor.ner.pipe(extractor.nlp.make_doc(t) for t in pieces)]
    assert sum(map(len, theirs)) > 300  # facts, not only empty sentences
    assert [[e[:3] for e in ents] for ents in ours] == theirs


def test_same_confidences_as_stepping_spacys_states(extractor, pieces):
    sample = pieces[:300]
    ours = extractor._predict(sample)
    reference = _step_by_step(extractor.ner, [extractor.nlp.make_doc(t) for t in sample])
    assert [[e[:3] for e in ents] for ents in ours] == [[e[:3] for e in ents] for ents in reference]
    gaps = [abs(a[3] - b[3]) for x, y in zip(ours, reference) for a, b in zip(x, y)]
    assert gaps and max(gaps) <= 1e-4
    assert any(c[3] < 0.99 for ents in ours for c in ents)  # the scores are read, not constant


def _words(pieces):
    from nlp.extract.spacy import tokenize_words
    return [tokenize_words(t) for t in pieces]


def test_batching_does_not_change_decisions(extractor, pieces):
    words = _words(pieces[:120])
    alone = [extractor.decoder.decode_words([w])[0] for w in words]
    together = extractor.decoder.decode_words(words)
    assert alone == together


def test_edge_inputs(extractor):
    decode = extractor.decoder.decode_words
    assert decode([]) == [] and decode([[], [" "]]) == [[], []]
    # an entity may end on the very last token; none starts on a space
    (ents,) = decode(_words(["共收到申请12件"]))
    assert [(a, b, label) for a, b, label, _c in ents] == [(5, 8, "COUNT")]
    # words with offsets (a tokenizer that keeps spaces apart) shift the spans
    (ents,) = decode([["共", "收", "到", "12", "件"]], [[0, 1, 2, 4, 6]])
    assert [(a, b) for a, b, _label, _c in ents] == [(4, 7)]


def test_network_equals_spacys_layers(extractor, pieces):
    """The numpy forward pass gives the feature-slot pre-activations spaCy's own layers
    give on the same Docs (thinc on numpy's BLAS, as the old decoder ran it), to float32
    rounding: numpy 2.4 sums some products in another order than 2.3 did (differences of
    1e-5 on values up to 50). The decisions and confidences built on them are compared
    exactly by the tests above."""
    from spacy.tokens import Doc
    from thinc.api import NumpyOps

    words = _words(pieces[:200])
    ner = extractor.ner
    for layer in ner.model.walk():
        layer.ops = NumpyOps(use_blis=False)
    docs = [Doc(ner.vocab, words=w, spaces=[False] * len(w)) for w in words]
    theirs = ner.model.get_ref("lower").predict(ner.model.get_ref("tok2vec").predict(docs))
    ours = extractor.network.token_features(words)
    assert ours.shape == theirs.shape and ours.shape[0] > 3000
    assert numpy.allclose(ours, theirs, rtol=1e-6, atol=1e-4)
    assert numpy.abs(ours - theirs).max() < 1e-4  # rounding, not a different computation


def test_lexeme_ids_equal_spacys(extractor, pieces):
    """A word's four feature ids — norm, prefix, suffix, shape hashed as spaCy's string
    store does, reserved symbols and norm exceptions included — are spaCy's."""
    from spacy.tokens import Doc

    net = extractor.network
    words = sorted({w for ws in _words(pieces) for w in ws} | {"NUMBER", "number", "。", "“", "İ", "x" * 120, "Det"})
    doc = Doc(extractor.ner.vocab, words=words, spaces=[False] * len(words))
    theirs = doc.to_array(list(net.columns)).astype(numpy.uint64)
    ours = numpy.array([[net._string_id(s) for s in net._strings(w)] for w in words], dtype=numpy.uint64)
    assert len(words) > 300 and numpy.array_equal(ours, theirs)


def test_hashes_equal_thincs_and_spacys():
    import random

    from spacy.strings import hash_string
    from thinc.api import NumpyOps

    from nlp.extract.hashing import murmur3_128_uint64, murmur64a

    rng = random.Random(3)
    ids = numpy.array([rng.getrandbits(64) for _ in range(4000)] + [0, 1, 2 ** 64 - 1], dtype=numpy.uint64)
    for seed in (0, 8, 11, 2 ** 31 + 5):
        assert numpy.array_equal(murmur3_128_uint64(ids, seed), NumpyOps().hash(ids, seed))
    texts = ["".join(rng.choice("0123456789.,人次件条ABcxé—") for _ in range(rng.randint(1, 30))) for _ in range(2000)]
    assert all(murmur64a(t.encode()) == hash_string(t) for t in texts)


def test_shipped_extractor_loads_without_spacy():
    """The shipped model runs on its exported network: a check never imports spaCy."""
    import subprocess
    import sys

    code = ("import sys; from nlp.component import load; from nlp.pipeline import Pipeline; "
            f"p = Pipeline.load(); r = p.process({str(sorted(SEEDS_DIR.glob('*.txt'))[0])!r}, 'x'); "
            "print(len(r.facts), 'spacy' in sys.modules, 'thinc' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    facts, spacy_loaded, thinc_loaded = out.stdout.split()
    assert int(facts) >= 1 and spacy_loaded == "False" and thinc_loaded == "False"


def test_folder_without_network_loads_through_spacy(extractor, pieces, tmp_path):
    """A model saved before the export existed still loads (its network exported from
    spaCy at load time) and decides the same; saving it again writes the network."""
    import shutil

    from nlp.extract.network import FILES
    from nlp.persist import write_meta

    old = tmp_path / "old"
    shutil.copytree(MODEL, old)
    for name in FILES:
        (old / name).unlink()
    meta = {k: v for k, v in extractor.meta.items() if k not in ("kind", "toolkit_version", "compatible", "files")}
    write_meta(old, "extractor", **meta)
    reloaded = load("extractor", old)
    assert reloaded._predict(pieces[:150]) == extractor._predict(pieces[:150])
    reloaded.save(tmp_path / "new")
    assert all((tmp_path / "new" / name).is_file() for name in FILES)
    assert load("extractor", tmp_path / "new")._predict(pieces[:150]) == extractor._predict(pieces[:150])
