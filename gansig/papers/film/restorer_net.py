"""The gansig restorer (beyond the thesis): damaged sound in, the clean original out.

It works on the log power of the STFT (log10 |X|^2, floor 1e-8: the scale of the
bandwidth-extension LSD), frame by frame with time context (a 1-D convolutional network
over frames, the bins as channels, dilated residual blocks). Given the damaged spectrum and
which bins lie above the cut, it predicts the clean log power of every bin:

- **the kept band** denoised: each bin through a soft gate (a predicted threshold and
  depth, at most ``restorer_max_drop_db`` down) on its own power, its phase kept, so the
  bins the sound dominates pass unchanged;
- **the missing band** from scratch, its phases from Griffin-Lim iterations with the kept
  bins held fixed.

It is trained on the L1 error of the log power against the *clean* recording, through the
shared AdversarialModel (its adversarial and feature-matching terms are config fields, 0
by default), on film-restore's clips with a damage drawn per example (cut-off, filter,
noise level, noise before or after the cut, level: :func:`damage.random_damage`), and the
cut-off found as the tool finds it (:func:`gansig.baselines.detect_cutoff`).

The restored band's level. A predicted band is uncorrelated with the true one, so every
watt of it is also a watt of waveform error. Per block, the band is written at the gain
whose estimated cost is ``restorer_snr_budget_db`` of SNR against the damaged input's, the
energy the denoiser removed counted as won back (:func:`restoring.band_gain`); ``strength``
moves between the input unchanged (0), that default (1) and the band at its predicted level
(2). The restoration itself (spectra, level, phases) is :mod:`gansig.papers.film.restoring`:
it needs no TensorFlow.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import keras
import numpy as np
import tensorflow as tf
from keras import layers

from gansig.baselines import detect_cutoff
from gansig.errors import ConfigError
from gansig.papers.film.config import Config
from gansig.papers.film.damage import random_damage
from gansig.papers.film.restoring import SCALE, band_magnitude, first_missing_bin, log_power, missing_mask
from gansig.training import AdversarialModel, Strategy, distribute, standard_callbacks


@keras.saving.register_keras_serializable(package="gansig")
class DenoisedOrPredicted(layers.Layer):
    """The restored log power. Above the cut: the predicted band. Below it: each input bin
    through a soft gate, lowered by a predicted depth (at most ``max_drop``) where its own
    power lies below a predicted threshold (a transition of about 18 dB), so the bins the
    sound dominates pass unchanged whatever the network's resolution."""

    SHARPNESS = 10.0  # per unit of log10 power / SCALE (40 dB): 10 % -> 90 % over about 18 dB

    def __init__(self, max_drop: float, **kwargs):
        super().__init__(**kwargs)
        self.max_drop = float(max_drop)

    def call(self, inputs):
        given, band, threshold, depth, missing = inputs
        drop = self.max_drop * keras.ops.sigmoid(depth) * keras.ops.sigmoid(self.SHARPNESS * (threshold - given))
        return missing * band + (1.0 - missing) * (given - drop)

    def get_config(self) -> dict:
        return {**super().get_config(), "max_drop": self.max_drop}


def generator(config: Config) -> keras.Model:
    """``[frames, bins]`` damaged log power and ``[frames, bins]`` missing-band mask ->
    ``[frames, bins]`` restored log power."""
    bins = config.n_fft // 2 + 1
    given, missing = keras.Input((None, bins), name="log_power"), keras.Input((None, bins), name="missing")
    x = layers.Concatenate()([given, missing])
    x = layers.Conv1D(config.restorer_channels, 5, padding="same", name="stem")(x)
    for i in range(config.restorer_blocks):
        h = layers.LeakyReLU(0.2)(x)
        h = layers.Conv1D(config.restorer_channels, 3, padding="same", dilation_rate=2**i, name=f"block{i + 1}_conv")(h)
        h = layers.LeakyReLU(0.2)(h)
        x = layers.Add()([x, layers.Conv1D(config.restorer_channels, 1, name=f"block{i + 1}_mix")(h)])
    x = layers.LeakyReLU(0.2)(x)
    # The gate starts open-ish (threshold near a -70 dBFS-per-bin floor, a few dB deep), so
    # neither of its sigmoids starts saturated.
    heads = [layers.Conv1D(bins, 5, padding="same", name=name, bias_initializer=keras.initializers.Constant(bias))(x)
             for name, bias in (("band", 0.0), ("gate_threshold", -0.5), ("gate_depth", -1.0))]
    restored = DenoisedOrPredicted(config.restorer_max_drop_db / 10 / SCALE, name="denoised_or_predicted")(
        [given, *heads, missing])
    return keras.Model([given, missing], restored, name="gansig_restorer")


def discriminator(config: Config) -> keras.Model:
    """``[frames, bins]`` log power -> scores over time, with its features for matching."""
    bins = config.n_fft // 2 + 1
    x = inputs = keras.Input((None, bins), name="log_power")
    feats = []
    for i, c in enumerate((64, 128, 128), start=1):
        x = layers.LeakyReLU(0.2)(layers.Conv1D(c, 5, strides=2 if i < 3 else 1, padding="same", name=f"d{i}")(x))
        feats.append(x)
    scores = layers.Conv1D(1, 3, padding="same", name="score")(x)
    return keras.Model(inputs, {"scores": [scores], "features": feats}, name="gansig_restorer_critic")


