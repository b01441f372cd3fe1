"""A trained generator as a tool: spectrogram images from latents (and a class), audio
from them, saved as a folder that ``generate --model`` loads: ``model.json`` (config,
moments, classes), the Keras ``generator.keras`` and its export (``generator.onnx``,
``export.json``), which the tool runs without TensorFlow (:mod:`gansig.runtime`; the report's
model turns its images into audio with TensorFlow's image resizing). The default is the
shipped gansig generator (:func:`gansig.models.default`)."""

from __future__ import annotations

import dataclasses
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from gansig import plots
from gansig.data import io
from gansig.data.inverse import Standardiser
from gansig.errors import ConfigError, ModelError
from gansig.fileio import write_text
from gansig.papers.specgan import frontend
from gansig.papers.specgan.config import Config
from gansig.profiles import to_dict
from gansig.runtime.network import predict

SHIPPED = "specgan-gansig"
META = "model.json"


class SpecGenerator:
    """A generator with the front end that turns its images into audio.

    Args:
        config: the run's config (which model, its front end).
        generator: the generator: a Keras model (as trained), or its export (as the tool loads it).
        moments: the canonical model's per-bin moments (None for the report's model).
    """

    def __init__(self, config: Config, generator: Any, moments: Standardiser | None = None):
        self.config, self.generator, self.moments = config, generator, moments

    @property
    def conditional(self) -> bool:
        return self.config.conditional

    @property
    def rate(self) -> int:
        """The sample rate of its audio."""
        return self.config.rate if self.config.model == "report" else self.config.specgan_rate

    def latents(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """``n`` latent draws from the model's prior (report: normal 128; canonical: uniform 100;
        gansig: normal 128)."""
        if self.config.model == "report":
            return rng.normal(size=(n, self.config.report_latent)).astype(np.float32)
        if self.config.model == "gansig":
            return rng.normal(size=(n, self.config.gansig_latent)).astype(np.float32)
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
                out.append(np.asarray(predict(self.generator, inputs, np.asarray(labels[start:start + batch],
                                                                                 np.int32))))
            else:
                out.append(np.asarray(predict(self.generator, inputs)))
        return np.concatenate(out)

    def audio(self, images: np.ndarray, seed: int = 0) -> np.ndarray:
        """Whole clips at :attr:`rate` (report: 4.008 s; canonical and gansig: 16384 samples)."""
        if self.config.model == "report":
            from gansig.papers import import_tensorflow_quietly

            import_tensorflow_quietly()  # the report's images are resized back with TensorFlow's
            return frontend.report_audio(images, self.config, seed)
        if self.config.model == "gansig":
            return frontend.gansig_audio(images, self.config, seed)
        return frontend.specgan_audio(images, self.config, self.moments, seed)

    def windows(self, images: np.ndarray, rng: np.random.Generator, seed: int = 0) -> np.ndarray:
        """A 16 kHz window of ``specgan_samples`` from each image (what the classifier scores)."""
        if self.config.model == "report":
            return frontend.report_windows(images, self.config, rng, seed)
        return self.audio(images, seed)

    def save(self, folder: str | Path) -> Path:
        """``folder/generator.keras`` (a Keras generator), ``folder/model.json`` (config and
        moments) and the export the tool runs (``generator.onnx``, ``export.json``)."""
        from gansig.fileio import save_model
        from gansig.models.export import export_folder

        folder = Path(folder)
        save_model(self.generator, folder / "generator.keras")
        write_text(folder / META, json.dumps({"config": to_dict(self.config),
                                              "moments": None if self.moments is None else self.moments.to_dict(),
                                              "classes": list(self.config.classes)}))
        export_folder(folder, ["generator"])
        return folder

    @classmethod
    def load(cls, folder: str | Path | None = None) -> SpecGenerator:
        """A saved generator, its export (default: the shipped gansig generator).

        Raises:
            ModelError: not a saved SpecGAN generator, unreadable, or not exported.
        """
        from gansig.runtime.network import load_networks

        if folder is None:
            from gansig.models import default

            folder = default(SHIPPED)
        folder = Path(folder)
        if not (folder / META).is_file():
            raise ModelError(f"{folder}: not a gansig SpecGAN model folder (needs {META}, generator.onnx and "
                             "export.json); train one with `python -m gansig.papers.specgan train`")
        try:
            meta = json.loads((folder / META).read_text(encoding="utf-8"))
            fields = {f.name for f in dataclasses.fields(Config)}
            config = Config(**{k: tuple(v) if isinstance(v, list) else v for k, v in meta["config"].items()
                               if k in fields})
            moments = None if meta.get("moments") is None else Standardiser.from_dict(meta["moments"])
        except Exception as exc:  # a damaged description: JSON or config errors of many types
            raise ModelError(f"{folder / META}: cannot read the model's description ({exc})") from None
        generator = load_networks(folder, ["generator"])["generator"]
        if config.model == "specgan" and moments is None:
            raise ModelError(f"{folder}: {META} lacks the canonical model's moments (its images cannot become audio)")
        return cls(config, generator, moments)


def write_examples(model: SpecGenerator, n: int, out_dir: str | Path, *, class_name: str | None = None,
                   seed: int = 0, prefix: str = "generated", block: int = 64, shown: int = 16) -> Iterator[Path]:
    """``n`` generated WAVs and a PNG grid of the first ``shown`` spectrograms in ``out_dir``,
    each path yielded as soon as its file is written (the grid last).

    Generated and written ``block`` at a time: memory does not grow with ``n`` (the labels
    too are made a block at a time); a progress bar on stderr for long work. Files already
    in ``out_dir`` are never replaced: the numbering goes on past the highest
    ``PREFIX_NNN`` there (and the grid is then ``PREFIX_NNN.png``).

    Raises:
        ConfigError: an unknown class, or a class asked of an unconditional model (before
            anything is written).
    """
    classes = model.config.classes
    if class_name not in (None, "all") and class_name not in classes:
        raise ConfigError(f"unknown class {class_name!r}; this model's classes: {', '.join(classes)} (or all)")
    if class_name is not None and not model.conditional:
        raise ConfigError("this model is not class-conditional: it cannot generate a chosen class")
    if class_name == "all":  # n of each class, the classes in turn (so the grid shows each)
        n *= len(classes)

    def labels(start: int, stop: int) -> np.ndarray | None:
        if not model.conditional:
            return None
        if class_name in (None, "all"):
            return np.arange(start, stop) % len(classes)  # every class in turn
        return np.full(stop - start, classes.index(class_name))

    out = Path(out_dir)
    first = _next_index(out, prefix)
    rng = np.random.default_rng(seed)
    grid = {}
    with tqdm(total=n, desc="generating", unit="clip", disable=n <= block or not sys.stderr.isatty()) as bar:
        for start in range(0, n, block):
            part = labels(start, min(n, start + block))
            images = model.images(min(block, n - start), rng, part)
            for k, (clip, image) in enumerate(zip(model.audio(images, seed + start), images, strict=True)):
                name = f"{prefix}_{first + start + k:03d}" + ("" if part is None else f"_{classes[part[k]]}")
                yield io.save(out / f"{name}.wav", clip, model.rate)
                if start + k < shown:
                    grid[name] = image_for_display(model.config, image)
            bar.update(len(images))
    figure = out / (f"{prefix}.png" if first == 0 else f"{prefix}_{first:03d}.png")
    plots.panels(grid, figure, cols=min(4, len(grid)), vmin=-1, vmax=1,
                 title=f"{len(grid)} of {n} generated spectrograms ({model.config.model})")
    yield figure


def _next_index(folder: Path, prefix: str) -> int:
    """One past the highest ``PREFIX_NNN`` file in ``folder`` (0 when there is none)."""
    pattern = re.compile(rf"{re.escape(prefix)}_(\d+)")
    taken = [int(m.group(1)) + 1 for p in folder.glob(f"{prefix}*") if (m := pattern.match(p.stem))]
    return max(taken, default=0 if not (folder / f"{prefix}.png").exists() else 1)


def image_for_display(config: Config, image: np.ndarray) -> np.ndarray:
    """A model image as ``[frequency, time]`` for a plot (the canonical's is stored time-first)."""
    return image[..., 0].T if config.model == "specgan" else image[..., 0]
