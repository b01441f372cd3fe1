"""How far the golden smoke tables move between numerically different but valid runs.

Runs each golden paper's smoke reproduction (seed 0, the tests' small corpora) once per
variant, each in its own process: oneDNN on and off (``TF_ENABLE_ONEDNN_OPTS``), one and
two intra-op threads. Prints, per metric, the largest relative difference from the
golden table over the variants, and writes every variant's numbers as JSON. The tolerances
of ``tests/helpers.py`` (``GOLDEN_TOLERANCES``) are set from this measurement with a margin.

    python scripts/golden_drift.py [--papers mimo5g,sinedenoise,bpgan] [--out drift.json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
VARIANTS = {
    "onednn-2-threads": {"TF_ENABLE_ONEDNN_OPTS": "1", "GANSIG_INTRA_OP_THREADS": "2"},
    "onednn-1-thread": {"TF_ENABLE_ONEDNN_OPTS": "1", "GANSIG_INTRA_OP_THREADS": "1"},
    "eigen-2-threads": {"TF_ENABLE_ONEDNN_OPTS": "0", "GANSIG_INTRA_OP_THREADS": "2"},
    "eigen-1-thread": {"TF_ENABLE_ONEDNN_OPTS": "0", "GANSIG_INTRA_OP_THREADS": "1"},
}
_ONE_RUN = """
import json, os, sys, tempfile
import tensorflow as tf
threads = int(os.environ["GANSIG_INTRA_OP_THREADS"])
tf.config.threading.set_intra_op_parallelism_threads(threads)
from gansig.data.corpora import registry
from gansig.papers import load
from gansig.registry import PAPERS
name = sys.argv[1]
for corpus in PAPERS[name].corpora:
    registry.build(corpus, max_per_source=3)
table = load(name).reproduce("smoke", out_dir=tempfile.mkdtemp(), seed=0, verbose=0)
print("TABLE" + json.dumps([[r.table, r.row, r.metric, r.measured] for r in table.rows]))
"""


def run_variant(name: str, env: dict[str, str], data_dir: str) -> dict[tuple[str, str, str], float | None]:
    environment = {**os.environ, **env, "GANSIG_DATA_DIR": data_dir, "TF_CPP_MIN_LOG_LEVEL": "3",
                   "CUDA_VISIBLE_DEVICES": ""}
    done = subprocess.run([sys.executable, "-c", _ONE_RUN, name], capture_output=True, text=True, env=environment,
                          cwd=ROOT, timeout=3600)
    line = next((x for x in done.stdout.splitlines() if x.startswith("TABLE")), None)
    if done.returncode or line is None:
        raise SystemExit(f"{name} {env}: failed\n{done.stderr[-3000:]}")
    return {(t, r, m): v for t, r, m, v in json.loads(line[5:])}


def relative(a: float | None, b: float | None) -> float:
    if a is None or b is None or a != a or b != b:
        return 0.0 if (a is None) == (b is None) else float("inf")
    return abs(a - b) / max(abs(b), 1e-6)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", default="mimo5g,sinedenoise,bpgan")
    parser.add_argument("--out", type=Path, default=Path("golden_drift.json"))
    args = parser.parse_args()
    report = {}
    with tempfile.TemporaryDirectory() as data_dir:
        for name in args.papers.split(","):
            golden = json.loads((GOLDEN / f"{name}_smoke.json").read_text())
            cells = {(t, r, m): v for t, rows in golden.items() for r, ms in rows.items() for m, v in ms.items()}
            runs = {}
            for variant, env in VARIANTS.items():
                print(f"{name}: {variant} ...", file=sys.stderr, flush=True)
                runs[variant] = run_variant(name, env, data_dir)
            worst: dict[str, float] = {}
            for key, value in cells.items():
                for measured in runs.values():
                    worst[key[2]] = max(worst.get(key[2], 0.0), relative(measured.get(key), value))
            report[name] = {"worst_relative_by_metric": worst,
                            "runs": {v: [[*k, x] for k, x in r.items() if k in cells] for v, r in runs.items()}}
            for metric, value in sorted(worst.items(), key=lambda kv: -kv[1]):
                print(f"{name:12s} {metric:45s} {value:.2e}")
    args.out.write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
