"""Known, harmless TensorFlow and Keras noise, silenced where it starts; real errors stay.

- Grappler's *remapper* fails on the graphs of an adversarial training step (it tries to
  fuse a convolution, its bias and a leaky ReLU whose gradient still needs the bias's
  output) and logs ``E0000 ... remapper failed: ... LeakyReluGrad exist for missing node``.
  A failed pass leaves the graph as it was, so :func:`without_remapper` turns the pass off
  while those graphs are built and optimised (``AdversarialModel.fit``): the same graph
  runs, with no error line.
- Keras's ``UserWarning`` that ``binary_crossentropy`` got ``from_logits=True`` for the
  output of a sigmoid: the film thesis's Exp 1-2 do exactly that, faithfully
  (:func:`double_sigmoid_is_intended`, used only for those configs).
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator

import tensorflow as tf


@contextlib.contextmanager
def without_remapper() -> Iterator[None]:
    """Grappler's remapper off for the graphs first run inside (restored after)."""
    before = tf.config.optimizer.get_experimental_options().get("remapping")
    tf.config.optimizer.set_experimental_options({"remapping": False})
    try:
        yield
    finally:
        tf.config.optimizer.set_experimental_options({"remapping": True if before is None else before})


@contextlib.contextmanager
def double_sigmoid_is_intended(intended: bool = True) -> Iterator[None]:
    """Keras's warning about logits that went through a sigmoid, off inside (when ``intended``)."""
    with warnings.catch_warnings():
        if intended:
            warnings.filterwarnings("ignore", message=r".*from_logits=True.*Sigmoid", category=UserWarning)
        yield

