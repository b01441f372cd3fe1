import keras
import numpy as np
import pytest

from gansig.layers import ConvBlock, ResidualBlock, UpsampleConv


@pytest.mark.parametrize("norm,expected_params", [("batch", 3 * 3 * 1 * 8 + 8 + 4 * 8), ("layer", 80 + 2 * 8 * 8 * 8),
                                                  ("none", 80)])
def test_conv_block_shapes_and_parameters(norm, expected_params):
    block = ConvBlock(8, 3, 2, norm=norm)
    out = block(np.zeros((2, 16, 16, 1), np.float32))
    assert out.shape == (2, 8, 8, 8)
    assert block.count_params() == expected_params


def test_transposed_and_1d_blocks():
    up = ConvBlock(4, 3, 2, transpose=True, norm="none")
    assert up(np.zeros((1, 8, 8, 2), np.float32)).shape == (1, 16, 16, 4)
    one_d = ConvBlock(16, 64, 2, rank=1, slope=0.1)
    assert one_d(np.zeros((1, 256, 1), np.float32)).shape == (1, 128, 16)


def test_activation_order_and_slope():
    x = -np.ones((1, 4, 4, 1), np.float32)
    block = ConvBlock(1, 1, norm="none", slope=0.3)
    block.build(x.shape)
    block.conv.kernel.assign(np.ones((1, 1, 1, 1)))
    block.conv.bias.assign(np.zeros(1))
    np.testing.assert_allclose(block(x).numpy(), -0.3)
    relu = ConvBlock(1, 1, norm="none", slope=0.0)
    relu.build(x.shape)
    relu.conv.kernel.assign(np.ones((1, 1, 1, 1)))
    np.testing.assert_allclose(relu(x).numpy(), 0.0)


@pytest.mark.parametrize("mode", ["zeros", "nn", "linear", "cubic"])
def test_upsample_modes_2d(mode):
    layer = UpsampleConv(5, 3, 2, upsample=mode)
    assert layer(np.random.rand(2, 4, 6, 3).astype(np.float32)).shape == (2, 8, 12, 5)


@pytest.mark.parametrize("mode", ["zeros", "nn", "linear"])
def test_upsample_modes_1d(mode):
    layer = UpsampleConv(5, 3, 4, upsample=mode, rank=1)
    assert layer(np.random.rand(2, 16, 3).astype(np.float32)).shape == (2, 64, 5)


def test_nn_upsampling_repeats_before_the_conv():
    layer = UpsampleConv(1, 1, 2, upsample="nn", rank=1)
    x = np.array([[[1.0], [2.0]]], np.float32)
    layer.build(x.shape)
    layer.conv.kernel.assign(np.ones((1, 1, 1)))
    layer.conv.bias.assign(np.zeros(1))
    np.testing.assert_allclose(layer(x).numpy()[0, :, 0], [1, 1, 2, 2])


def test_bad_arguments_are_rejected():
    with pytest.raises(ValueError, match="norm"):
        ConvBlock(4, 3, norm="group")
    with pytest.raises(ValueError, match="upsample"):
        UpsampleConv(4, 3, upsample="bogus")
    with pytest.raises(ValueError, match="cubic"):
        UpsampleConv(4, 3, upsample="cubic", rank=1)


def test_layers_serialise_in_a_saved_model(tmp_path):
    inputs = keras.Input((8, 8, 1))
    x = ConvBlock(4, 3, 2, norm="layer", slope=0.3, dropout=0.1, order="act_norm")(inputs)
    x = UpsampleConv(1, 3, 2, upsample="linear")(x)
    model = keras.Model(inputs, x)
    path = tmp_path / "m.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    data = np.random.rand(2, 8, 8, 1).astype(np.float32)
    np.testing.assert_allclose(loaded.predict(data, verbose=0), model.predict(data, verbose=0), atol=1e-6)
    config = loaded.layers[1].get_config()
    assert (config["norm"], config["slope"], config["order"]) == ("layer", 0.3, "act_norm")


def test_batch_norm_settings_reach_the_layer():
    block = ConvBlock(4, 3, rank=1, norm_momentum=0.9, norm_epsilon=1e-5)
    block(np.zeros((1, 8, 1), np.float32))
    assert (block.norm_layer.momentum, block.norm_layer.epsilon) == (0.9, 1e-5)


