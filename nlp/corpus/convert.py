"""Corpus conversions for researchers: spaCy DocBin, Label Studio tasks, Hugging Face datasets.

Every conversion round-trips: ``from_docbin(to_docbin(r))`` and
``from_labelstudio(to_labelstudio(r))`` give back records equal to ``r``.

spaCy
    One ``Doc`` per record (blank ``zh`` pipeline, character tokens; ``doc.text`` is the
    record text).  ``doc.spans["facts"]`` holds every fact (overlaps and repeated spans
    allowed); ``doc.ents`` holds the distinct fact spans — a zero claim that denies
    several indicators is ONE entity there.  What a span cannot carry (value, unit,
    approx, indicator, exact offsets) and the rest of the record sit in
    ``doc.user_data["govreport"]``, so nothing is lost.
Label Studio
    One task per record: ``data.text`` plus ``data.govreport`` (the fields that are not
    regions).  Regions (``annotations[0].result``): every fact is a ``fact`` Labels region
    with per-region ``indicator`` / ``value`` / ``unit`` TextAreas and an ``approx``
    Choices; every non-empty line is a ``section`` Labels region with a per-region
    ``heading`` Choices.  Empty lines are not regions: on import they take the section
    of the line before (the annotation rule); records that break the rule keep their
    empty-line sections in ``data.govreport.empty_line_sections``.  Use
    :func:`label_config` as the project's labeling interface.
Hugging Face
    :func:`to_dataset` loads a JSONL corpus as a ``datasets.Dataset`` with typed
    features (sections, labels and finding types as ``ClassLabel``; ``table`` as a
    list of ``{id, value}``; ``notes`` as a JSON string).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from nlp.corpus.io import load_records
from nlp.errors import CorpusError
from nlp.persist import atomic_write_bytes, atomic_write_text
from nlp.types import FACT_LABELS, FINDING_TYPES, SECTIONS, Fact, Line, Record, lines_of

USER_KEY = "govreport"


# ---------------------------------------------------------------- spaCy
def _record_rest(rec: Record, drop: tuple[str, ...]) -> dict[str, Any]:
    data = rec.to_dict()
    for key in drop:
        data.pop(key, None)
    return data


def record_to_doc(rec: Record, nlp: Any) -> Any:
    """A spaCy ``Doc`` for one record (see the module docstring for the layout)."""
    from spacy.tokens import Span

    doc = nlp.make_doc(rec.text)
    spans, ents, seen = [], [], set()
    for fact in rec.facts:
        span = doc.char_span(fact.start, fact.end, label=fact.label, alignment_mode="expand")
        if span is None:  # only for empty or out-of-range spans; the metadata still keeps it
            continue
        spans.append(span)
        key = (span.start, span.end)
        if key not in seen:
            seen.add(key)
            ents.append(span)
    doc.spans["facts"] = spans
    # non-empty lines labelled with their section, for span/text classifiers
    doc.spans["lines"] = [s for s in (doc.char_span(ln.start, ln.end, label=ln.section or "",
                                                    alignment_mode="expand")
                                      for ln in rec.lines if ln.end > ln.start) if s is not None]
    # doc.ents must not overlap: keep the first of overlapping distinct spans
    ents.sort(key=lambda s: (s.start, -s.end))
    chosen: list[Span] = []
    for span in ents:
        if not chosen or span.start >= chosen[-1].end:
            chosen.append(span)
    doc.ents = chosen
    doc.user_data[USER_KEY] = json.dumps(_record_rest(rec, ("text",)), ensure_ascii=False)
    return doc


def doc_to_record(doc: Any) -> Record:
    """Rebuild the record a ``Doc`` was made from (exact offsets from the metadata)."""
    raw = doc.user_data.get(USER_KEY)
    if raw is None:
        raise CorpusError(None, "spaCy Doc has no govreport metadata (not written by to_docbin)")
    data = json.loads(raw)
    data["text"] = doc.text
    return Record.from_dict(data)


def to_docbin(records: Iterable[Record], path: str | Path) -> int:
    """Write records as a spaCy ``DocBin`` file; returns the number of docs."""
    from nlp.extract import import_spacy

    spacy = import_spacy()
    from spacy.tokens import DocBin

    nlp = spacy.blank("zh")
    docbin = DocBin(attrs=["ORTH", "ENT_IOB", "ENT_TYPE"], store_user_data=True)
    count = 0
    for rec in records:
        docbin.add(record_to_doc(rec, nlp))
        count += 1
    atomic_write_bytes(Path(path), docbin.to_bytes())
    return count


def from_docbin(path: str | Path) -> list[Record]:
    """Records from a ``DocBin`` written by :func:`to_docbin`."""
    from nlp.extract import import_spacy

    spacy = import_spacy()
    from spacy.tokens import DocBin

    nlp = spacy.blank("zh")
    try:
        docbin = DocBin(store_user_data=True).from_bytes(Path(path).read_bytes())
    except (OSError, ValueError) as err:
        raise CorpusError(str(path), f"not a spaCy DocBin ({err})") from None
    return [doc_to_record(doc) for doc in docbin.get_docs(nlp.vocab)]


# ---------------------------------------------------------------- Label Studio
def label_config() -> str:
    """The Label Studio labeling interface matching :func:`to_labelstudio`'s regions."""
    facts = "\n".join(f'    <Label value="{x}"/>' for x in FACT_LABELS)
    sections = "\n".join(f'    <Label value="{x}"/>' for x in SECTIONS)
    return f"""<View>
  <Labels name="fact" toName="text">
{facts}
  </Labels>
  <Labels name="section" toName="text">
{sections}
  </Labels>
  <Text name="text" value="$text"/>
  <View visibleWhen="region-selected" whenTagName="fact">
    <TextArea name="indicator" toName="text" perRegion="true" maxSubmissions="1"
              placeholder="canonical id, narrative.<topic>, or empty"/>
    <TextArea name="value" toName="text" perRegion="true" maxSubmissions="1"/>
    <TextArea name="unit" toName="text" perRegion="true" maxSubmissions="1"/>
    <Choices name="approx" toName="text" perRegion="true" choice="single">
      <Choice value="approx"/>
    </Choices>
  </View>
  <View visibleWhen="region-selected" whenTagName="section">
    <Choices name="heading" toName="text" perRegion="true" choice="single">
      <Choice value="heading"/>
    </Choices>
  </View>
</View>
"""


