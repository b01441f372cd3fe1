"""The report's HTML: the index of papers, a page per paper and profile (its tables in the
wide form the READMEs use, its figures with their captions, its listening panel), and the
listening panel alone for notebooks. Every text from a results folder is escaped."""

from __future__ import annotations

import base64
import json
import math
import mimetypes
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import quote

import numpy as np

from gansig import plots
from gansig.errors import GansigError
from gansig.listening import Example, read_index
from gansig.registry import PaperInfo
from gansig.report import media
from gansig.results import NOT_MEASURED, ResultsTable, wide

STYLE = """
:root { --ink: #1d1d1f; --muted: #5f6368; --line: #dadce0; --paper: #fafafa; --accent: #1a5fb4; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1240px; padding: 0 16px 48px; color: var(--ink);
       font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
header { border-bottom: 1px solid var(--line); margin-bottom: 16px; }
h1 { font-size: 1.5rem; margin: 16px 0 4px; } h2 { font-size: 1.2rem; margin-top: 32px; }
h3 { font-size: 1.02rem; margin: 20px 0 4px; }
a { color: var(--accent); } code { background: var(--paper); padding: 0 3px; border-radius: 3px; }
nav { font-size: .9rem; margin-top: 12px; } .meta, .caption, .hint { color: var(--muted); font-size: .9rem; }
.paper-card { border: 1px solid var(--line); border-radius: 8px; padding: 4px 16px 12px; margin: 14px 0; }
.paper-card h2 { margin-top: 4px; }
.table-wrap { overflow-x: auto; margin: 8px 0; }
table { border-collapse: collapse; font-size: .85rem; }
th, td { border: 1px solid var(--line); padding: 3px 7px; text-align: right; white-space: nowrap; }
th[scope=row], thead th { text-align: left; background: var(--paper); }
td.paper { color: var(--muted); font-style: italic; } td.not-measured { color: #b3261e; }
ol.notes { font-size: .8rem; color: var(--muted); padding-left: 24px; }
figure.plot { margin: 16px 0; } figure.plot img { max-width: 100%; height: auto; border: 1px solid var(--line); }
.players { display: flex; flex-wrap: wrap; gap: 10px; }
.cell { flex: 1 1 260px; max-width: 372px; margin: 0; border: 1px solid var(--line); border-radius: 6px;
        padding: 6px; background: #fff; }
.cell figcaption { font-size: .85rem; margin-bottom: 4px; } .cell .rate { color: var(--muted); }
.cell audio { width: 100%; height: 36px; } .cell img { width: 100%; height: auto; display: block; margin-top: 4px; }
.missing { color: #b3261e; font-size: .85rem; }
details { margin: 8px 0; } summary { cursor: pointer; color: var(--accent); }
pre { background: var(--paper); padding: 8px; overflow-x: auto; font-size: .8rem; }
@media (max-width: 600px) { body { font-size: 14px; padding: 0 8px 32px; }
  .cell { flex-basis: 100%; max-width: none; } }
"""

# Plain JavaScript: playing one player pauses the others.
SCRIPT = """document.addEventListener("play", function (event) {
  document.querySelectorAll("audio").forEach(function (player) { if (player !== event.target) player.pause(); });
}, true);
"""


def document(title: str, body: str, *, css: str) -> str:
    """A whole HTML page (UTF-8, a viewport for phones, the style sheet at ``css``)."""
    return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta name="generator" content="gansig report"><title>{escape(title)}</title>'
            f'<link rel="stylesheet" href="{css}"></head>\n<body>\n{body}\n'
            f'<script>{SCRIPT}</script>\n</body></html>\n')


# ---- tables ---------------------------------------------------------------------------------


