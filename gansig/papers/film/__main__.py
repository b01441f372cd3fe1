"""``python -m gansig.papers.film damage CLEAN OUT_DIR``: the film thesis's ten-file set
(section 3.2) from a clean recording. (The paper's reproduction is not built yet; when it
is, this becomes its command line with ``reproduce``, ``restore`` and ``train``.)"""

from __future__ import annotations

import sys

from gansig.cli import Parser, run, seed


def main(argv=None) -> int:
    parser = Parser(prog="python -m gansig.papers.film", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    damage = sub.add_parser("damage", help="clean, noise, noisy and 7 low-pass-cut versions of a clean recording")
    damage.add_argument("clean", help="a clean recording (any format and rate; 48 kHz mono is written)")
    damage.add_argument("out_dir", help="folder for the 10 WAV files")
    damage.add_argument("--noise-dbfs", type=float, default=-30.0,
                        help="white-noise RMS level, dB re full scale (the thesis's '30 RMS'; default -30)")
    damage.add_argument("--seed", type=seed, default=0)
    args = parser.parse_args(argv)
    from gansig.papers.film.damage import write_film_set

    for path in write_film_set(args.clean, args.out_dir, noise_rms_dbfs=args.noise_dbfs, seed=args.seed):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(run(main))
