"""BPGAN's codec plumbing: front end, quantiser, entropy coder, file format."""

import numpy as np
import pytest
from helpers import speech_like

from gansig import metrics
from gansig.errors import BitstreamError
from gansig.papers.bpgan import bitstream, entropy, frontend, quantize


@pytest.fixture(scope="module")
def voiced():
    return speech_like(2.5, frontend.RATE, level_dbfs=None) * 0.2


def test_front_end_patches_and_round_trip(voiced):
    patches, norm = frontend.analyse(voiced)
    assert patches.shape == (3, 128, 128) and patches.min() >= -1 and patches.max() <= 1
    assert norm.n_samples == len(voiced)
    rebuilt = frontend.synthesise(patches, norm)
    assert rebuilt.shape == voiced.shape
    assert metrics.pesq(voiced, rebuilt, frontend.RATE, "wb") > 3.5  # the front end is not the bottleneck
    for nothing in (np.zeros(100), np.full(100, 0.3), np.zeros(0), np.ones(1)):
        with pytest.raises(ValueError, match="silent or constant"):
            frontend.analyse(nothing)


def test_long_signals_are_rebuilt_in_blocks_that_join_smoothly(voiced):
    patches, norm = frontend.analyse(voiced)
    whole = frontend.synthesise(patches, norm)
    blocks = frontend.synthesise(patches, norm, block_frames=frontend.PATCH)  # joins at 1.024 s and 2.048 s
    assert blocks.shape == whole.shape
    assert metrics.pesq(voiced, blocks, frontend.RATE, "wb") > metrics.pesq(voiced, whole, frontend.RATE, "wb") - 0.1
    rms = lambda x: np.sqrt(np.mean(np.square(x)))  # noqa: E731
    for join in (1, 2):  # the cross-fade neither doubles nor cancels the level
        around = slice(join * frontend.PATCH * frontend.HOP - frontend.GL_FADE,
                       join * frontend.PATCH * frontend.HOP + frontend.GL_FADE)
        assert 0.8 < rms(blocks[around]) / rms(voiced[around]) < 1.25


