"""The film thesis's training steps on a GPU, to size its `paper` profile.

The `paper` profile trains the thesis's networks at full width for its ~104,000 epochs (its
chains: Exp 1-4 on 2 s segments of all seven cuts, Exp 5-9 and Exp 6's branches on 0.5 s
linear or log STFTs, Exp 10-11 on 40 x 47 MFCC maps). The GPU machine lent to gansig's
developers has no TensorFlow, so, as `bench_bpgan_accelerator.py` does, this runs the same
networks under Keras's JAX backend: `export` writes each architecture class's generator and
discriminator (Keras JSON) with its batch, generator steps, content weight, pairs per epoch
and the epochs of the chains that use it (here, with gansig); `time` rebuilds them there with
nothing but Keras and JAX and times one training step (the discriminator's BCE-with-logits
update on real and generated images, then the generator steps, each BCE + the content MSE;
Adam(0.5, 0.999)) in float32 (TensorFloat-32 matrix units, as TensorFlow's default there).

Run:
  .venv/bin/python benchmarks/bench_film_accelerator.py export DIR [--profile paper]   # here
  KERAS_BACKEND=jax python benchmarks/bench_film_accelerator.py time DIR [--rounds 5]    # there
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import accelerator

# Architecture classes: the chains that share a network's cost (gansig.papers.film.config.RUNS).
CLASSES = {
    "exp1-2 (G1/D1, 2 s, 7 cuts)": ("exp1", ["exp1", "exp2"]),
    "exp3-4 (G3/D3, 2 s, 7 cuts)": ("exp4", ["exp3", "exp4"]),
    "exp5-9 (G5/D5 STFT, 0.5 s)": ("exp5", ["exp5", "exp6", "exp6b", "exp6c", "exp6d", "exp6e", "exp7", "exp8",
                                            "exp9"]),
    "exp10-11 (G5/D5 MFCC, 0.5 s)": ("exp10", ["exp10", "exp11", "exp11b"]),
}


def export(out: Path, profile: str) -> None:
    """Write each class's networks and the settings the timing and the totals need."""
    import numpy as np

    from gansig.papers.film import frontend, models, train
    from gansig.papers.film.config import PROFILES, RUNS
    from gansig.profiles import run_config

    base = PROFILES[profile]
    out.mkdir(parents=True, exist_ok=True)
    train_seconds = 120.0 * (1 - base.heldout_fraction)  # film-default's 2 minutes, less the held-out fifth
    specs = {}
    for name, (example, chains) in CLASSES.items():
        c = run_config(base, RUNS, example)
        shape = frontend.shape(c)
        pairs = int(train_seconds // c.segment_s) * (len(c.cutoffs_hz) if c.all_cuts else 1)
        pairs = pairs if c.max_pairs is None else min(pairs, c.max_pairs)
        epochs = sum(np.subtract(*train.span(base, RUNS, chain)[::-1]) for chain in chains)
        specs[name] = {"generator": models.generator(c, shape).to_json(),
                       "discriminator": models.discriminator(c, shape).to_json(), "shape": list(shape),
                       "batch_size": c.batch_size, "generator_steps": c.generator_steps,
                       "content_weight": 100.0, "lr": 2e-4, "pairs": pairs, "epochs": int(epochs)}
        print(f"{name}: {shape}, {pairs} pairs an epoch, {epochs} epochs over {len(chains)} chains")
    (out / f"film_{profile}.json").write_text(json.dumps(specs))


def time_class(spec: dict, rounds: int, steps: int) -> float:
    """Milliseconds per training step of one architecture class."""
    import jax
    import jax.numpy as jnp
    import keras
    import numpy as np

    G, D = keras.models.model_from_json(spec["generator"]), keras.models.model_from_json(spec["discriminator"])
    opt_g, opt_d = (keras.optimizers.Adam(spec["lr"], beta_1=0.5, beta_2=0.999, epsilon=1e-8) for _ in range(2))
    opt_g.build(G.trainable_variables)
    opt_d.build(D.trainable_variables)
    w = spec["content_weight"]

    def bce(logits, label):
        return jnp.mean(jnp.maximum(logits, 0) - logits * label + jnp.log1p(jnp.exp(-jnp.abs(logits))))

    def generate(gv, gn, x):
        return G.stateless_call(gv, gn, x, training=True)

    def discriminate(dv, dn, x):
        return D.stateless_call(dv, dn, x, training=True)

    def d_loss(dv, dn, real, fake):
        r, dn = discriminate(dv, dn, real)
        f, dn = discriminate(dv, dn, fake)
        return bce(r, 1.0) + bce(f, 0.0), dn

    def g_loss(gv, gn, dv, dn, x, y):
        fake, gn = generate(gv, gn, x)
        score, _ = discriminate(dv, dn, fake)
        return bce(score, 1.0) + w * jnp.mean(jnp.square(fake - y)), gn

    @jax.jit
    def train_step(state, batch):
        gv, gn, dv, dn, gopt, dopt = state
        x, y = batch
        fake, gn = generate(gv, gn, x)
        (_, dn), d_grads = jax.value_and_grad(d_loss, has_aux=True)(dv, dn, y, jax.lax.stop_gradient(fake))
        dv, dopt = opt_d.stateless_apply(dopt, d_grads, dv)
        for _ in range(spec["generator_steps"]):
            (_, gn), g_grads = jax.value_and_grad(g_loss, has_aux=True)(gv, gn, dv, dn, x, y)
            gv, gopt = opt_g.stateless_apply(gopt, g_grads, gv)
        return gv, gn, dv, dn, gopt, dopt

    rng = np.random.default_rng(0)
    shape = (spec["batch_size"], *spec["shape"])
    batches = [(jnp.asarray(rng.normal(size=shape), jnp.float32), jnp.asarray(rng.normal(size=shape), jnp.float32))
               for _ in range(2)]
    state = ([v.value for v in G.trainable_variables], [v.value for v in G.non_trainable_variables],
             [v.value for v in D.trainable_variables], [v.value for v in D.non_trainable_variables],
             [v.value for v in opt_g.variables], [v.value for v in opt_d.variables])
    return accelerator.median_ms(train_step, state, batches, rounds, steps)


def main() -> None:
    parser = accelerator.parser(__doc__, "classes", rounds=5, steps=10)
    args = parser.parse_args()
    if args.mode == "export":
        export(args.dir, args.profile)
        return
    print(accelerator.describe_device())
    total_h = 0.0
    for path in sorted(args.dir.glob("film_*.json")):
        for name, spec in json.loads(path.read_text()).items():
            ms = time_class(spec, args.rounds, args.steps)
            steps = math.ceil(spec["pairs"] / spec["batch_size"]) * spec["epochs"]
            hours = steps * ms / 3.6e6
            total_h += hours
            print(f"{path.stem} {name}: {ms:9.2f} ms a step (batch {spec['batch_size']}, {spec['generator_steps']} G "
                  f"steps) x {steps:,} steps = {hours:8.2f} h", flush=True)
    print(f"all chains: {total_h:.1f} h")


if __name__ == "__main__":
    main()
