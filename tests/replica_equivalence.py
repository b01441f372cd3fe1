"""Train every adversarial strategy on one replica and on two (MirroredStrategy over two
logical CPUs) from the same weights, data and seeds; print, as JSON, each case's largest
weight difference and its metrics. Run as a script (the logical devices must be set up
before TensorFlow runs anything); tests/test_distribute.py reads its output."""

from __future__ import annotations

import json
import sys

import keras
import numpy as np
import tensorflow as tf

from gansig.layers import batch_norm
from gansig.training import AdversarialModel, Strategy, distribute

LABELS = 3
CASES = {
    "bce, content loss, batch norm": dict(strategy=Strategy(content_loss="mse", content_weight=10.0), norm=True),
    "lsgan, 2 generator steps, partner in inference mode, smoothing": dict(strategy=Strategy(
        gan_loss="lsgan", generator_steps=2, partner_inference_mode=True, label_smoothing=0.1, fake_label=0.05,
        content_weight=1.0)),
    "wgan-gp, 2 critic steps, uniform latents": dict(strategy=Strategy(
        gan_loss="wgan", gradient_penalty=10.0, critic_steps=2, latent_dim=4, latent_distribution="uniform",
        content_loss="none")),
    "discriminator skipping with forced updates": dict(strategy=Strategy(
        content_weight=1.0, d_skip_below=1.0, d_skip_max=2)),
    "generator-only warm-up": dict(strategy=Strategy(content_weight=1.0, warmup_epochs=1)),
    "clipping, instance noise, feature matching": dict(strategy=Strategy(
        content_weight=1.0, clip_norm=0.05, instance_noise=0.3, feature_matching_weight=1.0), features=True),
    "report: labels, dynamic weighting, one-sided penalty, clip value": dict(strategy=Strategy(
        latent_dim=4, content_loss="none", dynamic_weighting=True, gradient_penalty=25.0, penalty="one-sided",
        instance_noise=0.02, label_smoothing=0.1, generator_steps=2, clip_value=0.01), labels=True),
}


def networks(case: dict) -> tuple[keras.Model, keras.Model]:
    s: Strategy = case["strategy"]
    latent = keras.Input((s.latent_dim or 8,))
    inputs = [latent]
    # A bias before batch norm has no gradient but rounding noise, which Adam would amplify.
    x = keras.layers.Dense(8, use_bias=not case.get("norm"))(latent)
    if case.get("labels"):
        label = keras.Input((), dtype="int32")
        inputs.append(label)
        x = x + keras.layers.Embedding(LABELS, 8)(label)
    if case.get("norm"):
        x = batch_norm()(x)
    g = keras.Model(inputs, keras.layers.Dense(8)(x))
    sample = keras.Input((8,))
    d_inputs = [sample]
    h = keras.layers.Dense(4, activation="tanh")(sample)
    if case.get("labels"):
        d_label = keras.Input((), dtype="int32")
        d_inputs.append(d_label)
        h = h + keras.layers.Embedding(LABELS, 4)(d_label)
    score = keras.layers.Dense(1, activation=None if s.gan_loss == "wgan" else "sigmoid")(h)
    d = keras.Model(d_inputs, {"scores": [score], "features": [h]} if case.get("features") else score)
    return g, d


def train(case: dict, weights: list | None) -> tuple[AdversarialModel, dict]:
    with distribute.scope():
        keras.utils.set_random_seed(1)
        g, d = networks(case)
        if weights is not None:
            g.set_weights(weights[0])
            d.set_weights(weights[1])
        model = AdversarialModel(g, d, case["strategy"])
        model.compile(keras.optimizers.Adam(1e-2), keras.optimizers.Adam(1e-2, beta_1=0.5))
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 8)).astype(np.float32)
    if case["strategy"].latent_dim is None:
        data = (x, (2.0 * x + 1.0).astype(np.float32))
    else:
        data = (x, rng.integers(0, LABELS, 64).astype(np.int32)) if case.get("labels") else x
    dataset = tf.data.Dataset.from_tensor_slices(data).batch(16)
    history = model.fit(dataset, epochs=2, verbose=0, callbacks=model.callbacks()).history
    return model, {k: [float(v) for v in values] for k, values in history.items()}


def main() -> None:
    results = {}
    for name, case in CASES.items():
        keras.utils.set_random_seed(1)
        start = [network.get_weights() for network in networks(case)]
        distribute.choose("one")
        one, one_history = train(case, start)
        assert distribute.choose("mirrored").num_replicas_in_sync == 2
        two, two_history = train(case, start)
        ones = one.generator.get_weights() + one.discriminator.get_weights()
        twos = two.generator.get_weights() + two.discriminator.get_weights()
        results[name] = {
            "difference": max(float(np.max(np.abs(a - b))) for a, b in zip(ones, twos, strict=True)),
            "moved": max(float(np.max(np.abs(a - b))) for a, b in zip(ones, start[0] + start[1], strict=True)),
            "one": one_history, "two": two_history}
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    cpu = tf.config.list_physical_devices("CPU")[0]  # two logical CPUs, before TensorFlow starts
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    main()
