"""BPGAN's codec plumbing: front end, quantiser, entropy coder, file format."""

import re
import struct
import zlib
from io import BytesIO

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
    """Griffin-Lim's outcome varies with its random start by about +-0.15 PESQ-WB on a
    2.5 s signal (measured), so the blocks are judged on the mean of three seeds."""
    patches, norm = frontend.analyse(voiced)
    pesq = {}
    for how, frames in (("whole", frontend.GL_BLOCK_FRAMES), ("blocks", frontend.PATCH)):  # joins at 1.024, 2.048 s
        rebuilt = [frontend.synthesise(patches, norm, block_frames=frames, seed=seed) for seed in range(3)]
        pesq[how] = np.mean([metrics.pesq(voiced, y, frontend.RATE, "wb") for y in rebuilt])
    whole, blocks = frontend.synthesise(patches, norm), frontend.synthesise(patches, norm, block_frames=frontend.PATCH)
    assert blocks.shape == whole.shape
    assert pesq["blocks"] > pesq["whole"] - 0.1, pesq
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
    from gansig.papers.bpgan import models

    layer = models.SoftToHardQuantizer([0.0, 1.0], temperature=1.0)
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


MODEL = b"12345678"


def frame(index=0, **changes):
    fields = dict(n_samples=16000, gain=1.5, offset=0.0, mel_max=3.0, payload=b"payload!")
    return bitstream.Frame(index, **{**fields, **changes})


def stream(frames=None, frame_patches=2, rate=44100):
    header = bitstream.StreamHeader(rate, MODEL, frame_patches)
    frames = [frame(0), frame(1, n_samples=20000, payload=b"12345678" * 3)] if frames is None else frames
    return bitstream.pack(header, frames)


def read(data, warn=None, model_id=MODEL):
    header, frames = bitstream.read_stream(BytesIO(data), "x.bpg", model_id, warn)
    return header, list(frames)


def test_bitstream_round_trip_and_size():
    data = stream()
    assert bitstream.STREAM_BYTES == 24 and bitstream.FRAME_BYTES == 34 and len(data) == 24 + 2 * 34 + 8 + 24
    header, frames = read(data)
    assert header == bitstream.StreamHeader(44100, MODEL, 2) and header.frame_samples == 2 * 16384
    assert [(f.index, f.n_samples, f.payload, f.lost) for f in frames] == [(0, 16000, b"payload!", False),
                                                                          (1, 20000, b"12345678" * 3, False)]
    assert frames[1].position == 24 + 34 + 8


@pytest.mark.parametrize("mangle,message", [
    (lambda d: b"", "not a .bpg file"),
    (lambda d: b"RIFF" + d[4:], "not a .bpg file"),
    (lambda d: d[:3], "truncated"),
    (lambda d: d[:20], "truncated"),
    (lambda d: d[:10] + bytes([d[10] ^ 1]) + d[11:], "corrupted stream header"),
    (lambda d: d[:4] + b"\x01" + d[5:], "format version 1, this gansig reads versions 2 and 3"),
    (lambda d: d[:4] + b"\x04" + d[5:], "format version 4"),
])
def test_a_stream_header_that_is_not_sound_is_refused(mangle, message):
    with pytest.raises(BitstreamError, match=message) as refused:
        read(mangle(stream()))
    assert str(refused.value).startswith("x.bpg: ")


def test_a_file_from_another_model_is_refused():
    with pytest.raises(BitstreamError, match="made by model 3132333435363738, not by this model"):
        read(stream(), model_id=b"87654321")


def test_a_truncated_file_gives_the_frames_it_holds_with_a_warning():
    """Cut inside a frame or between two (the last frame is marked as such), it says so."""
    data, said = stream(), []
    assert [f.last for f in read(data)[1]] == [False, True]
    for cut, whole in ((len(data) - 3, 1), (24 + 34 + 8 + 10, 1), (24 + 34 + 8, 1), (24 + 20, 0), (24, 0)):
        said.clear()
        _, frames = read(data[:cut], said.append)
        assert [f.index for f in frames] == list(range(whole))
        assert len(said) == 1 and "truncated" in said[0] and said[0].startswith("x.bpg: "), said
    for cut in (len(data) - 3, 24 + 34 + 8):
        with pytest.raises(BitstreamError, match="truncated"):  # without a warning, an error
            read(data[:cut])
    _, frames = read(data + b"junk", said.append)
    assert len(frames) == 2 and "4 unexpected bytes after the last frame" in said[-1]


def test_a_corrupted_payload_costs_its_frame_alone():
    data, said = bytearray(stream()), []
    data[24 + 30 + 2] ^= 0xFF  # a byte of frame 0's payload
    _, frames = read(bytes(data), said.append)
    assert [(f.index, f.lost, f.n_samples) for f in frames] == [(0, True, 16000), (1, False, 20000)]
    assert "frame 0 at byte 24 is corrupted (payload checksum); 1.00 s of silence" in said[0]


