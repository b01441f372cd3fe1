"""In-domain scores of sets of audio windows against a real test set, with the classifier
trained here: Frechet distance and unbiased KID on its embedding, the inception score and
the share it calls the target class; and the references a model must beat (noise shaped
like the training set's mean spectrum, an untrained generator).

Everything is scored as 16 kHz windows of 16384 samples (the canonical model's own unit;
the report's 4 s clips give one window each, at a random place), so every model meets the
same real set and the same floor.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import keras
import numpy as np

from gansig import metrics
from gansig.data import features
from gansig.errors import AudioError, ConfigError, DataError, ModelError
from gansig.fileio import load_model
from gansig.papers.specgan import classifier, frontend, reference, scores
from gansig.papers.specgan.config import Config
from gansig.papers.specgan.data import CLASSES, folder_clips


@dataclass
class Scorer:
    """Scores sets of windows against one real set.

    Attributes:
        model: the classifier.
        config: its front end and the KID settings.
        real: the real windows every set is compared with.
        target: the class index whose probability is reported.
        seed: seed of the KID subsets.
    """

    model: keras.Model
    config: Config
    real: np.ndarray
    target: int
    seed: int = 0

    def __post_init__(self) -> None:
        self.real_embeddings, _ = classifier.outputs(self.model, self.real, self.config)

    def __call__(self, windows: np.ndarray) -> dict[str, float]:
        """FD, KID x 1000, inception score and P(target) of ``windows`` (same N as the real set)."""
        embeddings, probabilities = classifier.outputs(self.model, windows, self.config)
        rng = np.random.default_rng(self.seed)
        kid = metrics.kernel_inception_distance(embeddings, self.real_embeddings, rng, subsets=self.config.kid_subsets,
                                               subset_size=self.config.kid_subset_size)
        return {reference.FD: metrics.frechet_distance(embeddings, self.real_embeddings), reference.KID: 1000 * kid,
                reference.IS: metrics.inception_score(probabilities),
                reference.p_target(CLASSES[self.target]): float(probabilities[:, self.target].mean())}


def mean_spectrum_noise(real_windows: np.ndarray, n: int, config: Config, rng: np.random.Generator) -> np.ndarray:
    """``n`` windows of Gaussian noise shaped by the mean power spectrum of ``real_windows``
    (a stationary sound with the right average colour: what a generator must beat)."""
    n_fft, hop = config.classifier_n_fft, config.classifier_hop
    mean_power = np.mean(features.magnitude(real_windows, n_fft, hop, power=2.0).numpy(), axis=(0, 1))
    noise = rng.normal(size=(n, config.specgan_samples)).astype(np.float32)
    spec = features.stft(noise, n_fft, hop)
    white_power = np.mean(np.abs(spec.numpy()) ** 2, axis=(0, 1))
    shaped = spec * np.sqrt(mean_power / np.maximum(white_power, 1e-20)).astype(np.complex64)
    out = features.inverse_stft(shaped, n_fft, hop, length=config.specgan_samples).numpy()
    return frontend.peak_normalise(out)


def load_classifier(path: str | Path) -> keras.Model:
    """A classifier saved by a reproduction.

    Raises:
        ModelError: missing or not a classifier.
    """
    path = Path(path)
    if not path.is_file():
        raise ModelError(f"{path}: no classifier there; `make reproduce-specgan` trains one "
                         "(results/specgan/quick/models/classifier.keras), or pass --classifier FILE")
    try:
        model = load_model(path)
        model.get_layer("embedding")
    except Exception as exc:  # Keras raises many types for a bad archive
        raise ModelError(f"{path}: not a gansig SpecGAN classifier ({exc})") from None
    return model


def labelled_folders(folder: str | Path) -> list[str]:
    """The class names of ``folder``'s sub-folders that are the classifier's classes (empty
    when it has none: an unlabelled folder)."""
    folder = Path(folder)
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and p.name in CLASSES) if folder.is_dir() else []


def evaluate_per_class(real_dir: str | Path, generated_dir: str | Path, classifier_path: str | Path,
                       config: Config, seed: int = 0) -> tuple[dict[str, scores.ClassScores], int]:
    """Per-class scores of labelled folders (one sub-folder per class, named as the
    classifier's classes): for each class in both, ``n_per_class`` windows of its generated
    audio against windows of its real audio, whose files are split in two (alternate files):
    one half stands for the training clips, the other for unseen real clips (the floor).

    Returns:
        ``({class: scores}, windows per class)``.

    Raises:
        DataError: no class in both folders, or a class with fewer than two real files.
        ConfigError: ``n_per_class`` too small for the classifier's embedding.
    """
    model = load_classifier(classifier_path)
    config = _front_end_of(model, config, config.n_per_class)
    shared = sorted(set(labelled_folders(real_dir)) & set(labelled_folders(generated_dir)))
    if not shared:
        raise DataError(f"{real_dir} and {generated_dir} share no class folder (named as the classifier's classes: "
                        f"{', '.join(CLASSES)})")
    rng, n, out = np.random.default_rng(seed), config.n_per_class, {}
    for cls in shared:
        real, real_paths = folder_clips(Path(real_dir) / cls, config.specgan_rate)
        generated, _ = folder_clips(Path(generated_dir) / cls, config.specgan_rate)
        if len(real) < 2:
            raise DataError(f"{Path(real_dir) / cls}: one file; the floor needs two real files or more of a class")
        embedded = [classifier.outputs(model, frontend.windows(clips, config.specgan_samples, rng, n), config)
                    for clips in (real[0::2], real[1::2], generated)]
        out[cls] = scores.class_scores(embedded[2][0], embedded[2][1], CLASSES.index(cls), embedded[0][0],
                                       embedded[1][0])
    return out, n


def _front_end_of(model: keras.Model, config: Config, n: int) -> Config:
    """``config`` with the classifier's front end read off its input (a smoke classifier has
    fewer mels).

    Raises:
        ConfigError: ``n`` windows too few for the covariance of its embedding.
    """
    dimensions = int(model.get_layer("embedding").output.shape[-1])
    if n <= dimensions:
        raise ConfigError(f"-n {n}: the Frechet distance needs more windows than the classifier's "
                          f"embedding has dimensions ({dimensions}): at least {dimensions + 1}")
    _, frames, mels, _ = model.input_shape
    return dataclasses.replace(config, classifier_mels=mels, classifier_hop=config.specgan_samples // (frames - 1))


def evaluate_folders(real_dir: str | Path, generated_dir: str | Path, classifier_path: str | Path, config: Config,
                     seed: int = 0) -> tuple[dict[str, dict[str, float]], int, tuple[int, int]]:
    """The in-domain scores of any folder of audio against a folder of real audio: each
    folder's files cut into ``n_eval`` 16 kHz windows at random places (files used in turn).

    Returns:
        ``({"real (split in two halves)": scores, "generated": scores}, N, (real files,
        generated files))``: the first row scores one half of the real windows against the
        other, the floor a perfect generator would reach at this N.

    Raises:
        ConfigError: ``n_eval`` too small for the covariance of the classifier's embedding.
        DataError: a missing folder or one without audio.
        AudioError: a file that cannot be read (named), or shorter than one window.
        ModelError: the classifier cannot be loaded.
    """
    real_clips, real_paths = folder_clips(real_dir, config.specgan_rate)  # the user's folders first
    generated_clips, generated_paths = folder_clips(generated_dir, config.specgan_rate)
    model = load_classifier(classifier_path)
    config = _front_end_of(model, config, config.n_eval)
    for clip, path in zip(real_clips + generated_clips, real_paths + generated_paths, strict=True):
        if len(clip) < config.specgan_samples // 2:
            raise AudioError(f"{path}: {len(clip) / config.specgan_rate:.3f} s, shorter than half a scoring window "
                             f"({config.specgan_samples / config.specgan_rate:.3f} s at {config.specgan_rate} Hz)")
    rng = np.random.default_rng(seed)
    n = config.n_eval
    real = frontend.windows(real_clips, config.specgan_samples, rng, 2 * n)
    generated = frontend.windows(generated_clips, config.specgan_samples, rng, n)
    target = CLASSES.index(config.target_class)
    scorer = Scorer(model, config, real[:n], target, seed)
    return ({"real (another draw of windows)": scorer(real[n:]), "generated": scorer(generated)}, n,
            (len(real_paths), len(generated_paths)))