@pytest.mark.parametrize("n", [2, 127, 128, 129, 16256, 16257, 16384, 40000])
def test_patches_cover_the_frames_that_cover_the_signal(n):
    x = np.random.default_rng(n).normal(size=n).astype(np.float32)
    patches, _ = frontend.analyse(x)
    frames = frontend.n_frames(n)
    assert (frames - 1) * frontend.HOP >= n  # the last frame reaches the end
    assert len(patches) == -(-frames // frontend.PATCH)  # no patch more than the frames need


def test_kmeans_and_quantise():
    values = np.concatenate([np.full(100, 0.1), np.full(100, 0.5), np.full(100, 0.9)])
    centres = quantize.kmeans_centres(values + 1e-3 * np.random.default_rng(0).normal(size=300), k=3)
    np.testing.assert_allclose(centres, [0.1, 0.5, 0.9], atol=1e-3)
    symbols, q = quantize.quantise(np.array([0.0, 0.45, 0.8]), centres)
    assert symbols.tolist() == [0, 1, 2] and np.allclose(q, centres[[0, 1, 2]])
    with pytest.raises(ValueError):
        quantize.kmeans_centres(np.zeros(3), k=16)


def test_soft_to_hard_quantiser():
    layer = quantize.SoftToHardQuantizer([0.0, 1.0], temperature=1.0)
    z = np.array([[0.2, 0.7]], np.float32)
    soft = np.asarray(layer(z))
    assert 0.2 < soft[0, 0] < 0.5 and 0.5 < soft[0, 1] < 0.8  # a blend of the centres
    layer.hard.assign(1.0)
    np.testing.assert_allclose(np.asarray(layer(z)), [[0.0, 1.0]])
    layer.temperature.assign(1000.0)
    layer.hard.assign(0.0)
    np.testing.assert_allclose(np.asarray(layer(z)), [[0.0, 1.0]], atol=1e-3)  # hot enough: soft = hard


def markov_sequences(n, columns, rows, channels, stay, seed=0):
    """Symbols in [0, 5) that repeat the previous column's with probability ``stay``."""
    rng = np.random.default_rng(seed)
    s = rng.integers(0, 5, size=(n, columns, rows, channels))
    for t in range(1, columns):
        keep = rng.random(s[:, t].shape) < stay
        s[:, t] = np.where(keep, s[:, t - 1], s[:, t])
    return s


def test_context_model_round_trip_and_rate():
    train = markov_sequences(200, 20, 3, 2, stay=0.8)
    model = entropy.ContextModel.fit(train, 5)
    assert model.table.shape == (6, 6, 5) and np.allclose(model.table.sum(axis=2), 1)
    test = markov_sequences(1, 400, 3, 2, stay=0.8, seed=1)[0]
    data = model.encode(test)
    np.testing.assert_array_equal(model.decode(data, 400, 3, 2), test)
    # P(same) = 0.8 + 0.2/5, else 0.04 each: the conditional entropy, far below log2(5) = 2.32 bits.
    p_same = 0.84
    bits = (-(p_same * np.log2(p_same) + (1 - p_same) * np.log2((1 - p_same) / 4))) * test.size
    assert 8 * len(data) < 1.05 * bits + 64 < 0.6 * np.log2(5) * test.size
    assert model.ideal_bits(test) == pytest.approx(bits, rel=0.05)
    with pytest.raises(ValueError, match="lie in"):
        model.encode(np.full((1, 3, 2), 7))
    with pytest.raises(ValueError, match="columns, rows"):
        model.encode(np.zeros((4, 3), int))
    with pytest.raises(BitstreamError):
        model.decode(b"abc", 3, 3, 2)
    with pytest.raises(ValueError):
        entropy.ContextModel(np.ones((2, 5, 5)))


def header(**changes):
    fields = dict(sample_rate=44100, n_samples=16000, n_symbols=512, model_id=b"12345678", gain=1.5, offset=0.0,
                  mel_max=3.0)
    return bitstream.Header(**{**fields, **changes})


def test_bitstream_round_trip_and_size():
    data = bitstream.pack(header(), b"payload!")
    assert bitstream.HEADER_BYTES == 46 and len(data) == 50 + 8
    h, payload = bitstream.unpack(data, "x.bpg", model_id=b"12345678")
    assert h == header() and payload == b"payload!"


@pytest.mark.parametrize("mangle,message", [
    (lambda d: b"", "not a .bpg file"),
    (lambda d: b"RIFF" + d[4:], "not a .bpg file"),
    (lambda d: d[:20], "truncated"),
    (lambda d: d[:-3], "truncated"),
    (lambda d: d + b"\0", "trailing"),
    (lambda d: d[:30] + bytes([d[30] ^ 1]) + d[31:], "checksum"),
    (lambda d: d[:4] + b"\x03" + d[5:], "version 3"),
])
def test_bitstream_errors(mangle, message):
    data = bitstream.pack(header(), b"payload!")
    with pytest.raises(BitstreamError, match=message):
        bitstream.unpack(mangle(data), "x.bpg")


@pytest.mark.parametrize("field", ["sample_rate", "n_samples"])
def test_bitstream_without_audio(field):
    data = bitstream.pack(header(**{field: 0}), b"p")  # well formed, checksum right
    with pytest.raises(BitstreamError, match="holds no audio"):
        bitstream.unpack(data, "x.bpg")


def test_bitstream_from_another_model():
    data = bitstream.pack(header(), b"pppp")
    with pytest.raises(BitstreamError, match="made by model"):
        bitstream.unpack(data, "x.bpg", model_id=b"87654321")


@pytest.mark.parametrize("changes,message", [
    (dict(sample_rate=0xFFFFFFFF), "sample rate 4294967295 Hz is outside"),
    (dict(sample_rate=50), "sample rate 50 Hz"),
    (dict(n_samples=2**40), "more than 6 h"),
    (dict(n_symbols=0), "0 symbols"),
    (dict(n_symbols=20000), "20000 symbols for 16000 samples"),
    (dict(gain=0.0), "gain 0 is not"),
    (dict(gain=1e-30), "gain 1e-30 is not"),
    (dict(offset=1e6), r"offset 1e\+06 is not"),
    (dict(gain=float("nan")), "gain nan"),
    (dict(gain=float("inf")), "gain inf"),
    (dict(offset=1e30), "offset"),
    (dict(mel_max=-1.0), "mel maximum -1.0"),
])
def test_forged_headers_with_a_valid_checksum_are_refused(changes, message):
    data = bitstream.pack(header(**changes), b"pppp")  # well formed, checksum right
    with pytest.raises(BitstreamError, match=message) as refused:
        bitstream.unpack(data, "forged.bpg")
    assert str(refused.value).startswith("forged.bpg: ")


def _toy_generator_and_centres(seed: int):
    """A small seeded latent (6) -> output (40) network and 16 evenly spaced centres."""
    import keras

    keras.utils.set_random_seed(seed)
    generator = keras.Sequential([keras.Input((6,)), keras.layers.Dense(40, activation="tanh"),
                                  keras.layers.Dense(40)])
    return generator, np.linspace(0.05, 0.95, 16).astype(np.float32)


def test_admm_search_beats_quantising_the_initial_guess():
    from gansig.papers.bpgan import admm

    rng = np.random.default_rng(0)
    generator, centres = _toy_generator_and_centres(0)
    true_symbols = rng.integers(0, 16, size=(32, 6))
    targets = generator.predict(centres[true_symbols], verbose=0)
    z0 = np.clip(centres[true_symbols] + rng.normal(0, 0.12, size=(32, 6)), 0, 1).astype(np.float32)
    _, naive = quantize.quantise(z0, centres)  # the encoder-only code
    found = admm.admm_search(generator, targets, z0, centres, iterations=300, learning_rate=0.02)
    error = lambda z: float(np.mean((generator.predict(z, verbose=0) - targets) ** 2))  # noqa: E731
    assert error(found.latents) < 0.5 * error(naive)
    assert np.mean(found.symbols == true_symbols) > np.mean(quantize.quantise(z0, centres)[0] == true_symbols)
    assert found.losses[-1] < found.losses[0]


def _reference_search(generator, targets, z0, centres, iterations, learning_rate, mse_weight, rho):
    """The search step by step with keras.optimizers.Adam (what the compiled loop writes out)."""
    import keras
    import tensorflow as tf

    c, x = tf.constant(centres), tf.constant(targets)
    z, eta = tf.Variable(z0), tf.Variable(tf.zeros_like(z0))
    optimizer = keras.optimizers.Adam(learning_rate)
    nearest = lambda v: tf.gather(c, tf.argmin(tf.abs(v[..., None] - c), axis=-1))  # noqa: E731
    losses = []
    for _ in range(iterations):
        zq = nearest(z + eta)
        with tf.GradientTape() as tape:
            mse = tf.reduce_mean(tf.square(generator(z) - x), axis=1)
            loss = tf.reduce_sum(mse_weight * mse + rho / 2 * tf.reduce_sum(tf.square(z - zq + eta), axis=1))
        optimizer.apply_gradients([(tape.gradient(loss, z), z)])
        z.assign(tf.clip_by_value(z, float(centres.min()), float(centres.max())))
        eta.assign_add(z - nearest(z + eta))
        losses.append(float(loss) / len(targets))
    return z.numpy(), losses


def test_compiled_search_matches_the_step_by_step_search_and_is_traced_once():
    from gansig.papers.bpgan import admm

    rng = np.random.default_rng(2)
    generator, centres = _toy_generator_and_centres(2)
    targets = generator.predict(rng.uniform(0, 1, (8, 6)).astype(np.float32), verbose=0)
    z0 = rng.uniform(0, 1, (8, 6)).astype(np.float32)
    settings = dict(iterations=40, learning_rate=0.05, mse_weight=15.0, rho=0.1)
    found = admm.admm_search(generator, targets, z0, centres, tolerance=0.0, **settings)
    z, losses = _reference_search(generator, targets, z0, centres, **settings)
    assert np.allclose(found.losses, losses, rtol=1e-5, atol=1e-7)
    assert np.array_equal(found.symbols, quantize.quantise(z, centres)[0])
    traces = admm._compiled_search(generator).experimental_get_tracing_count()
    for n in (5, 3):  # other inputs, another batch size, other settings: no new graph
        admm.admm_search(generator, targets[:n], z0[:n], centres, iterations=7, learning_rate=0.01)
    assert admm._compiled_search(generator).experimental_get_tracing_count() <= traces + 1
    stopped = admm.admm_search(generator, targets, z0, centres, iterations=200, tolerance=1.0, patience=4)
    assert len(stopped.losses) == 5  # the early exit: no 100% improvement over 4 steps


def test_level_weights():
    from gansig.papers.bpgan import admm

    patches = np.stack([np.linspace(-1, 1, 64).reshape(8, 8), np.full((8, 8), -0.5)]).astype(np.float32)
    assert np.array_equal(admm.level_weights(patches, 0.0), np.ones_like(patches))  # the paper's plain MSE
    w = np.asarray(admm.level_weights(patches, 3.0))
    assert w.shape == patches.shape and np.allclose(w.mean(axis=(1, 2)), 1.0)
    assert np.all(np.diff(w[0].ravel()) > 0)  # louder bins weigh more
    assert w[0, -1, -1] / w[0, 0, 0] == pytest.approx(1.01 / 0.01)  # the floor keeps silence in the error
    assert np.allclose(w[1], 1.0)  # one level throughout: equal weights


def test_level_weighted_mse_is_the_mse_at_power_zero_and_favours_loud_bins():
    from gansig.papers.bpgan import admm

    target = np.stack([np.linspace(-1, 1, 64).reshape(8, 8)] * 2).astype(np.float32)
    error = np.zeros_like(target)
    error[0, 0, 0], error[1, -1, -1] = 0.5, 0.5  # the same error in the quietest / loudest bin
    plain, weighted = admm.level_weighted_mse(0.0), admm.level_weighted_mse(3.0)
    assert float(plain(target, target + error)) == pytest.approx(np.mean(error ** 2))
    quiet, loud = (float(weighted(target[i:i + 1], target[i:i + 1] + error[i:i + 1])) for i in (0, 1))
    assert loud > 10 * quiet


def test_weighted_admm_search_favours_the_weighted_outputs():
    from gansig.papers.bpgan import admm

    rng = np.random.default_rng(1)
    generator, centres = _toy_generator_and_centres(1)
    targets = generator.predict(rng.uniform(0, 1, (32, 6)).astype(np.float32), verbose=0)
    targets += rng.normal(0, 0.3, targets.shape).astype(np.float32)  # not exactly reachable: a trade-off
    z0 = rng.uniform(0, 1, (32, 6)).astype(np.float32)
    weights = np.where(np.arange(40) < 10, 10.0, 0.1).astype(np.float32) * np.ones_like(targets)

    def error_on_first_ten(weights):
        found = admm.admm_search(generator, targets, z0, centres, iterations=300, learning_rate=0.02, weights=weights)
        return float(np.mean((generator.predict(found.latents, verbose=0) - targets)[:, :10] ** 2))

    assert error_on_first_ten(weights) < 0.8 * error_on_first_ten(None)


def test_networks_shapes_and_the_2_kbps_budget():
    from gansig.papers.bpgan import models
    from gansig.papers.bpgan.config import PAPER, PROFILES

    e, g, d = models.encoder(PAPER), models.generator(PAPER), models.discriminator(PAPER)
    assert e.output_shape == (None, 8, 8, 8) and g.output_shape == (None, 128, 128, 1)
    latents_per_second = np.prod(e.output_shape[1:]) / (frontend.PATCH * frontend.HOP / frontend.RATE)
    assert latents_per_second * np.log2(PAPER.levels) == pytest.approx(2000, rel=1e-9)  # 512 x 4 bit / 1.024 s
    out = d(np.zeros((1, 128, 128, 1), np.float32))
    assert [s.shape[1] for s in out["scores"]] == [16, 8, 4] and len(out["features"]) == 12
    small = PROFILES["smoke"]
    latent = models.encoder(small)(np.zeros((2, 128, 128, 1), np.float32))
    assert models.generator(small)(latent).shape == (2, 128, 128, 1)
