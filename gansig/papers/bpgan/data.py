"""Speech for BPGAN: TIMIT when given, else the embedded speech-default corpus (same
loader); utterances cut into 128x128 mel patches by the front end."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from tqdm import tqdm

from gansig.data.cache import load_cached
from gansig.data.corpora import AudioItem, load_timit
from gansig.data.corpora.registry import corpus_dir
from gansig.errors import DataError
from gansig.papers.bpgan import frontend


def utterances(split: str, timit: str | Path | None = None) -> list[AudioItem]:
    """Utterances of ``"train"`` or ``"test"`` (TIMIT's core test set when ``timit`` is given).

    Raises:
        DataError: no TIMIT at that path, or speech-default not built (``make data``).
    """
    if timit is not None:
        items = load_timit(timit, "core-test" if split == "test" else split)
    else:
        root = corpus_dir("speech-default")
        if not (root / "manifest.json").is_file():
            raise DataError(f"{root}: speech-default is not built; run `make data` (or pass --timit DIR)")
        items = load_timit(root, split)
    return items


def waveforms(items: list[AudioItem]) -> list[np.ndarray]:
    """16 kHz waveforms, decoded once through the cache."""
    return [load_cached(i.path, frontend.RATE) for i in tqdm(items, desc="loading speech", unit="utt", leave=False)]


def training_patches(items: list[AudioItem], stride_frames: int, limit: int | None = None,
                     seed: int = 0) -> np.ndarray:
    """Overlapping 128x128 patches (every ``stride_frames`` frames) of the utterances, taken
    in a seeded random order (so a ``limit`` samples every speaker, not the first few);
    audio is decoded lazily, through the cache, only as far as the limit needs."""
    patches = []
    order = np.random.default_rng(seed).permutation(len(items))
    for k in tqdm(order, desc="cutting patches", unit="utt", leave=False):
        p, _ = frontend.analyse(load_cached(items[k].path, frontend.RATE))
        frames = np.concatenate(list(p), axis=1)  # [128 mels, frames]
        for start in range(0, frames.shape[1] - frontend.PATCH + 1, stride_frames):
            patches.append(frames[:, start:start + frontend.PATCH])
        if limit and len(patches) >= limit:
            break
    return np.stack(patches[:limit] if limit else patches)[..., None].astype(np.float32)
