"""Results tables: the paper's value beside the measured one, with the run's provenance.

Every number a reproduction prints goes through :class:`ResultsTable`, which records where
it came from (profile, dataset, seed, git sha, library versions, wall time, config). A
paper value can only ever be a ``reference``; ``measured`` is filled from the run.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import math
import platform
import subprocess
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gansig.fileio import write_text

NOT_MEASURED = "not measured"


@dataclass
class Row:
    """One cell of a paper table: a metric of one row (a model, a condition).

    Attributes:
        table: the paper's table this row belongs to (e.g. ``"Table II"``).
        row: the row label (e.g. ``"50 / GAN"``).
        metric: the column (e.g. ``"RMSE"``).
        measured: our value, or None when it cannot be measured (see ``note``).
        reference: the paper's value, or None when the paper gives none.
        n_eval: how many examples the measured value averages over.
        unit: unit for display.
        note: source of the reference, or why a value is not measured.
        comparable: overrides the table's flag for this row when not None.
        run: the named run the value comes from ("" for a paper with one run).
        ci: ``[low, high]``, the 95 % bootstrap interval of ``measured`` over the items it
            averages (None: not a mean over items, or their values were not kept).
        seeds: each seed's value, by seed (an aggregate of several seeds' runs: ``measured``
            is then their mean; None: one run).
        spread: ``[low, high]`` of the seeds' values: their range for fewer than
            :data:`STD_FROM` seeds, else the mean -+ their standard deviation (``spread_kind``).
        spread_kind: ``"min-max"`` or ``"std"`` ("" for one run).
    """

    table: str
    row: str
    metric: str
    measured: float | None
    reference: float | None = None
    n_eval: int | None = None
    unit: str = ""
    note: str = ""
    comparable: bool | None = None
    run: str = ""
    ci: list[float] | None = None
    seeds: dict[str, float | None] | None = None
    spread: list[float] | None = None
    spread_kind: str = ""

    @property
    def delta(self) -> float | None:
        """measured - reference, when both exist."""
        if self.measured is None or self.reference is None:
            return None
        return self.measured - self.reference


def _git_sha() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True, text=True, timeout=5, cwd=Path(__file__).parent,
        )
        sha = out.stdout.strip() or "unknown"
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            capture_output=True, text=True, timeout=5, cwd=Path(__file__).parent,
        ).stdout.strip()
        return sha + ("-dirty" if dirty and sha != "unknown" else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in ("tensorflow", "keras", "numpy", "librosa"):
        try:
            versions[name] = __import__(name).__version__
        except ImportError:  # pragma: no cover - all are dependencies
            versions[name] = "missing"
    return versions


def _fmt(value: float | None, digits: int = 4) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    magnitude = abs(value)
    if float(value).is_integer() and magnitude >= 1:
        return f"{int(value):,}"
    if magnitude != 0 and (magnitude < 1e-3 or magnitude >= 1e5):
        return f"{value:.3e}"
    return f"{value:.{digits}g}" if magnitude >= 1 else f"{value:.{digits}f}"


References = Mapping[str, Mapping[str, Mapping[str, float]]]
"""A paper's published numbers, transcribed once: ``{table: {row: {metric: value}}}``."""


