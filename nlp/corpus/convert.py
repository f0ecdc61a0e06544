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
    Model output goes under ``predictions`` (with ``score`` and ``model_version``), gold
    under ``annotations``; on import the newest annotation wins, else the prediction.
Hugging Face
    :func:`to_dataset` loads a JSONL corpus as a ``datasets.Dataset`` with typed
    features (sections, labels and finding types as ``ClassLabel``; ``table`` as a
    list of ``{id, value}``; ``notes`` as a JSON string).  :func:`to_hf` saves a corpus
    folder as a ``DatasetDict`` (train / validation / test, and seeds) with a dataset
    card; :func:`from_hf` reads it back.
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
    from nlp.extract.spacy import import_spacy

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
    from nlp.extract.spacy import import_spacy

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


def record_to_task(rec: Record, task_id: int | None = None,
                   prediction: Record | None = None) -> dict[str, Any]:
    """One Label Studio task.  Gold goes under ``annotations``; model output (a record the
    pipeline wrote, ``source == "prediction"``, or ``prediction`` given beside the gold)
    goes under ``predictions`` with its ``score`` (mean fact confidence) and
    ``model_version`` (the models that made it), as Label Studio expects."""
    is_model_output = rec.source == "prediction"
    rest = _record_rest(rec, ("text", "facts", "lines"))
    rule = _empty_line_rule(rec)
    texts = rec.line_texts()
    exceptions = {str(i): ln.section for i, (ln, text, s) in enumerate(zip(rec.lines, texts, rule))
                  if not text and (ln.section != s or ln.heading)}
    if exceptions:
        rest["empty_line_sections"] = exceptions
    task: dict[str, Any] = {"data": {"text": rec.text, USER_KEY: rest}}
    if not is_model_output:
        task["annotations"] = [{"result": task_results(rec)}]
    predicted = rec if is_model_output else prediction
    if predicted is not None:
        task["predictions"] = [prediction_of(predicted)]
    if task_id is not None:
        task["id"] = task_id
    return task


def prediction_of(rec: Record) -> dict[str, Any]:
    """A Label Studio prediction: the regions, a score and the model version."""
    scores = [f.confidence for f in rec.facts if f.confidence is not None]
    versions = rec.versions or {}
    return {"model_version": " ".join(f"{k}={v}" for k, v in sorted(versions.items())) or "govreport",
            "score": round(sum(scores) / len(scores), 4) if scores else None,
            "result": task_results(rec)}


def task_results(rec: Record) -> list[dict]:
    """The regions of a record: a fact Labels region with per-region TextAreas, a section
    Labels region per non-empty line."""
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
    return result


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
    from nlp.numbers import parse_quantity
    try:
        q = parse_quantity(raw if raw else fact_text)
        return q.value, q.unit, q.approx
    except ValueError:
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


def to_labelstudio(records: Iterable[Record], path: str | Path,
                   predictions: Iterable[Record] | None = None) -> int:
    """Write Label Studio tasks (JSON list) and ``<stem>.label_config.xml`` beside them.

    ``predictions``: model output for the same documents (paired by id), put beside the
    gold as each task's ``predictions``."""
    by_id = {p.id: p for p in predictions or [] if p.error is None}
    tasks = [record_to_task(r, i + 1, by_id.get(r.id)) for i, r in enumerate(records)]
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
        "findings": [{"type": ClassLabel(names=list(FINDING_TYPES)), "severity": Value("string"),
                      "indicator": Value("string"), "narrative_value": Value("float64"),
                      "table_value": Value("float64"), "fact": Value("int32"),
                      "cells": [Value("string")], "message": Value("string")}],
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
        "findings": [{"type": f.type, "severity": f.severity, "indicator": f.indicator,
                      "narrative_value": f.narrative_value, "table_value": f.table_value,
                      "fact": f.fact, "cells": list(f.cells), "message": f.message} for f in rec.findings],
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


def row_to_record(row: dict[str, Any], features: Any = None) -> Record:
    """A dataset row back to a record (``features`` names the ClassLabel integers)."""
    def name(column: str, key: str, value: Any) -> Any:
        if features is None or not isinstance(value, int):
            return value
        return features[column][0][key].int2str(value)

    data = {k: row.get(k) for k in ("id", "source", "agency", "year", "template", "text", "missing_cells")}
    data["lines"] = [{**ln, "section": name("lines", "section", ln["section"])} for ln in row.get("lines") or []]
    data["facts"] = [{**f, "label": name("facts", "label", f["label"]), "value": _number(f["value"])}
                     for f in row.get("facts") or []]
    data["table"] = {c["id"]: _number(c["value"]) for c in row.get("table") or []}
    data["findings"] = [{**f, "type": name("findings", "type", f["type"]),
                         "narrative_value": _number(f.get("narrative_value")),
                         "table_value": _number(f.get("table_value"))} for f in row.get("findings") or []]
    if row.get("notes") is not None:
        data["notes"] = json.loads(row["notes"])
    return Record.from_dict(data)


