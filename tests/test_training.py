
import keras
import numpy as np
import pytest
import tensorflow as tf

from gansig.training import AdversarialModel, LinearDecay, StepDecay, Strategy


def tiny_models(seed=0, d_activation="sigmoid"):
    keras.utils.set_random_seed(seed)
    g = keras.Sequential([keras.Input((8,)), keras.layers.Dense(8)], name="g")
    d = keras.Sequential([keras.Input((8,)), keras.layers.Dense(4, activation="relu"),
                          keras.layers.Dense(1, activation=d_activation)], name="d")
    return g, d


def data(n=64, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 8)).astype(np.float32)
    return x, (2.0 * x + 1.0).astype(np.float32)


def fit(strategy, epochs=2, seed=0, d_activation="sigmoid", **kw):
    g, d = tiny_models(seed, d_activation)
    model = AdversarialModel(g, d, strategy)
    model.compile(keras.optimizers.Adam(1e-2), keras.optimizers.Adam(1e-2))
    x, y = data()
    before = [w.copy() for w in d.get_weights()]
    callbacks = model.callbacks() + kw.pop("callbacks", [])
    hist = model.fit(x, y, batch_size=16, epochs=epochs, verbose=0, shuffle=False, callbacks=callbacks, **kw)
    return model, hist.history, before


def d_changed(model, before):
    return any(not np.allclose(a, b) for a, b in zip(model.discriminator.get_weights(), before, strict=True))


def test_content_loss_trains_the_generator():
    _, hist, _ = fit(Strategy(content_loss="mse", content_weight=10.0, adversarial_weight=0.0), epochs=60)
    assert hist["g_content"][-1] < 0.25 * hist["g_content"][0]


def test_bce_losses_by_hand():
    g, d = tiny_models()
    model = AdversarialModel(g, d, Strategy(label_smoothing=0.1))
    real, fake = [np.full((4, 1), 0.8, np.float32)], [np.full((4, 1), 0.3, np.float32)]
    total, fake_part = model.discriminator_loss(real, fake)
    expected_real = -(0.9 * np.log(0.8) + 0.1 * np.log(0.2))
    assert float(fake_part) == pytest.approx(-np.log(0.7), rel=1e-4)
    assert float(total) == pytest.approx(expected_real - np.log(0.7), rel=1e-4)
    assert float(model.generator_adversarial_loss(fake)) == pytest.approx(-np.log(0.3), rel=1e-4)


def test_lsgan_and_wgan_losses_by_hand():
    g, d = tiny_models()
    real, fake = [np.full((2, 1), 0.5, np.float32)], [np.full((2, 1), -1.0, np.float32)]
    ls = AdversarialModel(g, d, Strategy(gan_loss="lsgan"))
    assert float(ls.discriminator_loss(real, fake)[0]) == pytest.approx(0.25 + 1.0)
    assert float(ls.generator_adversarial_loss(fake)) == pytest.approx(4.0)
    w = AdversarialModel(g, d, Strategy(gan_loss="wgan"))
    assert float(w.discriminator_loss(real, fake)[0]) == pytest.approx(-1.5)
    assert float(w.generator_adversarial_loss(fake)) == pytest.approx(1.0)


def test_hinge_losses_by_hand():
    g, d = tiny_models()
    model = AdversarialModel(g, d, Strategy(gan_loss="hinge"))
    real, fake = [np.array([[2.0], [0.5]], np.float32)], [np.array([[-2.0], [0.0]], np.float32)]
    total, fake_part = model.discriminator_loss(real, fake)
    assert float(fake_part) == pytest.approx(0.5)  # relu(1 + f): 0 and 1
    assert float(total) == pytest.approx(0.25 + 0.5)  # relu(1 - r): 0 and 0.5
    assert float(model.generator_adversarial_loss(fake)) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="dynamic_weighting"):
        Strategy(gan_loss="hinge", dynamic_weighting=True)