@dataclass
class ResultsTable:
    """A reproduction's results with provenance; writes markdown, CSV and JSON.

    Attributes:
        paper: the paper package name (e.g. ``"mimo5g"``).
        profile: ``paper``, ``quick`` or ``smoke``.
        dataset: the data the numbers come from (a stand-in is named as such).
        seed: the run's seed.
        comparable: True only for the paper profile on the paper's own data.
        config: the run's configuration as a JSON-ready dict.
        references: the paper's numbers by name; :meth:`add` takes each row's from here.
        run_configs: the config of each named run (papers with many runs), JSON-ready.
    """

    paper: str
    profile: str
    dataset: str
    seed: int
    comparable: bool
    config: dict[str, Any] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    provenance: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    references: References = field(default_factory=dict, repr=False)
    run_configs: dict[str, dict[str, Any]] = field(default_factory=dict)
    _started: float = field(default_factory=time.time, repr=False)

    def __post_init__(self) -> None:
        if not self.provenance:
            self.provenance = {
                "git_sha": _git_sha(),
                "versions": _versions(),
                "started": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(self._started)),
            }

    def reference(self, table: str, row: str, metric: str) -> float | None:
        """The paper's value for this cell, or None when the paper gives none."""
        value = self.references.get(table, {}).get(row, {}).get(metric)
        return None if value is None else float(value)

    def add(self, table: str, row: str, metric: str, measured: float | None, *, run: str = "",
            n_eval: int | None = None, unit: str = "", note: str = "", comparable: bool | None = None,
            items: Iterable[float] | None = None, ci: list[float] | None = None) -> Row:
        """Append a measured value (None only with a ``note`` saying why); the paper's value
        comes from :attr:`references` by name. A value that is not finite (NaN, infinite) is
        kept as "not measured", saying so. ``items``: the per-item values ``measured`` is the
        mean of, for its bootstrap interval (:func:`bootstrap_ci`); or that interval as ``ci``
        (for a value computed from such a mean, e.g. an RMSE from its MSE's)."""
        if measured is None and not note:
            raise ValueError(f"{table}/{row}/{metric}: a missing measurement needs a reason")
        if measured is not None and not math.isfinite(measured):
            note = f"{NOT_MEASURED}: the measurement was not finite ({measured})" + (f"; {note}" if note else "")
            measured = None
        if items is not None and measured is not None:
            ci = bootstrap_ci(items, seed=self.seed)
        new = Row(table, row, metric, None if measured is None else float(measured),
                  self.reference(table, row, metric), n_eval, unit, note, comparable, run, ci)
        self.rows.append(new)
        return new

    def not_measured(self, table: str, row: str, metric: str, reason: str, *, run: str = "") -> Row:
        """Keep a metric the suite cannot measure in the table, with the reason."""
        return self.add(table, row, metric, None, run=run, note=f"{NOT_MEASURED}: {reason}")

    def elapsed(self) -> float:
        """Seconds since the table was started."""
        return time.time() - self._started

    def finish(self) -> ResultsTable:
        """Stamp the wall time; call once the run is over."""
        self.provenance["wall_time_s"] = round(self.elapsed(), 1)
        return self

    def get(self, table: str, row: str, metric: str) -> Row:
        """The row with these keys.

        Raises:
            KeyError: no such row.
        """
        for r in self.rows:
            if (r.table, r.row, r.metric) == (table, row, metric):
                return r
        raise KeyError((table, row, metric))

    def tables(self) -> list[str]:
        """Table names in first-seen order."""
        return list(dict.fromkeys(r.table for r in self.rows))

    # ---- writers -------------------------------------------------------------------
    def records(self) -> list[dict[str, Any]]:
        """Flat per-row dicts carrying the run's profile, dataset, seed and comparability."""
        out = []
        for r in self.rows:
            rec = dataclasses.asdict(r)
            rec["delta"] = r.delta
            rec["comparable"] = self.comparable if r.comparable is None else r.comparable
            rec.update(profile=self.profile, dataset=self.dataset, seed=self.seed,
                       git_sha=self.provenance.get("git_sha"))
            out.append(rec)
        return out

    def to_markdown(self) -> str:
        """The tables as people read papers: a line per row (method or run), a column per
        metric with the paper's value beside ours, notes as numbered footnotes; then the
        provenance. (The long form, with Δ, is in the CSV and JSON.)"""
        prov = self.provenance
        versions = ", ".join(f"{k} {v}" for k, v in prov.get("versions", {}).items())
        seeds = prov.get("seeds")
        lines = [
            f"**{self.paper}** · profile `{self.profile}` · dataset: {self.dataset} · "
            + (f"seeds {', '.join(map(str, seeds))}" if seeds else f"seed {self.seed}")
            + f" · comparable with the paper: {'yes' if self.comparable else 'no'}",
            "",
            f"git {prov.get('git_sha')} · {versions} · wall time {prov.get('wall_time_s', '?')} s"
            f" · started {prov.get('started')}",
        ]
        if seeds:
            lines += ["", f"Each measured cell is the mean of the {len(seeds)} seeds' values, their "
                          f"{'range' if len(seeds) < STD_FROM else 'mean -+ standard deviation'} in parentheses; "
                          "a mean over test items also has the items' 95 % bootstrap interval in brackets (the "
                          "seeds' intervals averaged). Every seed's value is in table.json."]
        elif any(r.ci for r in self.rows):
            lines += ["", "A mean over test items has the items' 95 % bootstrap interval in brackets."]
        for table in self.tables():
            lines += ["", f"### {table}", "", *wide(r for r in self.rows if r.table == table).markdown()]
        for note in self.notes:
            lines += ["", note]
        return "\n".join(lines) + "\n"

    def to_csv(self) -> str:
        """The flat records as CSV text."""
        records = self.records()
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(records[0]) if records else ["table"])
        writer.writeheader()
        writer.writerows(records)
        return buf.getvalue()

    def to_json(self) -> str:
        """Everything (rows, provenance, config, each run's config, notes) as JSON text."""
        return json.dumps({
            "paper": self.paper, "profile": self.profile, "dataset": self.dataset, "seed": self.seed,
            "comparable": self.comparable, "provenance": self.provenance, "config": self.config,
            "run_configs": self.run_configs, "notes": self.notes,
            "rows": [dataclasses.asdict(r) for r in self.rows],
        }, indent=2)

    def write(self, out_dir: str | Path) -> Path:
        """Write table.md, table.csv and table.json into ``out_dir`` atomically."""
        out = Path(out_dir)
        write_text(out / "table.md", self.to_markdown())
        write_text(out / "table.csv", self.to_csv())
        write_text(out / "table.json", self.to_json())
        return out

    @classmethod
    def from_json(cls, path: str | Path) -> ResultsTable:
        """Read a table written by :meth:`write`, every field checked (its type, numbers
        finite, text valid UTF-8).

        Raises:
            OSError: the file cannot be read.
            ValueError: not JSON, or a field of the wrong type or range (named).
        """
        from gansig.profiles import checked_fields

        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except ValueError as exc:
            raise ValueError(f"{path}: not valid JSON ({exc})") from None
        data = checked_fields(ResultsTable, data, str(path))
        rows = [Row(**checked_fields(Row, r, f"{path}: row {k}")) for k, r in enumerate(data.pop("rows", []))]
        return cls(rows=rows, **data)


