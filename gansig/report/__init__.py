"""``python -m gansig report``: one static, self-contained site of every local run (tables,
figures, listening panels), and the listening panel alone for notebooks (:func:`panel`).

The site opens from disk with no server and no network; see :mod:`gansig.report.site`.
"""

from __future__ import annotations

from pathlib import Path

from gansig.report.site import build, find_runs

__all__ = ["Panel", "build", "find_runs", "panel"]


class Panel:
    """A run's listening panel that Jupyter shows inline (``display(panel(out))``): one
    self-contained HTML fragment, media embedded.

    Args:
        folder: the run's results folder.
    """

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)

    def _repr_html_(self) -> str:
        from gansig.report import pages

        return pages.panel_fragment(self.folder, "run reproduce() again (the cell above)")


def panel(folder: str | Path) -> Panel:
    """The listening panel of the run in ``folder``, for a notebook's ``display``."""
    return Panel(folder)
