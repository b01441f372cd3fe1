"""A trained generator as a tool: spectrogram images from latents (and a class), audio
from them, saved as a folder that ``generate --model`` loads."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import keras
import numpy as np

from gansig import plots
from gansig.data import io
from gansig.data.inverse import Standardiser
from gansig.errors import ConfigError, ModelError
from gansig.fileio import save_model, write_text
from gansig.papers.specgan import frontend
from gansig.papers.specgan.config import Config
from gansig.papers.specgan.data import CLASSES
from gansig.profiles import to_dict

DEFAULT_MODEL = Path("results/specgan/quick/models")
META = "model.json"


class SpecGenerator:
    """A generator with the front end that turns its images into audio.

    Args:
        config: the run's config (which model, its front end).
        generator: the Keras generator.
        moments: the canonical model's per-bin moments (None for the report's model).
    """

    def __init__(self, config: Config, generator: keras.Model, moments: Standardiser | None = None):
        self.config, self.generator, self.moments = config, generator, moments

    @property
    def conditional(self) -> bool:
        return self.config.conditional

    @property
    def rate(self) -> int:
        """The sample rate of its audio."""
        return self.config.rate if self.config.model == "report" else self.config.specgan_rate

    def latents(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """``n`` latent draws from the model's prior (report: normal 128; canonical: uniform 100)."""
        if self.config.model == "report":
            return rng.normal(size=(n, self.config.report_latent)).astype(np.float32)
        return rng.uniform(-1, 1, size=(n, self.config.specgan_latent)).astype(np.float32)

    def images(self, n: int, rng: np.random.Generator, labels: np.ndarray | None = None,
               batch: int = 256) -> np.ndarray:
        """``n`` generated images in [-1, 1] (``labels``: class indices, conditional models only)."""
        if self.conditional and labels is None:
            raise ConfigError("this model is class-conditional: name a class")
        if labels is not None and not self.conditional:
            raise ConfigError("this model is not class-conditional: it cannot generate a chosen class")
        z, out = self.latents(n, rng), []
        for start in range(0, n, batch):
            inputs = z[start:start + batch]
            if labels is not None:
                inputs = [inputs, np.asarray(labels[start:start + batch], np.int32)]
            out.append(np.asarray(self.generator(inputs, training=False)))
        return np.concatenate(out)

    def audio(self, images: np.ndarray, seed: int = 0) -> np.ndarray:
        """Whole clips at :attr:`rate` (report: 4.008 s; canonical: 16384 samples)."""
        if self.config.model == "report":
            return frontend.report_audio(images, self.config, seed)
        return frontend.specgan_audio(images, self.config, self.moments, seed)

    def windows(self, images: np.ndarray, rng: np.random.Generator, seed: int = 0) -> np.ndarray:
        """A 16 kHz window of ``specgan_samples`` from each image (what the classifier scores)."""
        if self.config.model == "report":
            return frontend.report_windows(images, self.config, rng, seed)
        return frontend.specgan_audio(images, self.config, self.moments, seed)

    def save(self, folder: str | Path) -> Path:
        """``folder/generator.keras`` and ``folder/model.json`` (config and moments)."""
        folder = Path(folder)
        save_model(self.generator, folder / "generator.keras")
        write_text(folder / META, json.dumps({"config": to_dict(self.config),
                                              "moments": None if self.moments is None else self.moments.to_dict(),
                                              "classes": list(CLASSES)}))
        return folder

    @classmethod
    def load(cls, folder: str | Path) -> SpecGenerator:
        """A saved generator.

        Raises:
            ModelError: not a saved SpecGAN generator, or unreadable.
        """
        folder = Path(folder)
        if not (folder / META).is_file() or not (folder / "generator.keras").is_file():
            raise ModelError(f"{folder}: not a gansig SpecGAN model folder (needs generator.keras and {META}); "
                             "train one with `make reproduce-specgan` or `python -m gansig.papers.specgan train`")
        try:
            meta = json.loads((folder / META).read_text(encoding="utf-8"))
            fields = {f.name for f in dataclasses.fields(Config)}
            config = Config(**{k: tuple(v) if isinstance(v, list) else v for k, v in meta["config"].items()
                               if k in fields})
            moments = None if meta.get("moments") is None else Standardiser.from_dict(meta["moments"])
            generator = keras.models.load_model(folder / "generator.keras")
        except Exception as exc:  # a damaged folder: JSON, config or Keras errors of many types
            raise ModelError(f"{folder}: cannot load the model ({exc})") from None
        return cls(config, generator, moments)


def write_examples(model: SpecGenerator, n: int, out_dir: str | Path, *, class_name: str | None = None,
                   seed: int = 0, prefix: str = "generated") -> list[Path]:
    """``n`` generated WAVs and a PNG grid of their spectrograms in ``out_dir``.

    Raises:
        ConfigError: an unknown class, or a class asked of an unconditional model.
    """
    labels = None
    if class_name is not None:
        if class_name not in CLASSES:
            raise ConfigError(f"unknown class {class_name!r}; choose one of {', '.join(CLASSES)}")
        labels = np.full(n, CLASSES.index(class_name))
    elif model.conditional:
        labels = np.arange(n) % len(CLASSES)  # every class in turn
    rng = np.random.default_rng(seed)
    images = model.images(n, rng, labels)
    audio = model.audio(images, seed)
    out = Path(out_dir)
    paths = []
    for k, clip in enumerate(audio):
        name = f"{prefix}_{k:03d}" + ("" if labels is None else f"_{CLASSES[labels[k]]}")
        paths.append(io.save(out / f"{name}.wav", clip, model.rate))
    titles = [p.stem for p in paths]
    plots.panels({t: image_for_display(model.config, img) for t, img in zip(titles, images, strict=True)},
                 out / f"{prefix}.png", cols=min(4, n), vmin=-1, vmax=1,
                 title=f"{n} generated spectrograms ({model.config.model})")
    return paths + [out / f"{prefix}.png"]


def image_for_display(config: Config, image: np.ndarray) -> np.ndarray:
    """A model image as ``[frequency, time]`` for a plot (the canonical's is stored time-first)."""
    return image[..., 0] if config.model == "report" else image[..., 0].T
