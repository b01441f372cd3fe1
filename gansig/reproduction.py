"""What every ``reproduce()`` does around its paper-specific work: pick the profile's
config, seed everything, lay out the results folder, and write and print the table."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import keras

from gansig.profiles import fingerprint, select, to_dict
from gansig.results import ResultsTable


@dataclass
class Run:
    """One reproduction in progress.

    Attributes:
        name: the paper's short name.
        config: the selected config with overrides applied.
        out: the results folder (``results/NAME/PROFILE`` by default).
        work_dir: checkpoints of exactly this config and seed (a killed run resumes there).
        table: the results table being filled.
    """

    name: str
    config: Any
    out: Path
    work_dir: Path
    table: ResultsTable

    def log(self, message: str) -> None:
        """A progress line on stderr, prefixed with the paper's name and the time since the start."""
        minutes, seconds = divmod(int(self.table.elapsed()), 60)
        print(f"[{self.name} {minutes}:{seconds:02d}] {message}", file=sys.stderr, flush=True)

    def finish(self) -> ResultsTable:
        """Stamp the wall time, write table.md/csv/json, print the table."""
        self.table.finish().write(self.out)
        print(self.table.to_markdown())
        self.log(f"results in {self.out}")
        return self.table


def start(name: str, profiles: Mapping[str, Any], profile: str, out_dir: str | Path | None, seed: int,
          dataset: str, overrides: Mapping[str, Any]) -> Run:
    """Select the config, seed Python/NumPy/TensorFlow, and open the results table.

    The table is marked comparable with the paper only for the ``paper`` profile.

    Raises:
        ConfigError: unknown profile or config field.
    """
    config = select(profiles, profile, **overrides)
    out = Path(out_dir) if out_dir is not None else Path("results") / name / profile
    keras.utils.set_random_seed(seed)
    table = ResultsTable(name, profile, dataset, seed, comparable=profile == "paper", config=to_dict(config))
    return Run(name, config, out, out / "checkpoints" / fingerprint(config, seed), table)
