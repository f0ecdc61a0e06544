"""The language is data: the value parser reads every qualifier and unit as the lexicon
says (nlp/data/lexicon/qualifiers.yaml, units.yaml, numerals.yaml), and the reconciler's
tolerance is the lexicon's ``Qualifier.bounds`` — one table, no drift (issue 17: the
parser read 不到100件 as at most 100 while the reconciler saw no qualifier at all)."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp import lexicon, numbers
from nlp.numbers import parse_number, parse_quantity

QUALIFIERS = lexicon.qualifiers()


def _written(q: lexicon.Qualifier, figure: str = "100", unit: str = "件"):
    """The figure written with the qualifier where the word sits."""
    if q.position == "before":
        return parse_quantity(figure + unit, before="共" + q.word)
    if q.position == "inside":
        return parse_quantity(figure + q.word + unit)
    return parse_quantity(figure + unit, after=q.word + "。")


@pytest.mark.parametrize("q", QUALIFIERS, ids=[f"{q.position}-{q.word}" for q in QUALIFIERS])
def test_the_parser_reads_every_qualifier_as_the_lexicon_says(q):
    got = _written(q)
    assert got.value == 100 and got.unit == "件"
    assert got.approx is q.approximate
    assert got.direction == (q.direction if q.approximate else None)
    assert got.qualifier == q and got.kind == q.kind


@pytest.mark.parametrize("q", [q for q in QUALIFIERS if q.position == "before"],
                         ids=[q.word for q in QUALIFIERS if q.position == "before"])
def test_a_qualifier_inside_the_span_reads_as_one_before_it(q):
    got = parse_quantity(q.word + "100件")
    assert (got.approx, got.kind) == (q.approximate, q.kind)


def test_not_quite_a_hundred_is_at_most_a_hundred():
    """不到100件: the drift of issue 17 — below 100 by any amount, so 60 is consistent."""
    got = parse_quantity("100件", before="不到")
    assert (got.value, got.approx, got.direction, got.kind) == (100, True, "at_most", "below")
    assert got.qualifier.allows(100, 60) and not got.qualifier.allows(100, 101)


def test_units_are_the_lexicons():
    assert set(numbers.UNITS) == set(lexicon.units().all)
    assert numbers.MONEY_UNITS == lexicon.units().money
    scale = lexicon.load("numerals")["multipliers"]
    for unit in lexicon.units().all:
        got = parse_quantity("12" + unit)
        if unit[0] in scale and unit[1:] in lexicon.units().all and unit not in lexicon.units().money:  # 12万字: 120000 字
            assert (got.value, got.unit) == (12 * scale[unit[0]], unit[1:]), unit
        else:
            assert (got.value, got.unit) == (12, unit), unit


def test_numerals_are_the_lexicons():
    data = lexicon.load("numerals")
    for value, chars in data["digits"].items():
        for ch in chars:
            if ch.isascii() or ch == "Ｏ":  # folded to ASCII before reading
                continue
            assert parse_number(ch) == value, ch
    for value, chars in data["places"].items():
        assert all(parse_number("一" + ch) == value for ch in chars)
    for value, chars in data["sections"].items():
        assert all(parse_number("一" + ch) == value for ch in chars)


def _probes(figure: float) -> list[float]:
    place = lexicon.place_value(figure)
    return sorted({0, figure * 0.5, figure * 0.84, figure * 0.85, figure * 0.9, figure * 0.95, figure - 1,
                   figure, figure + 1, figure * 1.05, figure * 1.1, figure * 1.11, figure * 1.5,
                   figure + place - 1, figure + place, figure * 3})


# ---------------------------------------------------------------- the reconciler agrees
# (nlp.reconcile moves onto the lexicon's qualifiers in the linking/reconcile branch; until
# then this test fails on the extract branch: that failure is the drift it guards against.)
@pytest.mark.parametrize("q", QUALIFIERS, ids=[f"{q.position}-{q.word}" for q in QUALIFIERS])
@pytest.mark.parametrize("figure", [600, 200, 150])
def test_the_reconcilers_tolerance_is_the_lexicons_bounds(q, figure):
    from nlp.reconcile import tolerance_for

    approx = q.approximate
    tol = tolerance_for(figure, approx, q.word if approx else None)
    for true in _probes(figure):
        expected = q.allows(figure, true) if approx else true == figure
        assert tol.accepts(true) is expected, (q.word, figure, true)


def test_no_data_file_repeats_a_key():
    """YAML keeps the last of two equal keys without a word: a note or a word list written
    twice loses the first silently (tables.yaml once held two notes under one key)."""
    import yaml

    class Strict(yaml.SafeLoader):
        pass

    def mapping(loader, node, deep=False):
        keys = [loader.construct_object(k, deep=deep) for k, _ in node.value]
        repeated = {k for k in keys if keys.count(k) > 1}
        assert not repeated, f"{node.start_mark}: repeated key(s) {sorted(map(str, repeated))}"
        return loader.construct_mapping(node, deep=deep)

    Strict.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    data = Path(__file__).resolve().parent.parent / "nlp" / "data"
    for path in sorted(data.rglob("*.yaml")):
        yaml.load(path.read_text(encoding="utf-8"), Loader=Strict)
