"""The text builder: concatenates pieces, labels every line, records fact spans and
table cells at the offsets they are written at."""

from __future__ import annotations

from dataclasses import dataclass

from nlp.types import Fact


@dataclass
class _LineLabel:
    section: str
    heading: bool


class Builder:
    """Concatenates pieces, labels every line, records fact spans as they are written."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.labels: list[_LineLabel] = []
        self.facts: list[Fact] = []
        self.cells: dict[str, tuple[int, int]] = {}  # table id → span of its value
        self.blank_cells: dict[str, int] = {}  # table id → offset where the blank sits
        self.section = "title"

    def begin(self, section: str, heading: bool = False) -> None:
        """Start a new line (the first call starts line 0)."""
        if self.labels:
            self._raw("\n")
        self.labels.append(_LineLabel(section, heading))
        self.section = section

    def blank(self, count: int = 1) -> None:
        for _ in range(count):
            self.begin(self.section, False)

    def put(self, s: str) -> None:
        """Plain text; a newline inside continues the current section (not a heading)."""
        pieces = s.split("\n")
        self._raw(pieces[0])
        for p in pieces[1:]:
            self.begin(self.section, False)
            self._raw(p)

    def _raw(self, s: str) -> None:
        self.parts.append(s)
        self.pos += len(s)

    def fact(self, span: str, label: str, value: float | int, unit: str, approx: bool,
             indicators: list[str | None]) -> int:
        start = self.pos
        self._raw(span)
        for ind in indicators:
            self.facts.append(Fact(start, self.pos, span, label, value, unit, approx, ind))
        return start

    def cell(self, ind: str | None, raw: str) -> None:
        if ind is not None:
            if raw.strip():
                self.cells[ind] = (self.pos, self.pos + len(raw))
            else:
                self.blank_cells[ind] = self.pos
        self._raw(raw)

    def text(self) -> str:
        return "".join(self.parts)
