"""The reproduced papers, one package each (the registry is :mod:`gansig.registry`).

A paper's package imports only its config; its ``reproduce()`` (and with it TensorFlow) is
imported on first use (:class:`PaperPackage`), so a command line parses and checks its
arguments before it pays TensorFlow's seconds of start-up and hundreds of megabytes.

TensorFlow is imported once, quietly (:func:`import_tensorflow_quietly`): TensorFlow 2.21
writes its start-up lines through absl before its logging reads ``TF_CPP_MIN_LOG_LEVEL``,
so file descriptor 2 is sent to /dev/null meanwhile; the device probe (which logs a
``cuInit`` error on machines without a GPU) runs inside the same quiet window. A Ctrl-C
while it loads ends the command with one line and status 130, not a traceback.
"""

from __future__ import annotations

import importlib
import os
import sys
import types
from types import ModuleType

from gansig.registry import PAPERS, PaperInfo, paper_info


def import_tensorflow_quietly() -> None:
    """Import Keras and TensorFlow (once) with their start-up noise silenced."""
    if "tensorflow" in sys.modules:
        return
    sys.stderr.flush()
    saved, devnull = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        import keras  # noqa: F401
        import tensorflow

        tensorflow.config.list_physical_devices()  # the device probe; logical devices stay configurable
    except ImportError:
        pass  # left to fail again, with its message, where TensorFlow is first used
    except KeyboardInterrupt:
        os.dup2(saved, 2)
        print("interrupted", file=sys.stderr)
        raise SystemExit(130) from None
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)
    import gansig.training.quiet  # noqa: F401 - its filter of known, harmless TensorFlow warnings


class PaperPackage(types.ModuleType):
    """A paper's package whose ``reproduce`` is the function of its ``reproduce`` module,
    imported (with TensorFlow, quietly) on first use; the import system's binding of the
    submodule to the same name is kept as the function, as an eager import would leave it."""

    def __getattr__(self, name: str):
        if name != "reproduce":
            raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")
        import_tensorflow_quietly()
        importlib.import_module(f"{self.__name__}.reproduce")
        return self.__dict__["reproduce"]

    def __setattr__(self, name: str, value) -> None:
        if name == "reproduce" and isinstance(value, ModuleType):
            value = value.reproduce
        super().__setattr__(name, value)


def lazy_reproduce(package: str) -> None:
    """Make the paper package ``package`` (its ``__name__``) a :class:`PaperPackage`."""
    sys.modules[package].__class__ = PaperPackage


def load(name: str) -> ModuleType:
    """Import a paper's package by short name, its ``reproduce()`` ready.

    Raises:
        ConfigError: no such paper.
    """
    module = importlib.import_module(f"gansig.papers.{paper_info(name).name}")
    module.reproduce  # noqa: B018 - imports it (and TensorFlow, quietly) now
    return module


__all__ = ["PAPERS", "PaperInfo", "import_tensorflow_quietly", "lazy_reproduce", "load", "paper_info"]
