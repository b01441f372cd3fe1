"""`restore`'s speed and memory on long files: the real-time factor (restoring time over the
audio's duration) and the peak resident memory of restoring a 3-minute and a 6-minute
48 kHz file, each in a fresh process, for the gansig restorer and for a thesis
generator (Exp 8's, at the quick and the paper profile's widths). The goal: the gansig
model at a real-time factor of at most 0.5 on 2 cores, with memory that does not grow with
the file's length.

The restorers are built from the configs (their weights do not change the cost); the
gansig one is the quick run's when it exists (results/film/quick/models/gansig).

Run: .venv/bin/python benchmarks/bench_film_restore.py [--minutes 3 6]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = """
import json, resource, sys, time
from gansig.papers.film.restore import restore_file
model, src, dst = sys.argv[1:4]
start = time.perf_counter()
restore_file(src, dst, model)
elapsed = time.perf_counter() - start
print(json.dumps({"seconds": elapsed, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def make_models(folder: Path) -> dict[str, Path]:
    """The restorers to time: name -> folder."""
    import dataclasses

    from gansig.papers.film import frontend, models, restorer_net
    from gansig.papers.film.config import PROFILES, RUNS
    from gansig.papers.film.restore import Restorer
    from gansig.profiles import run_config

    made = {}
    kept = Path("results", "film", "quick", "models", "gansig")
    if (kept / "restorer.json").is_file():
        made["gansig (the quick run's)"] = kept
    else:
        untrained = Restorer("gansig", PROFILES["quick"], restorer_net.generator(PROFILES["quick"]))
        made["gansig (quick config)"] = untrained.save(folder / "gansig")
    for profile in ("quick", "paper"):
        config = run_config(PROFILES[profile], RUNS, "exp8")
        config = dataclasses.replace(config, clip_seconds=None)
        generator = models.generator(config, frontend.shape(config))
        restorer = Restorer("thesis", config, generator)
        made[f"thesis Exp 8 ({profile} widths)"] = restorer.save(folder / f"exp8_{profile}")
    return made


def damaged_file(path: Path, minutes: float) -> Path:
    """A film-like damaged recording: harmonics and noise, cut at 2000 Hz, 48 kHz mono."""
    import numpy as np
    import soundfile as sf

    from gansig.papers.film.damage import remove_above

    rate = 48_000
    rng = np.random.default_rng(0)
    t = np.arange(int(30 * rate)) / rate
    x = sum(np.sin(2 * np.pi * 196 * k * t) / k for k in range(1, 40)) * 0.05 * (1 + np.sin(2 * np.pi * 0.7 * t))
    clip = remove_above(x + 0.03 * rng.normal(size=t.size), rate, 2000)
    sf.write(path, np.tile(clip, int(np.ceil(minutes * 2)))[: int(minutes * 60 * rate)], rate, subtype="PCM_24")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, nargs="+", default=[3.0, 6.0])
    parser.add_argument("--skip-paper", action="store_true", help="leave out the paper-width thesis model")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        models = make_models(tmp)
        for name, model in models.items():
            if args.skip_paper and "paper" in name:
                continue
            for minutes in args.minutes:
                if "paper" in name and minutes > args.minutes[0]:
                    continue  # minutes of CPU per minute of audio: one length is enough to say so
                src = damaged_file(tmp / f"in_{minutes:g}.wav", minutes)
                done = subprocess.run([sys.executable, "-c", CHILD, str(model), str(src), str(tmp / "out.wav")],
                                      capture_output=True, text=True, check=True)
                result = json.loads(done.stdout.strip().splitlines()[-1])
                print(f"{name:34s} {minutes:4g} min: real-time factor {result['seconds'] / (60 * minutes):6.3f}, "
                      f"peak memory {result['peak_mb']:7.0f} MB", flush=True)


if __name__ == "__main__":
    main()
