"""The plain typed objects that pass between pipeline stages.

One record shape serves gold annotations and predictions alike (see
``shared/spec/annotation.md`` and ``output.md``): a prediction is an annotation
with a few extra fields (``path``, ``format``, ``cells``, ``versions``,
confidences).  Every type round-trips through ``to_dict``/``from_dict``; keys that
are ``None`` in an optional field are left out of the JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import orjson

SECTIONS = ("title", "preamble", "overview", "active", "requests", "review", "problems", "other")
FACT_LABELS = ("COUNT", "MONEY", "PERCENT", "ZERO")
FINDING_TYPES = (
    "narrative_table_mismatch",
    "zero_claim_contradiction",
    "identity_violation",
    "missing_cell",
    "narrative_conflict",
    "cross_year_mismatch",
    "table_unreadable",
    "text_unreadable",  # (last: a dataset's class ids of the others stay what they were)
)
TEMPLATES = ("2021", "2019", "unknown")
FORMATS = ("txt", "docx", "doc", "html", "pdf")  # a record's format: what it was read as
STAT_TABLES = (2, 3, 4)  # the template's tables, numbered by their sections (二, 三, 四)
TABLE_SECTIONS = {2: "active", 3: "requests", 4: "review"}  # each table → the section (segmenter label) holding it
ALL_TABLES = "tables"  # a finding about every table at once


def table_subject(key: int | str) -> str:
    """The indicator field of a finding about statistical table ``key`` as a whole."""
    return f"table{key}"


# what a table_unreadable finding names in its indicator field: one table, or all of them
TABLE_WIDE = (*map(table_subject, STAT_TABLES), ALL_TABLES)


def dumps_json_bytes(data: Any) -> bytes:
    """One line of JSON in UTF-8: orjson (records are mostly numbers and short strings,
    which it writes ~3x faster), the standard library for what orjson refuses (integers
    beyond 64 bits, numpy scalars)."""
    try:
        return orjson.dumps(data)
    except TypeError:  # orjson.JSONEncodeError
        return json.dumps(data, ensure_ascii=False).encode("utf-8")


def dumps_json(data: Any) -> str:
    """:func:`dumps_json_bytes` as text."""
    return dumps_json_bytes(data).decode("utf-8")


def loads_json(text: str | bytes) -> Any:
    """Parse JSON: orjson, or the standard library for what only it reads (NaN)."""
    try:
        return orjson.loads(text)
    except ValueError:  # orjson.JSONDecodeError; truly broken JSON fails again below
        return json.loads(text)


def loads_yaml(text: str) -> Any:
    """Parse YAML safely, with libyaml's parser where PyYAML has it: the same objects,
    parsed ~9x faster (the indicator registry is read at import: 30 ms -> 3 ms)."""
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 — a safe loader


def _drop_none(data: dict[str, Any], optional: tuple[str, ...]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if not (k in optional and v is None)}


@dataclass(slots=True)
class Line:
    """One line of the document text, ``text[start:end]`` (end exclusive, no newline)."""

    start: int
    end: int
    section: str | None = None
    heading: bool = False
    confidence: float | None = None

    def to_dict(self, compact: bool = False) -> dict[str, Any]:
        if compact and not self.heading:  # ``heading`` false is what a reader assumes
            data = {"start": self.start, "end": self.end, "section": self.section}
        else:
            data = {"start": self.start, "end": self.end, "section": self.section, "heading": self.heading}
        if self.confidence is not None:  # written for every line of every record: no generic helper
            data["confidence"] = self.confidence
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Line:
        return cls(data["start"], data["end"], data.get("section"),
                   bool(data.get("heading", False)), data.get("confidence"))


@dataclass
class Table:
    """A table as read: a grid of cell strings, and where it sits in the document.

    ``line_start``/``line_end`` index ``Document.lines`` (end exclusive).  Rows may
    have different lengths; blank cells are ``""``.  ``source`` says whether the
    grid came from the file's own table markup (``native``) or from text layout.
    """

    rows: list[list[str]]
    line_start: int
    line_end: int
    source: str = "layout"

    def to_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "line_start": self.line_start,
                "line_end": self.line_end, "source": self.source}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Table:
        return cls([list(r) for r in data["rows"]], data["line_start"], data["line_end"],
                   data.get("source", "layout"))


@dataclass
class Document:
    """A report's text split into lines, plus the tables it prints natively.

    A reader (``nlp.read``) returns the text as read; the normalize stage returns it
    normalized, with ``original`` the text as read and ``offset_map[i]`` the offset in
    ``original`` of normalized character ``i`` (one extra entry for the end), so any span
    can be mapped back to the source.
    """

    path: str
    format: str
    text: str
    lines: list[Line]
    tables: list[Table] = field(default_factory=list)
    original: str = ""
    offset_map: list[int] | None = None

    def line_texts(self) -> list[str]:
        return [self.text[ln.start:ln.end] for ln in self.lines]

    def to_original(self, offset: int) -> int:
        """Map a normalized offset back into ``original``."""
        if self.offset_map is None:
            return offset
        return self.offset_map[min(max(offset, 0), len(self.offset_map) - 1)]

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "format": self.format, "text": self.text,
                "lines": [ln.to_dict() for ln in self.lines],
                "tables": [t.to_dict() for t in self.tables]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        return cls(data.get("path", ""), data.get("format", "txt"), data["text"],
                   [Line.from_dict(x) for x in data.get("lines", [])],
                   [Table.from_dict(x) for x in data.get("tables", [])])


def lines_of(text: str) -> list[Line]:
    """Split ``text`` on ``\\n`` into unlabelled lines with offsets."""
    out, pos = [], 0
    for part in text.split("\n"):
        out.append(Line(pos, pos + len(part)))
        pos += len(part) + 1
    return out


@dataclass(slots=True)
class Cell:
    """A table cell as read: its number (None when blank or not a number), raw text, line."""

    value: float | int | None
    raw: str
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "raw": self.raw, "line": self.line}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Cell:
        return cls(data.get("value"), data.get("raw", ""), data.get("line"))


@dataclass(slots=True)
class Fact:
    """A numeric fact in the narrative: span, label, normalized value, indicator id."""

    start: int
    end: int
    text: str
    label: str
    value: float | int | None
    unit: str | None = None
    approx: bool = False
    indicator: str | None = None
    confidence: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return _drop_none(
            {"start": self.start, "end": self.end, "text": self.text, "label": self.label,
             "value": self.value, "unit": self.unit, "approx": self.approx,
             "indicator": self.indicator, "confidence": self.confidence},
            ("confidence",),
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Fact:
        return cls(data["start"], data["end"], data.get("text", ""), data["label"],
                   data.get("value"), data.get("unit"), bool(data.get("approx", False)),
                   data.get("indicator"), data.get("confidence"))


@dataclass(slots=True)
class Finding:
    """An inconsistency a careful reader would flag, with its evidence."""

    type: str
    indicator: str | None = None
    narrative_value: float | int | None = None
    table_value: float | int | None = None
    severity: str | None = None
    fact: int | None = None
    cells: list[str] = field(default_factory=list)
    message: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return _drop_none(
            {"type": self.type, "severity": self.severity, "indicator": self.indicator,
             "narrative_value": self.narrative_value, "table_value": self.table_value,
             "fact": self.fact, "cells": self.cells, "message": self.message},
            ("severity", "fact", "message"),
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        return cls(data["type"], data.get("indicator"), data.get("narrative_value"),
                   data.get("table_value"), data.get("severity"), data.get("fact"),
                   list(data.get("cells") or []), data.get("message"))


@dataclass
class RecordError:
    """Why a document could not be processed (``kind`` from ``nlp.errors``)."""

    kind: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "message": self.message}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> RecordError | None:
        return None if data is None else cls(data["kind"], data["message"])


@dataclass
class TableCoverage:
    """How much of one statistical table was read.

    ``template`` cells the template has; ``read`` read as numbers; ``blank`` seen blank in
    the source (empty position, ``/``, ``—``); ``unread`` neither (not located, or located
    but not readable with confidence): ``template = read + blank + unread``.
    ``unreadable`` is the part of ``unread`` inside the table as printed — not a table the
    document lacks, nor cells past the point where a truncated text stops — which is what
    a ``table_unreadable`` finding reports.
    """

    template: int
    read: int = 0
    blank: int = 0
    unread: int = 0
    unreadable: int = 0

    def to_dict(self) -> dict[str, int]:
        return {"template": self.template, "read": self.read, "blank": self.blank,
                "unread": self.unread, "unreadable": self.unreadable}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TableCoverage:
        return cls(int(data.get("template", 0)), int(data.get("read", 0)), int(data.get("blank", 0)),
                   int(data.get("unread", 0)), int(data.get("unreadable", 0)))


@dataclass
class Coverage:
    """What of a document was read: per table (``"2"``, ``"3"``, ``"4"``), the sections
    found, and the number of narrative facts."""

    tables: dict[str, TableCoverage] = field(default_factory=dict)
    sections: list[str] = field(default_factory=list)
    facts: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"tables": {k: v.to_dict() for k, v in self.tables.items()},
                "sections": list(self.sections), "facts": self.facts}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Coverage | None:
        if data is None:
            return None
        return cls({str(k): TableCoverage.from_dict(v) for k, v in (data.get("tables") or {}).items()},
                   list(data.get("sections") or []), int(data.get("facts", 0)))


_RECORD_OPTIONAL = ("path", "format", "cells", "versions", "error", "headings", "notes", "coverage",
                    "lines_compact")
# The key a compact record carries (see ``Record.to_dict``): its ``lines`` leave out what
# the annotation rules let a reader restore.
LINES_COMPACT = "lines_compact"
# Where the small fields of a compact record's line end: ``line[:line.find(COMPACT_HEAD)] + b"}"``
# is JSON (inside a JSON string a quote is always escaped, and no key before is "text").
COMPACT_HEAD = b',"text":'


def compact_lines(lines: list[Line]) -> list[dict[str, Any]]:
    """``lines`` as a compact record writes them: an empty line that is no heading and
    has the section of the line before is left out (annotation.md: "Empty lines take the
    section of the line before"), and so is ``"heading": false``.

    >>> compact_lines(lines_of("a\\n\\nb"))
    [{'start': 0, 'end': 1, 'section': None}, {'start': 3, 'end': 4, 'section': None}]
    """
    out, before = [], None
    for i, ln in enumerate(lines):
        if not (i and ln.start == ln.end and not ln.heading and ln.section == before):
            out.append(ln.to_dict(compact=True))
        before = ln.section
    return out


def expand_lines(text: str, entries: list[dict[str, Any]]) -> list[Line]:
    """The lines of a compact record, every line of ``text`` again: a line left out is
    empty, takes the section of the line before, is no heading, and has no confidence.

    >>> [(x.start, x.end, x.section) for x in expand_lines("a\\n\\nb", [{"start": 0, "end": 1, "section": "title"},
    ...                                                                  {"start": 3, "end": 4, "section": "other"}])]
    [(0, 1, 'title'), (2, 2, 'title'), (3, 4, 'other')]
    """
    given = {e["start"]: Line.from_dict(e) for e in entries}
    out: list[Line] = []
    pos = 0
    for part in text.split("\n"):
        ln = given.get(pos)
        if ln is None or ln.end != pos + len(part):
            ln = Line(pos, pos + len(part), out[-1].section if out else None)
        out.append(ln)
        pos += len(part) + 1
    return out


@dataclass
class Record:
    """One document in the corpus format; gold and prediction share this shape."""

    id: str
    text: str = ""
    source: str | None = None
    agency: str | None = None
    year: int | None = None
    template: str | None = None
    lines: list[Line] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    table: dict[str, float | int] = field(default_factory=dict)
    missing_cells: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    # prediction-only fields
    path: str | None = None
    format: str | None = None
    cells: dict[str, Cell] | None = None
    versions: dict[str, str] | None = None
    error: RecordError | None = None
    coverage: Coverage | None = None  # a prediction's own account of what it read
    # realdev extras, kept so a round trip loses nothing
    headings: list[dict[str, Any]] | None = None
    notes: Any = None

    def line_texts(self) -> list[str]:
        return [self.text[ln.start:ln.end] for ln in self.lines]

    def to_dict(self, compact: bool = False) -> dict[str, Any]:
        """The record as JSON data.  ``compact=True`` (batch output by default) writes
        ``lines`` as :func:`compact_lines` does and marks the record with
        ``"lines_compact": true``; :meth:`from_dict` restores every line."""
        if self.error is not None:
            return {"id": self.id, "path": self.path, "format": self.format,
                    "error": self.error.to_dict(), "versions": self.versions}
        if compact:
            return self._compact_dict()
        data = {
            "id": self.id, "source": self.source, "agency": self.agency, "year": self.year,
            "template": self.template, "text": self.text,
            "lines": [x.to_dict() for x in self.lines],
            "facts": [x.to_dict() for x in self.facts],
            "table": dict(self.table), "missing_cells": list(self.missing_cells),
            "findings": [x.to_dict() for x in self.findings],
            "path": self.path, "format": self.format,
            "cells": None if self.cells is None else {k: c.to_dict() for k, c in self.cells.items()},
            "versions": self.versions, "error": None,
            "coverage": None if self.coverage is None else self.coverage.to_dict(),
            "headings": self.headings, "notes": self.notes,
        }
        return _drop_none(data, _RECORD_OPTIONAL)

    def _compact_dict(self) -> dict[str, Any]:
        """The compact record: lines as :func:`compact_lines` writes them, and the small
        fields first — everything before ``"text"`` (id, path, findings, coverage, the
        table…) can be read without the rest of the line (``COMPACT_HEAD``)."""
        data = {
            "id": self.id, "path": self.path, "format": self.format, "source": self.source,
            "agency": self.agency, "year": self.year, "template": self.template,
            "findings": [x.to_dict() for x in self.findings],
            "coverage": None if self.coverage is None else self.coverage.to_dict(),
            "versions": self.versions, LINES_COMPACT: True,
            "table": dict(self.table), "missing_cells": list(self.missing_cells),
            "text": self.text, "lines": compact_lines(self.lines),
            "facts": [x.to_dict() for x in self.facts],
            "cells": None if self.cells is None else {k: c.to_dict() for k, c in self.cells.items()},
            "headings": self.headings, "notes": self.notes,
        }
        return _drop_none(data, _RECORD_OPTIONAL)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Record:
        cells = data.get("cells")
        return cls(
            id=str(data.get("id", "")), text=data.get("text", ""), source=data.get("source"),
            agency=data.get("agency"), year=data.get("year"), template=data.get("template"),
            lines=(expand_lines(data.get("text", ""), data.get("lines") or []) if data.get(LINES_COMPACT)
                   else [Line.from_dict(x) for x in data.get("lines", [])]),
            facts=[Fact.from_dict(x) for x in data.get("facts", [])],
            table=dict(data.get("table") or {}),
            missing_cells=list(data.get("missing_cells") or []),
            findings=[Finding.from_dict(x) for x in data.get("findings", [])],
            path=data.get("path"), format=data.get("format"),
            cells=None if cells is None else {k: Cell.from_dict(v) for k, v in cells.items()},
            versions=data.get("versions"),
            error=RecordError.from_dict(data.get("error")),
            coverage=Coverage.from_dict(data.get("coverage")),
            headings=data.get("headings"), notes=data.get("notes"),
        )

    def to_json(self) -> str:
        """The canonical line (the standard library's JSON: corpus files are diffed and
        hashed, so their bytes must not depend on a JSON library)."""
        return json.dumps(self.to_dict(), ensure_ascii=False)

    def to_json_fast(self) -> str:
        """The same data as :meth:`to_json`, written faster (compact separators): batch output."""
        return dumps_json(self.to_dict())

    @classmethod
    def from_json(cls, line: str | bytes) -> Record:
        return cls.from_dict(loads_json(line))
