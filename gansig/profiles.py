"""Profiles, named runs and checked configs.

Each paper's ``config.py`` defines a frozen dataclass and ``PROFILES`` (``paper``, the
paper's own set-up; ``quick``, reduced to fit a 2-core CPU; ``smoke``, seconds), ``quick``
and ``smoke`` derived from ``paper`` with :func:`dataclasses.replace`. A paper whose table
has many runs also declares ``RUNS``: each a :class:`RunSpec` (overrides of the profile's
config, again applied with ``dataclasses.replace``) or a :class:`Checkpoint` of another run.

Every config is checked when it is made: each field against its type annotation, every
number in it finite, against the class's ``LIMITS`` (numeric ranges, for a tuple each of its
numbers) and ``CHOICES`` (allowed strings), a tuple non-empty unless the class names it in
``MAY_BE_EMPTY``; then the config's ``__post_init__`` checks the fields together (a range's
low end below its high end, frequencies below the Nyquist rate, ...), before any work.
"""

from __future__ import annotations

import ast
import dataclasses
import difflib
import functools
import hashlib
import json
import math
import re
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from gansig.errors import ConfigError

C = TypeVar("C")

PROFILE_NAMES = ("paper", "quick", "smoke")


@dataclass(frozen=True)
class RunSpec:
    """A named run of a paper with many: the profile's config with ``overrides``.

    Attributes:
        overrides: config fields to replace.
        start_from: a checkpoint of another run this run continues from (a branch of a
            training chain), or None to start from scratch.
    """

    overrides: Mapping[str, Any] = field(default_factory=dict)
    start_from: Checkpoint | None = None


@dataclass(frozen=True)
class Checkpoint:
    """A row that is the checkpoint of another run at an epoch: evaluated from that run's
    saved weights, never trained on its own."""

    run: str
    epoch: int


def select(profiles: Mapping[str, C], profile: str, **overrides: Any) -> C:
    """Return the named profile's config with ``overrides`` applied, checked.

    Raises:
        ConfigError: unknown profile or field, or a value of the wrong type or range.
    """
    if profile not in profiles:
        raise ConfigError(f"unknown profile {profile!r}; choose one of {', '.join(profiles)}")
    return derive(profiles[profile], overrides)


def derive(config: C, overrides: Mapping[str, Any]) -> C:
    """``dataclasses.replace(config, **overrides)``, checked with :func:`validate`.

    Raises:
        ConfigError: unknown field, or a value of the wrong type or range.
    """
    names = {f.name for f in dataclasses.fields(config)}
    unknown = sorted(set(overrides) - names)
    if unknown:
        raise ConfigError(f"unknown config field(s) {', '.join(unknown)}; known: {', '.join(sorted(names))}")
    for name, value in overrides.items():
        _check_field(type(config), name, value)  # each value first, then the config's own consistency rules
    try:
        new = dataclasses.replace(config, **overrides)
    except (ValueError, TypeError) as exc:
        raise ConfigError(str(exc)) from None
    validate(new)
    return new


def run_config(base: C, runs: Mapping[str, RunSpec | Checkpoint], name: str) -> C:
    """The config of the named run: ``base`` with its overrides (a checkpoint's, its run's).

    Raises:
        ConfigError: no such run.
    """
    spec = runs.get(name)
    if spec is None:
        raise ConfigError(f"unknown run {name!r}; choose from {', '.join(runs)}")
    if isinstance(spec, Checkpoint):
        return run_config(base, runs, spec.run)
    return derive(base, spec.overrides)


def needed_runs(runs: Mapping[str, RunSpec | Checkpoint], names: list[str] | None) -> list[str]:
    """The runs to train for the rows ``names`` (all when None), in training order: a
    checkpoint row needs its run, a branch needs the run it starts from.

    Raises:
        ConfigError: an unknown run name.
    """
    order: list[str] = []

    def visit(name: str) -> None:
        spec = runs.get(name)
        if spec is None:
            raise ConfigError(f"unknown run {name!r}; choose from {', '.join(runs)}")
        if isinstance(spec, Checkpoint):
            visit(spec.run)
            return
        if spec.start_from is not None:
            visit(spec.start_from.run)
        if name not in order:
            order.append(name)

    for name in runs if names is None else names:
        visit(name)
    return order


# ---- type and range checks ----------------------------------------------------------

