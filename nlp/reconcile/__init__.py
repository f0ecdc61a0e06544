"""Reconcile: where the narrative, the tables and last year's report disagree.

``reconcile(record)`` reads a record's linked facts, its table cells (``record.cells``
when predicted, else the gold ``record.table``) and its template, and returns
findings a reviewer can act on without reading code:

* ``narrative_table_mismatch`` — a narrative figure linked to a table id differs from
  the cell, after the tolerance its qualifier implies (``tolerance_for``).  A figure linked
  to a composite id (``composites:`` of indicators.yaml: 予以公开及部分公开, 行政诉讼 =
  直接起诉 + 复议后起诉, 受理 = 新收 + 上年结转 …) is compared with the sum of its cells,
  and not at all when one of them is blank or unread.  When the figure misses its cell
  but equals another cell, a natural sum of its family or a composite that holds it, the
  difference is explained and the finding is ``info``.
* ``zero_claim_contradiction`` — a ZERO claim against a non-zero cell of its scope: the
  cells its own words deny (``zero_scopes:`` of indicators.yaml: 未…纠错 → 结果纠正,
  未收到申请 → 本年新收); a claim whose scope is unclear is not compared.
* ``identity_violation`` / ``missing_cell`` — the tables' own arithmetic, from
  ``nlp.identities.check_identities``.
* ``narrative_conflict`` — two narrative figures for one id that cannot both be true,
  when both count the same quantity: not one a part (其中), and the same channel, unit,
  topic, period and way of disclosure (``scope_markers`` of nlp/data/lexicon/reconcile.yaml).

``reconcile_years(records)`` adds ``cross_year_mismatch`` for one agency's reports of
consecutive years (rules in ``registry().cross_year``).

Severity (documented in the README, "Findings and severity"):
error — a definite disagreement a reviewer must act on: an exact figure against the cell
its sentence names, a zero claim against a non-zero cell in its scope, a broken identity;
warning — probable: an approximate figure outside its tolerance, an exact figure whose
words do not confirm its link, two narrative figures that disagree, blank cells,
cross-year breaks; info — explained differences (the figure is a part or a sum of cells)
and coverage notes.  ``info`` never fails a run.

The reconciler's words are data read through :mod:`nlp.lexicon`: qualifiers and their
tolerances (``qualifiers.yaml``), units (``units.yaml``), scope markers and the rest
(``reconcile.yaml``); what a zero claim denies is in indicators.yaml.

The package, along its seams: :mod:`~nlp.reconcile.tolerance` (qualifiers → ranges),
:mod:`~nlp.reconcile.cells` (cell values, composites, the tables' identities),
:mod:`~nlp.reconcile.scope` (what a figure's words say it counts),
:mod:`~nlp.reconcile.narrative` (narrative vs table, narrative vs narrative),
:mod:`~nlp.reconcile.cross_year` and :mod:`~nlp.reconcile.findings` (assembly).
"""

from nlp.reconcile.cross_year import add_cross_year, agency_year, reconcile_years, with_cross_year, year_key
from nlp.reconcile.findings import reconcile
from nlp.reconcile.scope import sentence_start, zero_claim, zero_scope
from nlp.reconcile.tolerance import Tolerance, qualifier, tolerance_for

__all__ = ["reconcile", "reconcile_years", "year_key", "agency_year", "add_cross_year", "with_cross_year", "tolerance_for", "qualifier",
           "Tolerance", "sentence_start", "zero_claim", "zero_scope"]
