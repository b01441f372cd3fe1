import importlib.util
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _generator():
    spec = importlib.util.spec_from_file_location("make_notebooks", ROOT / "scripts" / "make_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_notebooks_are_what_the_generator_writes():
    """The .ipynb files are generated (scripts/make_notebooks.py); a hand edit would be lost
    on the next rewrite, and their text quotes the registry (e.g. the quick run's time)."""
    generator = _generator()
    assert sorted(generator.NOTEBOOKS) == [p.stem for p in NOTEBOOKS]
    for path in NOTEBOOKS:
        assert path.read_text(encoding="utf-8") == nbformat.writes(generator.build(path.stem)) + "\n", (
            f"{path.name} differs from scripts/make_notebooks.py; run it and commit the result")


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_at_the_smoke_profile(path, tmp_path):
    if path.stem == "bpgan":
        from gansig.data.corpora import speech
        from gansig.data.corpora.manifest import package_version

        if any(package_version(p) == "not installed" for p in speech.PACKAGES):
            pytest.skip("the BPGAN notebook needs the Debian packages of make system-deps")
    nb = nbformat.read(path, as_version=4)
    assert any('PROFILE = "smoke"' in cell.source for cell in nb.cells), "notebooks default to the smoke profile"
    NotebookClient(nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs)
