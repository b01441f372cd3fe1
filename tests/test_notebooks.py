from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


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
