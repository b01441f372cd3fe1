"""The in-domain classifier the scores are taken with (the report had none): Donahue's
inception-classifier shape on 16384-sample log-mel windows, trained here on the ten classes
of the training folds; its held-out accuracy on the test fold goes in the table."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import keras
import numpy as np

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
    """The classifier trained on the training folds' windows (Adam 1e-3, cross-entropy).

    Returns:
        ``(model, history)``.
    """
    rng = np.random.default_rng(seed)
    x, y = labelled_windows(train_split.narrow, train_split.labels, config, rng)
    features = frontend.classifier_features(x, config)
    with distribute.scope():  # one device, or several (--strategy)
        model = models.classifier(config, features.shape[1:], len(CLASSES))
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        dataset = paired_dataset(features, y, config.classifier_batch_size, shuffle=True, seed=seed)
        history = model.fit(dataset, epochs=config.classifier_epochs, verbose=verbose,
                            callbacks=standard_callbacks(work_dir))
    return model, history.history


def accuracy(model: keras.Model, split: Split, config: Config, seed: int) -> float:
    """Held-out accuracy over ``windows_per_clip`` random windows of every clip of ``split``."""
    x, y = labelled_windows(split.narrow, split.labels, config, np.random.default_rng(seed))
    return float(np.mean(outputs(model, x, config)[1].argmax(axis=1) == y))


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