def _number(value: Any) -> Any:
    """float64 columns give 188.0 back: whole numbers as int, as the corpus writes them."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


HF_SPLITS = {"train": "train", "dev": "validation", "validation": "validation", "test": "test"}
LICENSE = "apache-2.0"


def split_files(paths: Iterable[str | Path]) -> dict[str, list[Path]]:
    """Corpus files by dataset split: a corpus folder's ``synth/{train,dev,test}.jsonl`` are
    train/validation/test and its ``seeds.jsonl`` the ``seeds`` split; a file by its stem
    (``dev`` → validation; another stem is its own split name)."""
    out: dict[str, list[Path]] = {}
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = [path / "synth" / f"{s}.jsonl" for s in ("train", "dev", "test")] + [path / "seeds.jsonl"]
            files = [f for f in files if f.is_file()] or sorted(path.glob("*.jsonl"))
            if not files:
                raise CorpusError(str(path), "no corpus files (synth/train.jsonl, …) in this folder")
        else:
            files = [path]
        for f in files:
            out.setdefault(HF_SPLITS.get(f.stem, f.stem), []).append(f)
    return out


def to_hf(paths: Iterable[str | Path], path: str | Path) -> int:
    """Save a ``datasets.DatasetDict`` (one split per file kind, see :func:`split_files`) to
    the folder ``path`` (``datasets.load_from_disk``), with a dataset card (README.md)."""
    from datasets import DatasetDict, disable_progress_bars

    disable_progress_bars()  # one CLI line says what was written
    splits = {name: records_to_dataset(r for f in files for r in load_records(f))
              for name, files in split_files(paths).items()}
    dd = DatasetDict(splits)
    dd.save_to_disk(str(path))
    atomic_write_text(Path(path) / "README.md", dataset_card({k: len(v) for k, v in splits.items()}))
    return sum(len(v) for v in splits.values())


def dataset_card(sizes: dict[str, int]) -> str:
    """The Hugging Face dataset card of an export: licence, language, splits, fields."""
    rows = "\n".join(f"| {name} | {n} |" for name, n in sizes.items())
    split_yaml = "\n".join(f"  - name: {name}\n    num_examples: {n}" for name, n in sizes.items())
    return f"""---
license: {LICENSE}
language:
- zh
pretty_name: govreport annotated 政府信息公开工作年度报告
task_categories:
- token-classification
dataset_info:
  splits:
{split_yaml}
---

# govreport corpus (Hugging Face export)

Annotated Chinese government information-disclosure annual reports (政府信息公开工作年度报告),
exported by `govreport corpus export --to hf`. Load with
`datasets.load_from_disk(FOLDER)`; bring back with `govreport corpus import FOLDER --from hf`.

| split | records |
|---|---|
{rows}

Fields: `text`; `lines` (offsets, `section` as a ClassLabel, `heading`); `facts` (span,
`label` COUNT/MONEY/PERCENT/ZERO, `value`, `unit`, `approx`, `indicator`); `table` (canonical
cell ids and values); `missing_cells`; `findings` (type, severity, values, cells, message).

## Licence

Apache License 2.0 (`{LICENSE}`), the licence of the govreport project: the synthetic
reports and every annotation were made by the project. The `seeds` split, when present,
holds the text of five published annual reports of government agencies, official documents
of state organs, which Article 5 of the Copyright Law of the People's Republic of China
leaves outside copyright protection.
"""


def from_hf(path: str | Path) -> list[Record]:
    """Records from a dataset folder saved by :func:`to_hf` (every split, in order) or by
    ``Dataset.save_to_disk``."""
    from datasets import Dataset, load_from_disk

    try:
        loaded = load_from_disk(str(path))
    except (OSError, ValueError, FileNotFoundError) as err:
        raise CorpusError(str(path), f"not a saved Hugging Face dataset ({err})") from None
    parts = [loaded] if isinstance(loaded, Dataset) else list(loaded.values())
    return [row_to_record(row, ds.features) for ds in parts for row in ds]


# ---------------------------------------------------------------- one entry point for the CLI
IMPORTERS = {"labelstudio": from_labelstudio, "spacy": from_docbin, "hf": from_hf}
FORMATS = ("spacy", "labelstudio", "hf")


def export_corpus(paths: Iterable[str | Path], to: str, out: str | Path,
                  predictions: str | Path | None = None) -> int:
    """Convert corpus files (or folders) to ``spacy`` (DocBin), ``labelstudio`` (tasks JSON;
    ``predictions``: model output JSONL to add to the tasks) or ``hf`` (a ``DatasetDict``
    folder with a dataset card); returns the number of records written."""
    from nlp.corpus.io import corpus_files

    if to not in FORMATS:
        raise CorpusError(None, f"unknown export format {to!r} (choose {', '.join(FORMATS)})")
    if to == "hf":
        return to_hf(paths, out)
    records = [r for p in corpus_files(paths) for r in load_records(p)]
    if to == "labelstudio":
        return to_labelstudio(records, out, load_records(predictions) if predictions else None)
    if predictions is not None:
        raise CorpusError(str(predictions), "--predictions goes with --to labelstudio")
    return to_docbin(records, out)


def import_corpus(path: str | Path, from_: str, out: str | Path) -> int:
    """Convert a Label Studio export, a DocBin or a saved HF dataset into a JSONL corpus file."""
    from nlp.corpus.io import save_records

    if from_ not in IMPORTERS:
        raise CorpusError(None, f"unknown import format {from_!r} (choose {', '.join(IMPORTERS)})")
    records = IMPORTERS[from_](path)
    save_records(out, records)
    return len(records)