def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _describe(hint: Any) -> str:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_describe(a) for a in typing.get_args(hint))
    if origin is tuple:
        return "a tuple such as (1, 2)"
    if origin is list:
        return f"a list of {_describe(typing.get_args(hint)[0])}s" if typing.get_args(hint) else "a list"
    if origin is dict:
        return "an object (a JSON dict)"
    return {int: "an integer", float: "a number", str: "a string", bool: "True or False",
            type(None): "None"}.get(hint, getattr(hint, "__name__", str(hint)))


def _conforms(value: Any, hint: Any) -> bool:
    """Whether ``value`` is of the annotated type (ints count as floats; bools are not ints)."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return any(_conforms(value, a) for a in typing.get_args(hint))
    if origin is tuple:
        args = typing.get_args(hint)
        if not isinstance(value, tuple):
            return False
        if len(args) == 2 and args[1] is Ellipsis:
            return all(_conforms(v, args[0]) for v in value)
        return len(args) == len(value) and all(_conforms(v, a) for v, a in zip(value, args, strict=True))
    if origin is list:
        args = typing.get_args(hint)
        return isinstance(value, list) and (not args or all(_conforms(v, args[0]) for v in value))
    if origin is dict:
        args = typing.get_args(hint)
        return isinstance(value, dict) and all(isinstance(k, str) for k in value) and (
            len(args) < 2 or all(_conforms(v, args[1]) for v in value.values()))
    if hint is Any:
        return True
    if hint is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint in (str, bool, type(None)):
        return isinstance(value, hint)
    return True  # callables and other annotations are not checked


def convert(config: Any, name: str, text: str) -> Any:
    """A ``--set`` value read for the field ``name`` of ``config``: ``None``, numbers,
    booleans and tuples as Python literals, strings as written.

    Raises:
        ConfigError: no such field, or text that is not of the field's type.
    """
    hints = _hints(type(config))
    names = sorted(f.name for f in dataclasses.fields(config))
    if name not in hints or name not in names:
        close = [n for n in names if name in n.split("_")] or difflib.get_close_matches(name, names, n=3)
        hint = f"did you mean {' or '.join(close)}? " if close else ""
        raise ConfigError(f"unknown config field {name!r} for this paper; {hint}known: {', '.join(names)}")
    hint = hints[name]
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        value = text
    if _numbers(value) and re.search(r"\b0[xob]|\d_\d", text, re.I):
        raise ConfigError(f"--set {name}={text}: write numbers in decimal (e.g. 16, 0.5, 1e-4)")
    if isinstance(value, list):
        value = tuple(value)
    if type(value) is int and int not in (hint, *typing.get_args(hint)) and _conforms(value, hint):
        value = float(value)  # 5 for a float field is 5.0
    if not _conforms(value, hint) and _conforms(text, hint):
        value = text  # a string field given something that reads as a literal, e.g. a name "123"
    if not _conforms(value, hint):
        raise ConfigError(f"--set {name}={text}: {name} must be {_describe(hint)}")
    return value


def checked_fields(cls: type, data: Any, where: str) -> dict[str, Any]:
    """``data`` read back from a file (JSON), checked as the fields of the dataclass ``cls``:
    an object whose every key is a field, every value of its field's type (strings valid
    UTF-8), every number finite, and every field without a default present.

    Args:
        cls: the dataclass.
        data: the parsed JSON.
        where: names the file (and the entry) in messages.

    Returns:
        ``data``, ready for ``cls(**data)``.

    Raises:
        ValueError: naming ``where``, the field and what it must be.
    """
    if not isinstance(data, dict):
        raise ValueError(f"{where}: must be an object, not {type(data).__name__}")
    hints = _hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls) if not f.name.startswith("_")}
    for name, value in data.items():
        if name not in fields:
            raise ValueError(f"{where}: unknown field {name!r}")
        if not _conforms(value, hints[name]):
            raise ValueError(f"{where}: {name}={_short(value)}: must be {_describe(hints[name])}")
        if not all(math.isfinite(v) for v in _numbers(value)):
            raise ValueError(f"{where}: {name}={_short(value)}: must be finite")
        if not _utf8(value):
            raise ValueError(f"{where}: {name}: holds text that is not valid UTF-8 (a lone surrogate)")
    missing = [n for n, f in fields.items() if n not in data and f.default is dataclasses.MISSING
               and f.default_factory is dataclasses.MISSING]
    if missing:
        raise ValueError(f"{where}: lacks the field(s) {', '.join(missing)}")
    return data


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _utf8(value: Any) -> bool:
    """Whether every string in a (nested) value encodes as UTF-8."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, (list, tuple)):
        return all(_utf8(v) for v in value)
    if isinstance(value, dict):
        return all(_utf8(k) and _utf8(v) for k, v in value.items())
    return True