def test_the_generator_average_follows_every_update_and_replaces_the_generator_at_the_end():
    decay = 0.5
    g, _ = tiny_models()
    average = [w.copy() for w in g.get_weights()]  # starts at the initial weights

    class Record(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            for k, w in enumerate(self.model.generator.get_weights()):
                average[k] = decay * average[k] + (1 - decay) * w

    model, _, _ = fit(Strategy(content_loss="mse", content_weight=1.0, generator_average=decay), epochs=2,
                      callbacks=[Record()])
    last = [np.asarray(v) for v in model.generator_average]
    assert all(np.allclose(a, b, atol=1e-6) for a, b in zip(last, average, strict=True))
    assert all(np.allclose(a, b) for a, b in zip(model.generator.get_weights(), average, strict=True))
    with pytest.raises(ValueError, match="generator_average"):
        Strategy(generator_average=1.0)


def test_multiscale_outputs_are_averaged():
    g, d = tiny_models()
    m = AdversarialModel(g, d, Strategy(gan_loss="lsgan"))
    fake = [np.zeros((2, 1), np.float32), np.full((2, 3), 0.5, np.float32)]
    assert float(m.generator_adversarial_loss(fake)) == pytest.approx((1.0 + 0.25) / 2)


def test_gradient_penalty_of_a_linear_critic():
    keras.utils.set_random_seed(0)
    g = keras.Sequential([keras.Input((8,)), keras.layers.Dense(8)])
    d = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1, use_bias=False)])
    w = np.full((8, 1), 0.5, np.float32)  # gradient norm sqrt(8) * 0.5 everywhere
    d.layers[0].kernel.assign(w)
    m = AdversarialModel(g, d, Strategy(gan_loss="wgan", gradient_penalty=10.0))
    x, y = data(8)
    gp = float(m.gradient_penalty(x, y, x))
    assert gp == pytest.approx((np.sqrt(8) * 0.5 - 1.0) ** 2, rel=1e-4)


def test_discriminator_skipping_freezes_it():
    model, hist, before = fit(Strategy(content_weight=1.0, d_skip_below=1e9))
    assert hist["d_updates"] == [0.0, 0.0]
    assert not d_changed(model, before)
    model, hist, before = fit(Strategy(content_weight=1.0, d_skip_below=0.0))
    assert hist["d_updates"] == [1.0, 1.0] and d_changed(model, before)


def test_warmup_trains_the_generator_alone():
    model, hist, before = fit(Strategy(content_weight=1.0, warmup_epochs=2), epochs=2)
    assert hist["d_updates"] == [0.0, 0.0] and not d_changed(model, before)
    model, hist, _ = fit(Strategy(content_weight=1.0, warmup_epochs=1), epochs=2)
    assert hist["d_updates"] == [0.0, 1.0]


class CountCalls(keras.layers.Layer):
    """The identity, counting its calls (inside compiled steps too)."""

    def build(self, shape):
        self.calls = self.add_weight(shape=(), initializer="zeros", trainable=False, name="calls")

    def call(self, x):
        self.calls.assign_add(1.0)
        return x


@pytest.mark.parametrize("strategy, d_calls", [
    (Strategy(content_weight=1.0, warmup_epochs=1), 3 * 4),  # epoch 2 only: D(real), D(fake) twice, 4 steps
    (Strategy(content_weight=1.0, adversarial_weight=0.0), 0),  # nothing adversarial to compute
])
def test_the_discriminator_runs_only_when_its_terms_count(strategy, d_calls):
    g, _ = tiny_models()
    counter = CountCalls()
    d = keras.Sequential([keras.Input((8,)), counter, keras.layers.Dense(1, activation="sigmoid")])
    model = AdversarialModel(g, d, strategy)
    model.compile(keras.optimizers.Adam(1e-2), keras.optimizers.Adam(1e-2))
    g_before = [w.copy() for w in g.get_weights()]
    x, y = data()
    hist = model.fit(x, y, batch_size=16, epochs=2, verbose=0, shuffle=False, callbacks=model.callbacks())
    assert float(counter.calls.numpy()) == d_calls
    assert hist.history["d_updates"] == [0.0, 1.0 if d_calls else 0.0]
    assert not all(np.allclose(a, b) for a, b in zip(g.get_weights(), g_before, strict=True))


class CountRows(CountCalls):
    """The identity, counting its calls and the rows they carry."""

    def build(self, shape):
        super().build(shape)
        self.rows = self.add_weight(shape=(), initializer="zeros", trainable=False, name="rows")

    def call(self, x):
        self.rows.assign_add(keras.ops.cast(keras.ops.shape(x)[0], "float32"))
        return super().call(x)


