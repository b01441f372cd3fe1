"""Adversarial training shared by the papers.

The names below are imported on first use (their modules import TensorFlow); the choices a
command line offers (:data:`STRATEGIES`, :data:`CONTENT_LOSSES`) are plain constants here,
so parsing arguments never waits for TensorFlow.
"""

from __future__ import annotations

import importlib

STRATEGIES = ("one", "mirrored", "multiworker")
CONTENT_LOSSES = ("l1", "mse", "bce", "none")

_HOMES = {"AdversarialModel": "adversarial", "AdversarialWarmup": "adversarial", "GeneratorAverage": "adversarial",
          "LabelSchedule": "adversarial",
          "Strategy": "adversarial", "content_error": "adversarial", "EpochCheckpoints": "callbacks",
          "LinearDecay": "callbacks", "RateSteps": "callbacks", "StepDecay": "callbacks",
          "standard_callbacks": "callbacks"}


def __getattr__(name: str):
    if name in _HOMES:
        return getattr(importlib.import_module(f"gansig.training.{_HOMES[name]}"), name)
    if name in ("cluster", "distribute", "quiet"):
        return importlib.import_module(f"gansig.training.{name}")
    raise AttributeError(f"module 'gansig.training' has no attribute {name!r}")


__all__ = ["CONTENT_LOSSES", "STRATEGIES", *_HOMES, "distribute"]
