"""Read tables 2, 3 and 4 of an annual report onto the canonical indicator grid.

The template is fixed, so parsing is *alignment*, not table understanding: the
lines of each table's region become a stream of tokens (row/column labels, numbers,
blank cells), labels are matched fuzzily against the registry's labels, and the
numbers that follow a row label are assigned in the template's column order.  The
same code reads every text layout (tab rows, one cell per line, pipe rows with or
without outer pipes, space-separated pdf text) and native grids from docx/html/pdf
(``Document.tables`` with ``source="native"``).  Only ``Document.lines`` are needed.

When a row cannot be placed with confidence its cells are reported as *doubtful*
(and missing) — never guessed.  A few repairs are made only when the table's own
arithmetic proves them (a number split across two cells by pdf extraction).  The
reader makes no findings: the reconciler judges what it read.

Modules, in the order a document goes through them: ``cells`` (one cell's value, a
label's core), ``tokens`` (a region's lines as a token stream), ``grid`` (where the
tables are, which label is which), ``template`` (2019 or 2021), ``rows`` (a row's
cells, the reader's record), ``runon`` / ``runrows`` (cells printed run together),
then one module per official table: ``active`` (table 2), ``requests`` (table 3),
``review`` (table 4).  The words are ``nlp/data/lexicon/tables.yaml``'s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

from nlp import lexicon
from nlp.chars import is_ideograph
from nlp.identities import sums_agree
from nlp.indicators import INDICATORS, identities_for, ids_for_template
from nlp.tables import active, requests, review
from nlp.tables.cells import label_core, parse_value
from nlp.tables.grid import find_regions, opens_later_part
from nlp.tables.rows import NOTES, Reader
from nlp.tables.runrows import narrative_sentences
from nlp.tables.template import detect_template, template_of
from nlp.tables.tokens import Tok, region_tokens, template_label_cores
from nlp.types import TABLE_SECTIONS, Cell, Document, Line

__all__ = ["TableResult", "parse_tables", "detect_template", "parse_value", "label_core", "TABLE_SECTIONS"]


@dataclass
class TableResult:
    """What the parser read: canonical cells with provenance, and what it could not read.

    ``cells`` — id → Cell(value, raw, line) for every cell read (value None when printed
    blank: ``/``, ``—``, ``无``, empty); ``missing_cells`` — blank, doubtful, or a gap in a
    printed table (cells of a table the document lacks, or past the end of a truncated
    document, are not listed); ``doubtful`` — id → why no value was assigned;
    ``repairs`` — id → what was repaired (a number split over two cells, proved by the
    arithmetic); ``regions`` — table → (first line, end line); ``found`` — the tables
    printed.  Findings about them are the reconciler's (``nlp.reconcile``).
    """

    template: str
    cells: dict[str, Cell] = field(default_factory=dict)
    missing_cells: list[str] = field(default_factory=list)
    doubtful: dict[str, str] = field(default_factory=dict)
    repairs: dict[str, str] = field(default_factory=dict)
    regions: dict[int, tuple[int, int]] = field(default_factory=dict)
    found: list[int] = field(default_factory=list)  # tables (2, 3, 4) the document prints

    def values(self) -> dict[str, float | int]:
        """Stated numbers only (the corpus ``table`` field)."""
        return {k: c.value for k, c in self.cells.items() if c.value is not None}


def parse_tables(doc: Document, lines: list[Line] | None = None) -> TableResult:
    """Read tables 2, 3 and 4 of ``doc`` onto canonical ids (see module docstring).

    ``lines`` (the segmenter's output, with ``.section``) bounds each table's region;
    without it the tables are found by their headings and labels.
    """
    texts = doc.line_texts()
    regions = find_regions(texts, lines)
    # table 3's rows, where empty lines may be its blank cells (table 4 has one data row: no
    # second row to tell its empty lines from spacing)
    widths = {3: len(requests.COLUMNS)}
    toks = {k: region_tokens(doc, texts, *regions[k], widths.get(k, 0)) if k in regions else [] for k in (2, 3, 4)}
    template = template_of(toks[2], toks[3], texts)  # unknown: the spec's rule by report year
    grid = template if template != "unknown" else "2021"
    rd = Reader()
    rd.narrative = lru_cache(maxsize=1)(lambda: narrative_sentences(texts, regions))
    cut = _cut_tables(regions, len(texts))
    for k in (2, 3, 4):
        if cut[k] and toks[k] and _ends_the_text(toks[k][-1], doc.text, texts) and not _whole_zero(toks[k]):
            toks[k] = toks[k][:-1]  # a number the download stops in may be cut short: unread
    if toks[2]:
        active.read(toks[2], grid, rd, cut[2])
    if toks[3]:
        requests.read(toks[3], grid, rd, cut[3], texts)
    if toks[4]:
        review.read(toks[4], rd, cut[4], texts)
    _doubt_borrowed(toks, grid, rd, cut)
    _zero_tables(toks, grid, rd, cut, lru_cache(maxsize=1)(lambda: _debris_after(doc, texts, regions)))
    _doubt_unplaced(toks, grid, rd, cut)
    _doubt_misplaced(grid, rd, cut)
    return _result(template, grid, rd, regions, cut)


def _zero_tables(toks: dict[int, list[Tok]], grid: str, rd: Reader, cut: dict[int, bool],
                 debris: Callable[[], tuple[int, list[Tok]]]) -> None:
    """A table printed whole whose cells could not all be placed (pdftotext without -layout
    prints a Word grid column by column, header cells stacked a character a line) but whose
    region holds exactly as many numbers as the table has cells, every one 0: each cell is
    0 — where each zero stands does not matter (most small agencies' tables 3 and 4 are all
    zero).  One number that is not 0, or one too many or too few, and nothing is filled.

    pdfminer orders a page's cells by its own layout analysis: table 3's last columns come
    after table 4's heading, and table 4's after the next part's heading (``debris``: the
    table after which it lies, and its tokens, found when asked).  So the count is also taken over tables 3
    and 4 together, and over the debris after the last table (figures alone on their lines:
    0件 or 收费0元 in the next part is prose).  And table 4 is not filled alone when table 3
    may have lent it figures (:func:`_lent_to_table_4`): five of table 3's zeros in table 4's
    region would otherwise fill a blank 行政复议 group.  (Table 2's figures were never seen
    past table 3's heading: a table 2 printed with blank rows does not stop table 3.)"""
    by_table = dict(_ids_by_table(grid))
    numbers = {k: [t for t in region if t.kind in ("num", "run")] for k, region in toks.items() if region}
    for span in _ZERO_SPANS:
        if not all(k in numbers for k in span) or any(cut[k] for k in span):
            continue
        ids = [cid for k in span for cid in by_table[k]]
        if all(cid in rd.cells for cid in ids) or span == (4,) and 3 in numbers and not cut[3] \
                and _lent_to_table_4(by_table, numbers[3], rd):
            continue
        nums = [t for k in span for t in numbers[k]]
        if len(nums) < len(ids) and span[-1] == debris()[0]:
            nums += [t for t in debris()[1] if t.kind in ("num", "run") and t.text.strip().isdigit()]
        if len(nums) == len(ids) and all(t.kind == "num" and t.value == 0 for t in nums):
            rd.put_all(zip(ids, nums))
            name = "".join(_TABLE_NAMES[k] for k in span)
            for cid in ids:
                rd.repairs[cid] = NOTES["all_zero"].format(table=name, n=len(ids))


def _doubt_borrowed(toks: dict[int, list[Tok]], grid: str, rd: Reader, cut: dict[int, bool]) -> None:
    """Table 4 read by the count of its figures alone (its header unreadable: 15 figures in
    the template's order) is unread when table 3 before it may have lent it figures
    (:func:`_lent_to_table_4`): five of them would fill a 行政复议 group printed blank."""
    by_table = dict(_ids_by_table(grid))
    if not toks.get(3) or cut[3] or 3 not in by_table or 4 not in by_table:
        return
    if not _lent_to_table_4(by_table, [t for t in toks[3] if t.kind in ("num", "run")], rd):
        return
    counted = [cid for cid in by_table[4] if rd.repairs.get(cid) == NOTES["header_unreadable"]]
    for cid in counted:
        rd.cells.pop(cid, None)
        rd.repairs.pop(cid)
    rd.doubt(counted, NOTES["borrowed"])


def _lent_to_table_4(by_table: dict[int, tuple[str, ...]], numbers: list[Tok], rd: Reader) -> bool:
    """May table 3 (its region's ``numbers``) have lent table 4's region the figures it
    lacks?  pdfminer moves table 3's last figures past table 4's heading; table 4 read by
    their count alone is then wrong only when it printed as many cells blank — so only a
    table 3 short by at most table 4's cells, and not read whole, may have (whole blank
    columns, 25 cells each, are blanks, not a loan)."""
    short = len(by_table[3]) - len(numbers)
    return 0 < short <= len(by_table[4]) and not all(cid in rd.cells for cid in by_table[3])


# the stretches whose numbers may all be one table's, or tables 3 and 4's scattered together
_ZERO_SPANS = ((2,), (3,), (4,), (3, 4))
# Past the last table, pdfminer's text may go on with its cells before the next part's
# prose: lines of no sentence (no 。, shorter than a line of prose) are that debris.
_PROSE_CHARS = 20
_FULL_STOP = lexicon.load("tables")["cells"]["full_stop"]


def _debris_after(doc: Document, texts: list[str], regions: dict[int, tuple[int, int]]) -> tuple[int, list[Tok]]:
    """The last table (0 if none) and the tokens of the lines after its region up to the
    first line of prose (see ``_PROSE_CHARS``)."""
    if not regions:
        return 0, []
    last = max(regions, key=lambda k: regions[k][0])
    start = end = regions[last][1]
    while end < len(texts) and _FULL_STOP not in texts[end] and len(texts[end].strip()) < _PROSE_CHARS:
        end += 1
    # a table's pieces among them (结, 果, 复议后起诉 — words, no part's heading), or the
    # figures are the next part's own (五、…⏎0⏎六、…)
    if not any(_is_table_piece(texts[i]) for i in range(start, end)):
        return last, []
    return last, region_tokens(doc, texts, start, end)


def _is_table_piece(line: str) -> bool:
    """Words on a line that opens no later part: a piece of a table's labels."""
    return any(map(is_ideograph, line)) and not opens_later_part(line)


# A table region with at least this many numbers printed outside its prose holds a table.
_PRINTED_NUMBERS = 3


def _doubt_unplaced(toks: dict[int, list[Tok]], grid: str, rd: Reader, cut: dict[int, bool]) -> None:
    """A table printed in full (its region holds numbers and the text goes on past it) of
    which no cell could be placed: its cells are unreadable, which the reconciler says,
    not absent as in a report that prints no such table."""
    for k, region in toks.items():
        printed = sum(t.kind in ("num", "run") for t in region)
        if cut[k] or (printed < _PRINTED_NUMBERS and not _labels_only(region)):
            continue
        ids = [cid for table, table_ids in _ids_by_table(grid) if table == k for cid in table_ids]
        if not any(cid in rd.cells or cid in rd.doubtful for cid in ids):
            why = NOTES["not_placed"] if printed >= _PRINTED_NUMBERS else NOTES["no_values"]
            rd.doubt(ids, why.format(table=_TABLE_NAMES[k], printed=printed))


# A region printing this many of the template's labels, and no value at all, is a table
# whose values the text lost (a page whose figures were images, a scrape that kept labels).
_LABELS_ONLY = 6


def _labels_only(region: list[Tok]) -> bool:
    """The table's labels printed (rows and columns), and not one value or blank mark."""
    if any(t.kind != "text" for t in region):
        return False
    labels = {core for t in region if (core := label_core(t.text)) in template_label_cores()}
    return len(labels) >= _LABELS_ONLY


_TABLE_NAMES = lexicon.load("tables")["identities"]["table_names"]  # 表二, 表三, 表四
_MISREAD_SHARE = float(lexicon.load("tables")["misread_share"])


def _doubt_misplaced(grid: str, rd: Reader, cut: dict[int, bool]) -> None:
    """In a table printed whole of which the reader could read less than half, the cells
    of every sum they break are unread, not read: a PDF tool's text that printed the columns
    one after another put another row's numbers on 四、结转下年度继续办理 (142 710 31 0 1 3 0,
    whose total is 0).  Elsewhere a broken sum is the report's own, and stays as read."""
    by_table = dict(_ids_by_table(grid))
    misread = {k for k, ids in by_table.items() if not cut.get(k) and any(cid in rd.cells for cid in ids)
               and sum(cid not in rd.cells for cid in ids) > _MISREAD_SHARE * len(ids)}
    if not misread:
        return
    for ident in identities_for(grid):
        ids = ident.lhs + ident.rhs
        if INDICATORS[ids[0]].table not in misread or any(rd.cells.get(c) is None for c in ids):
            continue
        vals = [rd.cells[c].value for c in ids]
        if None in vals or sums_agree(vals, len(ident.lhs)):
            continue
        for cid in ids:
            rd.cells.pop(cid, None)
        rd.doubt(list(ids), NOTES["misplaced"].format(table=_TABLE_NAMES[INDICATORS[ids[0]].table]))


def _result(template: str, grid: str, rd: Reader, regions: dict[int, tuple[int, int]],
            cut: dict[int, bool]) -> TableResult:
    ids = ids_for_template(grid)
    read = rd.cells.get
    cells = {cid: cell for cid in ids if (cell := read(cid)) is not None}
    doubtful = {k: v for k, v in rd.doubtful.items() if k not in cells}
    found = sorted(_tables_with_cells(grid, cells) | {INDICATORS[c].table for c in doubtful})
    if rd.printed_as:  # rows printed in the other template's columns: their cells as printed, and
        # this template's cells of those rows are not in the table (not blank, not unreadable)
        printed = tuple(rd.printed_as)
        cells |= {cid: cell for cid, cell in rd.cells.items() if cid.startswith(printed) and cid not in cells}
        ids = tuple(cid for cid in ids if not cid.startswith(printed))
    missing = _missing(ids, cells, doubtful, found, cut)
    for prefix in rd.floated:
        for cid in cells:
            if cid.startswith(prefix):
                rd.repairs.setdefault(cid, NOTES["floated_label"])
    return TableResult(template, cells, missing, doubtful, dict(rd.repairs), regions, found)


def _tables_with_cells(grid: str, cells: dict[str, Cell]) -> set[int]:
    """The tables with a cell in ``cells`` (ids of the ``grid`` template): each table's
    ids are asked in order until one is there — the first, in a table that was read —
    not each cell its table."""
    return {table for table, table_ids in _ids_by_table(grid) if any(cid in cells for cid in table_ids)}


@lru_cache(maxsize=8)
def _ids_by_table(grid: str) -> tuple[tuple[int, tuple[str, ...]], ...]:
    """Each table of the ``grid`` template with its ids, in the template's order."""
    by_table: dict[int, list[str]] = {}
    for cid in ids_for_template(grid):
        by_table.setdefault(INDICATORS[cid].table, []).append(cid)
    return tuple((table, tuple(table_ids)) for table, table_ids in by_table.items())


def _cut_tables(regions: dict[int, tuple[int, int]], n: int) -> dict[int, bool]:
    """Table → whether the text ends inside it (the last table, running to the end)."""
    last = max(regions, key=lambda k: regions[k][0]) if regions else None
    return {k: k == last and regions[k][1] >= n for k in (2, 3, 4)}


def _ends_the_text(tok: Tok, text: str, texts: list[str]) -> bool:
    """The token is a number printed at the very end of a truncated text (its last digits
    may be missing)."""
    return (tok.kind in ("num", "run") and tok.line == len(texts) - 1
            and text.rstrip(" \t").endswith(tok.text) and not text.endswith("\n"))


def _whole_zero(toks: list[Tok]) -> bool:
    """The last token is a lone 0, which no cut can have shortened: a count's digits never
    go on after a leading 0 — an amount's may (0 of 0.35万元), so not where one of the last
    labels before it names a money row or column (行政事业性收费（万元）, 本年收费金额)."""
    if toks[-1].kind != "num" or toks[-1].text != "0":
        return False
    labels = [label_core(t.text) for t in reversed(toks) if t.kind == "text"][:_MONEY_REACH]
    return not any(money in label for label in labels for money in _money_labels())


_MONEY_REACH = 3  # labels looked back over: the row's, and a header printed after it


@lru_cache(maxsize=1)
def _money_labels() -> frozenset[str]:
    """The row and column labels (and aliases) of the template's amount cells, as cores:
    行政事业性收费, 政府集中采购, 本年收费金额, 采购总金额 …"""
    return frozenset(label_core(label) for ind in INDICATORS.values() if ind.column_id == "amount"
                     for label in (ind.row, *ind.row_aliases, ind.column, *ind.column_aliases))


def _missing(ids: tuple[str, ...], cells: dict[str, Cell], doubtful: dict[str, str], found: list[int],
             cut: dict[int, bool]) -> list[str]:
    """The ids blank, doubtful, or a gap in a table that is printed — but not a cell of a
    table the document does not have, nor one past the point where a truncated document
    stops.  (One comprehension over the template's ids: a call per id was most of it.)"""
    gaps = {table for table in found if not cut.get(table, False)}  # tables whose unread cells are gaps
    read = cells.get  # one lookup per id, not a test and a lookup
    return [cid for cid in ids
            if (cell.value is None if (cell := read(cid)) is not None
                else cid in doubtful or INDICATORS[cid].table in gaps)]
