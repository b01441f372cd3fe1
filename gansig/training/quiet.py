"""Known, harmless TensorFlow and Keras noise, silenced where it starts; real errors stay.

- Grappler's *remapper* fails on the training graphs of networks with convolutions followed
  by leaky ReLUs (it tries to fuse a convolution, its bias and the activation whose gradient
  still needs the bias's output) and logs ``E0000 ... remapper failed: ... LeakyReluGrad
  exist for missing node``. A failed pass leaves the graph as it was, so
  :class:`WithoutRemapper` turns the pass off from the start of every ``fit`` to its end
  (one of :func:`gansig.training.standard_callbacks`): the same training graphs run, with
  no error line; inference graphs made after ``fit`` are fused as before.
- TensorFlow's "triggered tf.function retracing" warning about Keras's own step functions
  (``TensorFlowTrainer...``): Keras makes new ones for every model it fits or predicts
  with, which TensorFlow counts as retracings of one function when a run trains several
  models (:class:`_KerasStepFunctions`, a filter on TensorFlow's logger). Retracing of one
  model's function by inputs of varying shape is mended where it happens (fixed shapes).
- Keras's ``UserWarning`` that ``binary_crossentropy`` got ``from_logits=True`` for the
  output of a sigmoid: the film thesis's Exp 1-2 and the SpecGAN report's model do exactly
  that, faithfully (:func:`double_sigmoid_is_intended`, used only for those configs).
"""

from __future__ import annotations

import contextlib
import logging
import warnings
from collections.abc import Iterator

import keras
import tensorflow as tf


class _KerasStepFunctions(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not ("triggered tf.function retracing" in message and "TensorFlowTrainer" in message)


tf.get_logger().addFilter(_KerasStepFunctions())


class WithoutRemapper(keras.callbacks.Callback):
    """Grappler's remapper off while ``fit`` runs (its graphs are optimised at their first
    run, after ``on_train_begin``), restored at its end."""

    def on_train_begin(self, logs=None) -> None:
        self._before = tf.config.optimizer.get_experimental_options().get("remapping", True)
        tf.config.optimizer.set_experimental_options({"remapping": False})

    def on_train_end(self, logs=None) -> None:
        tf.config.optimizer.set_experimental_options({"remapping": self._before})


@contextlib.contextmanager
def double_sigmoid_is_intended(intended: bool = True) -> Iterator[None]:
    """Keras's warning about logits that went through a sigmoid, off inside (when ``intended``)."""
    with warnings.catch_warnings():
        if intended:
            warnings.filterwarnings("ignore", message=r".*from_logits=True.*Sigmoid", category=UserWarning)
        yield