def test_critic_steps_update_the_critic_on_each_slice_of_the_batch():
    g, _ = tiny_models()
    counter = CountRows()
    d = keras.Sequential([keras.Input((8,)), counter, keras.layers.Dense(1)])
    model = AdversarialModel(g, d, Strategy(gan_loss="wgan", critic_steps=4))
    model.compile(keras.optimizers.SGD(0.1), keras.optimizers.SGD(0.1))
    x, y = data(32)
    model.fit(x, y, batch_size=16, epochs=1, verbose=0, shuffle=False)  # 2 steps of 4 slices of 4 rows
    assert int(model.d_optimizer.iterations.numpy()) == 8 and int(model.g_optimizer.iterations.numpy()) == 2
    # Each step: the critic on real and fake rows of each slice (8 calls), the generator's loss on one slice.
    assert float(counter.calls.numpy()) == 2 * 9 and float(counter.rows.numpy()) == 2 * 9 * 4


def test_generator_steps_apply_several_updates():
    counts = {}
    for steps in (1, 3):
        g, d = tiny_models()
        model = AdversarialModel(g, d, Strategy(content_weight=1.0, generator_steps=steps))
        opt = keras.optimizers.SGD(0.01)
        model.compile(opt, keras.optimizers.SGD(0.01))
        x, y = data(16)
        model.fit(x, y, batch_size=16, epochs=1, verbose=0)
        counts[steps] = int(opt.iterations.numpy())
    assert counts == {1: 1, 3: 3}


def test_gradient_clipping_bounds_the_update():
    g, d = tiny_models()
    model = AdversarialModel(g, d, Strategy(content_loss="mse", content_weight=1e6, adversarial_weight=0.0,
                                            clip_norm=1e-3))
    model.compile(keras.optimizers.SGD(1.0), keras.optimizers.SGD(0.0))
    before = [w.copy() for w in g.get_weights()]
    x, y = data(16)
    model.fit(x, y, batch_size=16, epochs=1, verbose=0)
    step = np.sqrt(sum(np.sum((a - b) ** 2) for a, b in zip(g.get_weights(), before, strict=True)))
    assert step == pytest.approx(1e-3, rel=1e-3)


def test_conditional_discriminator_sees_input_and_output():
    g = keras.Sequential([keras.Input((8,)), keras.layers.Dense(8)])
    d = keras.Sequential([keras.Input((16,)), keras.layers.Dense(1, activation="sigmoid")])
    model = AdversarialModel(g, d, Strategy(conditional=True, content_weight=1.0))
    model.compile(keras.optimizers.Adam(), keras.optimizers.Adam())
    x, y = data(16)
    hist = model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    assert np.isfinite(hist.history["d_loss"][0])


def test_strategy_validation():
    with pytest.raises(ValueError):
        Strategy(gan_loss="hinge-squared")
    with pytest.raises(ValueError):
        Strategy(generator_steps=0)
    with pytest.raises(ValueError):
        Strategy(label_smoothing=1.0)


def test_step_decay_halves_both_learning_rates():
    model, _, _ = fit(Strategy(content_weight=1.0), epochs=5, callbacks=[StepDecay(every=2, factor=0.5)])
    assert float(model.g_optimizer.learning_rate.numpy()) == pytest.approx(1e-2 * 0.25)
    assert float(model.d_optimizer.learning_rate.numpy()) == pytest.approx(1e-2 * 0.25)


def test_linear_decay_keeps_then_lowers_the_rate_to_a_last_step():
    model, _, _ = fit(Strategy(content_weight=1.0), epochs=5, callbacks=[LinearDecay(epochs=5, decay_epochs=4)])
    # epochs 0..4 run at 1, 1, 3/4, 1/2, 1/4 of the initial rate
    assert float(model.g_optimizer.learning_rate.numpy()) == pytest.approx(1e-2 * 0.25)
    assert float(model.d_optimizer.learning_rate.numpy()) == pytest.approx(1e-2 * 0.25)
    assert LinearDecay(epochs=5, decay_epochs=0).factor(4) == 1.0
    with pytest.raises(ValueError, match="decay_epochs"):
        LinearDecay(epochs=5, decay_epochs=6)