INT_MAX = 1_000_000  # the bound of an integer field (a count) whose config gives none


def validate(config: Any) -> None:
    """Check every field of ``config`` against its annotation, finiteness, the class's
    ``LIMITS`` (``{field: (low, high)}``, inclusive, None for no bound; a tuple's every
    number; an integer field is at most :data:`INT_MAX` unless its limit says otherwise),
    ``CHOICES`` (``{field: allowed values}``) and ``MAY_BE_EMPTY`` (tuple fields that may be
    ``()``).

    Raises:
        ConfigError: naming the field, its value and what it must be.
    """
    for f in dataclasses.fields(config):
        _check_field(type(config), f.name, getattr(config, f.name))


def _numbers(value: Any) -> list[float]:
    """The numbers in a value (a tuple's, list's or dict's, nested), booleans left out."""
    if isinstance(value, dict):
        value = tuple(value.values())
    if isinstance(value, (tuple, list)):
        return [n for v in value for n in _numbers(v)]
    return [value] if isinstance(value, (int, float)) and not isinstance(value, bool) else []


def _integral(hint: Any) -> bool:
    """Whether a field holds integers (counts): ``int``, an optional one, a tuple of them."""
    return hint is int or any(_integral(a) for a in typing.get_args(hint) if a is not Ellipsis)


def _number(v: float) -> str:
    return f"{v:,}" if isinstance(v, int) else f"{v:g}"


def _check_field(cls: type, name: str, value: Any) -> None:
    hint = _hints(cls)[name]
    limits: Mapping[str, tuple[float | None, float | None]] = getattr(cls, "LIMITS", {})
    choices: Mapping[str, tuple[Any, ...]] = getattr(cls, "CHOICES", {})
    if not _conforms(value, hint):
        raise ConfigError(f"{name}={value!r}: must be {_describe(hint)}")
    if name in choices and value not in choices[name]:
        raise ConfigError(f"{name}={value!r}: choose one of {', '.join(map(repr, choices[name]))}")
    numbers = _numbers(value)
    if not all(math.isfinite(v) for v in numbers):
        raise ConfigError(f"{name}={value!r}: must be finite")
    if value == () and name not in getattr(cls, "MAY_BE_EMPTY", ()):
        raise ConfigError(f"{name}=(): needs at least one value")
    low, high = limits.get(name, (None, None))
    if high is None and any(isinstance(v, int) for v in numbers) and _integral(hint):
        high = INT_MAX
    if any((low is not None and v < low) or (high is not None and v > high) for v in numbers):
        bound = (f"at least {_number(low)}" if high is None else f"at most {_number(high)}" if low is None
                 else f"between {_number(low)} and {_number(high)}")
        raise ConfigError(f"{name}={value!r}: {'each value ' if isinstance(value, tuple) else ''}must be {bound}")


# ---- identity of a run's state ------------------------------------------------------

def to_dict(config: Any) -> dict[str, Any]:
    """A JSON-ready dict of a dataclass config (tuples become lists)."""
    return json.loads(json.dumps(dataclasses.asdict(config), default=str))


@functools.cache
def code_digest() -> str:
    """A hash of gansig's own source files: a run's saved state is reused only by the
    code that made it. Taken once a process (the code it runs is what it imported: a file
    edited during a run must not move the run's own state to another folder)."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def fingerprint(config: Any, seed: int, *, code: bool = True, data: str = "") -> str:
    """A short hash of a config and seed (by default also of gansig's code, and of the
    training data's digest where it is not made from the config and seed: see
    :func:`gansig.reproduction.data_digest`): names the state that only this exact run may
    reuse (checkpoints a killed run resumes from, networks a finished run kept)."""
    payload = {"config": to_dict(config), "seed": seed}
    if data:
        payload["data"] = data
    if code:
        payload["code"] = code_digest()
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:12]