def _region(rid: str, name: str, kind: str, start: int, end: int, text: str, payload: dict) -> dict:
    value = {"start": start, "end": end, "text": text, **payload}
    return {"id": rid, "from_name": name, "to_name": "text", "type": kind, "value": value}


def _empty_line_rule(rec: Record) -> list[str | None]:
    """The section each line would get on import if empty lines follow the rule."""
    texts = rec.line_texts()
    out: list[str | None] = []
    for ln, text in zip(rec.lines, texts):
        out.append(ln.section if text else (out[-1] if out else None))
    # leading empty lines: the section of the first non-empty line
    first = next((s for s, t in zip(out, texts) if t), None)
    return [s if s is not None else first for s in out]


def record_to_task(rec: Record, task_id: int | None = None) -> dict[str, Any]:
    result: list[dict] = []
    for i, f in enumerate(rec.facts):
        rid = f"fact{i}"
        pos = (f.start, f.end, f.text)
        result.append(_region(rid, "fact", "labels", *pos, {"labels": [f.label]}))
        result.append(_region(rid, "indicator", "textarea", *pos, {"text": [f.indicator or ""]}))
        result.append(_region(rid, "value", "textarea", *pos,
                              {"text": ["" if f.value is None else json.dumps(f.value)]}))
        result.append(_region(rid, "unit", "textarea", *pos, {"text": [f.unit or ""]}))
        if f.approx:
            result.append(_region(rid, "approx", "choices", *pos, {"choices": ["approx"]}))
    texts = rec.line_texts()
    for i, (ln, text) in enumerate(zip(rec.lines, texts)):
        if not text:
            continue
        rid = f"line{i}"
        pos = (ln.start, ln.end, text)
        result.append(_region(rid, "section", "labels", *pos, {"labels": [ln.section]}))
        if ln.heading:
            result.append(_region(rid, "heading", "choices", *pos, {"choices": ["heading"]}))
    rest = _record_rest(rec, ("text", "facts", "lines"))
    rule = _empty_line_rule(rec)
    exceptions = {str(i): ln.section for i, (ln, text, s) in enumerate(zip(rec.lines, texts, rule))
                  if not text and (ln.section != s or ln.heading)}
    if exceptions:
        rest["empty_line_sections"] = exceptions
    task: dict[str, Any] = {"data": {"text": rec.text, USER_KEY: rest},
                            "annotations": [{"result": result}]}
    if task_id is not None:
        task["id"] = task_id
    return task


