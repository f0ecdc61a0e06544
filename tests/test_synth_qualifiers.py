"""The generator, the value parser and the lexicon agree on every qualifier the generator
writes: the true count lies within ``Qualifier.bounds`` of the written figure, and
``nlp.numbers.parse_quantity`` reads the figure back with the qualifier's direction."""

from __future__ import annotations

import random

from nlp import lexicon
from nlp.corpus.synth.narrative import APPROX, qualifiers_of, write_count
from nlp.numbers import parse_quantity

STYLE = {"cn_rate": 0.0, "comma_rate": 0.0}


def _samples(n: int = 6000):
    """(written, true value) for counts across the magnitudes the generator writes."""
    rng = random.Random(17)
    for _ in range(n):
        value = int(round(10 ** rng.uniform(1.3, 4.8)))
        yield write_count(value, "条", rng, approx_ok=True, style=STYLE), value


def _words(w) -> list[lexicon.Qualifier]:
    """The qualifiers a written figure carries, found in the text as a reader finds them."""
    found = []
    if w.before:
        found.append(lexicon.qualifier_words("before")[w.before])
    for position, where in (("inside", str.__contains__), ("after", str.endswith)):
        found += [q for q in lexicon.qualifier_words(position).values() if where(w.span, q.word)][:1]
    return found


def test_every_word_the_generator_draws_is_in_the_lexicon():
    for kind in dict.fromkeys(APPROX["draws"]):
        for q in qualifiers_of(kind):
            assert q.approximate, q


def test_written_figures_allow_the_true_count_and_parse_back_the_same_direction():
    seen: set[str] = set()
    for w, value in _samples():
        if not w.approx:
            continue
        quals = _words(w)
        assert quals, w
        for q in quals:
            seen.add(q.word)
            assert q.allows(w.value, value), (w, value, q.word, q.bounds(w.value))
        parsed = parse_quantity(w.span, before=w.before)
        assert parsed.approx and parsed.value == w.value, (w, parsed)
        # 近150余: the word inside the span is the one the parser reports
        assert parsed.direction == quals[-1].direction, (w, parsed, quals[-1])
    every = {q.word for kind in APPROX["draws"] for q in qualifiers_of(kind)}
    assert every <= seen, every - seen


def test_near_is_the_same_band_for_generator_and_lexicon():
    near = lexicon.qualifier_words("before")["近"]
    assert near.bounds(600) == (510.0, 600.0)
    for w, value in _samples(3000):
        if w.before == "近" and "余" not in w.span:
            assert 0.85 * w.value <= value <= w.value
