"""The in-domain classifier the scores are taken with (the report had none): Donahue's
inception-classifier shape on 16384-sample log-mel windows, trained here on the ten classes
of the training folds; its held-out accuracy on the test fold goes in the table."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from gansig.data.pipeline import paired_dataset
from gansig.papers.specgan import frontend, models
from gansig.papers.specgan.config import Config
from gansig.papers.specgan.data import CLASSES, Split
from gansig.training import distribute, standard_callbacks


def labelled_windows(clips: Sequence[np.ndarray], labels: np.ndarray, config: Config,
                     rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """``windows_per_clip`` random 16 kHz windows of every clip, with the clip's label."""
    per = config.windows_per_clip
    cut = [frontend.windows([clip], config.specgan_samples, rng, per) for clip in clips]
    return np.concatenate(cut), np.repeat(np.asarray(labels, np.int32), per)


def train(config: Config, train_split: Split, work_dir: Path, seed: int,
          verbose: int | str = "auto") -> tuple[keras.Model, dict]:
    """The classifier trained on the training folds' windows.

    Returns:
        ``(model, history)``.
    """
    rng = np.random.default_rng(seed)
    return fit(config, *labelled_windows(train_split.narrow, train_split.labels, config, rng), work_dir, seed,
               verbose)


def fit(config: Config, windows_16k: np.ndarray, labels: np.ndarray, work_dir: Path, seed: int,
        verbose: int | str = "auto") -> tuple[keras.Model, dict]:
    """A classifier trained on labelled 16 kHz windows: Adam 1e-3 with a cosine decay,
    cross-entropy, mixup of pairs within a batch (``classifier_mixup``: the Beta
    distribution's alpha; 0 = none) on top of the model's own shift and masks, the classes
    balanced (each drawn as often: street-default has five times more street music).

    Returns:
        ``(model, history)``.
    """
    windows_16k, labels = balanced(windows_16k, labels, np.random.default_rng(seed))
    features = frontend.classifier_features(windows_16k, config)
    onehot = np.eye(len(CLASSES), dtype=np.float32)[labels]
    dataset = paired_dataset(features, onehot, config.classifier_batch_size, shuffle=True, seed=seed,
                             drop_remainder=len(features) > config.classifier_batch_size)
    if config.classifier_mixup:
        dataset = dataset.map(_mixup(config.classifier_mixup, seed))
    steps = len(dataset) * config.classifier_epochs
    with distribute.scope():  # one device, or several (--strategy)
        model = models.classifier(config, features.shape[1:], len(CLASSES))
        model.compile(optimizer=keras.optimizers.Adam(keras.optimizers.schedules.CosineDecay(1e-3, steps)),
                      loss="categorical_crossentropy", metrics=["accuracy"])
        history = model.fit(dataset, epochs=config.classifier_epochs, verbose=verbose, shuffle=False,
                            callbacks=standard_callbacks(work_dir))
    return model, history.history


def balanced(x: np.ndarray, labels: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """As many examples as given, the same number of each class present (drawn without
    replacement where a class has enough, with replacement where it has too few), shuffled."""
    present = np.unique(labels)
    each = len(labels) // len(present)
    rows = np.concatenate([rng.choice(np.flatnonzero(labels == k), each, replace=np.sum(labels == k) < each)
                           for k in present])
    rows = rng.permutation(rows)
    return x[rows], labels[rows]


def _mixup(alpha: float, seed: int):
    """A batch's examples mixed with the same batch reversed, weights drawn from Beta(alpha, alpha)."""
    generator = tf.random.Generator.from_seed(seed)

    def mix(x, y):
        a, b = tf.unstack(tf.random.stateless_gamma([2, tf.shape(x)[0]], generator.make_seeds(1)[:, 0], alpha))
        weight = a / (a + b)
        weight = tf.maximum(weight, 1.0 - weight)  # the example's own label stays the larger part
        return (weight[:, None, None, None] * x + (1 - weight[:, None, None, None]) * tf.reverse(x, [0]),
                weight[:, None] * y + (1 - weight[:, None]) * tf.reverse(y, [0]))

    return mix


def accuracy(model: keras.Model, split: Split, config: Config, seed: int) -> float:
    """Held-out accuracy over ``windows_per_clip`` random windows of every clip of ``split``."""
    x, y = labelled_windows(split.narrow, split.labels, config, np.random.default_rng(seed))
    return float(np.mean(outputs(model, x, config)[1].argmax(axis=1) == y))


def clip_predictions(model: keras.Model, split: Split, config: Config) -> np.ndarray:
    """The class each clip of ``split`` is given: its windows' probabilities (windows every
    half window from the start, covering the clip) averaged, as UrbanSound8K's clip-level
    evaluation does."""
    size = config.specgan_samples
    predictions = []
    for clip in split.narrow:
        starts = range(0, max(1, len(clip) - size // 2), size // 2)
        windows = frontend.fit_length_list([clip[s:s + size] for s in starts], size)
        predictions.append(int(outputs(model, windows, config)[1].mean(axis=0).argmax()))
    return np.asarray(predictions)


def outputs(model: keras.Model, windows_16k: np.ndarray, config: Config, batch: int = 256) -> tuple[np.ndarray,
                                                                                                     np.ndarray]:
    """``(embeddings, class probabilities)`` of 16 kHz windows."""
    both = keras.Model(model.input, [model.get_layer("embedding").output, model.output])
    embeddings, probabilities = [], []
    for start in range(0, len(windows_16k), batch):
        e, p = both(frontend.classifier_features(windows_16k[start:start + batch], config), training=False)
        embeddings.append(np.asarray(e))
        probabilities.append(np.asarray(p))
    return np.concatenate(embeddings), np.concatenate(probabilities)