def tables(table: ResultsTable) -> str:
    """Every table of a run in its wide form; each value cell carries ``data-value`` (the
    browser test counts them against table.json), each note a numbered footnote."""
    out = []
    for i, name in enumerate(table.tables(), start=1):
        grid = wide(r for r in table.rows if r.table == name)
        head = "".join(f"<th>{escape(h)}</th>" for h in grid.header)
        body = []
        for line in grid.lines:
            cells = []
            for cell in line:
                note = (f'<sup><a href="#t{i}-n{cell.note}">[{cell.note}]</a></sup>' if cell.note else "")
                if cell.kind == "label":
                    cells.append(f'<th scope="row">{escape(cell.text)}</th>')
                elif cell.kind in ("paper", "measured", NOT_MEASURED):
                    kind = cell.kind.replace(" ", "-")
                    cells.append(f'<td class="{kind}" data-value="{kind}">{escape(cell.text)}{note}</td>')
                else:
                    cells.append(f'<td class="{escape(cell.kind)}">{escape(cell.text)}</td>')
            body.append("<tr>" + "".join(cells) + "</tr>")
        notes = "".join(f'<li id="t{i}-n{k}">{escape(n)}</li>' for k, n in enumerate(grid.notes, start=1))
        out.append(f'<h3 id="table-{i}">{escape(name)}</h3>\n<div class="table-wrap"><table data-table="'
                   f'{escape(name)}"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'
                   + (f'<ol class="notes">{notes}</ol>' if notes else ""))
    return "\n".join(out)


def provenance(table: ResultsTable, record: dict | None) -> str:
    """The run's provenance (git sha, versions, config, each run's config), folded away."""
    data = {"provenance": table.provenance, "config": table.config, "run_configs": table.run_configs,
            "run.json": {k: v for k, v in (record or {}).items() if k != "files"}}
    return (f"<details><summary>Provenance: git {escape(str(table.provenance.get('git_sha', '?')))}, "
            f"versions and the whole config</summary><pre>{escape(json.dumps(data, indent=2, default=str))}"
            "</pre></details>")


def summary_line(table: ResultsTable) -> str:
    """Dataset, seed, comparability, commit, start and wall time in one line."""
    prov = table.provenance
    seeds = (f"seeds {escape(', '.join(map(str, prov['seeds'])))} (each cell their mean, the range in parentheses)"
             if isinstance(prov.get("seeds"), list) else f"seed {table.seed}")
    return (f"dataset: {escape(table.dataset)} · {seeds} · comparable with the paper: "
            f"{'yes' if table.comparable else 'no'} · git {escape(str(prov.get('git_sha', '?')))} · started "
            f"{escape(str(prov.get('started', '?')))} · wall time {wall_time(prov.get('wall_time_s'))}")


def wall_time(seconds) -> str:
    """``3,210 s`` as ``53.5 min``; "?" when unknown."""
    if not isinstance(seconds, int | float) or not math.isfinite(seconds):
        return "?"
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.1f} min"


# ---- figures --------------------------------------------------------------------------------


def figures(pngs: list[Path], url: Callable[[Path], str], name: Callable[[str], str]) -> str:
    """Each PNG with its caption (the one :func:`gansig.plots.save` wrote into it; else its
    file name in words); ``name`` gives a file's name as shown (valid UTF-8)."""
    out = []
    for png in pngs:
        shown = name(png.name)
        caption = plots.caption(png) or shown.removesuffix(".png").replace("_", " ")
        out.append(f'<figure class="plot"><img src="{url(png)}" alt="{escape(caption)}">'
                   f'<figcaption class="caption">{escape(caption)} <span class="meta">({escape(shown)})'
                   '</span></figcaption></figure>')
    return "\n".join(out) or '<p class="hint">This run wrote no figures.</p>'


# ---- listening panels -----------------------------------------------------------------------


@dataclass
class Sink:
    """Where a panel's media go: ``audio(path, name)`` and ``picture(png, name)`` return the
    URL the page uses (files copied beside the page for the site, data URIs for a notebook)."""

    audio: Callable[[Path, str], str]
    picture: Callable[[bytes, str], str]


