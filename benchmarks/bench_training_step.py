"""Cost of one adversarial training step: one generator pass shared by the discriminator's
and the generator's updates (what AdversarialModel does when the generator updates once per
step) against a separate pass for each, and the content-only step of a warm-up (the
discriminator idle), side by side on the same network and data.

Run: .venv/bin/python benchmarks/bench_training_step.py [--profile quick] [--steps 30] [--rounds 5]
The networks are BPGAN's (the suite's heaviest step on a CPU); random patches stand in for
speech, which does not change the cost.
"""

from __future__ import annotations

import argparse
import time

import keras
import numpy as np

from gansig.papers.bpgan import models, train
from gansig.papers.bpgan.config import PROFILES
from gansig.training import AdversarialModel, Strategy


class SeparatePasses(AdversarialModel):
    """The same training step with a generator pass for each update (the baseline)."""

    @property
    def _shares_fake(self) -> bool:
        return False


def build(model_class: type[AdversarialModel], profile: str, warmup: bool = False) -> AdversarialModel:
    config = PROFILES[profile]
    keras.utils.set_random_seed(0)
    network = train.codec_network(config)[0]
    model = model_class(network, models.discriminator(config), Strategy(
        gan_loss="lsgan", content_loss="mse", content_weight=config.mse_weight,
        feature_matching_weight=config.feature_matching_weight, warmup_epochs=int(warmup)))
    model.compile(keras.optimizers.Adam(config.learning_rate), keras.optimizers.Adam(config.learning_rate))
    return model


def ms_per_step(model: AdversarialModel, x: np.ndarray, batch: int) -> float:
    start = time.perf_counter()
    model.fit(x, x, batch_size=batch, epochs=1, verbose=0, shuffle=False)
    return (time.perf_counter() - start) / (len(x) // batch) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--profile", default="quick", choices=sorted(PROFILES))
    parser.add_argument("--steps", type=int, default=30, help="steps per timed round")
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds (the median is reported)")
    args = parser.parse_args()
    b = PROFILES[args.profile].batch_size
    variants = {"separate generator passes": build(SeparatePasses, args.profile),
                "one shared pass": build(AdversarialModel, args.profile),
                "warm-up (discriminator idle)": build(AdversarialModel, args.profile, warmup=True)}
    x = np.random.default_rng(0).uniform(-1, 1, (b * args.steps, 128, 128, 1)).astype(np.float32)
    for model in variants.values():
        ms_per_step(model, x[: 2 * b], b)  # trace the step
    times = {name: [] for name in variants}
    for _ in range(args.rounds):  # alternate, so a busy moment of the machine hits both
        for name, model in variants.items():
            times[name].append(ms_per_step(model, x, b))
    separate, shared, warmup = (float(np.median(t)) for t in times.values())
    print(f"BPGAN {args.profile} training step, batch {b}, median of {args.rounds} alternating rounds:")
    print(f"  separate generator passes     {separate:7.1f} ms/step")
    print(f"  one shared pass               {shared:7.1f} ms/step  ({separate / shared:.2f}x as fast)")
    print(f"  warm-up (discriminator idle)  {warmup:7.1f} ms/step  ({shared / warmup:.2f}x as fast as a shared pass)")


if __name__ == "__main__":
    main()
