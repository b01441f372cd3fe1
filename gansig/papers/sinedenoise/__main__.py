"""``python -m gansig.papers.sinedenoise reproduce [--profile paper|quick|smoke]`` and
``python -m gansig.papers.sinedenoise denoise IN.wav -o OUT.wav [--model M.keras]``."""

from __future__ import annotations

import argparse
import sys

from gansig.cli import add_reproduce_arguments, fit_verbosity, parse_overrides, run
from gansig.papers import PAPERS
from gansig.papers.sinedenoise.config import PAPER


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gansig.papers.sinedenoise", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    add_reproduce_arguments(sub.add_parser("reproduce", help="train and regenerate the comparison table"),
                            PAPERS["sinedenoise"])
    den = sub.add_parser("denoise", help="denoise an audio file with a trained model")
    den.add_argument("input", help="audio file (any length; resampled to 256 Hz and back)")
    den.add_argument("-o", "--output", required=True, help="where to write the denoised audio")
    den.add_argument("--model", help="generator .keras file (default: the paper-profile run's)")
    args = parser.parse_args(argv)
    if args.command == "denoise":
        from gansig.papers.sinedenoise import tool

        written = tool.denoise_file(args.input, args.output, args.model or tool.DEFAULT_MODEL)
        print(f"wrote {written}")
        return 0
    from gansig.papers.sinedenoise.reproduce import reproduce

    reproduce(args.profile, args.out, args.seed, verbose=fit_verbosity(args.quiet),
              **parse_overrides(args.overrides, PAPER))
    return 0


if __name__ == "__main__":
    sys.exit(run(main))
