"""BPGAN's training step and ADMM search step on a GPU, to size the `paper` profile.

The `paper` profile (the original's widths, 160 epochs over every training patch) is
meant for a GPU. The GPU machine lent to gansig's developers has no TensorFlow (and
nothing can be fetched there), so this benchmark runs the same networks under Keras's JAX
backend: `export` writes the profiles' encoder, generator and discriminator as Keras JSON
(with gansig, here), `time` rebuilds them there with nothing but Keras, JAX and
`gansig.layers`, and times a training step (one generator pass; least-squares GAN loss,
feature matching and MSE with the profile's weights; Adam on both networks) and the ADMM
search's step (Adam on the latents of a batch of patches through the generator) in float32
(JAX's default precision, TensorFloat-32 matrix units on such a GPU, as TensorFlow's).
The quantiser (a few element-wise operations) is left out. A TensorFlow GPU user can time
gansig's own step instead: `bench_training_step.py --profile paper`.

Run:
  .venv/bin/python benchmarks/bench_bpgan_accelerator.py export DIR      # here (TensorFlow)
  KERAS_BACKEND=jax PYTHONPATH=. python benchmarks/bench_bpgan_accelerator.py time DIR [--rounds 5]
      (there: Keras and JAX; gansig itself is not installed, only its layers are imported)
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import accelerator

PROFILES = ("paper", "quick")


def export(out: Path) -> None:
    """Write each profile's three networks (Keras JSON) and the settings the timing needs."""
    from gansig.papers.bpgan import data, models
    from gansig.papers.bpgan.config import PROFILES as CONFIGS

    out.mkdir(parents=True, exist_ok=True)
    items = data.utterances("train")
    for name in PROFILES:
        c = CONFIGS[name]
        limit = None if c.train_patches is None else c.train_patches
        patches = len(data.training_patches(items, c.train_stride_frames, limit, seed=0))
        spec = {"networks": {"encoder": models.encoder(c).to_json(), "generator": models.generator(c).to_json(),
                             "discriminator": models.discriminator(c).to_json()},
                "batch_size": c.batch_size, "epochs": c.epochs, "learning_rate": c.learning_rate,
                "beta_1": c.beta_1, "adversarial_weight": c.adversarial_weight,
                "feature_matching_weight": c.feature_matching_weight, "mse_weight": c.mse_weight,
                "admm_iterations": c.admm_iterations, "admm_learning_rate": c.admm_learning_rate,
                "admm_mse_weight": c.admm_mse_weight, "admm_rho": c.admm_rho, "train_patches": patches}
        (out / f"{name}.json").write_text(json.dumps(spec))
        print(f"{name}: {patches} training patches (speech-default) -> {out / f'{name}.json'}")


