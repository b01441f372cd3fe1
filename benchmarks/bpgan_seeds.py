"""How much BPGAN's Table 3 moves from one training seed to the next.

Reads the ``table.json`` of several reproduce runs of the same profile (e.g. run with
``--seed 0``, ``--seed 1``, ...; the test speech does not depend on the seed) and prints,
for the real-speech table, each run's BPGAN rows beside Codec2 3200, then the mean and
standard deviation over the runs when their settings agree (otherwise the fields that
differ are named, in the columns' headings too). A field a run's config lacks (it predates
the field) counts as the field's default, which is what that run did.

Run: .venv/bin/python benchmarks/bpgan_seeds.py results/bpgan/quick RUN_DIR [RUN_DIR ...]
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

import numpy as np

from gansig.papers.bpgan.config import Config
from gansig.results import ResultsTable

TABLE = "Table 3 — real speech"
ROWS = ("BPGAN (ADMM, level-weighted search)", "BPGAN (ADMM)", "Unified GAN (encoder only)", "Codec2 3200")
METRICS = ("bitrate (kbps, from the bytes)", "PESQ-NB (raw P.862)", "PESQ-WB (P.862.2)", "STOI")


DEFAULTS = {f.name: f.default for f in dataclasses.fields(Config)}


def setting(table: ResultsTable, field: str) -> str:
    """A run's value of a config field as text (the default where the run predates the
    field; numbers as numbers, so 0 and 0.0 read alike)."""
    value = table.config.get(field, DEFAULTS.get(field))
    return f"{value:g}" if isinstance(value, int | float) and not isinstance(value, bool) else str(value)


def heading(table: ResultsTable, differ: list[str]) -> str:
    """A run's column heading: seed, epochs, the settings that differ, commit and wall time."""
    p = table.provenance
    return (f"seed {table.seed}, {setting(table, 'epochs')} epochs"
            + "".join(f", {k} {setting(table, k)}" for k in differ if k != "epochs")
            + f" ({p.get('git_sha', '?')}, {p.get('wall_time_s', float('nan')) / 60:.0f} min)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("runs", nargs="+", type=Path, help="results directories holding table.json")
    args = parser.parse_args()
    tables = [ResultsTable.from_json(run / "table.json") for run in args.runs]
    fields = sorted(set().union(*(t.config for t in tables)))
    differ = [k for k in fields if len({setting(t, k) for t in tables}) > 1]
    print(f"{TABLE}: kbit/s / PESQ-NB / PESQ-WB / STOI per run"
          + (f"; settings differ ({', '.join(differ)}), so no mean" if differ else "") + "\n")
    print("| row | " + " | ".join(heading(t, differ) for t in tables) + ("" if differ else " | mean ± sd") + " |")
    print("|---" * (len(tables) + 1 + (not differ)) + "|")
    for row in ROWS:
        values = np.array([[t.get(TABLE, row, m).measured for m in METRICS] for t in tables])
        cells = [" / ".join(f"{v:.2f}" if i < 3 else f"{v:.3f}" for i, v in enumerate(run)) for run in values]
        mean, sd = values.mean(axis=0), values.std(axis=0)
        spread = f"NB {mean[1]:.2f} ± {sd[1]:.2f}, WB {mean[2]:.2f} ± {sd[2]:.2f}"
        print(f"| {row} | " + " | ".join(cells + ([] if differ else [spread])) + " |")


if __name__ == "__main__":
    main()
