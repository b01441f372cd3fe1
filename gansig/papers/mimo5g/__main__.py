"""``python -m gansig.papers.mimo5g reproduce [--profile quick|smoke|paper] ...``"""

from __future__ import annotations

import argparse
import sys

from gansig.cli import add_reproduce_arguments, fit_verbosity, parse_overrides, run
from gansig.papers import PAPERS
from gansig.papers.mimo5g.config import PAPER


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gansig.papers.mimo5g", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    add_reproduce_arguments(sub.add_parser("reproduce", help="regenerate Table II from a real run"), PAPERS["mimo5g"])
    args = parser.parse_args(argv)
    from gansig.papers.mimo5g.reproduce import reproduce

    reproduce(args.profile, args.out, args.seed, verbose=fit_verbosity(args.quiet),
              **parse_overrides(args.overrides, PAPER))
    return 0


if __name__ == "__main__":
    sys.exit(run(main))