def folder_sink(root: Path, prefix: str) -> Sink:
    """Media copied under ``root/prefix/`` (``audio/``, ``pictures/``), linked relatively from
    a page in ``root``: audio as the run wrote it (16-bit PCM WAV, 32-bit float above full scale)."""
    def audio(path: Path, name: str) -> str:
        target = root / prefix / "audio" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        return quote(f"{prefix}/audio/{name}")

    def picture(png: bytes, name: str) -> str:
        target = root / prefix / "pictures" / f"{name}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(png)
        return quote(f"{prefix}/pictures/{name}.png")

    return Sink(audio, picture)


def inline_sink() -> Sink:
    """Media embedded as data URIs (one self-contained fragment, e.g. for a notebook)."""
    def audio(path: Path, name: str) -> str:
        kind = mimetypes.guess_type(path.name)[0] or "audio/wav"
        return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode()}"

    return Sink(audio, lambda png, name: f"data:image/png;base64,{base64.b64encode(png).decode()}")


def listening(folder: Path, sink: Sink, rerun: str) -> str:
    """A run's listening panel: a row of players (or plots) per segment of ``audio/index.json``,
    each with its system, bit rate and picture.

    Args:
        folder: the run's results folder.
        sink: where the media go.
        rerun: the command that remakes the run (said where the index is missing).
    """
    audio_dir = folder / "audio"
    try:
        index = read_index(audio_dir)
    except ValueError as exc:
        return f'<p class="missing">The listening panel cannot be shown: {escape(str(exc))}.</p>'
    if index is None:
        return (f'<p class="hint">No listening panel: this run was made by an older version of the suite, '
                f'before its audio examples were indexed (<code>audio/index.json</code>). Rerun it to make the '
                f'panel: <code>{escape(rerun)}</code></p>')
    examples, captions = index
    if not examples:
        return '<p class="hint">This run indexed no listening examples.</p>'
    segments = list(dict.fromkeys(e.segment for e in examples))
    rows = []
    for number, segment in enumerate(segments, start=1):
        cells = _segment_cells([e for e in examples if e.segment == segment], audio_dir, sink, number)
        caption = captions.get(segment, "")
        rows.append(f'<div class="segment"><h3>{escape(segment)}</h3>'
                    + (f'<p class="caption">{escape(caption)}</p>' if caption else "")
                    + f'<div class="players">{"".join(cells)}</div></div>')
    hint = ("Play one to pause the others. Under each player, its spectrogram (all of a row on one dB scale, "
            f"{media.TOP_DB:g} dB shown); signals that are not audio are drawn as waveforms on one scale.")
    return f'<p class="hint">{hint}</p>\n' + "\n".join(rows)


def _segment_cells(examples: list[Example], audio_dir: Path, sink: Sink, number: int) -> list[str]:
    """One segment's cells; a file that is missing, outside ``audio/`` or unreadable says so."""
    import soundfile as sf

    loaded: dict[int, np.ndarray | str] = {}
    for k, e in enumerate(examples):
        path = audio_dir / e.file
        if not path.resolve().is_relative_to(audio_dir.resolve()):
            loaded[k] = f"{e.file} is outside the run's audio folder"
        elif not path.is_file():
            loaded[k] = f"audio file missing: {e.file}"
        else:
            try:
                loaded[k] = sf.read(str(path), dtype="float32", always_2d=True)[0].mean(axis=1)
            except (sf.LibsndfileError, RuntimeError, ValueError) as exc:
                loaded[k] = f"unreadable audio file {e.file} ({exc})"
    arrays = {k: v for k, v in loaded.items() if isinstance(v, np.ndarray)}
    spectra = {k: media.spectrogram_db(arrays[k], examples[k].rate) for k in arrays if examples[k].kind == "audio"}
    top_db = max((float(s.max()) for s in spectra.values()), default=0.0)
    top_amplitude = max((float(np.max(np.abs(arrays[k]))) for k in arrays if k not in spectra), default=1.0) or 1.0
    cells = []
    for k, e in enumerate(examples):
        rate = f' <span class="rate">{e.bit_rate:g} kbit/s</span>' if e.bit_rate is not None else ""
        label = f'<figcaption><b>{escape(e.system)}</b>{rate}</figcaption>'
        if not isinstance(loaded[k], np.ndarray):
            cells.append(f'<figure class="cell">{label}<p class="missing">{escape(loaded[k])}</p></figure>')
            continue
        name = f"{number:02d}_{k:02d}"
        if e.kind == "audio":
            png = media.spectrogram_png(spectra[k], top_db)
            body = (f'<audio controls preload="metadata" src="{sink.audio(audio_dir / e.file, e.file)}" '
                    f'data-seconds="{len(arrays[k]) / e.rate:.4f}"></audio>'
                    f'<img src="{sink.picture(png, name)}" alt="spectrogram of {escape(e.system)}" '
                    f'width="{media.WIDTH}" height="{media.HEIGHT}">')
        else:
            png = media.signal_png(arrays[k], e.rate, top_amplitude)
            body = (f'<img src="{sink.picture(png, name)}" alt="waveform of {escape(e.system)}" '
                    f'width="{media.WIDTH}" height="{media.HEIGHT}">')
        cells.append(f'<figure class="cell">{label}{body}</figure>')
    return cells


