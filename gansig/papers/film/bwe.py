"""The gansig row (beyond the thesis): a band predictor over the kept input.

What the thesis's generators lacked, this one has by construction: it never touches the
band the recording kept. It predicts only the missing band's log power (log10 |X|^2, floor
1e-8: the scale of the bandwidth-extension LSD) from the whole spectrum, frame by frame with
time context (a 1-D convolutional network over frames, the bins as channels); the kept bins
are passed through with their own phases, the restored bins get their phases from Griffin-
Lim iterations with the kept bins held fixed. Trained through the shared AdversarialModel
on the L1 error of the log power; pix2pixHD's feature matching and a least-squares
adversarial term (its discriminator sees log-power spectra) are config fields, off by
default (measured worse at CPU budgets: papers/film/README.md).
"""

from __future__ import annotations

import keras
import numpy as np
from keras import layers

from gansig.data import features, inverse
from gansig.data.pipeline import paired_dataset
from gansig.papers.film.config import Config
from gansig.training import AdversarialModel, Strategy, distribute, standard_callbacks

FLOOR = 1e-8    # power floor of the log spectra (the BWE-standard LSD's)
SCALE = 4.0     # log10 power / SCALE: the networks' range


def log_power(x: np.ndarray, config: Config) -> tuple[np.ndarray, np.ndarray]:
    """``(log10 power / SCALE, complex STFT)`` of a waveform, ``[frames, bins]`` each."""
    spec = features.stft(np.asarray(x, np.float32), config.n_fft, config.hop).numpy()[0]
    return (np.log10(np.maximum(np.abs(spec) ** 2, FLOOR)) / SCALE).astype(np.float32), spec


def missing_bins(config: Config, cutoff_hz: float) -> np.ndarray:
    """``[bins]`` True above the cut-off."""
    return np.fft.rfftfreq(config.n_fft, 1.0 / config.rate) > cutoff_hz


@keras.saving.register_keras_serializable(package="gansig")
class KeepBand(layers.Layer):
    """``where(missing, predicted, input)``: the kept band passes through untouched."""

    def call(self, inputs):
        given, predicted, missing = inputs
        return missing * predicted + (1.0 - missing) * given


def generator(config: Config) -> keras.Model:
    """``[frames, bins]`` damaged log power and ``[frames, bins]`` missing-band mask ->
    ``[frames, bins]`` restored log power (the kept band unchanged)."""
    bins = config.n_fft // 2 + 1
    given, missing = keras.Input((None, bins), name="log_power"), keras.Input((None, bins), name="missing")
    x = layers.Concatenate()([given, missing])
    x = layers.Conv1D(config.bwe_channels, 5, padding="same", name="stem")(x)
    for i in range(config.bwe_blocks):
        h = layers.LeakyReLU(0.2)(x)
        h = layers.Conv1D(config.bwe_channels, 3, padding="same", dilation_rate=2**i, name=f"block{i + 1}_conv")(h)
        h = layers.LeakyReLU(0.2)(h)
        x = layers.Add()([x, layers.Conv1D(config.bwe_channels, 1, name=f"block{i + 1}_mix")(h)])
    predicted = layers.Conv1D(bins, 5, padding="same", name="band")(layers.LeakyReLU(0.2)(x))
    return keras.Model([given, missing], KeepBand(name="keep_band")([given, predicted, missing]),
                       name="gansig_band_predictor")


def discriminator(config: Config) -> keras.Model:
    """``[frames, bins]`` log power -> scores over time, with its features for matching."""
    bins = config.n_fft // 2 + 1
    x = inputs = keras.Input((None, bins), name="log_power")
    feats = []
    for i, c in enumerate((64, 128, 128), start=1):
        x = layers.LeakyReLU(0.2)(layers.Conv1D(c, 5, strides=2 if i < 3 else 1, padding="same", name=f"d{i}")(x))
        feats.append(x)
    scores = layers.Conv1D(1, 3, padding="same", name="score")(x)
    return keras.Model(inputs, {"scores": [scores], "features": feats}, name="gansig_band_critic")


def crops(log_in: np.ndarray, log_target: np.ndarray, frames: int, hop: int) -> tuple[np.ndarray, np.ndarray]:
    """Crops of ``frames`` frames, one every ``hop``, of aligned input and target spectra."""
    return inverse.frame(log_in, frames, hop, pad=False), inverse.frame(log_target, frames, hop, pad=False)