@dataclass(frozen=True)
class Cell:
    """One cell of a table in its wide form.

    Attributes:
        text: the value as written (a number with its unit, "not measured", a label, "").
        kind: ``"label"`` (run or row), ``"paper"`` (the paper's value), ``"measured"``,
            ``"not measured"``, ``"n"`` (the examples counted) or ``""`` (no value).
        note: the number of the cell's footnote, or None.
    """

    text: str
    kind: str = ""
    note: int | None = None


@dataclass
class WideTable:
    """A table as people read it: a line per row (method or run), a column per metric with
    the paper's value beside ours, notes as numbered footnotes."""

    header: list[str]
    lines: list[list[Cell]]
    notes: list[str]

    def markdown(self) -> list[str]:
        """The table's markdown lines, footnotes after it."""
        def text(cell: Cell) -> str:
            return cell.text + (f" [{cell.note}]" if cell.note else "")

        out = ["| " + " | ".join(self.header) + " |", "|" + "---|" * len(self.header)]
        out += ["| " + " | ".join(text(c) for c in line) + " |" for line in self.lines]
        if self.notes:
            out += [""] + [f"[{k}] {note}  " for k, note in enumerate(self.notes, start=1)]
        return out


def wide(rows: Iterable[Row]) -> WideTable:
    """One table's rows in the wide form (see :meth:`ResultsTable.to_markdown`)."""
    rows = list(rows)
    lines_of = dict.fromkeys((r.run, r.row) for r in rows)
    metrics = list(dict.fromkeys(r.metric for r in rows))
    with_paper = {m for m in metrics if any(r.metric == m and r.reference is not None for r in rows)}
    show_run = any(r.run for r in rows)
    cells = {(r.run, r.row, r.metric): r for r in rows}
    notes: dict[str, int] = {}

    def mark(note: str) -> int | None:
        return notes.setdefault(note, len(notes) + 1) if note else None

    header = (["run"] if show_run else []) + ["row"]
    for m in metrics:
        header += [f"{m} (paper)", m] if m in with_paper else [m]
    header.append("n")
    lines = []
    for run, row in lines_of:
        line = [Cell(run, "label")] if show_run else []
        line.append(Cell(row, "label"))
        counts = []
        for m in metrics:
            r = cells.get((run, row, m))
            if m in with_paper:
                line.append(Cell("") if r is None or r.reference is None else Cell(_fmt(r.reference), "paper"))
            if r is None:
                line.append(Cell(""))
                continue
            if r.measured is None:
                line.append(Cell(NOT_MEASURED, NOT_MEASURED, mark(r.note.removeprefix(f"{NOT_MEASURED}: "))))
            else:
                line.append(Cell(_fmt(r.measured) + (f" {r.unit}" if r.unit else "") + _spreads(r), "measured",
                                 mark(r.note)))
            if r.n_eval is not None:
                counts.append(r.n_eval)
        line.append(Cell(", ".join(str(n) for n in dict.fromkeys(counts)), "n"))
        lines.append(line)
    return WideTable(header, lines, list(notes))


BOOTSTRAP_RESAMPLES = 2000
STD_FROM = 5  # seeds from which a spread is the standard deviation, not the range


