"""The house rules, read from the code: layers, no cycles, the language as data.

Imports are read with ``ast`` from every module under ``nlp/`` and from ``cli.py``,
including imports inside functions (a lazy import is still a dependency).  The layers,
lowest first (ARCHITECTURE.md):

1. base — types, errors, persist, the component contract
2. language — the lexicon, the indicator registry, numbers, characters, identities, claims
3. stages — read, normalize, segment, tables, extract, link, reconcile, report
4. orchestration — pipeline, batch
5. tooling — train, evaluate, corpus, fuzz
6. the CLI

A module may import its own layer's base and language modules and anything below; a
stage imports no other stage; nothing imports tooling but tooling and the CLI; nothing
under ``nlp/`` imports the CLI.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NLP = ROOT / "nlp"

BASE = {"nlp", "nlp.types", "nlp.errors", "nlp.persist", "nlp.component", "nlp.datacache"}
LANGUAGE = {"nlp.lexicon", "nlp.indicators", "nlp.numbers", "nlp.chars", "nlp.identities", "nlp.claims",
            "nlp.periods"}
STAGES = ("nlp.read", "nlp.normalize", "nlp.segment", "nlp.tables", "nlp.extract", "nlp.link",
          "nlp.reconcile", "nlp.report")
ORCHESTRATION = {"nlp.pipeline", "nlp.batch"}
TOOLING = ("nlp.train", "nlp.evaluate", "nlp.corpus", "nlp.fuzz")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    found = {module_name(p): p for p in NLP.rglob("*.py")}
    found["cli"] = ROOT / "cli.py"
    return found


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The project modules ``name`` imports (``from nlp import lexicon`` is nlp.lexicon)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{a.name}" for a in node.names] + [base]
        else:
            continue
        for target in targets:
            while target and target not in known:  # nlp.segment.Segmenter → nlp.segment
                target = target.rpartition(".")[0]
            if target and target != name:
                out.add(target)
    return out


def graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {name: imports_of(name, path, known) for name, path in mods.items()}


def layer(name: str) -> tuple[int, str]:
    """(layer number, unit) — the unit is the stage or tool a module belongs to."""
    if name in BASE:
        return 1, name
    if name in LANGUAGE:
        return 2, name
    for stage in STAGES:
        if name == stage or name.startswith(stage + "."):
            return 3, stage
    if name in ORCHESTRATION:
        return 4, name
    for tool in TOOLING:
        if name == tool or name.startswith(tool + "."):
            return 5, tool
    if name == "cli":
        return 6, name
    raise AssertionError(f"{name} belongs to no layer: place it in ARCHITECTURE.md and in this test")


def violations(g: dict[str, set[str]]) -> list[str]:
    out = []
    for name, targets in sorted(g.items()):
        level, unit = layer(name)
        for target in sorted(targets):
            t_level, t_unit = layer(target)
            if t_level > level:
                out.append(f"{name} (layer {level}) imports {target} (layer {t_level})")
            elif level in (2, 3) and t_level == level and level == 3 and t_unit != unit:
                out.append(f"stage {unit} imports stage {t_unit} ({name} → {target})")
            elif level == 1 and t_level == 1 and target != "nlp" and name == "nlp":
                out.append(f"the package root imports {target}")
    return out


def test_every_module_has_a_layer():
    for name in modules():
        layer(name)


def test_layers_hold():
    bad = violations(graph())
    assert not bad, "layering broken:\n" + "\n".join(bad)


def test_nothing_under_nlp_imports_the_cli():
    g = graph()
    assert not [n for n, ts in g.items() if n != "cli" and "cli" in ts]


def cycles(g: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in g.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(g):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycles():
    # a package's __init__ re-exporting its modules, which import their siblings through
    # the package, is one unit, not a cycle between units
    g = {n: {t for t in ts if not (t == n.rpartition(".")[0] and t in _packages())} for n, ts in graph().items()}
    found = cycles(g)
    assert not found, "import cycles: " + "; ".join(" ↔ ".join(c) for c in found)


def _packages() -> set[str]:
    return {module_name(p) for p in NLP.rglob("__init__.py")}


def test_the_checks_catch_a_breach():
    g = {"nlp.segment.model": {"nlp.read"}, "nlp.read": {"nlp.segment.model"},
         "nlp.lexicon": {"nlp.pipeline"}, "nlp.pipeline": set()}
    assert any("stage nlp.segment imports stage nlp.read" in v for v in violations(g))
    assert any("nlp.lexicon (layer 2) imports nlp.pipeline" in v for v in violations(g))
    assert cycles(g) == [["nlp.read", "nlp.segment.model"]]


# ---------------------------------------------------------------- the language as data
CJK = re.compile(r"[\u3400-\u9fff]")
ALLOWED = {"nlp.lexicon"}


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = getattr(node, "body", [])
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def chinese_word_lists(path: Path) -> list[str]:
    """Word lists (a list/tuple/set/dict of two or more Chinese strings) and regex
    alternations of Chinese words (a string holding ``|`` between Chinese characters)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            items = node.elts
        elif isinstance(node, ast.Dict):
            items = [k for k in node.keys if k is not None] + list(node.values)
        else:
            items = None
        if items is not None:
            words = [e for e in items if isinstance(e, ast.Constant) and isinstance(e.value, str) and CJK.search(e.value)]
            if len(words) >= 2:
                found.append(f"{path.name}:{node.lineno}: list of {len(words)} Chinese words")
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            if re.search(r"[\u3400-\u9fff][^|]{0,8}\|[^|]{0,8}[\u3400-\u9fff]", node.value):
                found.append(f"{path.name}:{node.lineno}: Chinese alternation {node.value[:40]!r}")
        # a Chinese word handed to a call, compared with, or written into an f-string: a
        # word or a message that belongs in the lexicon (one ideograph, e.g. a structural
        # 第 or 年, is tolerated; punctuation such as 。 is no ideograph)
        for kind, part in _inline_strings(node):
            if id(part) not in docs and len(CJK.findall(_words_of(path, part.value))) >= 2:
                found.append(f"{path.name}:{part.lineno}: Chinese word {kind} {part.value[:40]!r}")
    return found


