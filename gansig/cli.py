"""Command-line plumbing shared by ``python -m gansig``, ``python -m gansig.data`` and every
``python -m gansig.papers.NAME``: one parser class, one error policy, and the skeleton of a
paper's command line (``reproduce`` plus the paper's own tools, :class:`PaperCLI`)."""

from __future__ import annotations

import argparse
import importlib
import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from gansig import interrupt
from gansig.errors import ConfigError, GansigError
from gansig.profiles import PROFILE_NAMES, convert, derive
from gansig.registry import PaperInfo, paper_info
from gansig.results_folder import Lock

SEED_MAX = 2**32 - 1


class Parser(argparse.ArgumentParser):
    """``argparse.ArgumentParser`` whose errors also say how to pass a file named like an
    option (``-x.wav``): after ``--``, or as ``./-x.wav``."""

    def parse_known_args(self, args=None, namespace=None):
        Parser._argv = list(sys.argv[1:] if args is None else args)
        return super().parse_known_args(args, namespace)

    def error(self, message: str):
        dashed = [a for a in getattr(Parser, "_argv", sys.argv[1:]) if a.startswith("-") and os.path.isfile(a)]
        if dashed:
            message += (f" ({dashed[0]} is a file: put -- before file names that start with '-', or write "
                        f"./{dashed[0]})")
        super().error(message)


def _decimal(text: str) -> int:
    """A decimal integer (``0x10``, ``1_000`` and ``1e3`` are refused: a count is written plainly)."""
    if not re.fullmatch(r"\s*[+-]?\d+\s*", text):
        raise argparse.ArgumentTypeError(f"not a decimal integer: {text!r}")
    return int(text)


