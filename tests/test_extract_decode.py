"""The numpy greedy decoder makes spaCy's decisions and reads its scores."""

from __future__ import annotations

import numpy
import pytest

from nlp.component import load
from nlp.extract import fold_width, prose_spans
from nlp.types import Record

from conftest import MODELS, ROOT, SEED_GOLD

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


def test_batching_does_not_change_decisions(extractor, pieces):
    sample = pieces[:120]
    alone = [extractor.decoder([extractor.nlp.make_doc(t)])[0] for t in sample]
    together = extractor.decoder([extractor.nlp.make_doc(t) for t in sample])
    assert [[e[:3] for e in ents] for ents in alone] == [[e[:3] for e in ents] for ents in together]


def test_edge_inputs(extractor):
    make = extractor.nlp.make_doc
    assert extractor.decoder([]) == []
    assert extractor.decoder([make(""), make(" ")]) == [[], []]
    # an entity may end on the very last token; none starts on a space
    (ents,) = extractor.decoder([make("共收到申请12件")])
    assert [(a, b, label) for a, b, label, _c in ents] == [(5, 8, "COUNT")]


def test_words_decode_as_their_docs(extractor, pieces):
    """Decoding words through the per-word feature cache gives exactly what decoding the
    spaCy Docs of those words gives: spans and confidences."""
    from nlp.extract.spacy import tokenize_words

    words = [tokenize_words(t) for t in pieces]
    assert extractor.decoder.decode_words(words) == extractor.decoder([extractor.nlp.make_doc(t) for t in pieces])
    assert extractor.decoder.decode_words([]) == [] and extractor.decoder.decode_words([[], [" "]]) == [[], []]