def _region_value(item: dict, key: str) -> Any:
    value = item.get("value", {}).get(key)
    return value[0] if isinstance(value, list) and value else value


def _parse_value(raw: str | None, fact_text: str, label: str) -> tuple[Any, str | None, bool | None]:
    """Value from the TextArea; for a region drawn in Label Studio without one, parse it."""
    if raw not in (None, ""):
        try:
            return json.loads(raw), None, None
        except json.JSONDecodeError:
            pass
    if label == "ZERO":
        return 0, "", False
    try:
        from nlp.numbers import parse_quantity
        q = parse_quantity(raw if raw else fact_text)
        return q.value, q.unit, q.approx
    except (ImportError, ValueError):
        return None, None, None


def _pick_annotation(task: dict) -> list[dict]:
    anns = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
    if anns:  # the newest annotation wins (researchers' corrections)
        anns.sort(key=lambda a: (a.get("updated_at") or a.get("created_at") or "", a.get("id") or 0))
        return anns[-1].get("result") or []
    preds = task.get("predictions") or []
    return (preds[-1].get("result") or []) if preds else []


def task_to_record(task: dict, where: str = "<task>") -> Record:
    data = task.get("data") or {}
    text = data.get("text")
    if not isinstance(text, str):
        raise CorpusError(where, "task has no data.text")
    rest = dict(data.get(USER_KEY) or {})
    exceptions = rest.pop("empty_line_sections", {}) or {}
    if "id" not in rest:
        rest["id"] = str(task.get("id", ""))
    regions: dict[str, dict[str, dict]] = {}
    order: list[str] = []
    for item in _pick_annotation(task):
        rid = str(item.get("id"))
        if rid not in regions:
            regions[rid] = {}
            order.append(rid)
        regions[rid][item.get("from_name", "")] = item
    facts, line_marks = [], {}
    for rid in order:
        group = regions[rid]
        if "fact" in group:
            facts.append(_fact_from_regions(group, text))
        if "section" in group:
            item = group["section"]
            start = item["value"]["start"]
            line_marks[start] = (_region_value(item, "labels"), "heading" in group)
    lines = _lines_from_marks(text, line_marks, exceptions)
    record = Record.from_dict({**rest, "text": text})
    record.facts, record.lines = facts, lines
    return record


def _fact_from_regions(group: dict[str, dict], text: str) -> Fact:
    item = group["fact"]
    start, end = int(item["value"]["start"]), int(item["value"]["end"])
    label = _region_value(item, "labels")
    span = text[start:end]
    value, unit, approx = _parse_value(_region_value(group.get("value", {}), "text"), span, label)
    unit_raw = _region_value(group["unit"], "text") if "unit" in group else None
    indicator = _region_value(group["indicator"], "text") if "indicator" in group else None
    return Fact(start, end, span, label, value,
                unit_raw if "unit" in group else (unit or ""),
                ("approx" in group) if "value" in group else bool(approx),
                indicator or None)


def _lines_from_marks(text: str, marks: dict[int, tuple[str, bool]],
                      exceptions: dict[str, str]) -> list[Line]:
    lines = lines_of(text)
    for ln in lines:
        if ln.start in marks and ln.end > ln.start:
            ln.section, ln.heading = marks[ln.start]
    for i, ln in enumerate(lines):  # empty (unmarked) lines: the section of the line before
        if ln.section is None and i > 0:
            ln.section = lines[i - 1].section
    first = next((ln.section for ln in lines if ln.section), None)
    for ln in lines:
        if ln.section is None:
            ln.section = first
    for key, section in exceptions.items():
        if 0 <= int(key) < len(lines):
            lines[int(key)].section = section
    return lines


def to_labelstudio(records: Iterable[Record], path: str | Path) -> int:
    """Write Label Studio tasks (JSON list) and ``<stem>.label_config.xml`` beside them."""
    tasks = [record_to_task(r, i + 1) for i, r in enumerate(records)]
    path = Path(path)
    atomic_write_text(path, json.dumps(tasks, ensure_ascii=False, indent=1) + "\n")
    atomic_write_text(path.with_name(path.stem + ".label_config.xml"), label_config())
    return len(tasks)


