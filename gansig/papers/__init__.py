"""The reproduced papers, one package each (the registry is :mod:`gansig.registry`).

Importing this package imports TensorFlow once, quietly: every paper needs it, and
TensorFlow 2.21 writes its start-up lines through absl before its logging reads
``TF_CPP_MIN_LOG_LEVEL``, so file descriptor 2 is sent to /dev/null meanwhile; the device
probe (which logs a ``cuInit`` error on machines without a GPU) runs inside the same quiet
window. A Ctrl-C while it loads ends the command with one line and status 130, not a
traceback.
"""

from __future__ import annotations

import importlib
import os
import sys
from types import ModuleType

from gansig.registry import PAPERS, PaperInfo, paper_info


def _import_tensorflow_quietly() -> None:
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


_import_tensorflow_quietly()


def load(name: str) -> ModuleType:
    """Import a paper's package by short name.

    Raises:
        ConfigError: no such paper.
    """
    return importlib.import_module(f"gansig.papers.{paper_info(name).name}")


__all__ = ["PAPERS", "PaperInfo", "load", "paper_info"]