def panel_fragment(folder: Path, rerun: str) -> str:
    """A run's listening panel as one self-contained HTML fragment (style and media inline)."""
    return f"<style>{STYLE}</style><div class=\"gansig-panel\">{listening(folder, inline_sink(), rerun)}</div>"


# ---- the index ------------------------------------------------------------------------------


def paper_card(number: int, info: PaperInfo, runs: list, command: str) -> str:
    """A paper's entry on the index: its number and title, status, and its runs (or how to
    make one)."""
    items = []
    for run in runs:
        if run.table is None:
            items.append(f'<li><b>{escape(run.profile)}</b>: <span class="missing">{escape(run.problem)}</span></li>')
            continue
        prov = run.table.provenance
        items.append(f'<li><a href="{quote(run.page)}">{escape(run.profile)} profile</a> · made '
                     f'{escape(str(prov.get("started", "?")))} from git {escape(str(prov.get("git_sha", "?")))} · '
                     f'wall time {wall_time(prov.get("wall_time_s"))} · {len(run.table.tables())} table(s)</li>')
    made = (f"<ul>{''.join(items)}</ul>" if items else
            f'<p class="missing">No results yet. Make them with <code>{escape(command)}</code> '
            f'({escape(info.cpu_time)} on a 2-core CPU).</p>')
    return (f'<section class="paper-card" id="{escape(info.name)}"><p class="meta">paper {number} · '
            f'<code>gansig.papers.{escape(info.name)}</code></p><h2>{escape(info.title)}</h2>'
            f'<p class="meta">status: {escape(info.status)} · tables: {escape(info.tables)}</p>{made}'
            f'{shipped_models(info.name)}</section>')


def shipped_models(paper: str) -> str:
    """The models gansig ships for a paper's tools: which, what trained them, their headline
    score (from their cards), or that a card is missing."""
    from gansig import models

    items = []
    for name, model in models.SHIPPED.items():
        if model.paper != paper:
            continue
        try:
            card = models.card(name)
        except GansigError as exc:
            items.append(f'<li><code>{escape(name)}</code>: <span class="missing">{escape(str(exc))}</span></li>')
            continue
        trained = card.get("trained_by", {})
        items.append(f'<li><code>{escape(name)}</code> ({models.size(name) / 1e6:.1f} MB), used by '
                     f'<code>{escape(model.tool)}</code> without <code>--model</code>: trained by '
                     f'<code>{escape(str(trained.get("command", "?")))}</code> at git '
                     f'{escape(str(trained.get("commit", "?")))}; {escape(models.headline(card))}</li>')
    return f'<p class="meta">shipped model(s):</p><ul class="shipped">{"".join(items)}</ul>' if items else ""
