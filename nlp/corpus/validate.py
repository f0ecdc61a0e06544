"""Check annotation records against the format of ``spec/annotation.md``.

``validate_record`` returns one human-readable line per problem (empty list: the
record is valid), so a corpus author can fix a file line by line; it never raises on
bad content.  ``validate_file`` adds ``file:line`` context and file-level checks
(unreadable JSON, duplicate ids).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

from nlp.errors import CorpusError
from nlp.indicators import INDICATORS, composite_parts, identities_for, ids_for_template, is_composite
from nlp.types import FACT_LABELS, FINDING_TYPES, SECTIONS, TABLE_WIDE, TEMPLATES, Record, lines_of

NARRATIVE_PREFIX = "narrative."


def is_number(value: object) -> bool:
    """A plain finite JSON number (bools are not numbers here).

    >>> [is_number(x) for x in (3, 2.5, True, "3", None, float("nan"))]
    [True, True, False, False, False, False]
    """
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _span_ok(start: object, end: object, size: int) -> bool:
    return (isinstance(start, int) and isinstance(end, int) and not isinstance(start, bool)
            and not isinstance(end, bool) and 0 <= start <= end <= size)


def _check_lines(rec: Record) -> Iterator[str]:
    expected = lines_of(rec.text)
    if len(rec.lines) != len(expected):
        yield (f"lines: {len(rec.lines)} given, text has {len(expected)} lines "
               "(text.split('\\n'))")
    for i, (got, want) in enumerate(zip(rec.lines, expected)):
        if (got.start, got.end) != (want.start, want.end):
            yield (f"line {i}: offsets {got.start}-{got.end} do not cover text line "
                   f"{want.start}-{want.end}")
        if got.section not in SECTIONS:
            yield f"line {i}: unknown section {got.section!r}"
        if not isinstance(got.heading, bool):
            yield f"line {i}: heading must be true or false"
        elif got.heading and not rec.text[want.start:want.end].strip():
            yield f"line {i}: an empty line cannot be a heading"


def check_indicator(indicator: object, template: str | None) -> str | None:
    """Why an indicator id is not allowed for a template (None when it is).

    >>> check_indicator("narrative.fees.processing", "2021") is None
    True
    >>> check_indicator("active.fees.amount", "2019")
    "indicator 'active.fees.amount' is not in the 2019 template"
    >>> check_indicator("requests.other.total", "2021") is None  # a composite there: 1.+2.+3.
    True
    """
    if indicator is None:
        return None
    if not isinstance(indicator, str):
        return f"indicator {indicator!r} is not a string"
    if indicator.startswith(NARRATIVE_PREFIX):
        topic = indicator[len(NARRATIVE_PREFIX):]
        return None if topic and not topic.startswith(".") else f"empty narrative topic {indicator!r}"
    if is_composite(indicator) and (template is None or composite_parts(indicator, template)):
        return None  # a figure the template splits (予以公开及部分公开): the sum of its cells
    ind = INDICATORS.get(indicator)
    if ind is None:
        return f"unknown indicator {indicator!r}"
    if template in ("2021", "2019") and template not in ind.templates:
        return f"indicator {indicator!r} is not in the {template} template"
    return None


def _check_facts(rec: Record) -> Iterator[str]:
    size = len(rec.text)
    seen: dict[tuple, int] = {}
    for i, f in enumerate(rec.facts):
        where = f"fact {i}"
        key = (f.start, f.end, f.indicator)
        if key in seen:
            yield f"{where}: duplicate of fact {seen[key]} (same span and indicator)"
        seen.setdefault(key, i)
        if not _span_ok(f.start, f.end, size) or f.start == f.end:
            yield f"{where}: offsets {f.start}-{f.end} out of range (text length {size})"
        elif rec.text[f.start:f.end] != f.text:
            yield (f"{where}: text {f.text!r} != text[{f.start}:{f.end}] "
                   f"{rec.text[f.start:f.end]!r}")
        if f.label not in FACT_LABELS:
            yield f"{where}: unknown label {f.label!r}"
        if not is_number(f.value):
            yield f"{where}: value {f.value!r} is not a number"
        elif f.label == "ZERO" and f.value != 0:
            yield f"{where}: ZERO fact with value {f.value!r} (must be 0)"
        elif f.label != "ZERO" and _span_ok(f.start, f.end, size):
            problem = _check_value(rec.text, f)
            if problem:
                yield f"{where}: {problem}"
        if not isinstance(f.approx, bool):
            yield f"{where}: approx must be true or false"
        problem = check_indicator(f.indicator, rec.template)
        if problem:
            yield f"{where}: {problem}"


CONTEXT = 6  # characters either side a qualifier (近, 余) may stand in


def _check_value(text: str, fact) -> str | None:
    """Why a fact's value disagrees with its span read again (None when they agree, or
    when the span is not a plain quantity the parser reads).

    >>> from nlp.types import Fact
    >>> _check_value("共发布188条。", Fact(3, 7, "188条", "COUNT", 189)) is not None
    True
    >>> _check_value("共发布188条。", Fact(3, 7, "188条", "COUNT", 188)) is None
    True
    """
    from nlp.numbers import parse_quantity

    try:
        read = parse_quantity(fact.text, text[max(0, fact.start - CONTEXT):fact.start],
                              text[fact.end:fact.end + CONTEXT])
    except ValueError:
        return None
    if math.isclose(read.value, fact.value, rel_tol=1e-9, abs_tol=1e-9):
        return None
    return f"value {fact.value!r} disagrees with its span {fact.text!r}, which reads {read.value!r}"


def _check_table(rec: Record) -> Iterator[str]:
    template = rec.template if rec.template in ("2021", "2019") else None
    allowed = set(ids_for_template(template)) if template else set(INDICATORS)
    for cid, value in rec.table.items():
        if cid not in INDICATORS:
            yield f"table: unknown cell id {cid!r}"
        elif cid not in allowed:
            yield f"table: cell {cid!r} is not in the {template} template"
        if not is_number(value):
            yield f"table: {cid} value {value!r} is not a number"
    for cid in rec.missing_cells:
        if cid not in INDICATORS:
            yield f"missing_cells: unknown cell id {cid!r}"
        elif cid not in allowed:
            yield f"missing_cells: cell {cid!r} is not in the {template} template"
        if cid in rec.table:
            yield f"missing_cells: {cid} is blank but the table gives it a value"
    if template:
        yield from _check_identities(rec, template)


def _listed(findings: list, ids: tuple[str, ...]) -> bool:
    wanted = set(ids)
    return any(f.type == "identity_violation" and (f.indicator in wanted or wanted & set(f.cells))
               for f in findings)


def _check_identities(rec: Record, template: str) -> Iterator[str]:
    for ident in identities_for(template):
        ids = ident.lhs + ident.rhs
        if not all(is_number(rec.table.get(i)) for i in ids):
            continue  # an identity over a blank cell cannot be checked
        lhs = sum(rec.table[i] for i in ident.lhs)
        rhs = sum(rec.table[i] for i in ident.rhs)
        if abs(lhs - rhs) > 1e-6 and not _listed(rec.findings, ids):
            yield (f"table: identity {ident.name} ({ident.key}) broken, {lhs:g} != {rhs:g}, "
                   "and no identity_violation finding lists it")


def _check_findings(rec: Record) -> Iterator[str]:
    for i, f in enumerate(rec.findings):
        if f.type not in FINDING_TYPES:
            yield f"finding {i}: unknown type {f.type!r}"
        if f.type == "table_unreadable":
            if f.indicator not in TABLE_WIDE:
                yield f"finding {i}: table_unreadable names {f.indicator!r}, not a table ({', '.join(TABLE_WIDE)})"
        elif f.indicator is not None and check_indicator(f.indicator, rec.template):
            yield f"finding {i}: {check_indicator(f.indicator, rec.template)}"
        for name in ("narrative_value", "table_value"):
            value = getattr(f, name)
            if value is not None and not is_number(value):
                yield f"finding {i}: {name} {value!r} is not a number"


def validate_record(record: Record) -> list[str]:
    """Every problem of one record, one line each (empty when the record is valid)."""
    if record.error is not None:
        return [f"record is an error record ({record.error.kind}), not an annotation"]
    problems: list[str] = []
    if not record.id:
        problems.append("id is empty")
    if not isinstance(record.text, str) or not record.text:
        return problems + ["text is empty"]
    if record.template not in TEMPLATES:
        problems.append(f"unknown template {record.template!r}")
    if record.year is not None and (not isinstance(record.year, int) or isinstance(record.year, bool)):
        problems.append(f"year {record.year!r} is not an integer")
    for check in (_check_lines, _check_facts, _check_table, _check_findings):
        problems.extend(check(record))
    return problems


def _looks_like_jsonl(text: str) -> bool:
    """Whether the first non-blank line is a JSON object (else the file is one problem,
    not one per line).

    >>> _looks_like_jsonl('{"id": "a"}\\n'), _looks_like_jsonl("# notes\\nmore"), _looks_like_jsonl("")
    (True, False, True)
    """
    import json

    first = next((line for line in text.split("\n") if line.strip()), None)
    if first is None:
        return True
    try:
        return isinstance(json.loads(first), dict)
    except ValueError:
        return False


def validate_file(path: str | Path) -> list[str]:
    """Problems of every record of a JSONL file, each prefixed ``file:line: id:``."""
    from nlp.corpus.io import _parse_line  # one parser for load and validate

    path = Path(path)
    out: list[str] = []
    seen: dict[str, int] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return [f"{path}: not a JSONL corpus file (not UTF-8 text)"]
    except OSError as err:
        return [f"{path}: cannot read ({err.strerror or err})"]
    if not _looks_like_jsonl(text):
        return [f"{path}: not a JSONL corpus file (its first line is not a JSON object)"]
    # split on "\n" only: splitlines() would also cut at U+2028 inside a JSON string
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            rec = _parse_line(line, where)
        except CorpusError as err:
            out.append(str(err))
            continue
        if rec.id in seen:
            out.append(f"{where}: {rec.id}: duplicate id (first on line {seen[rec.id]})")
        seen.setdefault(rec.id, number)
        out.extend(f"{where}: {rec.id}: {p}" for p in validate_record(rec))
    return out