def bootstrap_ci(items: Iterable[float], *, seed: int = 0, level: float = 0.95) -> list[float] | None:
    """The percentile bootstrap interval of the mean of ``items`` (:data:`BOOTSTRAP_RESAMPLES`
    resamples, seeded): how far the mean moves with the test items drawn, apart from the
    training seed's effect. None for fewer than two finite items."""
    import numpy as np

    values = np.asarray([v for v in items if v is not None and math.isfinite(v)], np.float64)
    if len(values) < 2:
        return None
    rng = np.random.default_rng(seed)
    means = values[rng.integers(0, len(values), (BOOTSTRAP_RESAMPLES, len(values)))].mean(axis=1)
    low, high = np.quantile(means, [(1 - level) / 2, (1 + level) / 2])
    return [float(low), float(high)]


def aggregate(tables: list[ResultsTable]) -> ResultsTable:
    """Several seeds' tables of one run as one: each cell the mean of the seeds' values with
    their spread (:data:`STD_FROM`), every seed's value kept (``Row.seeds``), the paper's value
    beside it. A cell that is missing or not measured in any seed is not averaged: it is kept
    as "not measured", naming the seeds that lack it. The item intervals (``ci``) of the seeds
    are averaged (their mean ends, so the seed spread and the item spread sit side by side).

    Raises:
        ValueError: no tables, or tables of different papers or profiles, or a seed twice.
    """
    if not tables:
        raise ValueError("no tables to aggregate")
    first = tables[0]
    seeds = [t.seed for t in tables]
    if len(set(seeds)) != len(seeds) or {(t.paper, t.profile) for t in tables} != {(first.paper, first.profile)}:
        raise ValueError("aggregate takes one table per seed of one paper and profile")
    out = ResultsTable(first.paper, first.profile, first.dataset, seeds[0], first.comparable, config=first.config,
                       provenance={**first.provenance, "seeds": seeds,
                                   "wall_time_s": round(sum(t.provenance.get("wall_time_s") or 0 for t in tables), 1),
                                   "git_sha": sorted({str(t.provenance.get("git_sha")) for t in tables})[0]},
                       notes=[f"Seed {first.seed}'s run: {note}" for note in first.notes], references=first.references,
                       run_configs=first.run_configs)
    cells = [{(r.table, r.row, r.metric, r.run): r for r in t.rows} for t in tables]
    for key, row in cells[0].items():
        values = {str(t.seed): (c[key].measured if key in c else None) for t, c in zip(tables, cells, strict=True)}
        lacking = [s for s, v in values.items() if v is None]
        if lacking:
            reason = row.note.removeprefix(f"{NOT_MEASURED}: ") if row.measured is None else ""
            out.rows.append(dataclasses.replace(row, measured=None, seeds=values, ci=None, note=(
                f"{NOT_MEASURED}: " + (reason or f"missing in seed(s) {', '.join(lacking)} of {len(values)}, so not "
                                                 "averaged"))))
            continue
        numbers = [float(v) for v in values.values()]
        mean = sum(numbers) / len(numbers)
        if len(numbers) < STD_FROM:
            spread, kind = [min(numbers), max(numbers)], "min-max"
        else:
            std = math.sqrt(sum((v - mean) ** 2 for v in numbers) / (len(numbers) - 1))
            spread, kind = [mean - std, mean + std], "std"
        intervals = [c[key].ci for c in cells if c[key].ci is not None]
        ci = ([sum(i[0] for i in intervals) / len(intervals), sum(i[1] for i in intervals) / len(intervals)]
              if len(intervals) == len(cells) else None)
        out.rows.append(dataclasses.replace(row, measured=mean, seeds=values, spread=spread, spread_kind=kind,
                                            ci=ci))
    return out


def _spreads(r: Row) -> str:
    """A measured cell's spreads as written after its value: ``(low–high)`` over the seeds,
    ``[low, high]`` the items' bootstrap interval."""
    seeds = f" ({_fmt(r.spread[0])}–{_fmt(r.spread[1])})" if r.spread and r.spread[0] != r.spread[1] else ""
    return seeds + (f" [{_fmt(r.ci[0])}, {_fmt(r.ci[1])}]" if r.ci else "")


def summarise(values: Iterable[float]) -> tuple[float, float]:
    """Mean and population standard deviation of a sequence.

    The 5G paper's "0.1530 ± 0.0022" is exactly this over its five Table II GAN rows.
    """
    vals = list(values)
    mean = sum(vals) / len(vals)
    return mean, math.sqrt(sum((v - mean) ** 2 for v in vals) / len(vals))
