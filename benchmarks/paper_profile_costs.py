"""What the paper profiles cost to train, counted: multiply-accumulates (MACs) of every
convolution and dense layer of each paper's networks, per training step and in total.

Each network's forward MACs for one example are counted layer by layer (a convolution works
at each output position, a transposed one at each input position; a dense layer at each
position of its input). A training step is then estimated from the paper's strategy, with
a backward pass at twice its forward (gradients of inputs and of weights):

- a discriminator update: the generator's forward pass for the fakes, the discriminator's
  forward and backward on real and fake batches (6 D), and a gradient penalty's double
  back-propagation (another 6 D);
- a generator update: its forward and backward (3 G) and the discriminator's forward and
  backward to its input (3 D); during a warm-up or for a plain network, 3 G alone.

Per step, times the batch; the total multiplies by the profile's training steps (the most
it may run: early stopping can end sooner). Divided by a measured step's time it gives the
rate a device sustained (``bench_*_accelerator.py``; the top-level README's cost table).

Run: .venv/bin/python benchmarks/paper_profile_costs.py [--markdown] [--time-cpu]
(``--time-cpu`` times the 5G and sine paper profiles' steps here; run it on an idle machine.)
"""

from __future__ import annotations

import argparse
import dataclasses
from dataclasses import dataclass

import keras
import numpy as np

DENSE_AND_CONV = (keras.layers.Dense, keras.layers.Conv1D, keras.layers.Conv2D, keras.layers.Conv1DTranspose,
                  keras.layers.Conv2DTranspose)


def forward_macs(model: keras.Model) -> int:
    """MACs of ``model``'s dense and convolution layers for one example (batch 1)."""
    counted: list[int] = []
    patched = []
    for layer in model._flatten_layers(include_self=False, recursive=True):
        if isinstance(layer, DENSE_AND_CONV):
            def counting_call(x, *args, layer=layer, call=layer.call, **kwargs):
                y = call(x, *args, **kwargs)
                kernel = int(np.prod(layer.kernel.shape))  # k... x in x out
                transposed = isinstance(layer, (keras.layers.Conv1DTranspose, keras.layers.Conv2DTranspose))
                positions = int(np.prod((x if transposed else y).shape[1:-1]))
                counted.append(positions * kernel)
                return y
            layer.call = counting_call
            patched.append(layer)
    inputs = [np.zeros((1, *shape[1:]), dtype) for shape, dtype in
              zip(_shapes(model.input_shape), [i.dtype for i in model.inputs], strict=True)]
    model(inputs if len(inputs) > 1 else inputs[0])
    for layer in patched:
        del layer.call
    return sum(counted)


def _shapes(shape) -> list[tuple]:
    return list(shape) if isinstance(shape, list) else [shape]


@dataclass
class Training:
    """One training of a paper profile: its networks' forward MACs per example and its schedule."""

    paper: str
    what: str
    g: int                      # generator (or plain network) MACs per example
    d: int = 0                  # discriminator MACs per example (0: a plain network)
    batch: int = 1
    steps: int = 1              # training steps (the most the profile runs)
    generator_steps: int = 1
    critic_steps: int = 1
    penalty: bool = False
    warmup_steps: int = 0       # steps of generator alone

    def step_macs(self, warm_up: bool = False) -> float:
        """MACs of one training step (all its examples)."""
        if not self.d or warm_up:
            return 3 * self.g * self.batch
        critic = self.g + 6 * self.d + (6 * self.d if self.penalty else 0)
        generator = 3 * self.g + 3 * self.d
        return (self.critic_steps * critic + self.generator_steps * generator) * self.batch

    def total_macs(self) -> float:
        return self.step_macs() * (self.steps - self.warmup_steps) + self.step_macs(True) * self.warmup_steps


