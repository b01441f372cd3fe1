"""Find the runs under a results folder, check what the report reads from each, and write
the report's static site from them.

The site is a folder of relative links (``index.html``, ``style.css``, a page per paper and
profile at ``NAME/PROFILE.html`` with its figures, audio and pictures under ``NAME/PROFILE/``)
that opens from disk with no server and no network. It is written into a staging folder
beside ``--out`` and swapped in whole. The site lists every file it wrote in its marker
(:data:`MARKER`); a later report replaces a folder only when that list holds everything in
it, so a file a user put there is never deleted. A ``--out`` that is a symbolic link is
followed: the site goes where it points, and the link stays.

Every field the report reads back from a run is checked here (``table.json``, ``run.json``,
``audio/index.json``); a run that fails a check is broken: the report refuses to build
(naming the file and the problem) unless told to go on, and then lists it as broken.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote

from gansig.errors import GansigError
from gansig.fileio import check_name, check_output_dir
from gansig.listening import read_index
from gansig.registry import PAPERS, PaperInfo
from gansig.report import pages
from gansig.results import ResultsTable
from gansig.results_folder import RUN_FILE, listing, refuse_foreign

MARKER = ".gansig-report"  # in every site: the list of the files it wrote (the only ones a later report replaces)
PROFILE_ORDER = ("paper", "quick", "smoke")


@dataclass
class RunResults:
    """One run's results folder (``RESULTS/NAME/PROFILE``), read and checked.

    Attributes:
        paper: the paper's registry name.
        profile: the folder's name (the profile, or the name the user gave it).
        folder: the folder.
        table: its table, or None when the run is broken (see ``problem``).
        problem: what is wrong with the run (the file and the problem), or "".
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


def _read_run(run: RunResults) -> None:
    """Read and check what the report uses of a run: ``table.json`` (every field),
    ``run.json`` (an object naming this paper, its files a list of names) and
    ``audio/index.json`` (:func:`read_index`); the first problem makes the run broken."""
    folder = run.folder
    try:
        folder.name.encode("utf-8")
    except UnicodeEncodeError:
        run.problem = f"{_site_name(str(folder))}: a folder name that is not valid UTF-8; rename it"
        return
    try:
        run.table = ResultsTable.from_json(folder / "table.json")
        if run.table.paper != run.paper:
            raise ValueError(f"{folder / 'table.json'}: a {run.table.paper!r} table, not a {run.paper} one")
        if (folder / RUN_FILE).exists():
            record = json.loads((folder / RUN_FILE).read_text(encoding="utf-8"))
            if not isinstance(record, dict) or record.get("paper", run.paper) != run.paper or not isinstance(
                    record.get("files", []), list):
                raise ValueError(f"{folder / RUN_FILE}: not this run's record (an object naming the {run.paper} "
                                 "paper and listing its files)")
            run.record = record
        read_index(folder / "audio")
    except (OSError, ValueError, TypeError) as exc:
        run.table, run.problem = None, str(exc) if str(folder) in str(exc) else f"{folder}: {exc}"


def find_runs(results: Path) -> list[RunResults]:
    """Every ``RESULTS/NAME/PROFILE/table.json`` of a registered paper, read and checked
    (:func:`_read_run`), the paper's profiles in the order paper, quick, smoke, then others
    by name; a broken run is kept with its problem."""
    runs = []
    for name in PAPERS:
        folders = [p.parent for p in (results / name).glob("*/table.json") if not p.parent.name.startswith(".")]
        folders.sort(key=lambda f: (PROFILE_ORDER.index(f.name) if f.name in PROFILE_ORDER else 3, f.name))
        for folder in folders:
            run = RunResults(name, folder.name, folder)
            _read_run(run)
            runs.append(run)
    return runs


def site_files(out: Path) -> list[str]:
    """The files under ``out`` (relative, '/'-separated), its marker left out."""
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*")
                  if not p.is_dir() or p.is_symlink()) if out.is_dir() else []


def _written_by_a_report(out: Path) -> list[str] | None:
    """The files an earlier report listed in ``out``'s marker (None: no readable list)."""
    try:
        listed = json.loads((out / MARKER).read_text(encoding="utf-8")).get("files")
    except (OSError, ValueError, AttributeError):
        return None
    return listed if isinstance(listed, list) and all(isinstance(f, str) for f in listed) else None


