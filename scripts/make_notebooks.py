"""Write every registered paper's notebook (run after editing a paper's ``notebook.py``; the
.ipynb files are committed, and a test checks they are what this writes).

Each notebook: the paper's heading and introduction, the profiles and their times (from the
registry), the profile cell, the paper's set-up cells, ``reproduce()`` and its table, its
figures, then the paper's own cells (``gansig/papers/NAME/notebook.py``).
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from gansig.registry import PAPERS

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"


def cells(name: str) -> list:
    """The notebook's cells, from the registry and the paper's ``notebook`` module."""
    info, spec = PAPERS[name], importlib.import_module(f"gansig.papers.{name}.notebook")
    title, figures = spec.FIGURES
    made = {"markdown": new_markdown_cell, "code": new_code_cell}
    return [
        new_markdown_cell(
            f"# {spec.HEADING}\n\n{spec.INTRO}\n\n`PROFILE = \"smoke\"` takes seconds to a minute; "
            f"`\"{info.default_profile}\"` (the default of `make {info.make_target}`) {info.cpu_time} on a 2-core "
            f"CPU; `\"paper\"` is the paper's own set-up. Status: {info.status}."),
        new_code_cell('PROFILE = "smoke"  # "smoke" | "quick" | "paper"\nSEED = 0'),
        *(made[kind](source) for kind, source in spec.SETUP),
        new_code_cell(
            "from pathlib import Path\n"
            "from IPython.display import Image, Markdown, display\n"
            f"from gansig.papers import {name}\n\n"
            f"out = Path('results', '{name}', PROFILE)\n"
            f"table = {name}.reproduce(PROFILE, out_dir=out, seed=SEED, verbose=0)\n"
            "display(Markdown(table.to_markdown()))"),
        new_markdown_cell(f"## {title}"),
        new_code_cell(f"for name in {tuple(figures)!r}:\n"
                      "    display(Image(filename=str(out / 'figures' / f'{name}.png')))"),
        new_markdown_cell(f"## Listen\n\nThe run's listening panel, as `python -m gansig report` shows it: "
                          f"{spec.LISTEN}. Play one to pause the others."),
        new_code_cell("from gansig.report import panel\n\ndisplay(panel(out))"),
        *(made[kind](source) for kind, source in spec.CELLS),
    ]


def build(name: str) -> nbformat.NotebookNode:
    """The notebook ``name`` with stable cell ids (rewriting it changes only what was edited)."""
    nb = new_notebook(cells=cells(name))
    for i, cell in enumerate(nb.cells):
        cell.id = f"{name}-{i}"
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def main(names: list[str]) -> None:
    for name in names or list(PAPERS):
        path = NOTEBOOK_DIR / f"{name}.ipynb"
        nbformat.write(build(name), path)
        print(f"wrote {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
