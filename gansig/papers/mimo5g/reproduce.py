"""Regenerate Table II (GAN vs autoencoder, RMSE/MSE per testing-steps value), its summary,
the inference time, and the classical baselines the paper promised, from a real run."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from gansig import plots
from gansig.fileio import save_model
from gansig.listening import Examples
from gansig.papers.mimo5g import data, evaluate, models, reference, train
from gansig.papers.mimo5g.config import PROFILES, Config
from gansig.reproduction import Trained, start
from gansig.results import ResultsTable, bootstrap_ci, summarise
from gansig.seeding import derive

NAME = "mimo5g"
ABLATION = "Generator without GAN (BCE)"
DATASET = "synthetic sines in Gaussian noise (Algorithm 1), generated from the seed"


def reproduce(profile: str = "quick", out_dir: str | Path | None = None, seed: int = 0,
              verbose: int | str = "auto", **overrides) -> ResultsTable:
    """Train both models, score every method on every test set, write and print the table.

    Args:
        profile: ``"paper"``, ``"quick"`` (default; ~10 min on a 2-core CPU) or ``"smoke"``.
        out_dir: results directory (default ``results/mimo5g/PROFILE``).
        seed: seed of the data, the weights and the shuffling.
        verbose: Keras ``fit`` verbosity (0 silent, 1 progress bar, 2 a line per epoch).
        **overrides: config fields to change (see ``config.Config``).

    Returns:
        The results table (also written to ``out_dir``).
    """
    run = start(NAME, PROFILES, profile, out_dir, seed, DATASET, overrides, references=reference.REFERENCE)
    config: Config = run.config
    out, table = run.out, run.table

    run.log(f"profile {profile}: generating {config.n_train} training, {config.n_val} validation and "
            f"{sum(config.test_steps)} test signals")
    train_set = data.make_set(config, config.n_train, derive(seed, "train"))
    val_set = data.make_set(config, config.n_val, derive(seed, "val"))
    test_sets = {steps: data.make_set(config, steps, derive(seed, "test", steps)) for steps in config.test_steps}

    def gan_networks(folder: Path):
        run.log(f"training the GAN ({config.epochs} epochs)")
        gan, history = train.train_gan(config, train_set, val_set, seed=seed, work_dir=folder, verbose=verbose)
        return Trained({"generator": gan.generator, "discriminator": gan.discriminator}, history)

    def autoencoder_network(folder: Path, build=None, what: str = "the autoencoder"):
        run.log(f"training {what} ({config.ae_epochs} epochs)")
        network, history = train.train_autoencoder(config, train_set, val_set, seed=seed, work_dir=folder,
                                                    verbose=verbose, build=build)
        return Trained({"network": network}, history)

    gan, gan_history, _ = run.trained("gan", gan_networks)
    autoencoder, ae_history, _ = run.trained("autoencoder", autoencoder_network)
    denoisers = {"GAN": evaluate.model_denoiser(gan["generator"]),
                 "Autoencoder": evaluate.model_denoiser(autoencoder["network"])}
    histories = {"GAN": gan_history, "Autoencoder": ae_history}
    if config.generator_ablation:
        ablation = "the ablation: the GAN's generator alone with BCE"
        plain, histories[ABLATION], _ = run.trained("generator_bce", lambda folder: autoencoder_network(
            folder, lambda: models.generator(config, name="generator_bce"), ablation))
        denoisers[ABLATION] = evaluate.model_denoiser(plain["network"])
    denoisers["Noisy input"] = lambda s: s.noisy_images
    denoisers.update({name: evaluate.waveform_denoiser(config, name, derive(seed, "noise reference"))
                      for name in evaluate.BASELINES})

    run.log("scoring GAN, autoencoder, noisy input and classical baselines on every test set")
    per_method: dict[str, dict[str, list[float]]] = {m: {"RMSE": [], "MSE": []} for m in denoisers}
    first_estimates: dict[str, np.ndarray] = {}
    for steps, test_set in test_sets.items():
        for method, denoise in denoisers.items():
            estimate = denoise(test_set)
            if steps == config.test_steps[0]:
                first_estimates[method] = estimate
            row = f"{steps} / {method}"
            errors = evaluate.image_errors(test_set.clean_images, estimate)
            mse_ci = bootstrap_ci(errors, seed=seed)  # over the images; the RMSE's is its root
            spreads = {"MSE": mse_ci, "RMSE": None if mse_ci is None else [float(np.sqrt(v)) for v in mse_ci]}
            for metric, value in evaluate.scores(test_set.clean_images, estimate).items():
                per_method[method][metric].append(value)
                table.add(reference.TABLE_II, row, metric, value, n_eval=steps, ci=spreads[metric],
                          note="" if table.reference(reference.TABLE_II, row, metric) is not None
                          else "beyond the paper")

    for method, metrics in per_method.items():
        for metric, values in metrics.items():
            mean, spread = summarise(values)
            table.add(reference.SUMMARY, method, metric, mean, n_eval=len(values))
            table.add(reference.SUMMARY, method, f"{metric} ±", spread, n_eval=len(values))

    example = test_sets[config.test_steps[0]].noisy_images[0]
    for method, model in (("GAN", gan["generator"]), ("Autoencoder", autoencoder["network"])):
        table.add(reference.INFERENCE, method, reference.INFERENCE_MS,
                  evaluate.inference_ms(model, example, config.inference_repeats), n_eval=config.inference_repeats,
                  note="paper: < 100 ms on a mid-range GPU (an upper bound)" if method == "GAN" else "")

    gan_rows = per_method["GAN"]["RMSE"]
    ae_rows = per_method["Autoencoder"]["RMSE"]
    wins = sum(g < a for g, a in zip(gan_rows, ae_rows, strict=True))
    table.notes.append(f"GAN RMSE below the autoencoder's on {wins} of {len(gan_rows)} Table II rows; "
                       f"GAN mean RMSE {np.mean(gan_rows):.4f} (paper 0.1530).")

    run.log("writing figures, audio examples and models")
    _figures(config, test_sets[config.test_steps[0]], first_estimates, histories, out / "figures")
    first = test_sets[config.test_steps[0]]
    _listening(config, first, first_estimates, out / "audio", derive(seed, "noise reference"))
    save_model(gan["generator"], out / "models" / "generator.keras")
    save_model(gan["discriminator"], out / "models" / "discriminator.keras")
    save_model(autoencoder["network"], out / "models" / "autoencoder.keras")

    return run.finish()


LISTENED = ("GAN", "Autoencoder", "Wiener", "Spectral gating")
EXAMPLES = 2  # listening examples from the first test set


def _listening(config: Config, test_set: data.SignalSet, estimates: dict[str, np.ndarray], audio: Path,
               noise_seed: int) -> None:
    """The listening panel's examples: the clean and noisy signal, each image denoiser's output
    made audible (:func:`evaluate.image_audio`), the clean image through the same path (what a
    perfect image denoiser would sound like), the noisy image through it (the trivial output:
    the path reads every image on the clean images' scale, which alone removes much of the
    noise) and the classical denoisers' waveforms."""
    k = min(EXAMPLES, len(test_set))
    noisy = test_set.noisy[:k]
    audible = {f"{which} image, same path": evaluate.image_audio(images[:k], noisy, config)
               for which, images in (("clean", test_set.clean_images), ("noisy", test_set.noisy_images))}
    audible |= {name: evaluate.image_audio(estimates[name][:k], noisy, config) for name in LISTENED[:2]}
    audible |= {name: evaluate.classical(config, name, noise_seed)(noisy) for name in LISTENED[2:]}
    examples = Examples(audio)
    for i in range(k):
        segment = f"example {i + 1}"
        caption = (f"a {test_set.frequencies[i]:.0f} Hz sine in white noise (std {config.noise_std:g}), "
                   f"{config.duration:g} s; the images made audible as mel-band gains on the noisy STFT")
        examples.segment(segment, {"clean": test_set.clean[i], "noisy": noisy[i],
                                   **{name: x[i] for name, x in audible.items()}}, config.sample_rate,
                         stem=f"example{i + 1}", caption=caption)
    examples.write()