def test_one_step_is_the_discriminator_update_then_the_generator_update_through_it():
    """The step shares one generator pass between the two updates; by hand: D learns on the
    detached output, then G's loss (content + adversarial) is taken through the updated D."""
    strategy = Strategy(gan_loss="lsgan", content_loss="mse", content_weight=2.0)
    g, d = tiny_models(d_activation=None)
    g_ref, d_ref = tiny_models(d_activation=None)
    model = AdversarialModel(g, d, strategy)
    model.compile(keras.optimizers.SGD(0.1), keras.optimizers.SGD(0.1))
    x, y = data(8)
    model.fit(x, y, batch_size=8, epochs=1, verbose=0, shuffle=False)

    fake = g_ref(x)
    with tf.GradientTape() as tape:
        d_loss = tf.reduce_mean(tf.square(d_ref(y) - 1.0)) + tf.reduce_mean(tf.square(d_ref(fake)))
    for w, grad in zip(d_ref.trainable_variables, tape.gradient(d_loss, d_ref.trainable_variables), strict=True):
        w.assign_sub(0.1 * grad)
    with tf.GradientTape() as tape:
        fake = g_ref(x)
        g_loss = 2.0 * tf.reduce_mean(tf.square(y - fake)) + tf.reduce_mean(tf.square(d_ref(fake) - 1.0))
    for w, grad in zip(g_ref.trainable_variables, tape.gradient(g_loss, g_ref.trainable_variables), strict=True):
        w.assign_sub(0.1 * grad)
    for net, ref in ((g, g_ref), (d, d_ref)):
        for a, b in zip(net.get_weights(), ref.get_weights(), strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_a_content_loss_function_is_used_for_training_and_validation():
    def doubled_l1(target, output):
        return 2.0 * keras.ops.mean(keras.ops.abs(target - output))
    x, y = data(32, seed=1)
    scores = {}
    for name, loss in (("l1", "l1"), ("function", doubled_l1)):
        g, d = tiny_models()
        model = AdversarialModel(g, d, Strategy(content_loss=loss, content_weight=1.0, adversarial_weight=0.0))
        model.compile(keras.optimizers.Adam(1e-2), keras.optimizers.Adam(1e-2))
        scores[name] = model.evaluate(x, y, batch_size=32, verbose=0, return_dict=True)["g_content"]
    assert scores["function"] == pytest.approx(2.0 * scores["l1"], rel=1e-5)
    _, hist, _ = fit(Strategy(content_loss=doubled_l1, content_weight=1.0, adversarial_weight=0.0), epochs=20)
    assert hist["g_content"][-1] < 0.75 * hist["g_content"][0]


def test_validation_reports_content_error():
    _, hist, _ = fit(Strategy(content_loss="l1", content_weight=1.0), validation_data=data(32, seed=1))
    assert "val_g_content" in hist and np.isfinite(hist["val_g_content"]).all()


def feature_discriminator():
    inputs = keras.Input((8,))
    features = keras.layers.Dense(4, activation="relu")(inputs)
    score = keras.layers.Dense(1, activation="sigmoid")(features)
    return keras.Model(inputs, {"scores": [score], "features": [features]})


def test_feature_matching_measures_the_feature_gap():
    x, _ = data(16)
    results = {}
    for shift in (0.0, 1.0):
        keras.utils.set_random_seed(0)
        g = keras.Sequential([keras.Input((8,)), keras.layers.Dense(8, kernel_initializer="identity",
                                                                    bias_initializer="zeros")])
        model = AdversarialModel(g, feature_discriminator(), Strategy(feature_matching_weight=10.0))
        model.compile(keras.optimizers.SGD(0.0), keras.optimizers.SGD(0.0))  # measure only
        hist = model.fit(x, x + shift, batch_size=16, epochs=1, verbose=0).history
        results[shift] = hist["g_fm"][0]
    assert results[0.0] == pytest.approx(0.0, abs=1e-7)  # generator output == target: no gap
    assert results[1.0] > 0.01


def test_feature_matching_trains_the_generator_towards_real_features():
    keras.utils.set_random_seed(0)
    g = keras.Sequential([keras.Input((8,)), keras.layers.Dense(8)])
    model = AdversarialModel(g, feature_discriminator(), Strategy(feature_matching_weight=10.0,
                                                                  adversarial_weight=0.0))
    model.compile(keras.optimizers.Adam(1e-2), keras.optimizers.SGD(0.0))
    x, y = data(64)
    hist = model.fit(x, y, batch_size=16, epochs=30, verbose=0).history
    assert hist["g_fm"][-1] < 0.5 * hist["g_fm"][0]


def test_feature_matching_alone_still_trains_the_discriminator():
    """Adversarial weight 0 with feature matching (the BPGAN quick profile): the generator's
    only adversarial objective is the feature gap, so the discriminator must keep learning."""
    keras.utils.set_random_seed(0)
    g = keras.Sequential([keras.Input((8,)), keras.layers.Dense(8)])
    d = feature_discriminator()
    before = [w.copy() for w in d.get_weights()]
    model = AdversarialModel(g, d, Strategy(content_weight=1.0, feature_matching_weight=10.0,
                                            adversarial_weight=0.0, d_skip_below=None))
    model.compile(keras.optimizers.Adam(1e-2), keras.optimizers.Adam(1e-2))
    x, y = data(32)
    hist = model.fit(x, y, batch_size=16, epochs=2, verbose=0).history
    assert hist["d_updates"] == [1.0, 1.0]
    assert d_changed(model, before)
    assert all(v > 0 for v in hist["g_fm"])


# ---- unconditional generators, label schedules, instance noise, one-sided penalty, skip counter --


def test_an_unconditional_generator_learns_the_real_distribution():
    keras.utils.set_random_seed(0)
    g = keras.Sequential([keras.Input((4,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(2)])
    d = keras.Sequential([keras.Input((2,)), keras.layers.Dense(16, activation="relu"),
                          keras.layers.Dense(1, activation="sigmoid")])
    model = AdversarialModel(g, d, Strategy(latent_dim=4, content_loss="none"))
    model.compile(keras.optimizers.Adam(5e-3, beta_1=0.5), keras.optimizers.Adam(5e-3, beta_1=0.5))
    real = (np.random.default_rng(0).normal(size=(512, 2)) + [3.0, -2.0]).astype(np.float32)
    before = np.asarray(model.predict(model.latents(256), verbose=0)).mean(axis=0)
    hist = model.fit(real, batch_size=64, epochs=40, verbose=0, validation_data=(real[:128],)).history
    after = np.asarray(model.predict(model.latents(256), verbose=0)).mean(axis=0)
    assert np.linalg.norm(after - [3.0, -2.0]) < 0.5 * np.linalg.norm(before - [3.0, -2.0])
    assert "g_content" not in hist and {"val_d_loss", "val_g_adv"} <= set(hist) and "val_g_content" not in hist
    assert model.latents(5).shape == (5, 4)


def test_an_unconditional_generator_with_class_labels():
    keras.utils.set_random_seed(0)
    z, y = keras.Input((4,)), keras.Input((3,))
    g = keras.Model([z, y], keras.layers.Dense(2)(keras.layers.Concatenate()([z, y])))
    x, yd = keras.Input((2,)), keras.Input((3,))
    d = keras.Model([x, yd], keras.layers.Dense(1, activation="sigmoid")(keras.layers.Concatenate()([x, yd])))
    model = AdversarialModel(g, d, Strategy(latent_dim=4, latent_distribution="uniform", generator_steps=2))
    model.compile(keras.optimizers.Adam(1e-2), keras.optimizers.Adam(1e-2))
    real = np.random.default_rng(0).normal(size=(64, 2)).astype(np.float32)
    labels = np.eye(3, dtype=np.float32)[np.arange(64) % 3]
    hist = model.fit(real, labels, batch_size=16, epochs=2, verbose=0).history
    assert np.isfinite(hist["d_loss"]).all() and np.isfinite(hist["g_adv"]).all()
    draws = np.asarray(model.latents(1000))
    assert draws.min() >= -1 and draws.max() <= 1 and draws.std() > 0.5


def test_unconditional_strategy_is_checked():
    with pytest.raises(ValueError, match="no content target"):
        Strategy(latent_dim=8, content_weight=1.0)
    with pytest.raises(ValueError, match="latent_dim"):
        Strategy(latent_dim=0)
    with pytest.raises(ValueError, match="d_skip_max"):
        Strategy(d_skip_max=3)
    with pytest.raises(ValueError, match="penalty"):
        Strategy(penalty="sideways")


def test_fake_label_smoothing_and_the_label_schedule():
    from gansig.training import LabelSchedule

    g, d = tiny_models()
    model = AdversarialModel(g, d, Strategy(label_smoothing=0.1, fake_label=0.1))
    real, fake = [np.full((4, 1), 0.8, np.float32)], [np.full((4, 1), 0.3, np.float32)]

    def bce(target, p):
        return -(target * np.log(p) + (1 - target) * np.log(1 - p))

    total, fake_part = model.discriminator_loss(real, fake)
    assert float(fake_part) == pytest.approx(bce(0.1, 0.3), rel=1e-4)
    assert float(total) == pytest.approx(bce(0.9, 0.8) + bce(0.1, 0.3), rel=1e-4)
    schedule = LabelSchedule({0: (0.9, 0.1), 2: (0.999, 0.001)})
    schedule.set_model(model)
    schedule.on_epoch_begin(1)
    assert float(model.real_label.numpy()) == pytest.approx(0.9)
    schedule.on_epoch_begin(3)
    assert float(model.real_label.numpy()) == pytest.approx(0.999)
    assert float(model.fake_label.numpy()) == pytest.approx(0.001)
    _, fake_part = model.discriminator_loss(real, fake)
    assert float(fake_part) == pytest.approx(bce(0.001, 0.3), rel=1e-4)
    assert float(model.generator_adversarial_loss(fake)) == pytest.approx(bce(1.0, 0.3), rel=1e-4)


def test_instance_noise_reaches_only_the_real_inputs():
    scores = {}
    for noise in (0.0, 5.0):
        keras.utils.set_random_seed(0)
        g = keras.Sequential([keras.Input((8,)), keras.layers.Dense(8)])
        d = keras.Sequential([keras.Input((8,)), keras.layers.Lambda(keras.ops.square),
                              keras.layers.Dense(1, use_bias=False, kernel_initializer=keras.initializers.Constant(
                                  1 / 8))])  # a "discriminator" reporting the input's power
        model = AdversarialModel(g, d, Strategy(gan_loss="lsgan", instance_noise=noise))
        model.compile(keras.optimizers.SGD(0.0), keras.optimizers.SGD(0.0))
        x, y = data(64)
        scores[noise] = model.fit(x, y, batch_size=64, epochs=1, verbose=0).history
    assert scores[5.0]["d_real"][0] == pytest.approx(scores[0.0]["d_real"][0] + 25.0, rel=0.1)
    assert scores[5.0]["d_fake"][0] == pytest.approx(scores[0.0]["d_fake"][0], rel=1e-6)


def test_one_sided_penalty_spares_gradients_below_one():
    keras.utils.set_random_seed(0)
    g = keras.Sequential([keras.Input((8,)), keras.layers.Dense(8)])
    d = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1, use_bias=False)])
    x, y = data(8)
    for weight, one_sided in ((0.1, 0.0), (0.5, (np.sqrt(8) * 0.5 - 1.0) ** 2)):
        d.layers[0].kernel.assign(np.full((8, 1), weight, np.float32))
        two = AdversarialModel(g, d, Strategy(gan_loss="wgan", gradient_penalty=1.0))
        one = AdversarialModel(g, d, Strategy(gan_loss="wgan", gradient_penalty=1.0, penalty="one-sided"))
        assert float(two.gradient_penalty(x, y, x)) == pytest.approx((np.sqrt(8) * weight - 1.0) ** 2, rel=1e-4)
        assert float(one.gradient_penalty(x, y, x)) == pytest.approx(one_sided, rel=1e-4, abs=1e-9)


def test_skipping_forces_an_update_after_k_skips():
    model, hist, before = fit(Strategy(content_weight=1.0, d_skip_below=1e9, d_skip_max=3), epochs=2)
    # 4 steps an epoch, every step's fake loss below the threshold: steps 4 and 8 are forced.
    assert hist["d_updates"] == [0.25, 0.25] and d_changed(model, before)


def test_epoch_checkpoints_keep_the_named_epochs(tmp_path):
    from gansig.training import EpochCheckpoints

    keep = EpochCheckpoints(tmp_path, epochs=(1, 3))
    model, _, _ = fit(Strategy(content_loss="mse", content_weight=1.0), epochs=3, callbacks=[keep])
    assert sorted(p.parent.name for p in tmp_path.rglob("generator.keras")) == ["epoch_00001", "epoch_00003"]
    last = keras.models.load_model(keep.path(3))
    x, _ = data(4)
    np.testing.assert_allclose(last.predict(x, verbose=0), model.generator.predict(x, verbose=0), rtol=1e-5)
