"""Rows whose cells were printed run together (``规章000``): reading them through
``nlp.tables.runon``'s unique splits, the row's arithmetic, the narrative, and the
table's identities (``nlp.identities.consistent``).
"""

from __future__ import annotations

import re

from nlp import lexicon
from nlp.identities import sums_agree
from nlp.indicators import identities_for
from nlp.tables.cells import label_core
from nlp.tables.rows import NOTES, Reader
from nlp.tables.runon import Piece, pieces_of, splits
from nlp.tables.tokens import Tok

__all__ = ["has_run", "run_splits", "run_toks", "run_note", "put_run_row", "narrative_sentences",
           "settle_run_rows"]

_NARRATIVE = lexicon.load("tables")["narrative"]

# Candidate splits kept for a row whose 总计 does not settle it (the table's column
# identities may still do).
_RUN_CANDIDATES = 12


def has_run(vals: list[Tok]) -> bool:
    """Some of the row's value tokens are digits of several cells printed together."""
    return "run" in [v.kind for v in vals]  # not any(genexpr): asked of every row read, several times


def run_splits(vals: list[Tok], n: int, forced=None) -> list[tuple]:
    """Ways of reading a row's value tokens, some run together, as its ``n`` cells: under
    the row's arithmetic (``forced``) when it has any; when the printed numbers break
    that arithmetic, the split the digits allow on their own, if it is the only one."""
    pieces: list[Piece] = []
    for v in vals:
        if v.kind == "run":
            pieces += pieces_of(v.text)
        else:
            pieces.append(Piece(value=v.value if v.kind == "num" else None))
    found = splits(pieces, n, forced, _RUN_CANDIDATES if forced else 2)
    if forced is not None and not found:
        free = splits(pieces, n, None, 2)
        return free if len(free) == 1 else []
    return found


def run_toks(values: tuple, vals: list[Tok]) -> list[Tok]:
    line, row = vals[0].line, vals[0].row
    return [Tok("" if v is None else str(v), line, "num" if v is not None else "blank", v, row, k)
            for k, v in enumerate(values)]


def run_note(vals: list[Tok], values: tuple) -> str:
    """How a row's cells were placed: digits run together split, or numbers short of the
    columns placed (``requests._read_short_row``)."""
    cells = " | ".join("∅" if v is None else str(v) for v in values)
    if not has_run(vals):
        return NOTES["short_row"].format(printed=" ".join(v.text for v in vals), cells=cells)
    return NOTES["run_split"].format(printed="".join(v.text for v in vals), cells=cells)


def narrative_sentences(texts: list[str], regions: dict[int, tuple[int, int]]) -> list[str]:
    """Sentences of the lines outside every table region."""
    inside = {i for a, b in regions.values() for i in range(a, b)}
    out: list[str] = []
    for i, text in enumerate(texts):
        if i not in inside and "\t" not in text and "|" not in text:
            out += [x for x in re.split(_NARRATIVE["sentence_split"], text) if x.strip()]
    return out


_FIGURE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(?![\d.]|\s*%s)" % _NARRATIVE["date_marks"])


def _named_figures(rd: Reader, row_labels: list[str]) -> set[float]:
    """Numbers printed in a narrative sentence that names the row (规范性文件 … 3件)."""
    cores = [label_core(x) for x in row_labels if len(label_core(x)) >= 2]
    out: set[float] = set()
    for sentence in rd.narrative():
        flat = re.sub(r"\s+", "", sentence)
        if any(c in flat for c in cores):
            out |= {float(m.group(1)) for m in _FIGURE.finditer(flat)}
    return out


def _by_narrative(found: list[tuple], figures: set[float]) -> tuple | None:
    """The one split whose every cell the narrative prints in a sentence naming the row."""
    named = [f for f in found if all(v is not None and float(v) in figures for v in f)]
    return named[0] if len(named) == 1 else None


def put_run_row(rd: Reader, ids: list[str], vals: list[Tok], forced=None,
                labels: list[str] | None = None) -> None:
    """Read a row whose cells were run together when its digits split one way only (under
    ``forced``; else by the narrative sentences naming the row's ``labels``)."""
    found = run_splits(vals, len(ids), forced)
    note = ""
    if len(found) > 1 and labels:
        every = _run_splits_all(vals, len(ids), forced)
        pick = _by_narrative(every, _named_figures(rd, labels)) if every else None
        if pick is not None:
            found, note = [pick], NOTES["by_narrative"]
    if len(found) != 1:
        printed = "".join(v.text for v in vals)
        how = NOTES["run_many"] if found else NOTES["run_none"]
        rd.doubt(ids, NOTES["run_no_split"].format(printed=printed, n=len(ids), how=how))
        return
    for cid, tok in zip(ids, run_toks(found[0], vals)):
        rd.put(cid, tok)
        rd.repairs[cid] = run_note(vals, found[0]) + note


# Splits enumerated when the narrative is to pick one (a row of a few cells has few).
_NARRATIVE_SPLITS = 400


def _run_splits_all(vals: list[Tok], n: int, forced=None) -> list[tuple]:
    pieces: list[Piece] = []
    for v in vals:
        pieces += pieces_of(v.text) if v.kind == "run" else [Piece(value=v.value if v.kind == "num" else None)]
    found = splits(pieces, n, forced, _NARRATIVE_SPLITS + 1)
    return found if len(found) <= _NARRATIVE_SPLITS else []


# Combinations of open rows' splits tried together at most (each is one identity check).
_MAX_COMBINATIONS = 20_000


