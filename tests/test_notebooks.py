"""The notebooks are committed executed, with inline PNG figures; each runs top to bottom
(small setting) with the project's own kernel."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nbclient
import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CELL_TIMEOUT = 300  # seconds per cell; each notebook takes well under two minutes on 2 idle cores

# A figure each issue asks for: (notebook, a phrase of the cell that draws it).
FIGURES = [("extractor", "span F1 vs training documents"),        # learning curve
           ("segmenter", "sections: gold × predicted lines"),      # confusion matrix, sections
           ("extractor", "linking on {name}: id kinds"),           # confusion matrix, linking
           ("segmenter", "line accuracy by table layout"),         # per-layout accuracy
           ("reconcile", "gold findings by type"),                 # findings by type
           ("reconcile", "findings by type, end to end")]


def _book(name: str):
    return nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)


def test_notebooks_are_committed_executed_without_errors():
    assert {"segmenter", "extractor", "reconcile", "corpus"} <= {p.stem for p in NOTEBOOKS}
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(c.execution_count for c in code), f"{path.name}: not executed"
        assert [c.execution_count for c in code] == sorted(c.execution_count for c in code), path.name
        assert not [o for c in code for o in c.outputs if o.get("output_type") == "error"], path.name
        assert all(c.outputs for c in code), f"{path.name}: a code cell without output"
        assert not any("Agg" in c.source for c in code), f"{path.name}: figures must show inline"


@pytest.mark.parametrize("name, phrase", FIGURES)
def test_figures_are_inline_pngs(name, phrase):
    cell = next(c for c in _book(name).cells if c.cell_type == "code" and phrase in c.source)
    pngs = [o for o in cell.outputs if "image/png" in o.get("data", {})]
    assert pngs, f"{name}: no PNG for {phrase!r}"
    assert len(pngs[0]["data"]["image/png"]) > 2000  # a real picture, not an empty canvas


def test_notebooks_and_cards_link_nothing_outside_the_repository():
    import re

    for path in [*NOTEBOOKS, ROOT / "README.md", ROOT / "corpus" / "README.md"]:
        text = path.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if target.startswith("#"):
                continue
            assert "://" not in target, (path.name, target)
            assert (path.parent / target.split("#")[0]).resolve().is_relative_to(ROOT), (path.name, target)
            assert (path.parent / target.split("#")[0]).exists(), (path.name, target)


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes(path, monkeypatch):
    monkeypatch.setenv("GOVREPORT_NOTEBOOK_SMALL", "1")
    monkeypatch.delenv("MPLBACKEND", raising=False)  # inline, as in the committed notebooks
    nb = nbformat.read(path, as_version=4)
    # "python3" resolves to ipykernel's spec installed in this environment; jupyter_client
    # starts it with sys.executable, so the kernel sees the same packages as the tests.
    client = nbclient.NotebookClient(nb, kernel_name="python3", timeout=CELL_TIMEOUT,
                                     resources={"metadata": {"path": str(ROOT / "notebooks")}})
    client.execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.get("output_type") == "error"]
    assert not errors
    assert any("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code" for o in c.outputs)


@pytest.mark.slow
def test_kernel_is_the_running_interpreter():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import sys; print(sys.executable)")])
    nbclient.NotebookClient(nb, kernel_name="python3", timeout=60,
                            resources={"metadata": {"path": str(ROOT)}}).execute()
    printed = nb.cells[0].outputs[0]["text"].strip()
    assert os.path.realpath(printed) == os.path.realpath(sys.executable)