# English documentation that names the genre it is about: the CLI's help and the dataset
# card of a Hugging Face export (nlp/corpus/convert.py).  Prose for a reader, like a
# docstring, not words the pipeline matches.
GENRE = "政府信息公开工作年度报告"
GENRE_PROSE = {"cli.py", "convert.py"}


def _words_of(path: Path, value: str) -> str:
    """The part of a string the inline check counts: without a regex range of
    ideographs (``一-鿿`` is a code-point range, not a word) and, in the files of
    ``GENRE_PROSE``, without the genre's name."""
    value = re.sub(r"[\u3400-\u9fff]-[\u3400-\u9fff]", "", value)
    return value.replace(GENRE, "") if path.name in GENRE_PROSE else value


def _inline_strings(node: ast.AST):
    """The string constants used inline by one node: the arguments of a call, the
    operands of a comparison, the literal parts of an f-string."""
    if isinstance(node, ast.Call):
        parts, kind = [*node.args, *(k.value for k in node.keywords)], "in a call"
    elif isinstance(node, ast.Compare):
        parts, kind = [node.left, *node.comparators], "in a comparison"
    elif isinstance(node, ast.JoinedStr):
        parts, kind = node.values, "in an f-string"
    else:
        return
    for part in parts:
        if isinstance(part, ast.Constant) and isinstance(part.value, str):
            yield kind, part


def test_no_chinese_word_lists_outside_the_lexicon():
    found = []
    for name, path in sorted(modules().items()):
        if name not in ALLOWED:
            found += chinese_word_lists(path)
    assert not found, f"{len(found)} Chinese word lists in code (move them to nlp/data/lexicon/):\n" + "\n".join(found)


def test_the_word_list_check_catches_one(tmp_path):
    p = tmp_path / "m.py"
    p.write_text('"""一|二 in a docstring is fine."""\nA = ("余", "多")\nB = r"近|约"\nC = "。"\n', encoding="utf-8")
    found = chinese_word_lists(p)
    assert len(found) == 2, found


def test_the_word_check_catches_inline_chinese_words(tmp_path):
    p = tmp_path / "m.py"
    p.write_text('"""表二 in a docstring is fine."""\n'
                 'a = f(x, "。")\nb = x == "第"\n'            # punctuation, one ideograph: fine
                 'c = f(x, "表格")\nd = x in "以上"\ne = f"正文{x}不符"\ng = f(y=("合计"))\n'
                 'h = re.compile("[一-鿿]+")\n',                  # a code-point range: fine
                 encoding="utf-8")
    found = chinese_word_lists(p)
    assert [line.split(":")[1] for line in found] == ["4", "5", "6", "6", "7"], found


@pytest.mark.parametrize("topic", ["qualifiers", "units"])
def test_shared_topics_are_in_the_lexicon(topic):
    from nlp import lexicon

    assert topic in lexicon.topics()
