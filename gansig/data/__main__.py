"""Data tools.

  python -m gansig.data build [NAME ...]       build embedded corpora into $GANSIG_DATA_DIR
  python -m gansig.data info [NAME ...]        hours, speakers, splits, real/synthetic share

(The film thesis's damaged set from a clean recording: python -m gansig.papers.film damage.)
"""

from __future__ import annotations

import argparse
import sys

from gansig.cli import Parser, count, run, seed

MAX_PER_SOURCE = 100_000  # more files than any source holds


def main(argv=None) -> int:
    parser = Parser(prog="python -m gansig.data", description=__doc__,
                    formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    from gansig.data.corpora.registry import CORPORA

    for verb, text in (("build", "build embedded default corpora (all when none named)"),
                       ("info", "summarise built corpora")):
        p = sub.add_parser(verb, help=text)
        p.add_argument("names", nargs="*", metavar="NAME", help=f"any of {', '.join(CORPORA)}")
        if verb == "build":
            p.add_argument("--seed", type=seed, default=0)
            p.add_argument("--max-per-source", type=count(1, MAX_PER_SOURCE), default=None, metavar="N",
                           help=f"cap the files taken from each source, 1-{MAX_PER_SOURCE:,} (a quick, reduced "
                                "build)")
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in CORPORA]
    if unknown:
        parser.error(f"unknown corpus {unknown[0]!r}; choose from {', '.join(CORPORA)}")
    from gansig.data.corpora import registry

    for name in args.names or list(CORPORA):
        if args.command == "build":
            registry.build(name, args.seed, args.max_per_source)
        print(registry.summary(name))
    return 0


if __name__ == "__main__":
    sys.exit(run(main))
