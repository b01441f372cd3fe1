"""The SpecGAN paper profile's training steps on a GPU, to state what it costs.

The `paper` profile trains the report's model at its size (G 63.7 M, D 1.2 M parameters,
256 x 256 images, batch 8: one discriminator update with the one-sided gradient penalty,
then two generator updates) and Donahue's SpecGAN (dim 64, 128 x 128, batch 64: WGAN-GP
critic updates, one generator update every five). The GPU machine lent to gansig's
developers has no TensorFlow, so, as `bench_film_accelerator.py` does, this runs the same
networks under Keras's JAX backend: `export` writes both models' networks (Keras JSON) and
their schedules (here, with gansig); `time` rebuilds them there with Keras, JAX and
`gansig.layers` (which needs nothing else) and times the steps in float32.

Run:
  .venv/bin/python benchmarks/bench_specgan_accelerator.py export DIR [--profile paper]   # here
  KERAS_BACKEND=jax PYTHONPATH=. python benchmarks/bench_specgan_accelerator.py time DIR  # there
"""

from __future__ import annotations

import json
from pathlib import Path

import accelerator


def export(out: Path, profile: str) -> None:
    """Write each model's networks and the settings the timing and the totals need."""
    import dataclasses

    from gansig.papers.specgan import train
    from gansig.papers.specgan.config import PROFILES

    base = PROFILES[profile]
    out.mkdir(parents=True, exist_ok=True)
    specs = {}
    for model in ("report", "specgan"):
        c = dataclasses.replace(base, model=model)
        g, d = train.networks(c)
        images = c.train_subset if model == "report" else 1000 * c.windows_per_clip  # UrbanSound8K's 1,000 clips
        steps, epochs = train.schedule(c, images)
        if model == "specgan":  # timed below per critic update: a training step holds critic_steps of them
            steps *= c.critic_steps
        specs[model] = {"generator": g.to_json(), "discriminator": d.to_json(), "image": list(g.output_shape[1:]),
                        "latent": g.input_shape[-1], "batch_size": c.report_batch_size if model == "report"
                        else c.specgan_batch_size, "steps": steps * epochs}
        print(f"{model}: {specs[model]['image']}, {steps * epochs:,} training steps")
    (out / f"specgan_{profile}.json").write_text(json.dumps(specs))


def time_model(name: str, spec: dict, rounds: int, steps: int) -> float:
    """Milliseconds per training step (report: one D update and two G updates; SpecGAN: one
    critic update, and a fifth of a generator update)."""
    import jax
    import jax.numpy as jnp
    import keras
    import numpy as np

    import gansig.layers  # noqa: F401  (registers UpsampleConv for the JSON)

    G, D = keras.models.model_from_json(spec["generator"]), keras.models.model_from_json(spec["discriminator"])
    report = name == "report"
    lr, betas = (4e-4, (0.9, 0.999)) if report else (1e-4, (0.5, 0.9))
    opt_g, opt_d = (keras.optimizers.Adam(lr, beta_1=betas[0], beta_2=betas[1]) for _ in range(2))
    opt_g.build(G.trainable_variables)
    opt_d.build(D.trainable_variables)
    batch = spec["batch_size"]

    def score(dv, dn, x):
        return D.stateless_call(dv, dn, x, training=True)

    def penalty(dv, dn, real, fake, key):
        alpha = jax.random.uniform(key, (batch, 1, 1, 1))
        mixed = real + alpha * (fake - real)
        grads = jax.grad(lambda m: jnp.sum(score(dv, dn, m)[0]))(mixed)
        norm = jnp.sqrt(jnp.sum(grads**2, axis=(1, 2, 3)) + 1e-12)
        return jnp.mean(jnp.maximum(norm - 1, 0) ** 2) if report else jnp.mean((norm - 1) ** 2)

    def bce_logits(p, label):  # the report's from_logits BCE on a sigmoid output
        return jnp.mean(jnp.maximum(p, 0) - p * label + jnp.log1p(jnp.exp(-jnp.abs(p))))

    def d_loss(dv, dn, real, fake, key):
        r, dn = score(dv, dn, real)
        f, dn = score(dv, dn, fake)
        if report:
            loss = (1 - jnp.mean(r)) * bce_logits(r, 0.9) + jnp.mean(f) * bce_logits(f, 0.0)
            return loss + 25.0 * penalty(dv, dn, real, fake, key), dn
        return jnp.mean(f) - jnp.mean(r) + 10.0 * penalty(dv, dn, real, fake, key), dn

    def g_loss(gv, gn, dv, dn, z):
        fake, gn = G.stateless_call(gv, gn, z, training=True)
        f, _ = score(dv, dn, fake)
        return (bce_logits(f, 1.0) if report else -jnp.mean(f)), gn

    @jax.jit
    def d_step(state, batch_data):
        gv, gn, dv, dn, gopt, dopt = state
        real, z, key = batch_data
        fake, gn = G.stateless_call(gv, gn, z, training=True)
        (_, dn), grads = jax.value_and_grad(d_loss, has_aux=True)(dv, dn, real, jax.lax.stop_gradient(fake), key)
        dv, dopt = opt_d.stateless_apply(dopt, grads, dv)
        return gv, gn, dv, dn, gopt, dopt

    @jax.jit
    def g_step(state, batch_data):
        gv, gn, dv, dn, gopt, dopt = state
        _, z, _ = batch_data
        (_, gn), grads = jax.value_and_grad(g_loss, has_aux=True)(gv, gn, dv, dn, z)
        gv, gopt = opt_g.stateless_apply(gopt, grads, gv)
        return gv, gn, dv, dn, gopt, dopt

    def train_step(state, batch_data):
        state = d_step(state, batch_data)
        if report:
            return g_step(g_step(state, batch_data), batch_data)
        return state

    rng = np.random.default_rng(0)
    data = [(jnp.asarray(rng.uniform(-1, 1, (batch, *spec["image"])), jnp.float32),
             jnp.asarray(rng.normal(size=(batch, spec["latent"])), jnp.float32), jax.random.PRNGKey(i))
            for i in range(2)]
    state = ([v.value for v in G.trainable_variables], [v.value for v in G.non_trainable_variables],
             [v.value for v in D.trainable_variables], [v.value for v in D.non_trainable_variables],
             [v.value for v in opt_g.variables], [v.value for v in opt_d.variables])
    ms = accelerator.median_ms(train_step, state, data, rounds, steps)
    if not report:  # one generator update every five critic steps
        ms += accelerator.median_ms(g_step, state, data, rounds, steps) / 5
    return ms


def main() -> None:
    parser = accelerator.parser(__doc__, "models", rounds=3, steps=5)
    args = parser.parse_args()
    if args.mode == "export":
        export(args.dir, args.profile)
        return
    print(accelerator.describe_device())
    for path in sorted(args.dir.glob("specgan_*.json")):
        for name, spec in json.loads(path.read_text()).items():
            ms = time_model(name, spec, args.rounds, args.steps)
            hours = spec["steps"] * ms / 3.6e6
            print(f"{path.stem} {name}: {ms:9.2f} ms a step (batch {spec['batch_size']}) x {spec['steps']:,} steps "
                  f"= {hours:7.2f} h", flush=True)


if __name__ == "__main__":
    main()
