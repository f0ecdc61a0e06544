"""Start-up: a command imports what it uses (issue 21).  Each test runs the CLI in a fresh
interpreter and reads its ``sys.modules`` at the end — which modules, not how long: the
machine may be busy, a module list is not."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import MODELS, ROOT, seed_paths

# Run the CLI, then print the names in sys.modules as JSON on the last line of stdout.
_PROBE = """
import json, sys
sys.path.insert(0, {root!r})
from cli import app
try:
    app(sys.argv[1:])
except SystemExit:
    pass
print()
print(json.dumps(sorted(sys.modules)))
"""

# Never needed to check, extract or read a file (training, evaluation, corpus tooling,
# tables, other backends' stacks).
NEVER = ("scipy", "sklearn", "pandas", "torch", "transformers", "nlp.train", "nlp.evaluate",
         "nlp.corpus", "nlp.fuzz", "markdown_it")


def _modules(*args: str, cwd: Path) -> set[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run([sys.executable, "-c", _PROBE.format(root=str(ROOT)), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.stdout.strip(), proc.stderr[-2000:]
    return set(json.loads(proc.stdout.strip().splitlines()[-1]))


def _loaded(modules: set[str], *names: str) -> list[str]:
    """The ``names`` (packages: their submodules too) that were imported."""
    return sorted(m for m in modules for n in names if m == n or m.startswith(n + "."))


def test_importing_the_cli_loads_no_stage(tmp_path):
    mods = _modules("--version", cwd=tmp_path)
    assert not _loaded(mods, "numpy", "yaml", "rich", "spacy", "nlp.pipeline", "nlp.batch", "nlp.read",
                       "nlp.indicators", "nlp.report", "nlp.link", "nlp.extract", "nlp.segment", *NEVER)


def test_check_with_the_shipped_segmenter_and_linker_needs_no_scipy(tmp_path):
    """The linker predicts with numpy alone (scipy is for training); one document shows
    no progress bar, and the summary console has no emoji table to load."""
    models = tmp_path / "models"
    for stage in ("segmenter", "linker"):  # no extractor: --rules puts the rule baseline there
        shutil.copytree(MODELS / stage, models / stage)
    out = tmp_path / "out.jsonl"
    mods = _modules("check", str(seed_paths()[4]), "--jsonl", str(out), "--models", str(models), "--rules",
                    cwd=tmp_path)
    records = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert records[0]["versions"]["linker"] != "rule" and records[0]["facts"]
    assert _loaded(mods, "nlp.link.model", "numpy")
    assert not _loaded(mods, "spacy", "thinc", "rich.progress", "rich._emoji_codes", "ctypes.util", *NEVER)


def test_reading_a_file_loads_no_model_stack(tmp_path):
    mods = _modules("read", str(seed_paths()[4]), cwd=tmp_path)
    assert _loaded(mods, "nlp.read", "nlp.normalize")
    assert not _loaded(mods, "numpy", "nlp.segment", "nlp.extract", "nlp.link", "nlp.tables", "rich", *NEVER)
    # a text file needs the text reader only: the others are imported when a file of theirs comes
    assert not _loaded(mods, "nlp.read.pdf", "nlp.read.docx", "nlp.read.html", "pdfplumber", "docx", "lxml")


@pytest.mark.parametrize("args", [("--help",), ("check", "--help"), ("corpus", "stats", "SEEDS")])
def test_help_and_corpus_commands_load_no_model_stack(tmp_path, args):
    args = tuple(str(ROOT / "corpus" / "seeds.jsonl") if a == "SEEDS" else a for a in args)
    mods = _modules(*args, cwd=tmp_path)
    assert not _loaded(mods, "numpy", "spacy", "nlp.pipeline", "nlp.batch", "nlp.segment", "nlp.extract",
                       "nlp.link", "nlp.tables", "scipy", "sklearn", "torch")


def test_a_second_check_reads_the_data_without_yaml(tmp_path, monkeypatch):
    """The lexicon and the template are parsed once per machine (``nlp.datacache``)."""
    monkeypatch.setenv("GOVREPORT_CACHE_DIR", str(tmp_path / "cache"))
    args = ("check", str(seed_paths()[4]), "--jsonl", str(tmp_path / "out.jsonl"))
    assert _loaded(_modules(*args, cwd=tmp_path), "yaml")  # the first parses
    assert list((tmp_path / "cache").glob("*.json"))
    assert not _loaded(_modules(*args, cwd=tmp_path), "yaml")
