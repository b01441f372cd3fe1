"""Find the runs under a results folder and write the report's static site from them.

The site is a folder of relative links (``index.html``, ``style.css``, a page per paper and
profile at ``NAME/PROFILE.html`` with its figures, audio and pictures under ``NAME/PROFILE/``)
that opens from disk with no server and no network. It is written into a staging folder
beside ``--out`` and swapped in whole; a folder that is not an earlier report is never
replaced.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote

from gansig.errors import GansigError
from gansig.fileio import write_text
from gansig.registry import PAPERS, PaperInfo
from gansig.report import pages
from gansig.results import ResultsTable
from gansig.results_folder import run_record

MARKER = ".gansig-report"  # written in every site: the one kind of folder --out may replace
PROFILE_ORDER = ("paper", "quick", "smoke")


@dataclass
class RunResults:
    """One run's results folder (``RESULTS/NAME/PROFILE``).

    Attributes:
        paper: the paper's registry name.
        profile: the folder's name (the profile, or the name the user gave it).
        folder: the folder.
        table: its table, or None when it could not be read (see ``problem``).
        problem: why the table could not be read.
        record: its ``run.json``, when there is one.
    """

    paper: str
    profile: str
    folder: Path
    table: ResultsTable | None = None
    problem: str = ""
    record: dict[str, Any] | None = field(default=None, repr=False)

    @property
    def page(self) -> str:
        """The run's page, relative to the site's root."""
        return f"{self.paper}/{self.profile}.html"

    def rerun(self, info: PaperInfo) -> str:
        """The command that remakes this run."""
        if self.profile == info.default_profile:
            return f"make {info.make_target}"
        return f"python -m gansig reproduce {self.paper} --profile {self.profile}"


def find_runs(results: Path) -> list[RunResults]:
    """Every ``RESULTS/NAME/PROFILE/table.json`` of a registered paper, the paper's profiles in
    the order paper, quick, smoke, then others by name; an unreadable table is kept with its
    problem (the index says it)."""
    runs = []
    for name in PAPERS:
        folders = [p.parent for p in (results / name).glob("*/table.json") if not p.parent.name.startswith(".")]
        folders.sort(key=lambda f: (PROFILE_ORDER.index(f.name) if f.name in PROFILE_ORDER else 3, f.name))
        for folder in folders:
            run = RunResults(name, folder.name, folder, record=run_record(folder))
            try:
                run.table = ResultsTable.from_json(folder / "table.json")
                if run.table.paper != name:
                    run.table, run.problem = None, f"its table.json is a {run.table.paper!r} table, not a {name} one"
            except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
                run.problem = f"table.json cannot be read ({exc})"
            runs.append(run)
    return runs


def check_folders(results: Path, out: Path, runs: list[RunResults]) -> None:
    """Refuse inputs the report cannot use and an ``out`` it must not write to.

    Raises:
        GansigError: ``results`` is not a folder or holds no results; ``out`` is ``results``
            itself, a run's folder or inside one, holds ``results``, is not a folder, or holds
            files that are not an earlier report.
    """
    if not results.is_dir():
        raise GansigError(f"{results}: not a folder; give --results the folder the reproductions write "
                          "(default results/)")
    if not runs:
        raise GansigError(f"{results}: holds no results (no NAME/PROFILE/table.json of any of the papers "
                          f"{', '.join(PAPERS)}); make some first, e.g. `make reproduce-5g` (about 6 minutes)")
    target = out.resolve()
    inputs = [results.resolve(), *(run.folder.resolve() for run in runs)]
    for folder in inputs:
        what = "the results folder" if folder == inputs[0] else "the run folder"
        if target == folder or target.is_relative_to(folder) and folder != inputs[0]:
            raise GansigError(f"{out}: is {'' if target == folder else 'inside '}{what} {folder}; give --out a "
                              "folder of its own (default RESULTS/report)")
        if folder.is_relative_to(target):
            raise GansigError(f"{out}: holds the results folder {folder}; give --out a folder of its own")
    if out.exists() and not out.is_dir():
        raise GansigError(f"{out}: exists and is not a folder; give --out a new or empty folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise GansigError(f"{out}: holds files that are not a gansig report; give --out a new or empty folder "
                          "(nothing was written)")


def build(results: str | Path = "results", out: str | Path | None = None) -> Path:
    """Write the report of every run under ``results`` into ``out``.

    Args:
        results: the folder the reproductions wrote (``NAME/PROFILE/`` inside).
        out: the site's folder (default ``RESULTS/report``); replaced whole if it holds an
            earlier report.

    Returns:
        The site's ``index.html``.

    Raises:
        GansigError: see :func:`check_folders`.
    """
    results = Path(results)
    out = Path(out) if out is not None else results / "report"
    runs = find_runs(results) if results.is_dir() else []
    check_folders(results, out, runs)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.parent / f".{out.name}.building-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        write_text(staging / "style.css", pages.STYLE)
        for run in runs:
            if run.table is not None:
                _run_page(run, staging)
        _index(runs, results, staging)
        (staging / MARKER).write_text("a site written by `python -m gansig report`; it may be replaced whole\n")
        _swap(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out / "index.html"


def _run_page(run: RunResults, root: Path) -> None:
    info, table = PAPERS[run.paper], run.table
    page_dir = root / run.paper
    page_dir.mkdir(parents=True, exist_ok=True)
    assets = page_dir / run.profile

    def figure_url(png: Path) -> str:
        target = assets / "figures" / png.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(png, target)
        return quote(f"{run.profile}/figures/{png.name}")

    notes = "".join(f"<p>{escape(note)}</p>" for note in table.notes)
    body = (f'<header><nav><a href="../index.html">gansig report</a> › {escape(run.paper)} › '
            f'{escape(run.profile)}</nav><h1>{escape(info.title)}</h1>'
            f'<p class="meta">profile <b>{escape(run.profile)}</b> · {pages.summary_line(table)}</p>'
            f'<nav><a href="#tables">Tables</a> · <a href="#figures">Figures</a> · <a href="#listen">Listen</a>'
            f'</nav></header>\n{pages.provenance(table, run.record)}\n'
            f'<section id="tables"><h2>Tables</h2>{pages.tables(table)}{notes}</section>\n'
            f'<section id="figures"><h2>Figures</h2>{pages.figures(run.folder / "figures", figure_url)}</section>\n'
            f'<section id="listen"><h2>Listen</h2>'
            f'{pages.listening(run.folder, pages.folder_sink(page_dir, run.profile), run.rerun(info))}</section>')
    write_text(page_dir / f"{run.profile}.html",
               pages.document(f"{run.paper} · {run.profile} · gansig", body, css="../style.css"))


def _index(runs: list[RunResults], results: Path, root: Path) -> None:
    cards = []
    for number, (name, info) in enumerate(PAPERS.items(), start=1):
        own = [r for r in runs if r.paper == name]
        cards.append(pages.paper_card(number, info, own, f"make {info.make_target}"))
    body = (f'<header><h1>gansig: five GAN-for-signals papers, reproduced</h1><p class="meta">The results under '
            f'<code>{escape(str(results))}</code>: each paper\'s tables (the paper\'s value beside ours), figures '
            f'and listening panels. Remake this page with <code>python -m gansig report</code>.</p></header>\n'
            + "\n".join(cards))
    write_text(root / "index.html", pages.document("gansig report", body, css="style.css"))


def _swap(staging: Path, out: Path) -> None:
    """Put the built site at ``out``; an earlier report there is removed only once the new
    one is in place."""
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        out.rename(old)
    try:
        staging.rename(out)
    except OSError:
        if old.exists():
            old.rename(out)
        raise
    shutil.rmtree(old, ignore_errors=True)
