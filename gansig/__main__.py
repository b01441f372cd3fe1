"""``python -m gansig list | reproduce NAME [...] | readme NAME [--profile P] | report [--results DIR] [--out DIR]
[--open] [--keep-going] | models [list | verify | export DIR | ship [NAME ...]] | corpora NAME``"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from gansig.cli import Parser, run
from gansig.errors import GansigError
from gansig.registry import PAPERS

ROOT = Path(__file__).resolve().parents[1]  # the checkout: papers/NAME/README.md live there


def _list() -> None:
    for info in PAPERS.values():
        latest = sorted(Path("results", info.name).glob("*/table.json"))
        measured = ", ".join(p.parent.name for p in latest) or "none yet"
        print(f"{info.name:12s} make {info.make_target} ({info.default_profile} profile: {info.cpu_time})\n"
              f"{'':12s} {info.title}\n{'':12s} status: {info.status}\n"
              f"{'':12s} tables: {info.tables}; local results: {measured}\n")


def _readme(name: str, profile: str, marker: str | None = None, results: Path | None = None,
            ledger_too: bool = False) -> None:
    """Copy a run's table (``results/NAME/PROFILE/table.json``) into ``papers/NAME/README.md``
    between ``<!-- results:begin -->`` ... ``<!-- results:end -->`` (``results:MARKER:...``
    with a marker), and (for the main table, or with ``ledger_too``) the claims ledger the
    run gives between ``<!-- claims:begin -->`` ... ``<!-- claims:end -->``, its one-line
    summary into the root README's ``<!-- claims:NAME:begin -->`` ... markers."""
    import importlib

    from gansig.claims import ledger, summary
    from gansig.seeds import seed_folder

    readme = ROOT / "papers" / name / "README.md"
    if not readme.is_file():
        raise GansigError(f"{readme}: not found; `readme` rewrites the README of a gansig checkout "
                          "(run it from a clone of the repository, with gansig installed from it)")
    folder = results or Path("results", name, profile)
    table = _run_table(name, profile, folder)
    key = f"results:{marker}" if marker else "results"
    _between(readme, key, table.to_markdown())
    if not marker or ledger_too:
        seeds = [_run_table(name, profile, seed_folder(folder, s)) for s in table.provenance.get("seeds", [])]
        claims = importlib.import_module(f"gansig.papers.{name}.claims").CLAIMS
        _between(readme, "claims", ledger(claims, table, seeds or [table]))
        _between(ROOT / "README.md", f"claims:{name}", summary(claims, table, seeds or [table]) + "\n")
    print(f"updated {readme} from {folder / 'table.json'}")


def _run_table(name: str, profile: str, folder: Path):
    """A run's table, checked to be ``name``'s.

    Raises:
        GansigError: no table, another paper's, or unreadable.
    """
    from gansig.results import ResultsTable
    from gansig.results_folder import run_record

    table_path = folder / "table.json"
    if not table_path.is_file():
        raise GansigError(f"{table_path}: no results yet; run `python -m gansig reproduce {name} "
                          f"--profile {profile}` first")
    made_by = (run_record(folder) or {}).get("paper")
    if made_by is not None and made_by != name:
        raise GansigError(f"{folder}: holds a {made_by!r} run (run.json), not a {name} one; give --results "
                          f"a {name} run's folder")
    try:
        table = ResultsTable.from_json(table_path)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise GansigError(f"{table_path}: not a readable results table ({exc})") from None
    if table.paper != name:
        raise GansigError(f"{table_path}: is a {table.paper!r} table, not a {name} one")
    return table


def _between(path: Path, key: str, text: str) -> None:
    """Replace what lies between ``<!-- KEY:begin -->`` and ``<!-- KEY:end -->`` in ``path``.

    Raises:
        GansigError: the file has no such markers.
    """
    from gansig.fileio import write_text

    begin, end = f"<!-- {key}:begin -->", f"<!-- {key}:end -->"
    content = path.read_text(encoding="utf-8")
    if begin not in content or end not in content:
        raise GansigError(f"{path}: has no {begin} ... {end} markers")
    head, rest = content.split(begin, 1)
    write_text(path, f"{head}{begin}\n{text}{end}{rest.split(end, 1)[1]}")


def _report(results: Path, out: Path | None, open_it: bool, keep_going: bool) -> None:
    from gansig.report import build

    index = build(results, out, keep_going=keep_going)
    print(f"report: {index}")
    if open_it:
        import webbrowser

        if not webbrowser.open(index.resolve().as_uri()):
            print("report: no web browser found here; open the file above in one")