def _settle_jointly(pending: dict[str, tuple[list[tuple], list[Tok]]], cols: list[str],
                    rd: Reader, template: str) -> None:
    """Rows still open, taken together: every combination of their splits that the column
    identities allow is kept, and a row is read when all kept combinations split it the
    same way (its split is then forced, whichever way the other rows go)."""
    rows = list(pending)
    count = 1
    for row in rows:
        count *= len(pending[row][0])
    if count > _MAX_COMBINATIONS:
        return
    ids = {row: [f"requests.{row}.{c}" for c in cols] for row in rows}
    checks = _joint_checks(rows, ids, rd, template)
    kept = _combinations_holding([pending[row][0] for row in rows], checks)
    for k, row in enumerate(rows):
        options = {combo[k] for combo in kept}
        if len(options) == 1 and _checkable(next(iter(options)), pending[row][1]):
            split, vals = options.pop(), pending[row][1]
            for cid, tok in zip(ids[row], run_toks(split, vals)):
                rd.put(cid, tok)
                rd.repairs[cid] = run_note(vals, split) + NOTES["by_columns"]
            del pending[row]


# One identity as a combination of the open rows' splits meets it: each term's known value
# (None where a split gives it), the terms a split gives (term, row, cell), how many terms
# are its lhs.
JointCheck = tuple[list[float | int | None], list[tuple[int, int, int]], int]


def _joint_checks(rows: list[str], ids: dict[str, list[str]], rd: Reader, template: str) -> list[JointCheck]:
    """What :func:`consistent` checks for every combination of the rows' splits, worked
    out once: every combination assigns the same ids, so the identities they take part
    in and the known cells there are the same each time (up to 20 000 combinations each
    went through every identity of the template)."""
    place = {cid: (r, k) for r, row in enumerate(rows) for k, cid in enumerate(ids[row])}
    checks: list[JointCheck] = []
    for ident in identities_for(template):
        terms = ident.lhs + ident.rhs
        if not any(i in place for i in terms):
            continue  # no combination takes part in it: consistent passes it over
        known = [None if i in place else (rd.cells[i].value if i in rd.cells else None) for i in terms]
        if any(v is None and i not in place for i, v in zip(terms, known)):
            continue  # a blank known cell leaves it unchecked, whatever the combination
        fills = [(k, *place[i]) for k, i in enumerate(terms) if i in place]
        checks.append((known, fills, len(ident.lhs)))
    return checks


def _combinations_holding(options: list[list[tuple]], checks: list[JointCheck]) -> list[tuple]:
    """The combinations of the rows' splits (one per row, in ``product`` order) that every
    check allows.  Built row by row, each check tried as soon as the rows it reads are
    chosen: a split that breaks an identity with the rows before it is not combined with
    every split of the rows after it (up to 20 000 combinations were tried in full)."""
    due: list[list[JointCheck]] = [[] for _ in options]  # the checks whose last row is this one
    for check in checks:
        due[max(r for _, r, _ in check[1])].append(check)
    kept: list[tuple] = []
    chosen: list[tuple] = []

    def extend(r: int) -> None:
        if r == len(options):
            kept.append(tuple(chosen))
            return
        for split in options[r]:
            chosen.append(split)
            if _all_hold(chosen, due[r]):
                extend(r + 1)
            chosen.pop()

    extend(0)
    return kept


def _all_hold(combo: tuple | list, checks: list[JointCheck]) -> bool:
    """Every identity is met, or left unchecked (a blank cell), as :func:`consistent`
    judges them with the combination's splits assigned."""
    for known, fills, n_lhs in checks:
        vals = known.copy()  # the terms in order, the splits' few put in their places
        for k, r, c in fills:
            vals[k] = combo[r][c]
        if None not in vals and not sums_agree(vals, n_lhs):
            return False
    return True


def _checkable(split: tuple, vals: list[Tok]) -> bool:
    """May this one split left be read?  Not a row short of numbers placed with its 总计
    blank: nothing checked it, and its numbers would sit where their order puts them."""
    return has_run(vals) or split[-1] is not None


def settle_run_rows(pending: dict[str, tuple[list[tuple], list[Tok]]], cols: list[str],
                    rd: Reader, template: str) -> None:
    """Rows of table 3 whose run-together digits split more than one way under their row
    sum: the column identities (一 + 二 = (七) + 四, (七) = the result rows) remove the
    splits they break, as rows around them become known; a row is read only when one
    split is left, else its cells stay unread."""
    progress = True
    while pending and progress:
        progress = False
        for row, (cands, vals) in list(pending.items()):
            ids = [f"requests.{row}.{c}" for c in cols]
            checks = _joint_checks([row], {row: ids}, rd, template)  # consistent's, worked out once for the row
            keep = [c for c in cands if _all_hold((c,), checks)]
            if len(keep) == 1 and _checkable(keep[0], vals):
                for cid, tok in zip(ids, run_toks(keep[0], vals)):
                    rd.put(cid, tok)
                    rd.repairs[cid] = run_note(vals, keep[0]) + NOTES["by_columns"]
                del pending[row]
                progress = True
            elif len(keep) < len(cands):
                pending[row] = (keep, vals)
                progress = bool(keep)
    if pending:
        _settle_jointly(pending, cols, rd, template)
    for row, (cands, vals) in pending.items():
        run = has_run(vals)
        printed = ("" if run else " ").join(v.text for v in vals)
        ids = [f"requests.{row}.{c}" for c in cols]
        if not run:  # numbers short of the columns: a cell every placement left gives is read
            for k, cid in enumerate(ids):
                if len({cand[k] for cand in cands}) == 1 and cands[0][k] is not None:
                    rd.put(cid, run_toks(cands[0], vals)[k])
                    rd.repairs[cid] = NOTES["short_same"].format(printed=printed, n=len(cands))
            ids = [cid for cid in ids if cid not in rd.cells]
        rd.doubt(ids, NOTES["run_undecided" if run else "short_undecided"].format(printed=printed, n=len(cands)))
