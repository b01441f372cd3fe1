"""gansig: five GAN-for-signals papers reproduced, and tools built from them."""

import os
import sys

# TensorFlow's C++ start-up chatter (oneDNN notice, CUDA probing on CPU machines) hides real output.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def import_tensorflow_quietly() -> None:
    """Import TensorFlow once with file descriptor 2 sent to /dev/null; the papers' packages
    call this first, so their commands and notebooks start without TensorFlow's noise.

    TensorFlow 2.21 writes its start-up lines through absl before its logging reads
    ``TF_CPP_MIN_LOG_LEVEL``, so the variable alone no longer silences them. An import that
    fails is left to fail again, with its message, where TensorFlow is first used.
    """
    if "tensorflow" in sys.modules:
        return
    sys.stderr.flush()
    saved, devnull = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        import tensorflow  # noqa: F401
    except ImportError:
        pass
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


__version__ = "0.1.0"
