"""One adversarial trainer for every paper: a ``keras.Model`` with a custom ``train_step``.

The training strategies the papers use are fields of :class:`Strategy`, not forks of the
loop: conditional (input -> output) or unconditional (latent -> output, optionally with
class labels) generators, GAN loss (BCE, least squares, Wasserstein, hinge), a content loss with
its weight, several generator updates per discriminator update (or several critic steps
per generator step), label smoothing of real and fake targets (changeable during training
by :class:`LabelSchedule`), instance noise on the discriminator's real inputs, skipping
the discriminator while its loss on fakes is below a threshold (with a forced update
after a number of skips), a two- or one-sided gradient penalty, gradient clipping, and a
generator-only warm-up before the discriminator joins, and an exponential moving average of
the generator's weights for sampling. A step with nothing adversarial to
do (the warm-up, or both adversarial weights 0) skips the discriminator altogether.
``fit`` then brings progress bars, callbacks, TensorBoard, checkpoints and
``BackupAndRestore``; a ``tf.distribute`` scope (:mod:`gansig.training.distribute`) brings
training on several devices or machines, every strategy included, with the result of one
replica on the same global batch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import keras
import tensorflow as tf

from gansig.training import CONTENT_LOSSES

GAN_LOSSES = ("bce", "lsgan", "wgan", "hinge")
LATENT_DISTRIBUTIONS = ("normal", "uniform")
PENALTY_SIDES = ("two-sided", "one-sided")
# What a discriminator step and a generator update return, in order.
D_METRICS = ("d_loss", "d_real", "d_fake", "d_updates")
G_METRICS = ("g_loss", "g_adv", "g_content", "g_fm")


@dataclass(frozen=True)
class Strategy:
    """How the generator and discriminator are trained.

    Attributes:
        gan_loss: ``"bce"`` (the discriminator outputs a probability, or a logit when
            ``logits``), ``"lsgan"`` (least squares), ``"wgan"`` (critic scores) or
            ``"hinge"`` (scores: the discriminator's ``relu(1 - real) + relu(1 + fake)``, the
            generator's ``-fake``; Lim & Ye 2017, as in SAGAN and BigGAN).
        logits: the discriminator's output is a logit (BCE only).
        adversarial_weight: weight of the generator's adversarial term.
        content_loss: ``"l1"``, ``"mse"``, ``"bce"`` (binary cross-entropy, for outputs
            and targets in [0, 1]), ``"none"``, or a function ``(target, output) -> scalar``:
            generator output vs target.
        content_weight: weight of the content term.
        generator_steps: generator updates per training step (per discriminator update).
        critic_steps: discriminator updates per generator update (WGAN's n_critic): a
            training step's batch is cut into ``critic_steps`` slices (rows ``j::critic_steps``),
            the discriminator updates on each in turn, then the generator on the last slice's
            inputs (fresh latents when unconditional). Feed batches ``critic_steps`` times the
            slice size; a step is then one generator update.
        label_smoothing: the discriminator's real target is ``1 - label_smoothing``.
        fake_label: the discriminator's fake target (0 = none; the film thesis's 0.1, ...).
            Both targets can change during training (:class:`LabelSchedule`).
        instance_noise: standard deviation of Gaussian noise added to the discriminator's
            real inputs (0 = none).
        d_skip_below: skip the discriminator update while its fake loss is below this.
        d_skip_max: with ``d_skip_below``, force an update after this many consecutive
            skipped steps (None = skip for as long as the fake loss stays low).
        gradient_penalty: weight of the gradient penalty on interpolates (0 = none).
        penalty: ``"two-sided"`` (WGAN-GP, ``(||g|| - 1)^2``) or ``"one-sided"``
            (``max(||g|| - 1, 0)^2``).
        clip_norm: clip each network's gradient to this global norm (None = no clipping).
        clip_value: clip every gradient element to ``[-clip_value, clip_value]`` (None = no
            clipping).
        dynamic_weighting: weigh the discriminator's real and fake losses by how wrong it is
            on each (``1 - mean D(real)`` and ``mean D(fake)``, gradients flowing through the
            weights): the UrbanSound8K SpecGAN report's "dynamic weighting" (BCE only).
        conditional: the discriminator sees ``concat(input, output)`` on the channel axis.
        warmup_epochs: epochs of generator-only (content-loss) training before the
            discriminator joins (needs the :class:`AdversarialWarmup` callback, which
            :meth:`AdversarialModel.callbacks` returns). The discriminator is neither run
            nor updated during them, and the generator updates once per step.
        feature_matching_weight: weight of the feature-matching term (pix2pixHD, MelGAN): the
            mean L1 distance between the discriminator's intermediate features of real and
            generated samples. Needs a discriminator that returns a dict with ``"scores"``
            and ``"features"`` lists.
        partner_inference_mode: run the network that is *not* being updated in inference
            mode (BatchNorm on its moving statistics, no dropout), as PyTorch code that
            calls ``.eval()`` on it does; False runs both in training mode.
        latent_dim: an unconditional generator: its input is a ``[batch, latent_dim]``
            draw from ``latent_distribution`` (fresh for every generator update) and
            ``fit`` takes real samples, or ``(real, labels)`` for a class-conditional pair
            (both networks then also take the labels as a second input). No content loss.
        latent_distribution: ``"normal"`` (standard) or ``"uniform"`` (on [-1, 1]).
        generator_average: decay of an exponential moving average of the generator's weights
            (0 = none; e.g. 0.999), updated after every generator update and put into the
            generator when ``fit`` ends (the :class:`GeneratorAverage` callback, which
            :meth:`AdversarialModel.callbacks` returns): the averaged generator samples better
            than the last iterate (Yazici et al. 2019).

    Several replicas (``tf.distribute``) train as one replica would on the same global
    batch: gradients are summed over the replicas before clipping, the skipping decision is
    taken on the fake loss averaged over them, random draws (latents, instance noise,
    penalty interpolates) are each replica's rows of one draw for the global batch, and
    critic steps are slices of the batch (rows ``j::critic_steps``), so replicas slice alike.
    """

    gan_loss: str = "bce"
    logits: bool = False
    adversarial_weight: float = 1.0
    content_loss: str | Callable[[tf.Tensor, tf.Tensor], tf.Tensor] = "l1"
    content_weight: float = 0.0
    generator_steps: int = 1
    critic_steps: int = 1
    label_smoothing: float = 0.0
    fake_label: float = 0.0
    instance_noise: float = 0.0
    d_skip_below: float | None = None
    d_skip_max: int | None = None
    gradient_penalty: float = 0.0
    penalty: str = "two-sided"
    clip_norm: float | None = None
    clip_value: float | None = None
    dynamic_weighting: bool = False
    conditional: bool = False
    warmup_epochs: int = 0
    partner_inference_mode: bool = False
    feature_matching_weight: float = 0.0
    latent_dim: int | None = None
    latent_distribution: str = "normal"
    generator_average: float = 0.0

    def __post_init__(self) -> None:
        if not 0.0 <= self.generator_average < 1.0:
            raise ValueError(f"generator_average must be in [0, 1), got {self.generator_average}")
        if self.gan_loss not in GAN_LOSSES:
            raise ValueError(f"gan_loss must be one of {GAN_LOSSES}, got {self.gan_loss!r}")
        if not callable(self.content_loss) and self.content_loss not in CONTENT_LOSSES:
            raise ValueError(f"content_loss must be one of {CONTENT_LOSSES} or a function, "
                             f"got {self.content_loss!r}")
        if self.generator_steps < 1 or self.critic_steps < 1:
            raise ValueError("generator_steps and critic_steps must be >= 1")
        if not 0.0 <= self.label_smoothing < 1.0 or not 0.0 <= self.fake_label < 1.0:
            raise ValueError("label_smoothing and fake_label must be in [0, 1)")
        if self.penalty not in PENALTY_SIDES:
            raise ValueError(f"penalty must be one of {PENALTY_SIDES}, got {self.penalty!r}")
        if self.latent_dim is not None:
            if self.latent_dim < 1 or self.latent_distribution not in LATENT_DISTRIBUTIONS:
                raise ValueError(f"latent_dim must be >= 1 and latent_distribution one of {LATENT_DISTRIBUTIONS}")
            if self.conditional or self.content_weight:
                raise ValueError("an unconditional generator (latent_dim) has no content target and no conditional "
                                 "discriminator: set content_weight=0 and conditional=False")
        if self.dynamic_weighting and self.gan_loss in ("wgan", "hinge"):
            raise ValueError("dynamic_weighting weighs BCE/LSGAN losses by the discriminator's outputs; not for "
                             f"{self.gan_loss}")
        if self.d_skip_max is not None and (self.d_skip_below is None or self.d_skip_max < 1):
            raise ValueError("d_skip_max needs d_skip_below and must be >= 1")


def content_error(kind: str | Callable, target: tf.Tensor, output: tf.Tensor) -> tf.Tensor:
    """Mean L1, squared or binary cross-entropy error of ``output`` against ``target``
    (0 for ``"none"``; ``kind(target, output)`` for a function)."""
    if callable(kind):
        return kind(target, output)
    if kind == "l1":
        return tf.reduce_mean(tf.abs(target - output))
    if kind == "mse":
        return tf.reduce_mean(tf.square(target - output))
    if kind == "bce":
        return tf.reduce_mean(keras.losses.binary_crossentropy(target, output))
    return tf.constant(0.0)


def _outputs(d_out) -> tuple[list[tf.Tensor], list[tf.Tensor]]:
    """``(scores, features)`` of a discriminator's output: one tensor, a list of tensors
    (multi-scale scores), or a dict with ``"scores"`` and ``"features"`` lists."""
    if isinstance(d_out, dict):
        return list(d_out["scores"]), list(d_out.get("features", []))
    return (list(d_out) if isinstance(d_out, (list, tuple)) else [d_out]), []


class AdversarialModel(keras.Model):
    """A generator and a discriminator trained against each other with :class:`Strategy`.

    ``fit`` expects ``(input, target)`` batches for a conditional generator (it maps input
    to output; the discriminator compares outputs with targets), and real samples, or
    ``(real, labels)``, for an unconditional one (``strategy.latent_dim``).
    ``predict``/``__call__`` run the generator.

    Args:
        generator: ``keras.Model`` from inputs (or latents, ``[latents, labels]`` with
            labels) to outputs shaped like the targets.
        discriminator: ``keras.Model`` from targets (``concat(input, target)`` when
            ``strategy.conditional``, ``[target, labels]`` with labels) to scores: one
            tensor, a list (several scales), or a dict ``{"scores": [...], "features":
            [...]}`` for feature matching.
        strategy: the training strategy.
    """

    def __init__(self, generator: keras.Model, discriminator: keras.Model,
                 strategy: Strategy | None = None, **kwargs):
        super().__init__(**kwargs)
        self.generator = generator
        self.discriminator = discriminator
        self.strategy = s = strategy or Strategy()
        self.adversarial_phase = not s.warmup_epochs
        self.step_counter = keras.Variable(0, trainable=False, dtype="int64", name="step_counter")
        # The discriminator's targets (a LabelSchedule changes them) and the skip counter.
        self.real_label = keras.Variable(1.0 - s.label_smoothing, trainable=False, name="real_label")
        self.fake_label = keras.Variable(s.fake_label, trainable=False, name="fake_label")
        self.skipped = keras.Variable(0, trainable=False, dtype="int64", name="skipped")
        # Latents, instance noise and the penalty's interpolates draw from a seed generator of
        # their own (made only when needed: making one consumes the global seed stream).
        self.noise_seed = (keras.random.SeedGenerator() if s.latent_dim or s.instance_noise or s.gradient_penalty
                           else None)
        names = ("d_loss", "g_loss", "g_adv") + ("g_content",) * (s.latent_dim is None) + ("d_real", "d_fake",
                                                                                               "d_updates")
        if s.feature_matching_weight:
            names += ("g_fm",)
        self.trackers = {n: keras.metrics.Mean(name=n) for n in names}
        # The generator's weights averaged over its updates (a copy of each, updated in the step).
        self.generator_average = [keras.Variable(v, trainable=False, name=f"average_{k}")
                                  for k, v in enumerate(generator.weights)] if s.generator_average else []
        # Both networks arrive built, so this model is too (BackupAndRestore needs that).
        self.built = generator.built and discriminator.built

    # ---- set-up --------------------------------------------------------------------
    def compile(self, g_optimizer: keras.optimizers.Optimizer, d_optimizer: keras.optimizers.Optimizer,
                **kwargs) -> None:
        """Set the two optimizers (built at once so conditional updates can run in graphs).
        Keras's own ``optimizer`` is the generator's (not a default RMSprop that would be
        saved and restored beside them for nothing)."""
        super().compile(optimizer=g_optimizer, **kwargs)
        self.g_optimizer, self.d_optimizer = g_optimizer, d_optimizer
        self.g_optimizer.build(self.generator.trainable_variables)
        self.d_optimizer.build(self.discriminator.trainable_variables)

    def _symbolic_build(self, iterator=None, data_batch=None) -> None:
        # Keras builds a model from a batch before a distributed fit by calling it on the
        # batch's inputs, which an unconditional generator does not take (they are real
        # samples). Nothing needs it: both networks arrive built, compile builds the optimizers.
        return

    @property
    def metrics(self):
        return list(self.trackers.values())

    def call(self, inputs, training=False):
        return self.generator(inputs, training=training)

    def set_adversarial_phase(self, on: bool) -> None:
        """Switch the discriminator and the adversarial terms on or off (the warm-up's
        switch); the training step is traced again, so the step without them costs no
        discriminator passes."""
        if on != self.adversarial_phase:
            self.adversarial_phase = on
            if self.train_function is not None:  # inside fit: the next step uses the new trace
                self.make_train_function(force=True)

    @property
    def _runs_discriminator(self) -> bool:
        s = self.strategy
        return self.adversarial_phase and bool(s.adversarial_weight or s.feature_matching_weight)

    def callbacks(self) -> list[keras.callbacks.Callback]:
        """The callbacks the strategy needs (the warm-up switch, the averaged generator)."""
        s = self.strategy
        return ([AdversarialWarmup(s.warmup_epochs)] if s.warmup_epochs else []) + (
            [GeneratorAverage()] if s.generator_average else [])

    def use_generator_average(self) -> None:
        """Put the averaged weights into the generator (what :class:`GeneratorAverage` does
        when ``fit`` ends)."""
        for variable, average in zip(self.generator.weights, self.generator_average, strict=True):
            variable.assign(average)

    # ---- inputs --------------------------------------------------------------------
    @property
    def unconditional(self) -> bool:
        return self.strategy.latent_dim is not None

    def latents(self, n) -> tf.Tensor:
        """``n`` draws of the generator's latent input."""
        if self.strategy.latent_distribution == "uniform":
            return self._draw((n, self.strategy.latent_dim),
                              lambda shape: keras.random.uniform(shape, -1.0, 1.0, seed=self.noise_seed))
        return self._draw((n, self.strategy.latent_dim), lambda shape: keras.random.normal(shape, seed=self.noise_seed))

    @staticmethod
    def _replicas() -> int:
        return tf.distribute.get_strategy().num_replicas_in_sync

    def _global(self, value: tf.Tensor) -> tf.Tensor:
        """A batch mean over the global batch, with this replica's gradient: the value of
        the mean over every replica, the gradient of this replica's share (summed over the
        replicas by the optimizer, it is the global mean's gradient)."""
        context = tf.distribute.get_replica_context()
        if self._replicas() == 1 or context is None:
            return value
        return value + tf.stop_gradient(context.all_reduce(tf.distribute.ReduceOp.MEAN, value) - value)

    def _draw(self, shape, draw: Callable):
        """``draw(shape)``, a seeded random draw of a batch. With several replicas every
        replica draws the whole global batch from the same seed and keeps its own rows: the
        replicas draw exactly what one replica would, and never the same rows twice."""
        context = tf.distribute.get_replica_context()
        if self._replicas() == 1 or context is None:
            return draw(shape)
        shape = tf.cast(tf.stack(shape) if isinstance(shape, (tuple, list)) else shape, tf.int32)
        rows = context.all_gather(shape[:1], axis=0)
        start = tf.reduce_sum(rows[:context.replica_id_in_sync_group])
        whole = draw(tf.concat([tf.reduce_sum(rows, keepdims=True), shape[1:]], axis=0))
        return whole[start:start + shape[0]]

    def _batch(self, data):
        """``(generator input, real targets)`` of a batch; for an unconditional generator the
        input is fresh latents, with the labels beside them when the data has labels."""
        if not self.unconditional:
            return data
        real, labels = (data if isinstance(data, (tuple, list)) and len(data) == 2
                        else (data[0] if isinstance(data, (tuple, list)) else data, None))
        z = self.latents(tf.shape(real)[0])
        return (z if labels is None else (z, labels)), real

    def _fresh(self, inputs):
        """New latents for another generator update (conditional inputs stay as they are)."""
        if not self.unconditional:
            return inputs
        if isinstance(inputs, tuple):
            return self.latents(tf.shape(inputs[0])[0]), inputs[1]
        return self.latents(tf.shape(inputs)[0])

    def _generate(self, inputs, training: bool):
        return self.generator(list(inputs) if isinstance(inputs, tuple) else inputs, training=training)

    # ---- losses --------------------------------------------------------------------
    def _discriminate(self, inputs, samples, training: bool = True) -> tuple[list[tf.Tensor], list[tf.Tensor]]:
        if self.strategy.conditional:
            samples = tf.concat([tf.cast(inputs, samples.dtype), samples], axis=-1)
        elif isinstance(inputs, tuple):  # class labels beside unconditional latents
            samples = [samples, inputs[1]]
        return _outputs(self.discriminator(samples, training=training))

    def _score_loss(self, scores: list[tf.Tensor], label) -> tf.Tensor:
        """Mean loss of discriminator outputs against a constant label (BCE / LSGAN)."""
        losses = []
        for s in scores:
            target = tf.fill(tf.shape(s), tf.cast(label, s.dtype))
            if self.strategy.gan_loss == "lsgan":
                losses.append(tf.reduce_mean(tf.square(s - target)))
            else:
                losses.append(tf.reduce_mean(keras.losses.binary_crossentropy(
                    target, s, from_logits=self.strategy.logits)))
        return tf.add_n(losses) / len(losses)

    def discriminator_loss(self, real: list[tf.Tensor], fake: list[tf.Tensor]) -> tuple[tf.Tensor, tf.Tensor]:
        """``(total, fake part)`` of the discriminator's loss (penalty excluded), against the
        current real and fake targets."""
        mean = lambda ss: tf.add_n([tf.reduce_mean(x) for x in ss]) / len(ss)  # noqa: E731
        if self.strategy.gan_loss == "wgan":
            return mean(fake) - mean(real), mean(fake)
        if self.strategy.gan_loss == "hinge":
            fake_part = mean([tf.nn.relu(1.0 + f) for f in fake])
            return mean([tf.nn.relu(1.0 - r) for r in real]) + fake_part, fake_part
        fake_part = self._score_loss(fake, self.fake_label)
        real_part = self._score_loss(real, self.real_label)
        if self.strategy.dynamic_weighting:
            # A product of batch means: each replica takes the global batch's (its own gradient).
            mean = lambda ss: self._global(tf.add_n([tf.reduce_mean(x) for x in ss]) / len(ss))  # noqa: E731
            total = (1.0 - mean(real)) * self._global(real_part) + mean(fake) * self._global(fake_part)
            return total, fake_part
        return real_part + fake_part, fake_part

    def generator_adversarial_loss(self, fake: list[tf.Tensor]) -> tf.Tensor:
        """The generator's adversarial term: make the discriminator call fakes real."""
        if self.strategy.gan_loss in ("wgan", "hinge"):
            return -tf.add_n([tf.reduce_mean(f) for f in fake]) / len(fake)
        return self._score_loss(fake, 1.0)

    def gradient_penalty(self, inputs, real, fake) -> tf.Tensor:
        """The penalty on the discriminator's gradient norm at random interpolates of real and
        fake samples: ``(||g|| - 1)^2`` (two-sided) or ``max(||g|| - 1, 0)^2`` (one-sided)."""
        shape = (tf.shape(real)[0], *[1] * (len(real.shape) - 1))
        alpha = self._draw(shape, lambda s: keras.random.uniform(s, 0.0, 1.0, dtype=real.dtype, seed=self.noise_seed))
        mixed = real + alpha * (fake - real)
        with tf.GradientTape() as tape:
            tape.watch(mixed)
            scores = tf.add_n([tf.reduce_sum(x) for x in self._discriminate(inputs, mixed)[0]])
        grads = tape.gradient(scores, mixed)
        excess = tf.sqrt(tf.reduce_sum(tf.square(grads), axis=tf.range(1, tf.rank(grads))) + 1e-12) - 1.0
        if self.strategy.penalty == "one-sided":
            excess = tf.nn.relu(excess)
        return tf.reduce_mean(tf.square(excess))

    # ---- updates -------------------------------------------------------------------
    def _apply(self, optimizer, tape, loss, variables, due: tf.Tensor | None = None) -> tf.Tensor:
        """Update ``variables`` down ``loss``'s gradient (clipped as the strategy says); with
        ``due``, only when it is true. Returns 1.0 when updated, else 0.0.

        ``loss`` is this replica's share (:meth:`_replica_scale`): the optimizer sums the
        gradients over the replicas.
        """
        s, replicas = self.strategy, self._replicas()
        grads = tape.gradient(loss, variables)
        clipping = s.clip_norm is not None or s.clip_value is not None
        if clipping:  # dense: an embedding's sparse gradient would be clipped row by row, not summed
            grads = [tf.convert_to_tensor(g) for g in grads]
        if clipping and replicas > 1:
            # Clip the global batch's gradient, as one replica would: sum it over the replicas
            # first, and hand the optimizer (which sums again) one replica's share of it.
            grads = tf.distribute.get_replica_context().all_reduce(tf.distribute.ReduceOp.SUM, grads)
        if s.clip_norm is not None:
            grads, _ = tf.clip_by_global_norm(grads, s.clip_norm)
        if s.clip_value is not None:
            grads = [tf.clip_by_value(g, -s.clip_value, s.clip_value) for g in grads]
        if clipping and replicas > 1:
            grads = [g / replicas for g in grads]

        def apply():
            optimizer.apply_gradients(zip(grads, variables, strict=True))
            return tf.constant(1.0)

        if due is None:
            return apply()
        if replicas == 1:
            return tf.cond(due, apply, lambda: tf.constant(0.0))
        # An optimizer step synchronises the replicas, which tf.distribute does not allow
        # inside control flow: take it on every replica, then undo it where it was not due.
        state = [v.value if isinstance(v, keras.Variable) else v for v in [*variables, *optimizer.variables]]
        saved = [tf.identity(v) for v in state]
        with tf.control_dependencies(saved):
            apply()

        def undo(distribution, due, saved):
            def restore():
                for variable, value in zip(state, saved, strict=True):
                    distribution.extended.update(variable, lambda v, x: v.assign(x), args=(value,))
                return tf.constant(0.0)
            return tf.cond(distribution.experimental_local_results(due)[0], lambda: tf.constant(1.0), restore)

        return tf.distribute.get_replica_context().merge_call(undo, args=(due, saved))

    def _replica_scale(self) -> float:
        # Optimizers sum gradients over replicas; scale each replica's loss to compensate.
        return 1.0 / self._replicas()

    def _discriminator_step(self, inputs, targets, fake):
        s = self.strategy
        real_inputs = targets
        if s.instance_noise:
            real_inputs = targets + s.instance_noise * self._draw(
                tf.shape(targets), lambda shape: keras.random.normal(shape, seed=self.noise_seed))
        with tf.GradientTape() as tape:
            real_scores = self._discriminate(inputs, real_inputs)[0]
            fake_scores = self._discriminate(inputs, tf.stop_gradient(fake))[0]
            d_loss, fake_part = self.discriminator_loss(real_scores, fake_scores)
            if s.gradient_penalty:
                d_loss += s.gradient_penalty * self.gradient_penalty(inputs, targets, fake)
            scaled = d_loss * self._replica_scale()
        due = None
        if s.d_skip_below is not None:
            if self._replicas() > 1:  # every replica takes the same decision, on the global batch
                fake_part = tf.distribute.get_replica_context().all_reduce(tf.distribute.ReduceOp.MEAN, fake_part)
            due = fake_part >= s.d_skip_below
            if s.d_skip_max is not None:
                due = due | (self.skipped >= s.d_skip_max)
            self.skipped.assign(tf.where(due, tf.constant(0, tf.int64), self.skipped + 1))
        updated = self._apply(self.d_optimizer, tape, scaled, self.discriminator.trainable_variables, due)
        mean = lambda ss: tf.add_n([tf.reduce_mean(x) for x in ss]) / len(ss)  # noqa: E731
        return d_loss, mean(real_scores), mean(fake_scores), updated

    def _generator_losses(self, inputs, targets, fake):
        """``(total, adversarial, content, feature matching)`` losses of the generator's ``fake``
        (the content loss alone, without running the discriminator, during a warm-up or when
        both adversarial weights are 0; no content loss for an unconditional generator)."""
        s = self.strategy
        content = tf.constant(0.0) if self.unconditional else content_error(s.content_loss, targets, fake)
        if not self._runs_discriminator:
            return s.content_weight * content, tf.constant(0.0), content, tf.constant(0.0)
        d_training = not s.partner_inference_mode
        fake_scores, fake_features = self._discriminate(inputs, fake, training=d_training)
        adversarial = self.generator_adversarial_loss(fake_scores)
        g_loss = s.content_weight * content + s.adversarial_weight * adversarial
        matching = tf.constant(0.0)
        if s.feature_matching_weight:
            real_features = self._discriminate(inputs, targets, training=d_training)[1]
            matching = tf.add_n([tf.reduce_mean(tf.abs(tf.stop_gradient(r) - f))
                                 for r, f in zip(real_features, fake_features, strict=True)]) / len(fake_features)
            g_loss += s.feature_matching_weight * matching
        return g_loss, adversarial, content, matching

    def _generator_update(self, tape: tf.GradientTape, inputs, targets, fake):
        """Update the generator from its ``fake``, whose forward pass ``tape`` recorded; the
        same tape goes on recording the losses (through the discriminator as it is now)."""
        with tape:
            losses = self._generator_losses(inputs, targets, fake)
            scaled = losses[0] * self._replica_scale()
        self._apply(self.g_optimizer, tape, scaled, self.generator.trainable_variables)
        if self.strategy.generator_average:
            self._update_generator_average()
        return losses

    def _update_generator_average(self) -> None:
        decay = self.strategy.generator_average
        for variable, average in zip(self.generator.weights, self.generator_average, strict=True):
            if keras.backend.is_float_dtype(variable.dtype):  # a seed generator's state is copied, not averaged
                average.assign(decay * average + (1.0 - decay) * variable)
            else:
                average.assign(variable)

    def _generator_step(self, inputs, targets):
        with tf.GradientTape() as tape:
            fake = self._generate(inputs, training=True)
        return self._generator_update(tape, inputs, targets, fake)

    @property
    def _shares_fake(self) -> bool:
        # One generator pass can feed both updates when the generator updates once per
        # step and runs in training mode for both (the pix2pix/pix2pixHD order: the
        # discriminator learns on the detached output, then the generator's loss is taken
        # through the updated discriminator). This saves a generator forward pass per step.
        s = self.strategy
        return s.generator_steps == 1 and s.critic_steps == 1 and not s.partner_inference_mode

    def train_step(self, data):
        critic_steps = self.strategy.critic_steps
        if critic_steps > 1:  # slices of the batch, one per discriminator update
            parts = [tf.nest.map_structure(lambda t, j=j: t[j::critic_steps], data) for j in range(critic_steps)]
        else:
            parts = [data]
        d_values: list[dict] = []
        if not self._runs_discriminator:
            d_values.append({"d_updates": tf.constant(0.0)})
            inputs, targets = self._batch(parts[-1])
            g = self._generator_step(inputs, targets)
        elif self._shares_fake:
            inputs, targets = self._batch(data)
            with tf.GradientTape() as tape:
                fake = self._generate(inputs, training=True)
            d_values.append(dict(zip(D_METRICS, self._discriminator_step(inputs, targets, fake), strict=True)))
            g = self._generator_update(tape, inputs, targets, fake)
        else:
            for part in parts:
                inputs, targets = self._batch(part)
                fake = self._generate(inputs, training=not self.strategy.partner_inference_mode)
                d_values.append(dict(zip(D_METRICS, self._discriminator_step(inputs, targets, fake), strict=True)))
            for _ in range(self.strategy.generator_steps):
                g = self._generator_step(self._fresh(inputs), targets)
        self.step_counter.assign_add(1)
        for values in d_values:
            for name, value in values.items():
                self.trackers[name].update_state(value)
        for name, value in zip(G_METRICS, g, strict=True):
            if name in self.trackers:
                self.trackers[name].update_state(value)
        return {name: t.result() for name, t in self.trackers.items()}

    def test_step(self, data):
        """Validation: the content error of a conditional generator; the adversarial losses
        of an unconditional one (it has no target to compare with)."""
        inputs, targets = self._batch(data)
        fake = self._generate(inputs, training=False)
        if self.unconditional:
            real_scores = self._discriminate(inputs, targets, training=False)[0]
            fake_scores = self._discriminate(inputs, fake, training=False)[0]
            d_loss, _ = self.discriminator_loss(real_scores, fake_scores)
            self.trackers["d_loss"].update_state(d_loss)
            self.trackers["g_adv"].update_state(self.generator_adversarial_loss(fake_scores))
            return {name: self.trackers[name].result() for name in ("d_loss", "g_adv")}
        content = content_error(self.strategy.content_loss if self.strategy.content_loss != "none" else "mse",
                                targets, fake)
        self.trackers["g_content"].update_state(content)
        return {"g_content": self.trackers["g_content"].result()}


class AdversarialWarmup(keras.callbacks.Callback):
    """Train the generator alone (content loss) for ``epochs`` epochs, then switch the
    discriminator and the adversarial term on."""

    def __init__(self, epochs: int):
        super().__init__()
        self.epochs = epochs

    def on_epoch_begin(self, epoch, logs=None):
        self.model.set_adversarial_phase(epoch >= self.epochs)


class GeneratorAverage(keras.callbacks.Callback):
    """Put the generator's averaged weights into it when training ends (see
    ``Strategy.generator_average``)."""

    def on_train_end(self, logs=None):
        self.model.use_generator_average()


class LabelSchedule(keras.callbacks.Callback):
    """Change the discriminator's real and fake targets during training: ``{epoch:
    (real, fake)}`` from that (0-based) epoch on, e.g. the film thesis's ``{0: (0.9, 0.1),
    17500: (0.99, 0.01), ...}``."""

    def __init__(self, schedule: dict[int, tuple[float, float]]):
        super().__init__()
        self.schedule = dict(sorted(schedule.items()))

    def on_epoch_begin(self, epoch, logs=None):
        current = [labels for start, labels in self.schedule.items() if start <= epoch]
        if current:
            real, fake = current[-1]
            self.model.real_label.assign(real)
            self.model.fake_label.assign(fake)