def from_labelstudio(path: str | Path) -> list[Record]:
    """Records from a Label Studio JSON export (or the tasks :func:`to_labelstudio` wrote)."""
    path = Path(path)
    try:
        tasks = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise CorpusError(str(path), f"not a Label Studio JSON export ({err})") from None
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list):
        raise CorpusError(str(path), "expected a JSON list of tasks")
    return [task_to_record(t, f"{path}[{i}]") for i, t in enumerate(tasks)]


# ---------------------------------------------------------------- Hugging Face
def dataset_features() -> Any:
    from datasets import ClassLabel, Features, Value

    return Features({
        "id": Value("string"), "source": Value("string"), "agency": Value("string"),
        "year": Value("int32"), "template": Value("string"), "text": Value("string"),
        "lines": [{"start": Value("int32"), "end": Value("int32"),
                   "section": ClassLabel(names=list(SECTIONS)), "heading": Value("bool")}],
        "facts": [{"start": Value("int32"), "end": Value("int32"), "text": Value("string"),
                   "label": ClassLabel(names=list(FACT_LABELS)), "value": Value("float64"),
                   "unit": Value("string"), "approx": Value("bool"), "indicator": Value("string")}],
        "table": [{"id": Value("string"), "value": Value("float64")}],
        "missing_cells": [Value("string")],
        "findings": [{"type": ClassLabel(names=list(FINDING_TYPES)), "indicator": Value("string"),
                      "narrative_value": Value("float64"), "table_value": Value("float64"),
                      "cells": [Value("string")]}],
        "notes": Value("string"),
    })


def record_to_row(rec: Record) -> dict[str, Any]:
    return {
        "id": rec.id, "source": rec.source, "agency": rec.agency, "year": rec.year,
        "template": rec.template, "text": rec.text,
        "lines": [{"start": x.start, "end": x.end, "section": x.section, "heading": x.heading}
                  for x in rec.lines],
        "facts": [{"start": f.start, "end": f.end, "text": f.text, "label": f.label,
                   "value": f.value, "unit": f.unit, "approx": f.approx, "indicator": f.indicator}
                  for f in rec.facts],
        "table": [{"id": k, "value": v} for k, v in rec.table.items()],
        "missing_cells": list(rec.missing_cells),
        "findings": [{"type": f.type, "indicator": f.indicator, "narrative_value": f.narrative_value,
                      "table_value": f.table_value, "cells": list(f.cells)} for f in rec.findings],
        "notes": None if rec.notes is None else json.dumps(rec.notes, ensure_ascii=False),
    }


def records_to_dataset(records: Iterable[Record]) -> Any:
    from datasets import Dataset

    return Dataset.from_list([record_to_row(r) for r in records], features=dataset_features())


def to_dataset(path: str | Path) -> Any:
    """A JSONL corpus as a ``datasets.Dataset`` with typed features, in one call.

    ``ds.features["lines"][0]["section"].int2str(i)`` names a section; table cells are
    ``{"id", "value"}`` rows because each template has its own set of ids.
    """
    return records_to_dataset(load_records(path))


def to_hf(records: Iterable[Record], path: str | Path) -> int:
    """Save records as a dataset folder (``datasets.load_from_disk``)."""
    ds = records_to_dataset(records)
    ds.save_to_disk(str(path))
    return len(ds)


# ---------------------------------------------------------------- one entry point for the CLI
EXPORTERS = {"spacy": to_docbin, "labelstudio": to_labelstudio, "hf": to_hf}
IMPORTERS = {"labelstudio": from_labelstudio, "spacy": from_docbin}


def export_corpus(paths: Iterable[str | Path], to: str, out: str | Path) -> int:
    """Convert JSONL corpus files to ``spacy`` (DocBin), ``labelstudio`` (tasks JSON) or
    ``hf`` (a ``datasets`` folder); returns the number of records written."""
    if to not in EXPORTERS:
        raise CorpusError(None, f"unknown export format {to!r} (choose {', '.join(EXPORTERS)})")
    records = [r for p in paths for r in load_records(p)]
    return EXPORTERS[to](records, out)


def import_corpus(path: str | Path, from_: str, out: str | Path) -> int:
    """Convert a Label Studio export (or a DocBin) back into a JSONL corpus file."""
    from nlp.corpus.io import save_records

    if from_ not in IMPORTERS:
        raise CorpusError(None, f"unknown import format {from_!r} (choose {', '.join(IMPORTERS)})")
    records = IMPORTERS[from_](path)
    save_records(out, records)
    return len(records)