def training_examples(clips: Sequence[np.ndarray], config: Config, seed: int
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list]:
    """Each clean clip damaged once, as drawn for it from ``seed`` and its index.

    Returns:
        ``(damaged log power [clips, frames, bins], first missing bin [clips] (as the
        tool detects it), clean log power [clips, frames, bins], the damages)``; the clips
        are cut to the shortest.
    """
    n = min(len(c) for c in clips)
    inputs, firsts, targets, damages = [], [], [], []
    for i, clean in enumerate(clips):
        rng = np.random.default_rng([seed, i])
        damage = random_damage(config, rng)
        lo, hi = config.restorer_level_range_db
        clean = np.asarray(clean[:n], np.float32) * np.float32(10 ** (rng.uniform(lo, hi) / 20))
        x = damage.apply(clean, config.rate, rng)
        inputs.append(log_power(x, config)[0])
        targets.append(log_power(clean, config)[0])
        firsts.append(first_missing_bin(config, detect_cutoff(x, config.rate, n_fft=config.n_fft)))
        damages.append(damage)
    return np.stack(inputs), np.asarray(firsts), np.stack(targets), damages


def crop_batches(inputs: np.ndarray, firsts: np.ndarray, targets: np.ndarray, config: Config,
                 seed: int) -> tuple[tf.data.Dataset, int]:
    """Endless batches of ``restorer_crop_frames``-frame crops, ``([log power | mask],
    clean log power)``: each epoch every clip cut from a random phase into abutting crops,
    all shuffled (from ``seed`` and the epoch).

    Returns:
        The dataset and the steps of one epoch.

    Raises:
        ConfigError: the clips are shorter than two crops.
    """
    frames, bins = config.restorer_crop_frames, inputs.shape[-1]
    per_clip = (inputs.shape[1] - frames) // frames  # one crop fewer than fits, for the phase
    if per_clip < 1:
        raise ConfigError(f"restorer_crop_frames={frames}: the clips ({inputs.shape[1]} frames) hold fewer than two "
                          "crops; make the crops shorter")
    steps = max(1, len(inputs) * per_clip // config.restorer_batch_size)

    def generate() -> Iterator[tuple[np.ndarray, np.ndarray]]:
        for epoch in range(1 << 30):
            rng = np.random.default_rng([seed, epoch, 1])
            picks = [(c, int(rng.integers(frames)) + k * frames) for c in range(len(inputs)) for k in range(per_clip)]
            for j in rng.permutation(len(picks))[: steps * config.restorer_batch_size]:
                c, start = picks[j]
                mask = missing_mask(config, firsts[c], frames)
                yield np.concatenate([inputs[c, start:start + frames], mask], -1), targets[c, start:start + frames]

    spec = (tf.TensorSpec((frames, 2 * bins), tf.float32), tf.TensorSpec((frames, bins), tf.float32))
    dataset = tf.data.Dataset.from_generator(generate, output_signature=spec)
    return dataset.batch(config.restorer_batch_size).prefetch(tf.data.AUTOTUNE), steps


def train(config: Config, clips: Sequence[np.ndarray], *, seed: int = 0, work_dir=None,
          verbose: int | str = "auto") -> tuple[keras.Model, dict, float]:
    """Train the restorer on clean clips (each damaged as drawn for it).

    Returns:
        The generator (inputs ``[log_power, missing]``), the per-epoch history and its band
        energy ratio on the training examples (:func:`band_energy_ratio`).
    """
    inputs, firsts, targets, _ = training_examples(clips, config, seed)
    dataset, steps = crop_batches(inputs, firsts, targets, config, seed)
    bins = config.n_fft // 2 + 1
    with distribute.scope():  # one device, or several (--strategy)
        g = generator(config)
        stacked = keras.Input((None, 2 * bins), name="log_power_and_mask")
        wrapper = keras.Model(stacked, g([stacked[..., :bins], stacked[..., bins:]]), name="restorer")
        model = AdversarialModel(wrapper, discriminator(config), Strategy(
            gan_loss="lsgan", adversarial_weight=config.restorer_adversarial_weight, content_loss="l1",
            content_weight=1.0, feature_matching_weight=config.restorer_feature_matching_weight, clip_norm=1.0))
        model.compile(g_optimizer=keras.optimizers.Adam(config.restorer_learning_rate),
                      d_optimizer=keras.optimizers.Adam(config.restorer_learning_rate, beta_1=0.5))
        history = model.fit(dataset, steps_per_epoch=steps, epochs=config.restorer_epochs, verbose=verbose,
                            shuffle=False, callbacks=standard_callbacks(work_dir))
    return g, history.history, band_energy_ratio(g, inputs, firsts, targets, config)


def band_energy_ratio(g: keras.Model, inputs: np.ndarray, firsts: np.ndarray, targets: np.ndarray,
                      config: Config) -> float:
    """The predicted band's energy over the true band's, summed over examples: how far the
    band's level (predicted in the log domain, where its errors are symmetric) misstates its
    energy, which :func:`restoring.band_gain` corrects for."""
    predicted = true = 0.0
    for i in range(len(inputs)):
        first = int(firsts[i])
        if first >= inputs.shape[-1]:
            continue
        out = g.predict([inputs[i:i + 1], missing_mask(config, first, inputs.shape[1])[None]], verbose=0)[0]
        predicted += float(np.sum(band_magnitude(inputs[i], out, first) ** 2))
        true += float(np.sum(10 ** (SCALE * targets[i][:, first:])))
    return predicted / true if true > 0 else 1.0
