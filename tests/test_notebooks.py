import importlib.util
import shutil
from pathlib import Path

import nbformat
import pytest
from helpers import paper_params
from nbclient import NotebookClient

from gansig.registry import PAPERS

ROOT = Path(__file__).resolve().parents[1]


def _generator():
    spec = importlib.util.spec_from_file_location("make_notebooks", ROOT / "scripts" / "make_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_notebooks_are_what_the_generator_writes():
    """The .ipynb files are generated from the registry and each paper's notebook.py
    (scripts/make_notebooks.py); a hand edit would be lost on the next rewrite."""
    generator = _generator()
    assert sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb")) == sorted(PAPERS)
    for name in PAPERS:
        path = ROOT / "notebooks" / f"{name}.ipynb"
        assert path.read_text(encoding="utf-8") == nbformat.writes(generator.build(name)) + "\n", (
            f"{path.name} differs from scripts/make_notebooks.py; run it and commit the result")


@pytest.mark.slow
@pytest.mark.parametrize("name", paper_params())
def test_notebook_runs_at_the_smoke_profile(name, tmp_path, smoke):
    # The notebook's reproduce() finds the networks the session's smoke run trained (same
    # config, seed and code) in its results folder and scores them: every cell runs, the
    # training is not repeated (the smoke runs and the resume tests cover it).
    shutil.copytree(smoke(name)[0], tmp_path / "results" / name / "smoke")
    nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    assert any('PROFILE = "smoke"' in cell.source for cell in nb.cells), "notebooks default to the smoke profile"
    NotebookClient(nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs)
