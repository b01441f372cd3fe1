"""Profile selection: ``paper`` (the paper's own set-up), ``quick`` (CPU, ~10 min), ``smoke``.

Each paper's ``config.py`` defines a frozen dataclass and ``PROFILES`` where ``quick`` and
``smoke`` are derived from ``paper`` with :func:`dataclasses.replace`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any, Mapping, TypeVar

from gansig.errors import ConfigError

C = TypeVar("C")

PROFILE_NAMES = ("paper", "quick", "smoke")


def select(profiles: Mapping[str, C], profile: str, **overrides: Any) -> C:
    """Return the named profile's config with ``overrides`` applied.

    Args:
        profiles: name -> frozen dataclass config.
        profile: one of ``profiles``' keys.
        **overrides: config fields to replace.

    Returns:
        A new config.

    Raises:
        ConfigError: unknown profile or unknown field.
    """
    if profile not in profiles:
        raise ConfigError(f"unknown profile {profile!r}; choose one of {', '.join(profiles)}")
    config = profiles[profile]
    names = {f.name for f in dataclasses.fields(config)}
    unknown = sorted(set(overrides) - names)
    if unknown:
        raise ConfigError(f"unknown config field(s) {', '.join(unknown)}; known: {', '.join(sorted(names))}")
    return dataclasses.replace(config, **overrides)


def to_dict(config: Any) -> dict[str, Any]:
    """A JSON-ready dict of a dataclass config (tuples become lists)."""
    return json.loads(json.dumps(dataclasses.asdict(config), default=str))


def fingerprint(config: Any, seed: int) -> str:
    """A short hash of a config and seed: names state that only this exact run may reuse
    (e.g. the checkpoints a killed run resumes from)."""
    text = json.dumps({"config": to_dict(config), "seed": seed}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:12]