def test_instance_norm_normalises_each_channel_of_each_example():
    block = ConvBlock(3, 1, norm="instance", slope=None)
    x = np.random.default_rng(0).normal(2.0, 5.0, size=(2, 8, 8, 1)).astype(np.float32)
    block.build(x.shape)
    block.conv.kernel.assign(np.array([1.0, -2.0, 3.0]).reshape(1, 1, 1, 3))
    y = block(x).numpy()
    np.testing.assert_allclose(y.mean(axis=(1, 2)), 0.0, atol=1e-4)
    np.testing.assert_allclose(y.std(axis=(1, 2)), 1.0, atol=1e-2)


def test_residual_block_keeps_shape_and_adds_the_input():
    block = ResidualBlock(4, 3, norm="none")
    x = np.random.default_rng(0).normal(size=(2, 8, 8, 4)).astype(np.float32)
    assert block(x).shape == x.shape
    for w in block.second.conv.weights:
        w.assign(np.zeros(w.shape))
    np.testing.assert_allclose(block(x).numpy(), x)  # zero residual branch: identity
    assert block.count_params() == 2 * (3 * 3 * 4 * 4 + 4)


def test_spectral_norm_brings_the_largest_singular_value_to_one():
    from gansig.layers import spectral_norm

    dense = keras.layers.Dense(16, kernel_initializer=keras.initializers.RandomNormal(stddev=3.0, seed=1))
    wrapped = spectral_norm(dense, power_iterations=1)
    x = np.random.default_rng(0).normal(size=(4, 32)).astype("float32")
    wrapped(x)  # built, not yet normalised: the initial kernel's largest singular value is far above 1
    assert np.linalg.svd(np.asarray(dense.kernel), compute_uv=False)[0] > 10
    for _ in range(30):  # one power iteration per training call
        wrapped(x, training=True)
    sigma = np.linalg.svd(np.asarray(dense.kernel), compute_uv=False)[0]
    assert sigma == pytest.approx(1.0, abs=0.02)
    conv = spectral_norm(keras.layers.Conv2D(8, 3, kernel_initializer=keras.initializers.RandomNormal(stddev=2.0)))
    images = np.ones((2, 8, 8, 3), "float32")
    for _ in range(30):
        conv(images, training=True)
    kernel = np.asarray(conv.layer.kernel).reshape(-1, 8)
    assert np.linalg.svd(kernel, compute_uv=False)[0] == pytest.approx(1.0, abs=0.02)


def test_diff_augment_shifts_cuts_out_and_changes_gain_differentiably():
    import tensorflow as tf

    from gansig.layers import DiffAugment

    rng = np.random.default_rng(0)
    images = rng.normal(size=(6, 16, 32, 1)).astype("float32")
    assert np.array_equal(DiffAugment(seed=1)(images, training=False), images)  # identity outside training
    shifted = np.asarray(DiffAugment(max_shift=0.25, cutout=0.0, seed=1)(images, training=True))
    for x, y in zip(images, shifted, strict=True):  # each example a circular roll along time, |shift| <= 8
        shifts = [s for s in range(-8, 9) if np.array_equal(np.roll(x, s, axis=1), y)]
        assert len(shifts) == 1
    cut = np.asarray(DiffAugment(max_shift=0.0, cutout=0.25, fill=-5.0, seed=2)(images, training=True))
    for x, y in zip(images, cut, strict=True):  # one rectangle of about a quarter of each side set to the fill
        rows, cols = np.nonzero((y != x)[..., 0])
        assert np.all(y[rows, cols] == -5.0) and np.array_equal(y[y != -5.0], x[y != -5.0])
        assert 1 <= rows.max() - rows.min() + 1 <= 4 and 1 <= cols.max() - cols.min() + 1 <= 8
    gained = np.asarray(DiffAugment(max_shift=0.0, cutout=0.0, max_gain=2.0, seed=3)(images, training=True))
    offsets = (gained - images).reshape(6, -1)
    assert np.allclose(offsets, offsets[:, :1], atol=1e-5) and np.all(np.abs(offsets) <= 2.0)
    assert len(np.unique(offsets[:, 0].round(4))) == 6  # drawn per example
    layer = DiffAugment(max_shift=0.25, cutout=0.25, max_gain=1.0, seed=4)
    x = tf.constant(images)
    with tf.GradientTape() as tape:
        tape.watch(x)
        total = tf.reduce_sum(layer(x, training=True))
    gradient = tape.gradient(total, x).numpy()
    assert set(np.unique(gradient)) <= {0.0, 1.0} and 0.8 < gradient.mean() < 1.0  # 1 where kept, 0 where cut
    with pytest.raises(ValueError, match="cutout"):
        DiffAugment(cutout=1.5)
    config = DiffAugment(max_shift=0.1, cutout=0.2, max_gain=0.5, fill=-1.0, seed=7).get_config()
    assert DiffAugment.from_config(config).get_config() == config


