"""Ctrl-C that always stops a command.

Python turns SIGINT into ``KeyboardInterrupt`` wherever the main thread happens to be; when
that is inside a callback the interpreter guards (a weakref finaliser, a ``__del__``, some
C callbacks of TensorFlow or matplotlib) the exception is printed as "Exception ignored"
and the work goes on. Within :func:`handled` (every command line), every SIGINT is recorded
as well as raised (and a swallowed one's traceback kept off the screen), and :func:`check`
(called before a run's results replace the previous ones, and by the CLI when a command
returns) stops the command then, so a swallowed Ctrl-C is never lost.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Iterator

_requested = False


def _on_sigint(signum, frame):
    global _requested
    _requested = True
    raise KeyboardInterrupt


def _unraisable(info) -> None:
    if not (_requested and issubclass(info.exc_type, KeyboardInterrupt)):
        sys.__unraisablehook__(info)


@contextlib.contextmanager
def handled() -> Iterator[None]:
    """Within the block, Ctrl-C (and SIGTERM: ``kill``, ``timeout``) is recorded as well as
    raised, so that temporary files are removed and the previous results kept; the
    handlers before it are restored after (main thread only; elsewhere nothing changes)."""
    global _requested
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    saved = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM), sys.unraisablehook
    _requested = False
    signal.signal(signal.SIGINT, _on_sigint)
    signal.signal(signal.SIGTERM, _on_sigint)
    sys.unraisablehook = _unraisable
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, saved[0])
        signal.signal(signal.SIGTERM, saved[1])
        sys.unraisablehook = saved[2]
        _requested = False


def check() -> None:
    """Raise ``KeyboardInterrupt`` if Ctrl-C was pressed, even if it was swallowed."""
    if _requested:
        raise KeyboardInterrupt
