"""``python -m gansig.data film-set CLEAN.wav OUTDIR [--noise-dbfs -30] [--seed 0]``

Data tools: derive the film-restoration thesis's dataset (section 3.2) from your own clean
recording.
"""

from __future__ import annotations

import argparse
import sys

from gansig.cli import run


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gansig.data", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    film = sub.add_parser("film-set", help="clean, noise, noisy and 7 damaged versions of a clean recording")
    film.add_argument("clean", help="a clean recording (any format and rate; 48 kHz mono is written)")
    film.add_argument("out_dir", help="folder for the 10 WAV files")
    film.add_argument("--noise-dbfs", type=float, default=-30.0,
                      help="white-noise RMS level, dB re full scale (the thesis's '30 RMS'; default -30)")
    film.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    from gansig.data.corpora.film import write_film_set

    for path in write_film_set(args.clean, args.out_dir, noise_rms_dbfs=args.noise_dbfs, seed=args.seed):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(run(main))
