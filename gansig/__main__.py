"""``python -m gansig list`` | ``python -m gansig reproduce NAME [--profile P] [--out DIR] [--seed N]``"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gansig import papers
from gansig.cli import add_reproduce_arguments, fit_verbosity, parse_overrides, run
from gansig.errors import GansigError
from gansig.results import ResultsTable


def _list() -> None:
    for info in papers.PAPERS.values():
        latest = sorted(Path("results", info.name).glob("*/table.json"))
        measured = ", ".join(p.parent.name for p in latest) or "none yet"
        print(f"{info.name:12s} make {info.make_target} ({info.default_profile} profile: {info.cpu_time})\n"
              f"{'':12s} {info.title}\n{'':12s} status: {info.status}\n"
              f"{'':12s} tables: {info.tables}; local results: {measured}\n")


def _readme(name: str, profile: str, marker: str | None = None) -> None:
    """Copy results/NAME/PROFILE/table.md into papers/NAME/README.md between the markers
    ``<!-- results:begin -->`` ... ``<!-- results:end -->`` (``results:MARKER:begin`` with a marker)."""
    papers.load(name)
    table_path = Path("results", name, profile, "table.json")
    if not table_path.is_file():
        raise GansigError(f"{table_path}: no results yet; run `python -m gansig reproduce {name} "
                          f"--profile {profile}` first")
    table = ResultsTable.from_json(table_path)
    readme = Path("papers", name, "README.md")
    key = f"results:{marker}" if marker else "results"
    begin, end = f"<!-- {key}:begin -->", f"<!-- {key}:end -->"
    text = readme.read_text(encoding="utf-8")
    if begin not in text or end not in text:
        raise GansigError(f"{readme}: has no {begin} ... {end} markers")
    head, rest = text.split(begin, 1)
    tail = rest.split(end, 1)[1]
    from gansig.fileio import write_text

    write_text(readme, f"{head}{begin}\n{table.to_markdown()}{end}{tail}")
    print(f"updated {readme} from {table_path}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gansig", description="gansig: GAN-for-signals papers, reproduced")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="the papers, their tables and status")
    rep = sub.add_parser("reproduce", help="regenerate a paper's tables from a real run")
    rep.add_argument("name", choices=list(papers.PAPERS))
    add_reproduce_arguments(rep)
    readme = sub.add_parser("readme", help="copy a run's table into papers/NAME/README.md")
    readme.add_argument("name", choices=list(papers.PAPERS))
    readme.add_argument("--profile", default="quick", help="the results folder's name under results/NAME/")
    readme.add_argument("--marker", help="fill <!-- results:MARKER:begin/end --> instead of the main table")
    args = parser.parse_args(argv)
    if args.command == "list":
        _list()
    elif args.command == "readme":
        _readme(args.name, args.profile, args.marker)
    else:
        module = papers.load(args.name)
        profile = args.profile or papers.PAPERS[args.name].default_profile
        module.reproduce(profile, args.out, args.seed, verbose=fit_verbosity(args.quiet),
                         **parse_overrides(args.overrides, module.PROFILES["paper"]))
    return 0


if __name__ == "__main__":
    sys.exit(run(main))