def time_profile(spec: dict, rounds: int, steps: int, search_patches: int) -> dict:
    """Training-step and search-step times (ms) of one exported profile."""
    import jax
    import jax.numpy as jnp
    import keras
    import numpy as np

    import gansig.layers  # noqa: F401  (registers ConvBlock and ResidualBlock for the JSON)

    E, G, D = (keras.models.model_from_json(spec["networks"][k]) for k in ("encoder", "generator", "discriminator"))
    opt_g = keras.optimizers.Adam(spec["learning_rate"], beta_1=spec["beta_1"])
    opt_d = keras.optimizers.Adam(spec["learning_rate"], beta_1=spec["beta_1"])
    g_vars, d_vars = E.trainable_variables + G.trainable_variables, D.trainable_variables
    opt_g.build(g_vars)
    opt_d.build(d_vars)
    n_e = len(E.trainable_variables)
    w_adv, w_fm, w_mse = spec["adversarial_weight"], spec["feature_matching_weight"], spec["mse_weight"]

    def generate(gv, x):
        z, _ = E.stateless_call(gv[:n_e], [], x, training=True)
        return G.stateless_call(gv[n_e:], [], z, training=True)[0]

    def discriminate(dv, x):
        out, _ = D.stateless_call(dv, [], x, training=True)
        return out["scores"], out["features"]

    def g_loss(gv, dv, x):
        fake = generate(gv, x)
        scores, features = discriminate(dv, fake)
        _, real_features = discriminate(dv, x)
        adv = sum(jnp.mean(jnp.square(s - 1)) for s in scores)
        fm = sum(jnp.mean(jnp.abs(f - jax.lax.stop_gradient(r))) for f, r in zip(features, real_features, strict=True))
        return w_adv * adv + w_fm * fm / len(features) + w_mse * jnp.mean(jnp.square(fake - x)), fake

    def d_loss(dv, fake, x):
        real, _ = discriminate(dv, x)
        generated, _ = discriminate(dv, fake)
        return 0.5 * sum(jnp.mean(jnp.square(r - 1)) + jnp.mean(jnp.square(g))
                         for r, g in zip(real, generated, strict=True))

    @jax.jit
    def train_step(state, x):
        gv, dv, gopt, dopt = state
        (_, fake), g_grads = jax.value_and_grad(g_loss, has_aux=True)(gv, dv, x)
        d_grads = jax.grad(d_loss)(dv, jax.lax.stop_gradient(fake), x)
        gv, gopt = opt_g.stateless_apply(gopt, g_grads, gv)
        dv, dopt = opt_d.stateless_apply(dopt, d_grads, dv)
        return gv, dv, gopt, dopt

    g_weights = [v.value for v in G.trainable_variables]
    lr, mse_w, rho = spec["admm_learning_rate"], spec["admm_mse_weight"], spec["admm_rho"]

    @jax.jit
    def search_step(state, x):  # one ADMM iteration: Adam on z, then the dual update
        z, eta, m, v, t = state

        def loss(z):
            y = G.stateless_call(g_weights, [], z, training=False)[0]
            big_z = jnp.round(z * 15) / 15  # stands in for Q: same cost class
            return mse_w * jnp.mean(jnp.square(y - x)) + rho / 2 * jnp.sum(jnp.square(z - big_z + eta))

        g = jax.grad(loss)(z)
        t = t + 1
        m, v = 0.9 * m + 0.1 * g, 0.999 * v + 0.001 * g * g
        z = z - lr * (m / (1 - 0.9**t)) / (jnp.sqrt(v / (1 - 0.999**t)) + 1e-7)
        eta = eta + z - jnp.round(z * 15) / 15
        return z, eta, m, v, t

    rng = np.random.default_rng(0)
    b = spec["batch_size"]
    batches = [jnp.asarray(rng.uniform(-1, 1, (b, 128, 128, 1)), jnp.float32) for _ in range(4)]
    state = ([v.value for v in g_vars], [v.value for v in d_vars],
             [v.value for v in opt_g.variables], [v.value for v in opt_d.variables])
    train_ms = accelerator.median_ms(train_step, state, batches, rounds, steps)
    targets = [jnp.asarray(rng.uniform(-1, 1, (search_patches, 128, 128, 1)), jnp.float32) for _ in range(2)]
    z0 = jnp.asarray(rng.uniform(0, 1, (search_patches,) + tuple(G.input_shape[1:])), jnp.float32)
    zeros = jnp.zeros_like(z0)
    search_ms = accelerator.median_ms(search_step, (z0, zeros, zeros, zeros, jnp.float32(0)), targets, rounds, steps)
    return {"train_ms": train_ms, "search_ms": search_ms}


def report(name: str, spec: dict, t: dict, search_patches: int) -> str:
    """One profile's timings and what they mean for a full run."""
    steps_per_epoch = math.ceil(spec["train_patches"] / spec["batch_size"])
    train_h = spec["epochs"] * steps_per_epoch * t["train_ms"] / 3.6e6
    per_patch_s = t["search_ms"] / search_patches * spec["admm_iterations"] / 1000
    return (f"{name:6s} training step (batch {spec['batch_size']}) {t['train_ms']:8.2f} ms -> "
            f"{spec['epochs']} epochs x {steps_per_epoch} steps = {train_h:6.2f} h | ADMM iteration "
            f"({search_patches} patches) {t['search_ms']:7.2f} ms -> {spec['admm_iterations']} iterations: "
            f"{per_patch_s:.3f} s per 1.024 s patch (real-time factor {per_patch_s / 1.024:.3f})")


def main() -> None:
    parser = accelerator.parser(__doc__, "profiles", rounds=5, steps=20, profile=False)
    parser.add_argument("--search-patches", type=int, default=64, help="patches searched together (admm_chunk_patches)")
    args = parser.parse_args()
    if args.mode == "export":
        export(args.dir)
        return
    print(accelerator.describe_device())
    for name in PROFILES:
        spec = json.loads((args.dir / f"{name}.json").read_text())
        t = time_profile(spec, args.rounds, args.steps, args.search_patches)
        print(report(name, spec, t, args.search_patches), flush=True)


if __name__ == "__main__":
    main()
