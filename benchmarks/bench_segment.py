"""Segmenter speed: CPU time of ``predict`` for the trained model and the rule baseline.

Usage: ``.venv/bin/python benchmarks/bench_segment.py [--model models/segmenter] [--repeat 5]``.
Documents: the seed gold corpus plus the synthetic test split (whatever exists).
Reading/normalizing is done once up front; only segmenting is timed, in CPU seconds
(``time.process_time``: the machine is shared, wall time says more about the neighbours).

Printed: lines per CPU-second of the model (warm feature caches, as in a batch run, and
cold), the rule baseline, the model's phases (features, scoring, Viterbi, marginals, the
rest), and time per line when 64 distinct reports are segmented one by one, 8 to a
document and all in one document (linear in lines: the per-line figure should not grow).  Each figure is the best of
``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def best_cpu(run, repeat: int, before=None) -> float:
    """Least CPU time of ``repeat`` calls of ``run`` (``before`` runs untimed first)."""
    best = float("inf")
    for _ in range(repeat):
        if before is not None:
            before()
        t0 = time.process_time()
        run()
        best = min(best, time.process_time() - t0)
    return best


def phases(seg, docs, repeat: int) -> dict[str, float]:
    """CPU seconds of each part of ``Segmenter.decode`` over ``docs`` (best of ``repeat``)."""
    import numpy as np

    from nlp import segment as S

    inputs = [S.content_lines(w.doc)[1:] for w in docs]
    head_chars = int(seg.settings.get("head_chars", 10))
    parts = [S.doc_feature_parts(texts, mask, head_chars) for texts, mask in inputs]
    scores = [seg.scores(p) for p, _ in parts]
    emits = [(seg.emissions(s, t), *seg.switch_weights(b)) for (_, t), (s, _h, b) in zip(parts, scores)]
    out = {
        "features": best_cpu(lambda: [S.doc_feature_parts(t, m, head_chars) for t, m in inputs], repeat),
        "scoring": best_cpu(lambda: [seg.scores(p) for p, _ in parts], repeat),
        "viterbi": best_cpu(lambda: [S.viterbi(e, mv, st) for e, mv, st in emits], repeat),
        "marginals": best_cpu(lambda: [S.marginals(e, mv, st) for e, mv, st in emits], repeat),
    }
    total = best_cpu(lambda: [seg(w) for w in docs], repeat)
    out["rest"] = max(total - sum(out.values()), 0.0)
    out["total"] = total
    assert all(np.isfinite(list(out.values())))
    return out


def main() -> None:
    import sys
    sys.path.insert(0, str(ROOT))
    from nlp.component import Work
    from nlp.evaluate.segments import document_of
    from nlp.segment import RuleSegmenter, Segmenter, clear_feature_caches
    from nlp.types import Record

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "segmenter")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--max-docs", type=int, default=300)
    args = parser.parse_args()

    records: list[Record] = []
    for rel in ("corpus/seeds.jsonl", "corpus/synth/test.jsonl"):
        path = ROOT / rel
        if path.is_file():
            records += [Record.from_json(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    records = records[: args.max_docs]
    docs = [Work(document_of(r.text, r.id)) for r in records]
    n_lines = sum(len(w.doc.lines) for w in docs)
    print(f"{len(docs)} documents, {n_lines} lines; CPU seconds, best of {args.repeat}")
    model = Segmenter.load(args.model)

    def run_model():
        for d in docs:
            model(d)

    def run_rule():
        for d in docs:
            rule(d)

    rule = RuleSegmenter()
    run_model()  # warm the feature caches, as a batch run has them
    warm = best_cpu(run_model, args.repeat)
    cold = best_cpu(run_model, args.repeat, before=clear_feature_caches)
    ruled = best_cpu(run_rule, args.repeat)
    for name, cpu in (("model, warm caches", warm), ("model, cold caches", cold), ("rule baseline", ruled)):
        print(f"{name:20s}: {n_lines / cpu:9.0f} lines/CPU-s  {cpu / len(docs) * 1000:6.2f} ms/doc")

    print("model phases (warm), CPU ms per document:")
    for name, cpu in phases(model, docs, args.repeat).items():
        print(f"  {name:10s} {cpu / len(docs) * 1000:7.3f}")

    print("length: the same 64 distinct reports as 64 documents, 8 of 8 joined, 1 of 64 joined")
    print("(cold caches each run):")
    texts = [r.text for r in records[:64]]
    base = None
    for per_doc in (1, 8, 64):
        joined = [Work(document_of("\n".join(texts[i:i + per_doc]), f"x{per_doc}"))
                  for i in range(0, len(texts), per_doc)]
        lines = sum(len(w.doc.lines) for w in joined)
        cpu = best_cpu(lambda: [model(d) for d in joined], args.repeat, before=clear_feature_caches)
        per_line = cpu / lines * 1e6
        base = base or per_line
        print(f"  {per_doc:3d}x: {lines:6d} lines  {per_line:6.1f} µs/line  ({per_line / base:.2f}× 1x)")

if __name__ == "__main__":
    main()
