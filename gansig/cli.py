"""Command-line plumbing shared by ``python -m gansig`` and every ``python -m gansig.papers.NAME``."""

from __future__ import annotations

import argparse
import ast
import dataclasses
import sys
from typing import Any, Callable, Sequence

from gansig.errors import ConfigError, GansigError
from gansig.papers import PaperInfo
from gansig.profiles import PROFILE_NAMES


def add_reproduce_arguments(parser: argparse.ArgumentParser, paper: PaperInfo | None = None) -> None:
    """``--profile``, ``--out``, ``--seed``, ``--set FIELD=VALUE`` and ``--quiet`` for one
    paper's command (its default profile and its time from its registry entry), or with
    ``paper=None`` for a command that names the paper later (``--profile`` defaults to None:
    the caller picks the paper's default)."""
    if paper is None:
        default = None
        default_text = "each paper's own: quick, or paper where that fits a CPU; times: python -m gansig list"
    else:
        default = paper.default_profile
        default_text = f"{default}, {paper.cpu_time} on a 2-core CPU"
    parser.add_argument("--profile", choices=PROFILE_NAMES, default=default,
                        help=f"paper: the paper's set-up; quick: reduced to fit a CPU; smoke: seconds "
                             f"(default {default_text})")
    parser.add_argument("--out", metavar="DIR", help="results directory (default results/NAME/PROFILE)")
    parser.add_argument("--seed", type=int, default=0, help="seed of data, weights and shuffling (default 0)")
    parser.add_argument("--set", dest="overrides", metavar="FIELD=VALUE", action="append", default=[],
                        help="override a config field, e.g. --set epochs=5 (repeatable)")
    parser.add_argument("--quiet", action="store_true", help="no per-epoch progress output")


def positive_int(text: str) -> int:
    """An argparse type: an integer of at least 1 (argparse reports anything else)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def fit_verbosity(quiet: bool) -> int:
    """Keras ``fit`` verbosity: a live progress bar on a terminal, a line per epoch in logs."""
    if quiet:
        return 0
    return 1 if sys.stderr.isatty() and sys.stdout.isatty() else 2


def parse_overrides(items: Sequence[str], config: Any) -> dict[str, Any]:
    """Turn ``["epochs=5", "content_loss=mse"]`` into typed overrides of ``config``'s fields.

    Values are read as Python literals when they parse as one (numbers, tuples, None,
    booleans), else as strings.

    Raises:
        ConfigError: malformed item or unknown field.
    """
    names = {f.name for f in dataclasses.fields(config)}
    overrides: dict[str, Any] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ConfigError(f"--set expects FIELD=VALUE, got {item!r}")
        if key not in names:
            raise ConfigError(f"unknown config field {key!r}; known: {', '.join(sorted(names))}")
        try:
            value = ast.literal_eval(raw)
        except (ValueError, SyntaxError):
            value = raw
        overrides[key] = tuple(value) if isinstance(value, list) else value
    return overrides


def run(main: Callable[[Sequence[str] | None], int | None], argv: Sequence[str] | None = None) -> int:
    """Run a CLI ``main``: gansig errors become one line on stderr and exit status 2.

    Returns:
        The exit status (also passed to ``sys.exit`` by the callers).
    """
    try:
        return int(main(argv) or 0)
    except GansigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
