"""Ctrl-C that always stops a command.

Python turns SIGINT into ``KeyboardInterrupt`` wherever the main thread happens to be; when
that is inside a callback the interpreter guards (a weakref finaliser, a ``__del__``, some
C callbacks of TensorFlow or matplotlib) the exception is printed as "Exception ignored"
and the work goes on. :func:`install` records every SIGINT as well as raising it (and keeps
the swallowed one's traceback off the screen), and :func:`check` (called before a run's
results replace the previous ones, and by the CLI when a command returns) stops the command
then, so a swallowed Ctrl-C is never lost.
"""

from __future__ import annotations

import signal
import sys
import threading

_requested = False


def _on_sigint(signum, frame):
    global _requested
    _requested = True
    raise KeyboardInterrupt


def _unraisable(info) -> None:
    if not (_requested and issubclass(info.exc_type, KeyboardInterrupt)):
        sys.__unraisablehook__(info)


def install() -> None:
    """Record and raise on Ctrl-C, and on SIGTERM (``kill``, ``timeout``) likewise, so that
    temporary files are removed and the previous results kept (main thread only; elsewhere
    Python's defaults stay)."""
    global _requested
    _requested = False
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, _on_sigint)
        signal.signal(signal.SIGTERM, _on_sigint)
        sys.unraisablehook = _unraisable


def requested() -> bool:
    """Whether Ctrl-C was pressed since :func:`install`."""
    return _requested


def check() -> None:
    """Raise ``KeyboardInterrupt`` if Ctrl-C was pressed, even if it was swallowed."""
    if _requested:
        raise KeyboardInterrupt