def _models(args: argparse.Namespace) -> int:
    """``models``: list the shipped models, verify them, export a folder, or ship from the runs."""
    from gansig import models

    if args.action == "verify":
        failed = {name: models.problems(name) for name in models.SHIPPED}
        for name, found in failed.items():
            print(f"{name}: {'ok' if not found else 'FAILED'}")
            for problem in found:
                print(f"  {problem}", file=sys.stderr)
        bad = [n for n, f in failed.items() if f]
        if bad:
            raise GansigError(f"{len(bad)} shipped model(s) do not match their cards: {', '.join(bad)}; reinstall "
                              "gansig, or regenerate them with `make models`")
        return 0
    if args.action == "export":
        from gansig.models.export import export_folder

        if not args.target:
            raise GansigError("models export needs the folder to export, e.g. models export mine/models/codec")
        names = args.networks.split(",") if args.networks else None
        float16 = {"auto": None, "float16": True, "float32": False}[args.weights]
        print(f"wrote {export_folder(args.target[0], names, float16=float16)}")
        return 0
    if args.action == "ship":
        from gansig.models.ship import ship

        unknown = [n for n in args.target if n not in models.SHIPPED]
        if unknown:
            raise GansigError(f"no shipped model {unknown[0]!r}; gansig ships {', '.join(models.SHIPPED)}")
        for name in args.target or models.SHIPPED:
            print(f"shipped {ship(models.SHIPPED[name], args.results)}")
        return 0
    print(f"{'model':16s} {'size':>8s}  trained by                       headline")
    for name in models.SHIPPED:
        try:
            data = models.card(name)
        except GansigError as exc:
            print(f"{name:16s} {'-':>8s}  {exc}")
            continue
        trained = data.get("trained_by", {})
        print(f"{name:16s} {models.size(name) / 1e6:6.1f} MB  {trained.get('commit', '?')} "
              f"{trained.get('command', '?')}\n{'':28s}{models.headline(data)}")
    return 0


def main(argv=None) -> int:
    parser = Parser(prog="python -m gansig", description="gansig: GAN-for-signals papers, reproduced")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="the papers, their tables and status")
    rep = sub.add_parser("reproduce", help="regenerate a paper's tables from a real run",
                         description="python -m gansig reproduce NAME [options] is python -m gansig.papers.NAME "
                                     "reproduce [options]; NAME --help lists them.")
    rep.add_argument("name", choices=list(PAPERS))
    rep.add_argument("options", nargs=argparse.REMAINDER, help="the paper's reproduce options")
    readme = sub.add_parser("readme", help="copy a run's table into papers/NAME/README.md")
    readme.add_argument("name", choices=list(PAPERS))
    readme.add_argument("--profile", default="quick", help="the results folder's name under results/NAME/")
    readme.add_argument("--results", type=Path, metavar="DIR", help="the run's folder (default results/NAME/PROFILE)")
    readme.add_argument("--marker", help="fill <!-- results:MARKER:begin/end --> instead of the main table")
    readme.add_argument("--ledger", action="store_true",
                        help="with --marker: write the claims ledger from this run too (e.g. a several-seed run of "
                             "the rows the claims rest on, beside a one-seed main table)")
    report = sub.add_parser("report", help="write one static HTML site of every local run: tables, figures, "
                                           "listening panels",
                            description="Write a static, self-contained site (open it from disk, zip it, send it) "
                                        "from the runs under --results: an index of the papers and a page per paper "
                                        "and profile with its tables, figures and listening panel.")
    report.add_argument("--results", type=Path, default=Path("results"), metavar="DIR",
                        help="the folder the reproductions wrote (default results/)")
    report.add_argument("--out", type=Path, metavar="DIR",
                        help="the site's folder (default RESULTS/report/); an earlier report there is replaced "
                             "whole, a folder holding anything else is refused, a symbolic link is followed")
    report.add_argument("--keep-going", action="store_true",
                        help="build the report even where a run is broken (an unreadable or malformed table.json, "
                             "run.json or audio/index.json): list it as broken instead of stopping")
    report.add_argument("--open", action="store_true", help="open the index in your web browser")
    shipped = sub.add_parser("models", help="the models gansig ships: list them, verify them against their cards, "
                                            "export a folder of Keras networks to ONNX, ship the quick runs' models",
                             description="list (default): each shipped model, its size, what trained it and its "
                                         "headline score. verify: every file against its card's SHA-256 (exit 2 on "
                                         "a mismatch). export DIR: a model folder's Keras networks to ONNX, which the "
                                         "tools run without TensorFlow. ship [NAME ...]: the shipped models from the "
                                         "runs under --results (make models runs the quick runs, then this).")
    shipped.add_argument("action", nargs="?", default="list", choices=("list", "verify", "export", "ship"))
    shipped.add_argument("target", nargs="*", help="export: the model folder; ship: the models (default all)")
    shipped.add_argument("--networks", metavar="A,B", help="export: only these networks (default every NAME.keras)")
    shipped.add_argument("--weights", choices=("auto", "float16", "float32"), default="auto",
                         help="export: how weights are stored (auto: float16 for networks above 4 MiB)")
    shipped.add_argument("--results", type=Path, default=Path("results"), metavar="DIR",
                         help="ship: the folder the runs wrote (default results/)")
    corpora = sub.add_parser("corpora", help="the embedded corpora a paper reads (for make)")
    corpora.add_argument("name", choices=list(PAPERS))
    args = parser.parse_args(argv)
    if args.command == "list":
        _list()
    elif args.command == "readme":
        _readme(args.name, args.profile, args.marker, args.results, args.ledger)
    elif args.command == "report":
        _report(args.results, args.out, args.open, args.keep_going)
    elif args.command == "models":
        return _models(args)
    elif args.command == "corpora":
        print(" ".join(PAPERS[args.name].corpora))
    else:
        cli = importlib.import_module(f"gansig.papers.{args.name}.__main__").CLI
        return cli.reproduce_main(args.options, prog=f"python -m gansig reproduce {args.name}")
    return 0


if __name__ == "__main__":
    sys.exit(run(main))