def test_diff_augment_shifts_along_the_first_axis_for_time_first_images():
    from gansig.layers import DiffAugment

    images = np.random.default_rng(1).normal(size=(5, 32, 16, 1)).astype("float32")  # [batch, time, mels, 1]
    shifted = np.asarray(DiffAugment(max_shift=0.25, cutout=0.0, seed=1, time_axis=1)(images, training=True))
    for x, y in zip(images, shifted, strict=True):
        assert len([s for s in range(-8, 9) if np.array_equal(np.roll(x, s, axis=0), y)]) == 1
    with pytest.raises(ValueError, match="time_axis"):
        DiffAugment(time_axis=3)


def test_spec_augment_masks_whole_stripes_of_both_axes():
    from gansig.layers import SpecAugment

    images = np.random.default_rng(2).normal(size=(8, 40, 30, 1)).astype("float32") + 10.0  # never the fill
    assert np.array_equal(SpecAugment(seed=1)(images, training=False), images)
    masked = np.asarray(SpecAugment(masks=1, max_width=0.2, fill=-1.0, seed=3)(images, training=True))
    widths = []
    for x, y in zip(images, masked, strict=True):
        hit = (y == -1.0)[..., 0]
        assert np.array_equal(y[~hit[..., None].repeat(1, -1)], x[~hit[..., None].repeat(1, -1)])
        rows, cols = np.flatnonzero(hit.all(axis=1)), np.flatnonzero(hit.all(axis=0))
        # every masked cell lies in a stripe that covers its whole row or whole column
        assert np.all(np.isin(np.nonzero(hit)[0], rows) | np.isin(np.nonzero(hit)[1], cols))
        assert len(rows) <= 8 and len(cols) <= 6  # at most 20 % of each axis
        widths.append((len(rows), len(cols)))
    assert len(set(widths)) > 1  # drawn per example
    config = SpecAugment(masks=3, max_width=0.1, fill=0.5, seed=4).get_config()
    assert SpecAugment.from_config(config).get_config() == config
    with pytest.raises(ValueError, match="max_width"):
        SpecAugment(max_width=2.0)


def test_class_batch_norm_scales_and_shifts_each_class_by_its_own_parameters():
    from gansig.layers import ClassBatchNorm

    rng = np.random.default_rng(3)
    x = (5.0 + 2.0 * rng.normal(size=(64, 4, 4, 3))).astype("float32")
    labels = np.arange(64) % 2
    layer = ClassBatchNorm(2)
    plain = np.asarray(layer([x, labels], training=True))  # gamma = beta = 0: batch norm alone
    assert abs(plain.mean()) < 1e-3 and abs(plain.std() - 1) < 1e-2
    layer.gamma.assign(np.array([[1.0, 1.0, 1.0], [0.0, 0.0, 0.0]], np.float32))
    layer.beta.assign(np.array([[0.0, 0.0, 0.0], [3.0, 3.0, 3.0]], np.float32))
    out = np.asarray(layer([x, labels], training=True))
    assert np.allclose(out[labels == 0], 2 * plain[labels == 0], atol=1e-4)  # scale 1 + 1
    assert np.allclose(out[labels == 1], plain[labels == 1] + 3, atol=1e-4)  # offset 3
    config = layer.get_config()
    assert ClassBatchNorm.from_config(config).get_config() == config