def test_a_corrupted_frame_header_is_skipped_to_the_next_sound_frame():
    frames = [frame(i, n_samples=2 * 16384 if i < 3 else 900) for i in range(4)]
    data, said = bytearray(stream(frames)), []
    data[24 + 42 + 5] ^= 0x10  # frame 1's header (frame 0 takes 42 bytes)
    _, got = read(bytes(data), said.append)
    assert [(f.index, f.lost) for f in got] == [(0, False), (1, True), (2, False), (3, False)]
    assert got[1].n_samples == 2 * 16384  # a lost frame of unknown length is taken as a full one
    assert "frame(s) 1..1 lost" in said[0]
    data[-10] ^= 0xFF  # and the last frame's payload too
    assert [f.lost for f in read(bytes(data), said.append)[1]] == [False, True, False, True]


@pytest.mark.parametrize("changes,message", [
    (dict(n_samples=0), "0 samples"),
    (dict(n_samples=2 * 16384 + 1), "samples in a frame of at most"),
    (dict(gain=1e-30), "gain 1e-30"),
    (dict(gain=float("nan")), "gain nan"),
    (dict(gain=float("inf")), "gain inf"),
    (dict(gain=0.0), "a silent frame with a payload"),
    (dict(offset=1e6), r"offset 1e\+06"),
    (dict(mel_max=-1.0), "mel maximum -1.0"),
    (dict(payload=b"abc"), "a payload of 3 bytes"),
])
def test_forged_frame_headers_with_valid_checksums_are_refused(changes, message):
    header = bitstream.StreamHeader(44100, MODEL, 2)
    assert re.search(message, bitstream.check_frame(frame(**changes), header))
    with pytest.raises(BitstreamError):  # the reader finds no sound frame there
        read(stream([frame(**changes)]))


def test_a_silent_frame_has_no_payload_and_is_read():
    _, frames = read(stream([frame(0, gain=0.0, payload=b"", offset=0.25)]))
    assert frames[0].silent and not frames[0].lost and frames[0].offset == 0.25


def test_a_version_2_file_is_read_as_one_frame():
    """The format before streams (one header, one payload): still read, as one frame."""
    body = struct.pack("<4sBBIQI8sfffI", b"BPGN", 2, 0, 22050, 40000, 512, MODEL, 1.5, 0.01, 3.0, 8) + b"payload!"
    data = body + struct.pack("<I", zlib.crc32(body))
    header, frames = read(data)
    assert header.version == 2 and header.sample_rate == 22050 and header.frame_samples >= 40000
    assert [(f.n_samples, f.gain, f.payload) for f in frames] == [(40000, 1.5, b"payload!")]
    flipped = data[:30] + bytes([data[30] ^ 1]) + data[31:]
    for bad, message in ((data[:-1], "truncated"), (data + b"x", "trailing"), (flipped, "checksum")):
        with pytest.raises(BitstreamError, match=message):
            read(bad)


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
    # other inputs, another batch size, other settings (the iteration count is the graph's): no new graph
    for n in (5, 3):
        admm.admm_search(generator, targets[:n], z0[:n], centres, iterations=40, learning_rate=0.01, rho=0.5)
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


def test_the_search_in_bfloat16_uses_a_twin_of_the_generator():
    """precision bfloat16: the search differentiates a bfloat16 twin with the generator's own
    weights (its outputs the float32 ones but for bfloat16's rounding), built once; float32
    (and auto on a CPU without native bfloat16) the generator itself."""
    import dataclasses
    from pathlib import Path

    from gansig.papers.bpgan import admm
    from gansig.papers.bpgan.codec import Codec

    codec = Codec.load(Path(__file__).parent / "golden" / "bpgan_smoke_codec", keras=True)
    assert codec.config.admm_precision == "float32" and codec.search_generator() is codec.generator
    codec.config = dataclasses.replace(codec.config, admm_precision="bfloat16")
    twin = codec.search_generator()
    assert twin is not codec.generator and codec.search_generator() is twin
    z = np.random.default_rng(0).uniform(0, 1, (2, *codec.latent_shape)).astype(np.float32)
    exact, rounded = codec.generator(z).numpy(), np.asarray(twin(z), np.float32)
    assert "bfloat16" in str(twin(z).dtype) and np.median(np.abs(rounded - exact)) < 0.01
    assert np.corrcoef(rounded.ravel(), exact.ravel())[0, 1] > 0.999
    codec.config = dataclasses.replace(codec.config, admm_precision="auto")
    assert (codec.search_generator() is twin) == admm.native_bfloat16()
    patches, _ = frontend.analyse(speech_like(1.5, seed=4))
    symbols, _ = codec.latents(patches, search=True)
    assert symbols.shape == (2, *codec.latent_shape)
