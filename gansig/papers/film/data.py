"""The recording, its damaged set, the split every row is scored on, and the training pairs.

The clean recording is film-default's (``make data``) or the user's own; the thesis's
"original" (the generator's target and the discriminator's real data) is clean + noise,
the damaged versions are cuts of it (:mod:`.damage`). The last ``heldout_fraction`` of the
recording is the held-out excerpt: no run trains on it, every row is scored on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gansig.data import io
from gansig.data.corpora.manifest import read_manifest
from gansig.data.corpora.registry import corpus_dir
from gansig.errors import DataError
from gansig.papers.film import frontend
from gansig.papers.film.config import Config
from gansig.papers.film.damage import Damage, white_noise


@dataclass
class Part:
    """One part (training or held-out) of the derived set, all at the config's rate.

    Attributes:
        clean: the clean recording.
        target: clean + noise, the thesis's "original" (what restorations are scored against).
        damaged: cut-off (Hz) -> the damaged version.
    """

    clean: np.ndarray
    target: np.ndarray
    damaged: dict[float, np.ndarray]


def recording(config: Config, source: str | Path | None = None) -> tuple[np.ndarray, str]:
    """The clean recording (mono, the config's rate, at most ``clip_seconds``, peak at most
    1) and its name for the table.

    Raises:
        DataError: film-default is not built and no recording was given.
        AudioError: the recording cannot be used.
    """
    if source is None:
        path = corpus_dir("film-default") / "clean.wav"
        if not path.is_file():
            raise DataError(f"{path.parent}: film-default is not built; run `make data` (or pass --recording FILE)")
        name = "film-default (stand-in for the thesis's custom recording: a film score with dialogue over it)"
    else:
        path, name = Path(source), f"{source} (the user's recording)"
    x, _ = io.load(path, config.rate)
    if config.clip_seconds is not None:
        x = x[: int(config.clip_seconds * config.rate)]
    peak = float(np.max(np.abs(x)))
    return (x / peak if peak > 1.0 else x).astype(np.float32), name


def restorer_clips(config: Config) -> tuple[list[np.ndarray], str]:
    """film-restore's clean clips the gansig restorer trains on (``restorer_clips`` of them,
    spread evenly over the corpus's music, dialogue and speech; all when None) and the
    corpus's name for the table.

    Raises:
        DataError: film-restore is not built.
    """
    root = corpus_dir("film-restore")
    if not (root / "manifest.json").is_file():
        raise DataError(f"{root}: film-restore (the restorer's training corpus) is not built; run `make data` or "
                        "`python -m gansig.data build film-restore`")
    files = [f["path"] for f in read_manifest(root)["files"]]
    if config.restorer_clips is not None and config.restorer_clips < len(files):
        files = [files[i] for i in np.linspace(0, len(files) - 1, config.restorer_clips).round().astype(int)]
    clips = [io.load(root / f, config.rate)[0] for f in files]
    minutes = sum(map(len, clips)) / config.rate / 60
    return clips, f"film-restore ({len(clips)} clips of music, speech and dialogue, {minutes:.0f} min)"


def film_set(clean: np.ndarray, config: Config, seed: int, cutoffs: tuple[float, ...]) -> tuple[Part, Part]:
    """The training part and the held-out part of the derived set, damaged at ``cutoffs``.

    Raises:
        DataError: a recording too short to hold a training segment and a held-out one.
    """
    noise = white_noise(len(clean), config, seed)
    versions = {c: Damage.of(config, c).onto(clean, noise, config.rate) for c in cutoffs}
    split = int(round(len(clean) * (1 - config.heldout_fraction)))
    need = 2 * frontend.segment_samples(config)
    if split < need // 2 or len(clean) - split < config.rate // 4:
        raise DataError(f"a recording of {len(clean) / config.rate:.1f} s is too short: the training part needs at "
                        f"least one {config.segment_s:g} s segment and the held-out part at least 0.25 s")
    parts = []
    for part in (slice(0, split), slice(split, None)):
        parts.append(Part(clean[part], (clean + noise)[part], {c: v[part] for c, v in versions.items()}))
    return parts[0], parts[1]


def training_pairs(part: Part, config: Config) -> tuple[np.ndarray, np.ndarray]:
    """``(inputs, targets)`` images of the training part: each damaged segment (of every
    cut with ``all_cuts``, Exp 1-4; of the evaluation cut otherwise) beside the target's
    segment at the same time."""
    cuts = sorted(part.damaged) if config.all_cuts else [config.eval_cutoff_hz]
    targets = frontend.analyse(frontend.cut(part.target, config), config)
    inputs = np.concatenate([frontend.analyse(frontend.cut(part.damaged[c], config), config) for c in cuts])
    return inputs, np.concatenate([targets] * len(cuts))