def check_folders(results: Path, out: Path, runs: list[RunResults]) -> None:
    """Refuse inputs the report cannot use and an ``out`` it must not write to.

    Raises:
        GansigError: ``results`` is not a folder or holds no results; ``out`` is ``results``
            itself, a run's folder or inside one, holds ``results``, is not a usable folder
            (a file, below a file, a name too long), or holds files that no earlier report
            wrote (named).
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
    check_output_dir(out)
    present = site_files(out)
    if not present:
        return
    written = _written_by_a_report(out)
    if written is None:
        raise GansigError(f"{out}: holds files that are not a gansig report ({listing(present)}); give --out a new "
                          "or empty folder (nothing was written)")
    refuse_foreign(out, [f for f in present if f != MARKER], written, "report")


def build(results: str | Path = "results", out: str | Path | None = None, *, keep_going: bool = False) -> Path:
    """Write the report of every run under ``results`` into ``out``.

    Args:
        results: the folder the reproductions wrote (``NAME/PROFILE/`` inside).
        out: the site's folder (default ``RESULTS/report``); an earlier report there is
            replaced whole, anything else refused. A symbolic link is followed.
        keep_going: build the site even where runs are broken (listed as broken, each said
            on stderr); else a broken run stops the report before anything is written.

    Returns:
        The site's ``index.html``.

    Raises:
        GansigError: a broken run (without ``keep_going``), or see :func:`check_folders`.
    """
    results = Path(results)
    out = Path(out) if out is not None else results / "report"
    check_name(out)
    if out.is_symlink():
        out = Path(os.path.realpath(out))
    runs = find_runs(results) if results.is_dir() else []
    check_folders(results, out, runs)
    broken = [run for run in runs if run.problem]
    if broken and not keep_going:
        more = f" (and {len(broken) - 1} more broken run(s))" if len(broken) > 1 else ""
        raise GansigError(f"{broken[0].problem}{more}; fix or remove the run, or add --keep-going to list it as "
                          "broken (nothing was written)")
    for run in broken:
        print(f"warning: {run.problem}; listed as broken", file=sys.stderr)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.parent / f".gansig-report-building-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        _write(staging / "style.css", pages.STYLE)
        for run in runs:
            if run.table is not None:
                _run_page(run, staging)
        _index(runs, results, staging)
        _write(staging / MARKER, json.dumps({"about": "a site written by `python -m gansig report`; a later report "
                                                      "replaces these files, and only these",
                                             "files": site_files(staging)}, indent=1))
        _swap(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out / "index.html"


def _write(path: Path, text: str) -> None:
    """A page of the site: text from a run that is not valid UTF-8 is written escaped."""
    path.write_bytes(text.encode("utf-8", "backslashreplace"))


def _published(png: Path, folder: Path) -> bool:
    """Whether a run's figure may go into the site: a regular file inside the run (a link
    that leads out of it, for example to a system file, is left out, said on stderr)."""
    inside = png.is_file() and Path(os.path.realpath(png)).is_relative_to(os.path.realpath(folder))
    if not inside:
        print(f"warning: {png}: not a regular file inside the run; left out of the report", file=sys.stderr)
    return inside


def _site_name(name: str) -> str:
    """A file name valid in UTF-8 (a byte that is not becomes U+FFFD), for the site's copy."""
    return os.fsencode(name).decode("utf-8", "replace")


def _run_page(run: RunResults, root: Path) -> None:
    info, table = PAPERS[run.paper], run.table
    page_dir = root / run.paper
    page_dir.mkdir(parents=True, exist_ok=True)
    assets = page_dir / run.profile

    def figure_url(png: Path) -> str:
        name = _site_name(png.name)
        target = assets / "figures" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(png, target)
        return quote(f"{run.profile}/figures/{name}")

    pngs = [p for p in sorted((run.folder / "figures").glob("*.png")) if _published(p, run.folder)]
    notes = "".join(f"<p>{escape(note)}</p>" for note in table.notes)
    body = (f'<header><nav><a href="../index.html">gansig report</a> › {escape(run.paper)} › '
            f'{escape(run.profile)}</nav><h1>{escape(info.title)}</h1>'
            f'<p class="meta">profile <b>{escape(run.profile)}</b> · {pages.summary_line(table)}</p>'
            f'<nav><a href="#tables">Tables</a> · <a href="#figures">Figures</a> · <a href="#listen">Listen</a>'
            f'</nav></header>\n{pages.provenance(table, run.record)}\n'
            f'<section id="tables"><h2>Tables</h2>{pages.tables(table)}{notes}</section>\n'
            f'<section id="figures"><h2>Figures</h2>{pages.figures(pngs, figure_url, _site_name)}</section>\n'
            f'<section id="listen"><h2>Listen</h2>'
            f'{pages.listening(run.folder, pages.folder_sink(page_dir, run.profile), run.rerun(info))}</section>')
    _write(page_dir / f"{run.profile}.html", pages.document(f"{run.paper} · {run.profile} · gansig", body,
                                                            css="../style.css"))


def _index(runs: list[RunResults], results: Path, root: Path) -> None:
    cards = []
    for number, (name, info) in enumerate(PAPERS.items(), start=1):
        own = [r for r in runs if r.paper == name]
        cards.append(pages.paper_card(number, info, own, f"make {info.make_target}"))
    body = (f'<header><h1>gansig: five GAN-for-signals papers, reproduced</h1><p class="meta">The results under '
            f'<code>{escape(str(results))}</code>: each paper\'s tables (the paper\'s value beside ours), figures '
            f'and listening panels. Remake this page with <code>python -m gansig report</code>.</p></header>\n'
            + "\n".join(cards))
    _write(root / "index.html", pages.document("gansig report", body, css="style.css"))


def _swap(staging: Path, out: Path) -> None:
    """Put the built site at ``out``; an earlier report there (every file of it listed as the
    report's own, checked before) is removed only once the new one is in place."""
    old = out.parent / f".gansig-report-old-{os.getpid()}"
    if out.exists():
        out.rename(old)
    try:
        staging.rename(out)
    except OSError:
        if old.exists():
            old.rename(out)
        raise
    shutil.rmtree(old, ignore_errors=True)
