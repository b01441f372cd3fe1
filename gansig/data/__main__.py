"""Data tools.

  python -m gansig.data build [NAME ...]       build embedded corpora into $GANSIG_DATA_DIR
  python -m gansig.data info [NAME ...]        hours, speakers, splits, real/synthetic share
  python -m gansig.data film-set CLEAN.wav OUT derive the film thesis's dataset (section 3.2)
"""

from __future__ import annotations

import argparse
import sys

from gansig.cli import run


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gansig.data", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    from gansig.data.corpora.registry import CORPORA

    for verb, text in (("build", "build embedded default corpora (all when none named)"),
                       ("info", "summarise built corpora")):
        p = sub.add_parser(verb, help=text)
        p.add_argument("names", nargs="*", metavar="NAME", help=f"any of {', '.join(CORPORA)}")
        if verb == "build":
            p.add_argument("--seed", type=int, default=0)
            p.add_argument("--max-per-source", type=int, default=None,
                           help="cap the files taken from each source (a quick, reduced build)")
    film = sub.add_parser("film-set", help="clean, noise, noisy and 7 damaged versions of a clean recording")
    film.add_argument("clean", help="a clean recording (any format and rate; 48 kHz mono is written)")
    film.add_argument("out_dir", help="folder for the 10 WAV files")
    film.add_argument("--noise-dbfs", type=float, default=-30.0,
                      help="white-noise RMS level, dB re full scale (the thesis's '30 RMS'; default -30)")
    film.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.command in ("build", "info"):
        from gansig.data.corpora import registry

        for name in args.names or list(CORPORA):
            if args.command == "build":
                registry.build(name, args.seed, args.max_per_source)
            print(registry.summary(name))
        return 0
    from gansig.data.corpora.film import write_film_set

    for path in write_film_set(args.clean, args.out_dir, noise_rms_dbfs=args.noise_dbfs, seed=args.seed):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(run(main))