def mimo5g() -> list[Training]:
    from gansig.papers.mimo5g import models
    from gansig.papers.mimo5g.config import PROFILES

    c = PROFILES["paper"]
    per_epoch = -(-c.n_train // c.batch_size)
    return [Training("mimo5g", "GAN", forward_macs(models.generator(c)), forward_macs(models.discriminator(c)),
                     c.batch_size, c.epochs * per_epoch),
            Training("mimo5g", "autoencoder", forward_macs(models.autoencoder(c)), 0, c.batch_size,
                     c.ae_epochs * per_epoch),
            Training("mimo5g", "generator alone (ablation)", forward_macs(models.generator(c)), 0, c.batch_size,
                     c.ae_epochs * per_epoch)]


def sinedenoise() -> list[Training]:
    from gansig.papers.sinedenoise import models
    from gansig.papers.sinedenoise.config import PROFILES

    c = PROFILES["paper"]
    per_epoch = -(-c.n_train // c.batch_size)
    return [Training("sinedenoise", "GAN (warm-up, then adversarial)", forward_macs(models.generator()),
                     forward_macs(models.discriminator()), c.batch_size, c.max_epochs * per_epoch,
                     warmup_steps=c.warmup_epochs * per_epoch)]


def bpgan(patches: int) -> list[Training]:
    from gansig.papers.bpgan import models
    from gansig.papers.bpgan.config import PROFILES
    from gansig.papers.bpgan.train import codec_network

    c = PROFILES["paper"]
    network = codec_network(c)[0]
    return [Training("bpgan", f"codec networks ({patches:,} patches an epoch)", forward_macs(network),
                     forward_macs(models.discriminator(c)), c.batch_size, c.epochs * -(-patches // c.batch_size))]


def film() -> list[Training]:
    from bench_film_accelerator import CLASSES

    from gansig.papers.film import frontend, models, train
    from gansig.papers.film.config import PROFILES, RUNS
    from gansig.profiles import run_config

    base = PROFILES["paper"]
    train_seconds = 120.0 * (1 - base.heldout_fraction)
    out = []
    for name, (example, chains) in CLASSES.items():
        c = run_config(base, RUNS, example)
        shape = frontend.shape(c)
        pairs = int(train_seconds // c.segment_s) * (len(c.cutoffs_hz) if c.all_cuts else 1)
        pairs = pairs if c.max_pairs is None else min(pairs, c.max_pairs)
        epochs = int(sum(np.subtract(*train.span(base, RUNS, chain)[::-1]) for chain in chains))
        out.append(Training("film", name, forward_macs(models.generator(c, shape)),
                            forward_macs(models.discriminator(c, shape)), c.batch_size,
                            epochs * -(-pairs // c.batch_size), generator_steps=c.generator_steps))
    return out


def specgan() -> list[Training]:
    from gansig.papers.specgan import train
    from gansig.papers.specgan.config import PROFILES

    out = []
    for model, what in (("report", "the report's model"), ("specgan", "canonical SpecGAN")):
        c = dataclasses.replace(PROFILES["paper"], model=model)
        g, d = train.networks(c)
        images = c.train_subset if model == "report" else 1000 * c.windows_per_clip  # UrbanSound8K's 1,000 clips
        steps, epochs = train.schedule(c, images)
        report = model == "report"
        out.append(Training("specgan", what, forward_macs(g), forward_macs(d),
                            c.report_batch_size if report else c.specgan_batch_size, steps * epochs,
                            generator_steps=c.generator_steps if report else 1,
                            critic_steps=1 if report else c.critic_steps, penalty=True))
    return out


def cpu_step_ms(paper: str, rounds: int = 3, steps: int = 20) -> dict[str, float]:
    """Milliseconds per training step of the CPU-sized paper profiles (5G and sine), timed
    here through the papers' own networks, strategies and optimizers on random data of their
    shapes: a ``fit`` to trace, then the median over ``rounds`` of the time a fit of
    ``3 * steps`` steps takes beyond one of ``steps``, per step."""
    import statistics
    import time

    import tensorflow as tf

    from gansig.training import AdversarialModel

    if paper == "mimo5g":
        from gansig.papers.mimo5g import models, train
        from gansig.papers.mimo5g.config import PROFILES

        c = PROFILES["paper"]
        networks = {"GAN": lambda: AdversarialModel(models.generator(c), models.discriminator(c), train.strategy(c)),
                    "autoencoder": lambda: models.autoencoder(c),
                    "generator alone (ablation)": lambda: models.generator(c, name="alone")}
        shape = (c.image_size, c.image_size, 1)
    else:
        from gansig.papers.sinedenoise import models, train
        from gansig.papers.sinedenoise.config import PROFILES

        c = PROFILES["paper"]
        networks = {"GAN (warm-up, then adversarial)": lambda: AdversarialModel(
            models.generator(), models.discriminator(), dataclasses.replace(train.strategy(c), warmup_epochs=0))}
        shape = models.generator().input_shape[1:]
    rng = np.random.default_rng(0)
    x = rng.uniform(size=(c.batch_size * steps, *shape)).astype(np.float32)
    data = tf.data.Dataset.from_tensor_slices((x, x)).batch(c.batch_size).repeat().prefetch(2)
    timed = {}
    for name, make in networks.items():
        model = make()
        if isinstance(model, AdversarialModel):
            model.compile(keras.optimizers.Adam(2e-4), keras.optimizers.Adam(2e-4))
        else:
            model.compile(keras.optimizers.Adam(1e-3), loss="binary_crossentropy")
        model.fit(data, steps_per_epoch=3, epochs=1, verbose=0)

        def seconds(n: int, model: keras.Model = model) -> float:
            start = time.perf_counter()
            model.fit(data, steps_per_epoch=n, epochs=1, verbose=0)
            return time.perf_counter() - start

        # The difference of a fit of 3n steps and one of n steps: fit's own overhead cancels.
        timed[name] = statistics.median((seconds(3 * steps) - seconds(steps)) / (2 * steps) * 1000
                                        for _ in range(rounds))
    return timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bpgan-patches", type=int, default=101_622,
                        help="BPGAN's training patches an epoch (speech-default's, EXPERIMENTS.md)")
    parser.add_argument("--markdown", action="store_true", help="a Markdown table")
    parser.add_argument("--time-cpu", action="store_true",
                        help="also time the 5G and sine paper profiles' steps on this machine's CPU")
    args = parser.parse_args()
    if args.time_cpu:
        for paper in ("mimo5g", "sinedenoise"):
            for name, ms in cpu_step_ms(paper).items():
                print(f"{paper}: {name}: {ms:.1f} ms a step on this CPU")
    rows = mimo5g() + sinedenoise() + bpgan(args.bpgan_patches) + film() + specgan()
    if args.markdown:
        print("| paper | training | G / D forward, MMACs per example | batch | GMACs per step | steps | "
              "total, P MACs |")
        print("|---|---|---|---|---|---|---|")
    for r in rows:
        cells = (r.paper, r.what, f"{r.g / 1e6:,.1f} / {r.d / 1e6:,.1f}", r.batch, f"{r.step_macs() / 1e9:,.2f}",
                 f"{r.steps:,}", f"{r.total_macs() / 1e15:,.3f}")
        print("| " + " | ".join(str(c) for c in cells) + " |" if args.markdown else "  ".join(str(c) for c in cells))


if __name__ == "__main__":
    main()
