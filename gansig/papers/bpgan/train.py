"""Training a codec: BPGAN's encoder, quantiser and generator against the multi-scale
discriminator with the shared AdversarialModel (least-squares GAN loss + feature matching
+ MSE), then (where the config says so) the distilled encoder the search starts from
(:mod:`.distil`), then the range coder's context model (:func:`trained_codec`).

Schedule: the first third of the epochs without quantisation; then the 16 centres are set
by k-means on the encoder's outputs and quantisation is soft with the temperature rising
from 1 to 101; the last quarter of the epochs is hard (straight-through). The learning
rate falls linearly to zero over the last ``lr_decay_epochs`` (the original's schedule).

Nothing is trained twice: the networks are kept the moment training ends, the codec the
moment its context model is fitted, both beside the checkpoints of their config, seed,
code and training audio; a later run with the same uses them (and says so).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import keras
import numpy as np

from gansig.data.corpora import AudioItem, load_folder
from gansig.data.pipeline import paired_dataset
from gansig.errors import ConfigError, DataError, ModelError
from gansig.fileio import write_text
from gansig.papers.bpgan import admm, data, distil, frontend, models
from gansig.papers.bpgan.codec import Codec, build_codec, unfitted_codec
from gansig.papers.bpgan.config import PROFILES, Config
from gansig.papers.bpgan.models import SoftToHardQuantizer
from gansig.papers.bpgan.quantize import kmeans_centres
from gansig.reproduction import Run, Trained, data_digest, start
from gansig.training import AdversarialModel, LinearDecay, Strategy, distribute, standard_callbacks

ORIGIN = "origin.json"  # beside a kept codec, written last: the run that made it and its training history


def codec_network(config: Config) -> tuple[keras.Model, keras.Model, keras.Model, SoftToHardQuantizer]:
    """``patch -> encoder -> quantiser -> generator -> patch`` and its three parts."""
    encoder, generator = models.encoder(config), models.generator(config)
    quantizer = SoftToHardQuantizer(np.linspace(0, 1, config.levels), name="quantizer")
    inputs = keras.Input(encoder.input_shape[1:], name="patch")
    outputs = generator(quantizer(encoder(inputs)))
    return keras.Model(inputs, outputs, name="bpgan"), encoder, generator, quantizer


class QuantizerSchedule(keras.callbacks.Callback):
    """Switch quantisation on after ``plain_epochs`` (centres by k-means on encoder outputs
    of ``sample``), ramp the temperature, and go hard for the last ``hard_epochs``."""

    def __init__(self, config: Config, encoder: keras.Model, quantizer: SoftToHardQuantizer,
                 sample: np.ndarray, plain_epochs: int, hard_epochs: int):
        super().__init__()
        self.config, self.encoder, self.quantizer, self.sample = config, encoder, quantizer, sample
        self.plain_epochs, self.hard_epochs = plain_epochs, hard_epochs

    def on_epoch_begin(self, epoch, logs=None):
        c, q = self.config, self.quantizer
        if epoch < self.plain_epochs:
            q.active.assign(0.0)
            return
        if epoch == self.plain_epochs or not float(q.active.numpy()):
            outputs = self.encoder.predict(self.sample, batch_size=64, verbose=0)
            q.centres.assign(kmeans_centres(outputs, c.levels))
            q.active.assign(1.0)
        soft_epochs = max(1, c.epochs - self.plain_epochs - self.hard_epochs)
        progress = min(1.0, (epoch - self.plain_epochs) / soft_epochs)
        q.temperature.assign(c.temperature_start + progress * (c.temperature_end - c.temperature_start))
        q.hard.assign(1.0 if epoch >= c.epochs - self.hard_epochs else 0.0)


def train(config: Config, patches: np.ndarray, val_patches: np.ndarray, *, seed: int = 0,
          work_dir: Path | None = None, verbose: int | str = "auto") -> tuple[dict, dict]:
    """Train the networks (resumable state in ``work_dir``) and return ``({"encoder",
    "generator", "quantizer", "model"}, history)``."""
    with distribute.scope():  # one device, or several (--strategy)
        network, encoder, generator, quantizer = codec_network(config)
        model = AdversarialModel(network, models.discriminator(config), Strategy(
            gan_loss="lsgan", adversarial_weight=config.adversarial_weight, content_weight=config.mse_weight,
            content_loss=admm.level_weighted_mse(config.train_level_power) if config.train_level_power else "mse",
            feature_matching_weight=config.feature_matching_weight, warmup_epochs=config.gan_warmup_epochs))
        model.compile(g_optimizer=keras.optimizers.Adam(config.learning_rate, beta_1=config.beta_1),
                      d_optimizer=keras.optimizers.Adam(config.learning_rate, beta_1=config.beta_1))
        plain = config.epochs // 3
        hard = max(1, config.epochs // 4) if config.epochs > 1 else 0
        rng = np.random.default_rng(seed)
        sample = patches[rng.choice(len(patches), size=min(len(patches), 256), replace=False)]
        schedules = [QuantizerSchedule(config, encoder, quantizer, sample, plain, hard),
                     LinearDecay(config.epochs, min(config.lr_decay_epochs, config.epochs))]
        history = model.fit(
            paired_dataset(patches, patches, config.batch_size, shuffle=True, seed=seed),
            validation_data=paired_dataset(val_patches, val_patches, config.batch_size),
            epochs=config.epochs, verbose=verbose, shuffle=False,
            callbacks=schedules + model.callbacks() + standard_callbacks(work_dir))
    if not float(quantizer.active.numpy()):  # a run too short to reach the quantised phase
        quantizer.centres.assign(kmeans_centres(encoder.predict(sample, verbose=0), config.levels))
        quantizer.active.assign(1.0)
    quantizer.hard.assign(1.0)
    return {"encoder": encoder, "generator": generator, "quantizer": quantizer, "model": model}, history.history


def trained_codec(run: Run, items: list[AudioItem], source: str, verbose: int | str = "auto") -> tuple[Codec, dict]:
    """The codec of ``run``'s config and seed trained on ``items``, saved to
    ``run.out / "models" / "codec"``: kept from an earlier run where one finished on the
    same audio with the same code, else trained (networks, then the context model fitted
    on the ADMM codes of training patches).

    Returns:
        The codec and the per-epoch training history.

    Raises:
        DataError: fewer patches than validation needs plus one training batch.
    """
    config: Config = run.config
    folder = run.work_dir_of(config, data_digest(sorted(i.path for i in items)))
    kept = _kept_codec(run, folder / "codec")
    if kept is not None:
        codec, origin = kept
        run.table.notes.append(f"The codec was trained on {source} by an earlier run with this config, seed and "
                               f"code (git {origin.get('git_sha')}, started {origin.get('started')}); this run "
                               "scored it.")
        history = origin.get("history", {})
    else:
        patches, val = _training_patches(run, items, source)

        def networks(checkpoints: Path) -> Trained:
            run.log(f"training on {len(patches)} patches for {config.epochs} epochs")
            parts, history = train(config, patches, val, seed=run.seed, work_dir=checkpoints, verbose=verbose)
            return Trained({"encoder": parts["encoder"], "generator": parts["generator"]}, history,
                           {"centres": parts["quantizer"].centres.numpy().tolist()})

        nets, history, extra = run.trained("networks", networks, work_dir=folder)
        centres = np.asarray(extra["centres"], np.float32)
        distilled = None
        if config.search_start == "distilled":  # kept on its own too: a later failure does not train it again

            def distillation(_: Path) -> Trained:
                student, distil_history = distilled_encoder(nets["encoder"], nets["generator"], centres,
                                                            patches[..., 0], config, seed=run.seed, verbose=verbose,
                                                            log=run.log)
                return Trained({"distilled": student}, distil_history)

            kept = run.trained("distilled", distillation, work_dir=folder)
            distilled = kept.networks["distilled"]
            history = {**history, **{f"distil_{k}": v for k, v in kept.history.items()}}
        codec, _ = assemble(nets["encoder"], nets["generator"], centres, patches[..., 0], config, distilled=distilled,
                            log=run.log)
        (folder / "codec" / ORIGIN).unlink(missing_ok=True)
        codec.save(folder / "codec", export=False)
        write_text(folder / "codec" / ORIGIN, json.dumps({"source": source, "history": history, **{
            k: run.table.provenance.get(k) for k in ("git_sha", "started")}}))
    codec.save(run.out / "models" / "codec")
    return codec, history


def distilled_encoder(encoder: keras.Model, generator: keras.Model, centres: np.ndarray, patches: np.ndarray,
                      config: Config, *, seed: int = 0, verbose: int | str = "auto",
                      log: Callable[[str], None] = lambda _: None) -> tuple[keras.Model, dict]:
    """The encoder distilled from the search of trained networks (:mod:`.distil`), on the
    first ``config.distil_patches`` of the training ``patches`` ``[n, 128, 128]``.

    Returns:
        The distilled encoder and its per-epoch training history.
    """
    n = min(config.distil_patches, len(patches))
    log(f"distilling the search into an encoder: the codes of {n} training patches ({config.admm_iterations} "
        f"iterations from E), then {config.distil_epochs} epochs")
    return distil.distil(unfitted_codec(encoder, generator, centres, config), patches[:n], seed=seed, verbose=verbose)


def assemble(encoder: keras.Model, generator: keras.Model, centres: np.ndarray, patches: np.ndarray, config: Config,
             *, distilled: keras.Model | None = None, seed: int = 0, verbose: int | str = "auto",
             log: Callable[[str], None] = lambda _: None) -> tuple[Codec, dict]:
    """The codec of trained networks: its distilled encoder where ``config.search_start``
    asks for one (``distilled``, or trained here: :func:`distilled_encoder`), then its range
    coder's model, fitted on the codes its own search finds on the first
    ``config.entropy_fit_patches`` training patches.

    Args:
        encoder, generator, centres: the trained networks and quantiser centres.
        patches: ``[n, 128, 128]`` training patches.
        config: the codec's config.
        distilled: a distilled encoder trained earlier (None: train one where needed).
        seed: shuffles the distillation's batches.
        verbose: Keras ``fit`` verbosity.
        log: where progress is said.

    Returns:
        The codec and the history of a distillation run here (else empty).
    """
    history = {}
    if config.search_start == "distilled" and distilled is None:
        distilled, history = distilled_encoder(encoder, generator, centres, patches, config, seed=seed,
                                               verbose=verbose, log=log)
    log(f"fitting the entropy coder's context model on the codes its search finds on {config.entropy_fit_patches} "
        "training patches")
    return build_codec(encoder, generator, centres, patches[: config.entropy_fit_patches], config, distilled), history


def _training_patches(run: Run, items: list[AudioItem], source: str) -> tuple[np.ndarray, np.ndarray]:
    """``(training, validation)`` patches of ``items``, shuffled by the seed.

    Raises:
        DataError: too few for the validation set and one batch.
    """
    config: Config = run.config
    run.log(f"loading {source} and cutting training patches")
    limit = None if config.train_patches is None else config.train_patches + config.val_patches
    patches = data.training_patches(items, config.train_stride_frames, limit, seed=run.seed)
    needed = config.val_patches + config.batch_size
    if len(patches) < needed:
        seconds = ((needed - 1) * config.train_stride_frames + frontend.PATCH) * frontend.HOP / frontend.RATE
        raise DataError(f"{source}: {len(items)} audio file(s) give {len(patches)} training patch(es) of 1.024 s; "
                        f"the {run.table.profile} profile needs at least {needed} ({config.val_patches} for "
                        f"validation and a batch of {config.batch_size}), about {seconds:.0f} s of audio")
    patches = patches[np.random.default_rng(run.seed).permutation(len(patches))]
    return patches[config.val_patches:], patches[: config.val_patches]


def _kept_codec(run: Run, kept: Path) -> tuple[Codec, dict] | None:
    """The codec an earlier run left in ``kept`` and its ``origin.json`` (None: there is
    none, or it cannot be used, so train)."""
    try:
        origin = json.loads((kept / ORIGIN).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    try:
        codec = Codec.load(kept, keras=True)
    except ModelError as exc:
        run.log(f"the codec kept from an earlier run cannot be used ({exc}); training again")
        return None
    run.log(f"using the codec this config, seed and code trained on this audio earlier ({kept}; delete it to "
            "train again)")
    return codec, origin if isinstance(origin, dict) else {}


def train_codec(profile: str = "quick", out_dir: str | Path | None = None, seed: int = 0,
                verbose: int | str = "auto", timit: str | Path | None = None, audio: str | Path | None = None,
                **overrides) -> Path:
    """Train a codec and save it, without scoring it: on a folder of the user's own audio,
    on TIMIT, or on speech-default (the model ``reproduce`` trains before it scores).

    Args:
        profile: ``"paper"`` (GPU), ``"quick"`` (default) or ``"smoke"``.
        out_dir: results directory (default ``results/bpgan/PROFILE``); the codec goes to
            ``OUT/models/codec``, the checkpoints a killed run resumes from to ``OUT/checkpoints``.
        seed: seed of everything.
        verbose: Keras ``fit`` verbosity.
        timit: a TIMIT copy to train on (its training split).
        audio: a folder of audio files (any format, rate and length, searched recursively).
        **overrides: config fields to change.

    Returns:
        The codec's folder (what ``encode --model`` takes).

    Raises:
        DataError: the folder holds no audio, or too little of it.
        AudioError: a file in it cannot be read.
    """
    if timit is not None and audio is not None:
        raise ConfigError("train on TIMIT or on a folder of audio, not both")
    source = str(audio) if audio is not None else "TIMIT" if timit is not None else "speech-default"
    run = start("bpgan", PROFILES, profile, out_dir, seed, source, overrides)
    items = load_folder(audio) if audio is not None else data.utterances("train", timit)
    trained_codec(run, items, source, verbose)
    return run.commit() / "models" / "codec"