def _figures(config: Config, test_set: data.SignalSet, estimates: dict[str, np.ndarray],
             histories: dict[str, dict], figures: Path) -> None:
    """Figs. 3-8 of the paper: raw and normalised spectrograms, outputs, training curves."""
    k = min(config.figure_examples, len(test_set))
    raw_clean = np.asarray(data.db_mel_images(test_set.clean[:k], config))
    raw_noisy = np.asarray(data.db_mel_images(test_set.noisy[:k], config))
    plots.image_grid({"clean (dB mel)": raw_clean, "noisy (dB mel)": raw_noisy}, figures / "fig3_4_raw.png",
                     title="Clean and noisy spectrograms before normalisation (Figs. 3-4)")
    columns = {"clean": test_set.clean_images[:k], "noisy": test_set.noisy_images[:k]}
    columns.update({name: estimates[name][:k] for name in ("Autoencoder", "GAN", "Wiener", "Spectral gating")})
    plots.image_grid(columns, figures / "fig5_7_8_denoised.png", vmin=0.0, vmax=1.0,
                     title="Normalised spectrograms: input, outputs (Figs. 5, 7, 8) and two baselines")
    gan = histories["GAN"]
    panels = {"GAN: discriminator": {k: v for k, v in gan.items() if k.startswith("d_")},
              "GAN: generator content loss": {k: v for k, v in gan.items() if k.endswith("g_content")}}
    panels.update({f"{name} (BCE{', Fig. 6' if name == 'Autoencoder' else ''})": history
                   for name, history in histories.items() if name != "GAN"})
    plots.training_curves(panels, figures / "fig6_training.png", title="Training curves")
