"""UrbanSound8K (``--urbansound DIR``) or its embedded stand-in ``street-default``, split by
the official folds (train on 1-9, score on 10; slices of one recording share a fold), each
clip read at the report's rate (22.05 kHz, the target class only) and the canonical
model's and the classifier's (16 kHz, every class)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tqdm import tqdm

from gansig.data import io
from gansig.data.corpora import load_folder, load_urbansound
from gansig.data.corpora.registry import corpus_dir
from gansig.data.corpora.urbansound import URBANSOUND_CLASSES
from gansig.errors import DataError
from gansig.papers.specgan.config import Config
from gansig.papers.specgan.frontend import fit_length

CLASSES = URBANSOUND_CLASSES
STAND_IN = "street-default"


@dataclass(frozen=True)
class Split:
    """The clips of some folds.

    Attributes:
        wide: ``[n, clip_samples]`` target-class clips at the report's rate.
        narrow: clips of every class at the canonical rate (each its own length, at most
            ``clip_ms``: windows are cut from the recorded part only).
        labels: ``[m]`` class indices (into :data:`CLASSES`) of ``narrow``.
    """

    wide: np.ndarray
    narrow: list[np.ndarray]
    labels: np.ndarray

    def of_class(self, index: int) -> list[np.ndarray]:
        """The 16 kHz clips of one class."""
        return [x for x, label in zip(self.narrow, self.labels, strict=True) if label == index]


def load(config: Config, urbansound: str | Path | None = None) -> tuple[Split, Split, str]:
    """The training and test folds, and the dataset's description for the table.

    Raises:
        DataError: the dataset is missing, unbuilt, or lacks clips of the target class in
            the training or test folds.
    """
    root = Path(urbansound) if urbansound else corpus_dir(STAND_IN)
    name = f"UrbanSound8K ({root})" if urbansound else (
        f"{STAND_IN} (a stand-in for UrbanSound8K built from Debian packages; four of its ten classes synthesised)")
    if not urbansound and not (root / "manifest.json").is_file():
        raise DataError(f"{STAND_IN} is not built; run `make data` or `python -m gansig.data build {STAND_IN}`")
    parts = []
    for folds in (config.train_folds, config.test_folds):
        items = load_urbansound(root, classes=None, folds=folds)
        target = [i for i in items if i.label == config.target_class]
        if not target:
            raise DataError(f"{root}: no {config.target_class} clips in fold(s) {', '.join(map(str, folds))}")
        n_narrow = config.specgan_rate * config.clip_ms // 1000
        wide, narrow, labels = [], [], []
        for item in tqdm(items, desc=f"reading folds {folds[0]}-{folds[-1]}", unit="clip", leave=False,
                         delay=1):
            narrow.append(io.load(item.path, config.specgan_rate)[0][:n_narrow])
            labels.append(CLASSES.index(item.label))
            if item.label == config.target_class:
                wide.append(fit_length(io.load(item.path, config.rate)[0][None], config.clip_samples)[0])
        parts.append(Split(np.stack(wide), narrow, np.asarray(labels, np.int32)))
    return parts[0], parts[1], name


def report_subset(clips: np.ndarray, config: Config) -> np.ndarray:
    """The report's training subset: ``train_subset`` clips drawn without replacement with
    NumPy's legacy generator seeded 42 (all of them when None or when there are fewer)."""
    if config.train_subset is None or config.train_subset >= len(clips):
        return clips
    return clips[np.random.RandomState(config.subset_seed).choice(len(clips), config.train_subset, replace=False)]


def folder_clips(folder: str | Path, rate: int) -> tuple[list[np.ndarray], list[Path]]:
    """Every audio file under ``folder`` (any format, rate and channel count;
    :func:`gansig.data.corpora.load_folder`) as a mono clip at ``rate``.

    Raises:
        DataError: no folder, or no audio in it.
        AudioError: a file that cannot be read (named).
    """
    paths = [item.path for item in load_folder(folder)]
    clips = []
    with tqdm(paths, desc=str(folder), unit="file", leave=False) as bar:  # closed (cleared) on an error too
        for path in bar:
            clips.append(io.load(path, rate)[0])
    return clips, paths