def count(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a decimal integer in ``low ... high``, checked before any work (every
    number a user types has an upper bound; say it in the option's help).

    Args:
        low: the smallest value taken.
        high: the largest value taken.

    Returns:
        The type function (argparse reports its errors as ``argument -n: ...``).
    """
    def parse(text: str) -> int:
        value = _decimal(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low:,} and {high:,}, got {value:,}"
                                             if value > high else f"must be at least {low:,}, got {value:,}")
        return value
    parse.__name__ = "count"
    return parse


def add_force_argument(parser: argparse.ArgumentParser) -> None:
    """``-f``/``--force``: the one switch that lets a command write over an existing file
    (every command that writes a user's path refuses to, without it)."""
    parser.add_argument("-f", "--force", action="store_true",
                        help="write over an output file that exists (default: refuse and write nothing)")


def seed(text: str) -> int:
    """An argparse type: a seed, an integer in 0 ... 2**32 - 1 (what NumPy and TensorFlow take)."""
    value = _decimal(text)
    if not 0 <= value <= SEED_MAX:
        raise argparse.ArgumentTypeError(f"must be between 0 and {SEED_MAX}, got {value}")
    return value


def fit_verbosity(quiet: bool) -> int:
    """Keras ``fit`` verbosity: a live progress bar on a terminal, a line per epoch in logs."""
    if quiet:
        return 0
    return 1 if sys.stderr.isatty() and sys.stdout.isatty() else 2


def parse_overrides(items: Sequence[str], config: Any) -> dict[str, Any]:
    """Turn ``["epochs=5", "content_loss=mse"]`` into typed overrides of ``config``'s fields,
    checked at once: each value against its field's type and range, and the config they
    make against its own consistency rules.

    Values are read as Python literals where the field's type asks for one (numbers,
    tuples, None, booleans), else as strings.

    Args:
        items: the ``--set`` items.
        config: the profile's config the overrides apply to.

    Raises:
        ConfigError: a malformed item, an unknown field, or a value of the wrong type or range.
    """
    overrides: dict[str, Any] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ConfigError(f"--set expects FIELD=VALUE, got {item!r}")
        if key in overrides:
            raise ConfigError(f"--set {key} is given twice; give each field once")
        overrides[key] = convert(config, key, raw.strip())
    derive(config, overrides)
    return overrides


def add_run_arguments(parser: argparse.ArgumentParser, paper: PaperInfo, *, runs: Sequence[str] = (),
                      seeds: bool = False) -> None:
    """``--profile``, ``--out``, ``--seed``, ``--set FIELD=VALUE``, ``--quiet``, ``--strategy``
    (and ``--runs`` for a paper with named runs, ``--seeds`` for ``reproduce``): the options
    of every command that trains."""
    parser.add_argument("--profile", choices=PROFILE_NAMES, default=paper.default_profile,
                        help=f"paper: the paper's set-up; quick: reduced to fit a CPU; smoke: seconds "
                             f"(default {paper.default_profile}, {paper.cpu_time} on a 2-core CPU)")
    parser.add_argument("--out", metavar="DIR", help=f"results directory (default results/{paper.name}/PROFILE)")
    which = parser.add_mutually_exclusive_group() if seeds else parser
    which.add_argument("--seed", type=seed, default=0, help="seed of data, weights and shuffling (default 0)")
    if seeds:
        from gansig.seeds import MAX_SEEDS, parse_seeds

        which.add_argument("--seeds", type=parse_seeds, metavar="A,B,...",
                           help=f"run once per seed (2-{MAX_SEEDS} of them, e.g. 0,1,2), each in OUT/seeds/N, and "
                                "write their aggregate (each cell's mean, spread and every seed's value) in OUT")
    parser.add_argument("--set", dest="overrides", metavar="FIELD=VALUE", action="append", default=[],
                        help="override a config field, e.g. --set epochs=5 (repeatable)")
    parser.add_argument("--quiet", action="store_true", help="no per-epoch progress output")
    from gansig.training import STRATEGIES

    parser.add_argument("--strategy", choices=STRATEGIES, default=None,
                        help="train on one device, on every local GPU (mirrored), or on the machines TF_CONFIG "
                             "lists (multiworker) (default: every local GPU when there are several, else one)")
    if runs:
        parser.add_argument("--runs", type=_run_names(runs), metavar="A,B,...",
                            help=f"only these of the table's rows (and the runs they come from): "
                                 f"{', '.join(runs)} (default all)")


def choose_strategy(args: argparse.Namespace) -> None:
    """Set the training strategy that a training command's ``--strategy`` names.

    Raises:
        ConfigError: ``multiworker`` without a usable ``TF_CONFIG``.
    """
    if hasattr(args, "strategy"):
        from gansig.training import distribute

        distribute.choose(args.strategy)


def _run_names(known: Sequence[str]) -> Callable[[str], list[str]]:
    def parse(text: str) -> list[str]:
        names = [n.strip() for n in text.split(",") if n.strip()]
        unknown = [n for n in names if n not in known]
        if unknown or not names:
            raise argparse.ArgumentTypeError(f"unknown row(s) {', '.join(unknown) or repr(text)}; "
                                             f"choose from {', '.join(known)}")
        return names
    return parse


def run(main: Callable[[Sequence[str] | None], int | None], argv: Sequence[str] | None = None) -> int:
    """Run a CLI ``main``: gansig errors become one line on stderr and exit status 2, a
    Ctrl-C one line and status 130; a results folder the command held is released either way.

    Returns:
        The exit status (also passed to ``sys.exit`` by the callers).
    """
    try:
        with interrupt.handled():
            status = int(main(argv) or 0)
            interrupt.check()  # a Ctrl-C that something swallowed still stops the command
        return status
    except GansigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        Lock.release_all()


@dataclass(frozen=True)
class Verb:
    """One of a paper's own tools on its command line.

    Attributes:
        name: the verb (``denoise``, ``encode``, ...).
        help: one line: what it does.
        example: its arguments in a typical call, shown by the paper's overview.
        arguments: adds the verb's arguments to its subparser.
        action: does the work from the parsed arguments; returns the exit status (None: 0).
        tensorflow: whether it needs TensorFlow (imported quietly before it runs); the tools
            that only run exported networks do not (:mod:`gansig.runtime`).
    """

    name: str
    help: str
    example: str
    arguments: Callable[[argparse.ArgumentParser], None]
    action: Callable[[argparse.Namespace], int | None]
    tensorflow: bool = True


@dataclass(frozen=True)
class Option:
    """An option of a paper's ``reproduce`` beyond the shared ones, passed to ``reproduce()``
    as the keyword of its ``dest`` (e.g. BPGAN's ``--timit DIR`` -> ``timit=``)."""

    flag: str
    help: str
    metavar: str = "DIR"

    @property
    def dest(self) -> str:
        return self.flag.lstrip("-").replace("-", "_")


class PaperCLI:
    """The command line of ``python -m gansig.papers.NAME``: ``reproduce`` (from the
    registry and the paper's config) and the paper's own verbs. With no verb it prints what
    the paper is and one example of each verb, and exits 0.

    Args:
        name: the paper's registry name.
        verbs: the paper's own tools.
        reproduce_options: options of ``reproduce`` beyond the shared ones.
    """

    def __init__(self, name: str, verbs: Sequence[Verb] = (), reproduce_options: Sequence[Option] = ()):
        self.info = paper_info(name)
        self.verbs = list(verbs)
        self.reproduce_options = list(reproduce_options)

    @property
    def prog(self) -> str:
        return f"python -m gansig.papers.{self.info.name}"

    def _config_module(self):
        return importlib.import_module(f"gansig.papers.{self.info.name}.config")

    def _reproduce_arguments(self, parser: argparse.ArgumentParser) -> None:
        module = self._config_module()
        add_run_arguments(parser, self.info, runs=tuple(getattr(module, "ROWS", getattr(module, "RUNS", {}))),
                          seeds=True)
        for option in self.reproduce_options:
            parser.add_argument(option.flag, metavar=option.metavar, help=option.help)

    @property
    def _reproduce_help(self) -> str:
        return f"regenerate {self.info.tables} from a real run"

    def parser(self) -> Parser:
        parser = Parser(prog=self.prog, description=self.overview(),
                        formatter_class=argparse.RawDescriptionHelpFormatter)
        sub = parser.add_subparsers(dest="command", metavar="VERB")
        self._reproduce_arguments(sub.add_parser("reproduce", help=self._reproduce_help,
                                                 description=self._reproduce_help))
        for verb in self.verbs:
            verb.arguments(sub.add_parser(verb.name, help=verb.help, description=verb.help))
        return parser

    def overview(self) -> str:
        """What the paper is, its status and each verb with one example."""
        info = self.info
        examples = [(f"reproduce --profile {info.default_profile}",
                     f"regenerate {info.tables} from a real run ({info.cpu_time} on a 2-core CPU)")]
        examples += [(f"{v.name} {v.example}".strip(), v.help) for v in self.verbs]
        lines = [info.title, "", f"status: {info.status}", "", "verbs (an example each; VERB --help for all options):"]
        lines += [f"  {self.prog} {call}\n      {text}" for call, text in examples]
        return "\n".join(lines)

    def reproduce(self, args: argparse.Namespace) -> int:
        """Run ``reproduce()`` of the paper from parsed (and prepared) ``reproduce`` arguments."""
        from gansig.papers import load

        kwargs = {o.dest: getattr(args, o.dest) for o in self.reproduce_options}
        if getattr(args, "runs", None) is not None:
            kwargs["runs"] = args.runs
        if getattr(args, "seeds", None):
            from gansig.seeds import reproduce_seeds

            reproduce_seeds(self.info.name, args.profile, args.out, args.seeds, verbose=fit_verbosity(args.quiet),
                            options=kwargs, overrides=args.config_overrides)
            return 0
        load(self.info.name).reproduce(args.profile, args.out, args.seed, verbose=fit_verbosity(args.quiet),
                                       **kwargs, **args.config_overrides)
        return 0

    def prepare(self, args: argparse.Namespace, tensorflow: bool = True) -> None:
        """What every verb does once its arguments are parsed: check the ``--set`` overrides
        against the profile's config (kept as ``args.config_overrides``) while TensorFlow is
        not loaded, so a mistake is refused in a fraction of a second; then, for a command
        that needs it, import TensorFlow quietly and choose the training strategy."""
        if getattr(args, "overrides", None) is not None and getattr(args, "profile", None):
            args.config_overrides = parse_overrides(args.overrides, self._config_module().PROFILES[args.profile])
        if getattr(args, "strategy", None) == "multiworker":
            from gansig.training import cluster

            cluster.check_tf_config()
        if tensorflow:
            from gansig.papers import import_tensorflow_quietly

            import_tensorflow_quietly()
            choose_strategy(args)

    def main(self, argv: Sequence[str] | None = None) -> int:
        """Parse ``argv`` and run the verb; errors as :func:`run` reports them."""
        def dispatch(argv):
            args = self.parser().parse_args(argv)
            if args.command is None:
                print(self.overview())
                return 0
            if args.command == "reproduce":
                self.prepare(args)
                return self.reproduce(args)
            verb = next(v for v in self.verbs if v.name == args.command)
            self.prepare(args, verb.tensorflow)
            return verb.action(args)

        return run(dispatch, argv)

    def reproduce_main(self, argv: Sequence[str], prog: str) -> int:
        """``reproduce``'s options alone (``python -m gansig reproduce NAME ...``)."""
        def dispatch(argv):
            parser = Parser(prog=prog, description=self._reproduce_help)
            self._reproduce_arguments(parser)
            args = parser.parse_args(argv)
            self.prepare(args)
            return self.reproduce(args)

        return run(dispatch, argv)