def train(config: Config, damaged: dict[float, np.ndarray], target: np.ndarray, *, seed: int = 0,
          work_dir=None, verbose: int | str = "auto") -> tuple[keras.Model, dict, float]:
    """Train the band predictor on the training part's damaged versions (the config's
    ``bwe_cutoffs_hz``) against the target's log power, and set the restored band's level.

    The level: an unpredictable band's waveform is uncorrelated with the truth, so every
    watt of it is also a watt of waveform error. With ``bwe_snr_budget_db`` the band is
    scaled so that, on the training audio, it costs at most that much waveform SNR (never
    boosted); without it, it is written at the predicted level.

    Returns:
        The generator (inputs ``[log_power, missing]``), the per-epoch history and the band's
        gain.
    """
    log_target, _ = log_power(target, config)
    inputs, targets, masks = [], [], []
    for cutoff in config.bwe_cutoffs_hz:
        log_in, _ = log_power(damaged[cutoff], config)
        a, b = crops(log_in, log_target, config.bwe_crop_frames, config.bwe_crop_hop)
        inputs.append(a)
        targets.append(b)
        masks.append(np.broadcast_to(missing_bins(config, cutoff), a.shape).astype(np.float32))
    x = np.concatenate([np.concatenate(inputs), np.concatenate(masks)], axis=-1)
    y = np.concatenate(targets)
    bins = config.n_fft // 2 + 1
    with distribute.scope():  # one device, or several (--strategy)
        g = generator(config)
        stacked = keras.Input((None, 2 * bins), name="log_power_and_mask")
        wrapper = keras.Model(stacked, g([stacked[..., :bins], stacked[..., bins:]]), name="band_predictor")
        # The content loss is taken over every bin; the kept ones are the input's, so they add
        # nothing to learn: the error is the missing band's.
        model = AdversarialModel(wrapper, discriminator(config), Strategy(
            gan_loss="lsgan", adversarial_weight=config.bwe_adversarial_weight, content_loss="l1",
            content_weight=1.0, feature_matching_weight=config.bwe_feature_matching_weight, clip_norm=1.0))
        model.compile(g_optimizer=keras.optimizers.Adam(config.bwe_learning_rate),
                      d_optimizer=keras.optimizers.Adam(config.bwe_learning_rate, beta_1=0.5))
        history = model.fit(paired_dataset(x, y, config.bwe_batch_size, shuffle=True, seed=seed),
                            epochs=config.bwe_epochs, verbose=verbose, shuffle=False,  # the dataset reshuffles
                            callbacks=standard_callbacks(work_dir))
    return g, history.history, band_gain(config, wrapper.predict(x, verbose=0), y, x[..., bins:] > 0.5)


def band_gain(config: Config, predicted: np.ndarray, target: np.ndarray, missing: np.ndarray) -> float:
    """The restored band's gain for ``bwe_snr_budget_db``: ``g^2 r <= 10^(budget/10) - 1``,
    ``r`` the restored band's power over the true band's (the damaged input's whole error)."""
    if config.bwe_snr_budget_db is None:
        return 1.0
    ratio = float(np.sum(10 ** (SCALE * predicted[missing])) / max(np.sum(10 ** (SCALE * target[missing])), 1e-30))
    return float(min(1.0, np.sqrt((10 ** (config.bwe_snr_budget_db / 10) - 1) / max(ratio, 1e-12))))


def restore(g: keras.Model, x: np.ndarray, config: Config, cutoff_hz: float, gain: float = 1.0,
            seed: int = 0) -> np.ndarray:
    """Restore one block of damaged audio at the config's rate: the kept band as it is, the
    missing band's log power predicted (times ``gain`` in amplitude), its phases by
    Griffin-Lim with the kept bins fixed."""
    log_in, spec = log_power(x, config)
    missing = missing_bins(config, cutoff_hz)
    mask = np.broadcast_to(missing, log_in.shape).astype(np.float32)
    log_out = g.predict([log_in[None], mask[None]], verbose=0)[0]
    # No restored bin louder than the frame's strongest kept bin (a guard against outliers).
    ceiling = log_in[:, ~missing].max(axis=1, keepdims=True) if np.any(~missing) else log_in.max()
    magnitude = gain * np.sqrt(10 ** (SCALE * np.minimum(log_out[:, missing], ceiling)))
    full = spec.copy()
    full[:, missing] = magnitude * np.exp(2j * np.pi * np.random.default_rng(seed).random(magnitude.shape))
    for _ in range(config.bwe_phase_iters):
        y = features.inverse_stft(full[None], config.n_fft, config.hop, length=len(x)).numpy()[0]
        rebuilt = features.stft(y, config.n_fft, config.hop).numpy()[0][:, missing]
        full[:, missing] = magnitude * rebuilt / np.maximum(np.abs(rebuilt), 1e-12)
    return features.inverse_stft(full[None], config.n_fft, config.hop, length=len(x)).numpy()[0].astype(np.float32)
