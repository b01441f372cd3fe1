"""Several seeds in one command: ``reproduce NAME --seeds 0,1,2`` runs the profile once per
seed and writes the seeds' aggregate beside them.

Each seed's run is an ordinary run in ``OUT/seeds/N/`` (its own results, checkpoints and
lock, resumable as any run is); a seed whose folder already holds its finished run of the
same profile and config is kept, so a killed multi-seed run resumes where it stopped. ``OUT``
then holds the aggregate (:func:`gansig.results.aggregate`: each cell the seeds' mean with
their spread and every seed's value), the first seed's figures and listening examples (for
the report's page), and ``run.json`` naming the seeds. Corpora are built once and shared;
the rest of each run (its data where the seed makes it, the classical baselines on it) is
the seed's own.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path
from typing import Any

from gansig.cli import SEED_MAX
from gansig.results import ResultsTable, aggregate
from gansig.results_folder import SEEDS, STAGING, Lock, check, run_record, swap_in

MAX_SEEDS = 20


def parse_seeds(text: str) -> list[int]:
    """An argparse type: ``"0,1,2"``, at least two distinct decimal seeds in 0 ... 2**32 - 1
    (at most :data:`MAX_SEEDS`)."""
    parts = [p.strip() for p in text.split(",")]
    if not text.strip() or any(not p for p in parts):
        raise argparse.ArgumentTypeError(f"{text!r}: give seeds as 0,1,2 (no empty entries)")
    if any(not p.isdecimal() for p in parts):
        bad = next(p for p in parts if not p.isdecimal())
        raise argparse.ArgumentTypeError(f"{bad!r}: a seed is a whole number in 0 ... {SEED_MAX}")
    seeds = [int(p) for p in parts]
    if any(s > SEED_MAX for s in seeds):
        raise argparse.ArgumentTypeError(f"{max(seeds)}: a seed is a whole number in 0 ... {SEED_MAX}")
    repeated = sorted({s for s in seeds if seeds.count(s) > 1})
    if repeated:
        raise argparse.ArgumentTypeError(f"seed {repeated[0]} is given twice; give each seed once")
    if not 2 <= len(seeds) <= MAX_SEEDS:
        raise argparse.ArgumentTypeError(f"{len(seeds)} seed(s): give 2 to {MAX_SEEDS} (one seed: --seed N)")
    return seeds


def seed_folder(final: Path, seed: int) -> Path:
    """Where a multi-seed run keeps one seed's run."""
    return final / SEEDS / str(seed)


def finished(folder: Path, name: str, profile: str, seed: int, config: dict) -> ResultsTable | None:
    """A seed's run already finished in ``folder`` with this paper, profile, seed and config
    (None: there is none, or another's)."""
    record = run_record(folder) or {}
    if (record.get("paper"), record.get("profile"), record.get("seed")) != (name, profile, seed):
        return None
    try:
        table = ResultsTable.from_json(folder / "table.json")
    except (OSError, ValueError):
        return None
    return table if table.config == config else None


def reproduce_seeds(name: str, profile: str, out_dir: str | Path | None, seeds: list[int], *,
                    verbose: int | str = "auto", options: dict[str, Any] | None = None,
                    overrides: dict[str, Any] | None = None) -> ResultsTable:
    """Run ``name``'s profile once per seed and write the seeds' aggregate.

    Args:
        name: the paper.
        profile: its profile.
        out_dir: the aggregate's folder (default ``results/NAME/PROFILE``); the seeds' runs go
            to its ``seeds/N/``.
        seeds: the seeds.
        verbose: Keras ``fit`` verbosity.
        options: the paper's ``reproduce`` options (``runs``, ``recording``, ...).
        overrides: config fields to change.

    Returns:
        The aggregate table (also written to ``out_dir``).

    Raises:
        GansigError: the folder cannot hold this run (see :func:`gansig.results_folder.check`).
    """
    import importlib

    from gansig.papers import load
    from gansig.profiles import select, to_dict

    options, overrides = options or {}, overrides or {}
    final = Path(out_dir) if out_dir is not None else Path("results") / name / profile
    check(final, name)
    config = to_dict(select(importlib.import_module(f"gansig.papers.{name}.config").PROFILES, profile, **overrides))
    lock = Lock(final, f"{name} --profile {profile} --seeds {','.join(map(str, seeds))}")
    try:
        tables = []
        for number, seed in enumerate(seeds, 1):
            folder = seed_folder(final, seed)
            kept = finished(folder, name, profile, seed, config)
            state = f"finished earlier in {folder}, kept" if kept is not None else f"running into {folder}"
            print(f"[{name}] seed {seed} ({number} of {len(seeds)}): {state}", file=sys.stderr)
            tables.append(kept or load(name).reproduce(profile, folder, seed, verbose=verbose,
                                                       **options, **overrides))
        merged = aggregate(tables)
        staging = final / STAGING
        shutil.rmtree(staging, ignore_errors=True)
        merged.write(staging)
        for part in ("figures", "audio"):  # the first seed's, for the report's page
            if (seed_folder(final, seeds[0]) / part).is_dir():
                shutil.copytree(seed_folder(final, seeds[0]) / part, staging / part)
        swap_in(final, staging, {"paper": name, "profile": profile, "seed": seeds[0], "seeds": seeds,
                                 "dataset": merged.dataset, "git_sha": merged.provenance.get("git_sha"),
                                 "started": merged.provenance.get("started")})
    finally:
        lock.release()
    print(merged.to_markdown())
    return merged
