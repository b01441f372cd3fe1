"""The report regenerated and measured: its model as reported and the canonical SpecGAN
(and a class-conditional one) trained on the same data, the report's RMSE and FID beside
its values with their floors, and in-domain scores from a classifier trained here against
a real test fold, beside the references a generator must beat."""

from __future__ import annotations

from pathlib import Path

import keras
import numpy as np

from gansig import metrics, plots, seeding
from gansig.data import io
from gansig.data.inverse import Standardiser
from gansig.errors import ConfigError, DataError
from gansig.fileio import save_model
from gansig.papers.specgan import classifier, data, evaluate, frontend, reference, scores, train
from gansig.papers.specgan.config import PROFILES, RUNS, Config
from gansig.papers.specgan.data import CLASSES, Split
from gansig.papers.specgan.generate import SpecGenerator, image_for_display, write_examples
from gansig.reproduction import Run, Trained, start
from gansig.results import ResultsTable

NAME = "specgan"
LABELS = {"report": reference.REPORT_MODEL, "specgan": "canonical SpecGAN", "conditional": "conditional SpecGAN"}
SHOWN = 4  # examples per model in the figures
CLASSIFIER_FIELDS = ("train_folds", "test_folds", "specgan_rate", "specgan_samples", "classifier_rate",
                     "classifier_n_fft", "classifier_hop", "classifier_mels", "classifier_channels",
                     "classifier_epochs", "classifier_batch_size", "windows_per_clip")


def reproduce(profile: str = "quick", out_dir: str | Path | None = None, seed: int = 0,
              verbose: int | str = "auto", runs: list[str] | None = None, urbansound: str | Path | None = None,
              inception_weights: str | Path | None = None, **overrides) -> ResultsTable:
    """Train the classifier and the models, then score them.

    Args:
        profile: ``"paper"`` (the report's model at its size and Donahue's at his: GPU
            jobs), ``"quick"`` (default, ~20 min on 2 cores) or ``"smoke"``.
        out_dir: results directory (default ``results/specgan/PROFILE``).
        seed: seed of everything.
        verbose: Keras ``fit`` verbosity.
        runs: which of ``report``, ``specgan``, ``conditional`` to train (all when None).
        urbansound: an UrbanSound8K folder instead of the street-default stand-in.
        inception_weights: ImageNet InceptionV3 "notop" weights (.h5) for the report's FID;
            without them that cell is "not measured".
        **overrides: config fields to change.

    Returns:
        The results table (also written to ``out_dir``).
    """
    if inception_weights is not None and not Path(inception_weights).is_file():  # refused before any training
        raise ConfigError(f"{inception_weights}: no such InceptionV3 weights file")
    run = start(NAME, PROFILES, profile, out_dir, seed, "", overrides, references=reference.REFERENCE, runs=RUNS,
                selected=runs)
    config: Config = run.config
    train_split, test_split, run.table.dataset = data.load(config, urbansound)
    target = CLASSES.index(config.target_class)
    run.log(f"profile {profile}: {len(train_split.narrow)} training and {len(test_split.narrow)} test clips "
            f"({len(train_split.wide)} / {len(test_split.wide)} of {config.target_class}); "
            f"runs {', '.join(run.selected)}")

    model = _classifier(run, train_split, test_split, verbose)
    n = config.n_eval
    rng = np.random.default_rng(seeding.derive(seed, "real windows"))
    real_test = frontend.windows(test_split.of_class(target), config.specgan_samples, rng, n)
    real_train = frontend.windows(train_split.of_class(target), config.specgan_samples, rng, n)
    scorer = evaluate.Scorer(model, config, real_test, target, seed)
    run.log(f"scoring every set as {n} windows of {config.specgan_samples} samples at {config.specgan_rate} Hz "
            f"against {n} from the test fold's {len(test_split.of_class(target))} {config.target_class} clips")
    _in_domain(run, "real: training folds (the floor)", scorer(real_train), n)
    noise = evaluate.mean_spectrum_noise(real_train, n, config, np.random.default_rng(seeding.derive(seed, "noise")))
    _in_domain(run, "noise with the training set's mean spectrum", scorer(noise), n)

    shown, curves, examples = {}, {}, {}
    for name in run.selected:
        rc = run.run_config(name)
        generator, trained = _trained_generator(run, name, rc, train_split, verbose)
        curves[LABELS[name]] = {k: v for k, v in trained.history.items() if k in ("d_loss", "g_loss", "g_adv")}
        untrained = SpecGenerator(rc, _untrained(rc, seed, name), generator.moments)
        if rc.conditional:
            _conditional(run, generator, scorer, train_split, test_split)
            labels = np.full(n, target)
        else:
            labels = None
            _report_numbers(run, name, generator, train_split, test_split, inception_weights)
            _in_domain(run, f"{LABELS[name]}, untrained", scorer(_windows(untrained, n, seed, None)), n)
            through = "report" if rc.model == "report" else "canonical"
            resynthesised = _through_front_end(generator, train_split.wide if rc.model == "report" else real_train,
                                               seed)
            _in_domain(run, f"real training clips through the {through} images and Griffin-Lim",
                       scorer(resynthesised), n)
        label = LABELS[name] + (f" ({config.target_class})" if rc.conditional else "")
        _in_domain(run, label, scorer(_windows(generator, n, seed, labels)), n)
        sample_rng = np.random.default_rng(seeding.derive(seed, "shown", name))
        images = generator.images(SHOWN, sample_rng, None if labels is None else labels[:SHOWN])
        shown[label] = np.stack([image_for_display(rc, img) for img in images])
        examples[name] = generator
    _verdict(run)
    _outputs(run, train_split, shown, curves, examples, model)
    return run.finish()


# ---- training -----------------------------------------------------------------------------------


def _classifier(run: Run, train_split: Split, test_split: Split, verbose) -> keras.Model:
    config: Config = run.config
    run.log(f"the in-domain classifier: {len(CLASSES)} classes, {config.classifier_epochs} epochs")

    def fit(folder):
        keras.utils.set_random_seed(seeding.derive(run.seed, "classifier"))
        model, history = classifier.train(config, train_split, folder, run.seed, verbose)
        return Trained({"classifier": model}, history)

    own = Config(**{f: getattr(config, f) for f in CLASSIFIER_FIELDS})  # kept across changes to the generators
    model = run.trained("classifier", fit, work_dir=run.work_dir_of(own)).networks["classifier"]
    accuracy = classifier.accuracy(model, test_split, config, seeding.derive(run.seed, "accuracy"))
    run.table.add(reference.CLASSIFIER, "held-out accuracy (test fold, ten classes)", reference.ACCURACY, accuracy,
                  n_eval=len(test_split.narrow) * config.windows_per_clip)
    run.log(f"classifier: held-out accuracy {accuracy:.3f}")
    return model


def _trained_generator(run: Run, name: str, config: Config, split: Split, verbose) -> tuple[SpecGenerator, Trained]:
    images, labels, extra = train.training_images(config, split, seeding.derive(run.seed, "images", name))
    if config.model == "specgan" and len(images) < config.critic_steps:  # each critic step takes rows of a batch
        raise DataError(f"{run.table.dataset}: {len(images)} training image(s), fewer than the canonical model's "
                        f"{config.critic_steps} critic steps need; give more or longer audio")
    steps, epochs = train.schedule(config, len(images))
    run.log(f"{name}: {len(images)} training images of {images.shape[1]} x {images.shape[2]}, {epochs} epochs of "
            f"{steps} steps")

    def fit(folder):
        keras.utils.set_random_seed(seeding.derive(run.seed, "train", name))
        networks, history = train.train_gan(config, images, labels, folder, run.seed, verbose)
        return Trained(networks, history, extra)

    trained = run.trained(name, fit, work_dir=run.work_dir_of(config))
    moments = trained.extra.get("moments")
    return SpecGenerator(config, trained.networks["generator"],
                         None if moments is None else Standardiser.from_dict(moments)), trained


def _untrained(config: Config, seed: int, name: str) -> keras.Model:
    """The run's generator as initialised, before any training (a reference)."""
    keras.utils.set_random_seed(seeding.derive(seed, "untrained", name))
    return train.networks(config)[0]


# ---- scoring ------------------------------------------------------------------------------------


def _windows(generator: SpecGenerator, n: int, seed: int, labels: np.ndarray | None) -> np.ndarray:
    rng = np.random.default_rng(seeding.derive(seed, "generate", generator.config.model, labels is not None))
    return generator.windows(generator.images(n, rng, labels), rng, seed)


def _through_front_end(generator: SpecGenerator, real: np.ndarray, seed: int) -> np.ndarray:
    """Real training audio turned into the model's images and back: what a generator that
    reproduced its training images exactly would score after the same inversion (to set
    beside the real-train floor): the report's 4 s clips, or the canonical model's 16 kHz
    windows."""
    config = generator.config
    rng = np.random.default_rng(seeding.derive(seed, "through", config.model))
    if config.model == "report":
        clips = real[rng.permutation(len(real))[np.arange(config.n_eval) % len(real)]]
        return frontend.report_windows(frontend.report_images(clips, config), config, rng, seed)
    return frontend.specgan_audio(frontend.specgan_images(real, config, generator.moments), config,
                                  generator.moments, seed)


def _in_domain(run: Run, row: str, values: dict[str, float], n: int) -> None:
    for metric, value in values.items():
        run.table.add(reference.in_domain(run.config.target_class), row, metric, value, n_eval=n)
    run.log(f"{row}: " + ", ".join(f"{k} {v:.4g}" for k, v in values.items()))


def _report_numbers(run: Run, name: str, generator: SpecGenerator, train_split: Split, test_split: Split,
                    inception_weights: str | Path | None) -> None:
    """The report's RMSE (and FID with the user's InceptionV3 weights) in the model's own
    image space, with the real-vs-real floor and the nearest-training-image check."""
    config = generator.config
    rng = np.random.default_rng(seeding.derive(run.seed, "report numbers", name))
    if config.model == "report":
        real_train = frontend.report_images(data.report_subset(train_split.wide, config), config)
        real_test = frontend.report_images(test_split.wide, config)
    else:
        target = CLASSES.index(config.target_class)
        cut = lambda clips: frontend.windows(clips, config.specgan_samples, rng, config.n_eval // 4)  # noqa: E731
        real_train = frontend.specgan_images(cut(train_split.of_class(target)), config, generator.moments)
        real_test = frontend.specgan_images(cut(test_split.of_class(target)), config, generator.moments)
    fake = generator.images(config.n_eval, rng)
    model_row = LABELS[name] if config.model == "report" else f"{LABELS[name]} (its own images)"
    floor_row = f"real test vs real training images ({'report' if config.model == 'report' else 'canonical'} images)"
    table = run.table
    table.add(reference.REPORT_TABLE, model_row, reference.RMSE, scores.pixel_rmse(fake, real_train, rng),
              run=name, n_eval=len(fake))
    table.add(reference.REPORT_TABLE, model_row, reference.NEAREST, scores.nearest_rmse(fake, real_train), run=name,
              n_eval=len(fake))
    table.add(reference.REPORT_TABLE, floor_row, reference.RMSE, scores.pixel_rmse(real_test, real_train, rng),
              n_eval=len(real_test))
    table.add(reference.REPORT_TABLE, floor_row, reference.NEAREST, scores.nearest_rmse(real_test, real_train),
              n_eval=len(real_test))
    table.add(reference.REPORT_TABLE, model_row, reference.DIVERSITY, scores.diversity_rmse(fake, rng), run=name,
              n_eval=len(fake))
    table.add(reference.REPORT_TABLE, floor_row, reference.DIVERSITY, scores.diversity_rmse(real_test, rng),
              n_eval=len(real_test))
    if config.model != "report":
        return
    if inception_weights is None:
        table.not_measured(reference.REPORT_TABLE, model_row, reference.FID,
                           "needs ImageNet InceptionV3 weights, which cannot be downloaded here: pass "
                           "--inception-weights FILE (inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5)",
                           run=name)
        return
    pool = frontend.report_images(train_split.wide, config)
    m = min(len(pool), config.n_eval)
    run.log(f"FID with ImageNet InceptionV3 on {m} generated and {m} real images")
    real_features = scores.inception_features(pool[:m], inception_weights)
    fake_features = scores.inception_features(fake[:m], inception_weights)
    table.add(reference.REPORT_TABLE, model_row, reference.FID, metrics.frechet_distance(fake_features, real_features),
              run=name, n_eval=m, note=f"N = {m} for both sets; FID is biased upward at small N")


def _conditional(run: Run, generator: SpecGenerator, scorer: evaluate.Scorer, train_split: Split,
                 test_split: Split) -> None:
    """Per class: how often the classifier names the asked class, and the class's FD against
    its real test clips beside the real-train floor; the inception score over all classes."""
    config = generator.config
    n = config.n_per_class
    rng = np.random.default_rng(seeding.derive(run.seed, "conditional"))
    every = []
    for k, cls in enumerate(CLASSES):
        if not test_split.of_class(k) or not train_split.of_class(k):
            continue
        windows = generator.windows(generator.images(n, rng, np.full(n, k)), rng, run.seed)
        embedded, probabilities = classifier.outputs(scorer.model, windows, config)
        real_test, _ = classifier.outputs(scorer.model, frontend.windows(test_split.of_class(k),
                                                                         config.specgan_samples, rng, n), config)
        real_train, _ = classifier.outputs(scorer.model, frontend.windows(train_split.of_class(k),
                                                                          config.specgan_samples, rng, n), config)
        table = run.table
        table.add(reference.CONDITIONAL, cls, reference.ACCURACY, float(np.mean(probabilities.argmax(1) == k)),
                  run="conditional", n_eval=n)
        table.add(reference.CONDITIONAL, cls, reference.FD, metrics.frechet_distance(embedded, real_test),
                  run="conditional", n_eval=n)
        table.add(reference.CONDITIONAL, cls, reference.FLOOR_FD, metrics.frechet_distance(real_train, real_test),
                  run="conditional", n_eval=n)
        every.append(probabilities)
    if every:
        probabilities = np.concatenate(every)
        run.table.add(reference.CONDITIONAL, "all classes", reference.IS, metrics.inception_score(probabilities),
                      run="conditional", n_eval=len(probabilities))


def _verdict(run: Run) -> None:
    """Whether each trained model beats the references on FD and KID, in words."""
    table = run.table
    name = reference.in_domain(run.config.target_class)
    values = {r.row: {} for r in table.rows if r.table == name}
    for r in table.rows:
        if r.table == name and r.measured is not None:
            values[r.row][r.metric] = r.measured
    noise = values.get("noise with the training set's mean spectrum", {})
    for label in LABELS.values():
        mine = values.get(label)
        untrained = values.get(f"{label}, untrained")
        if not mine or not untrained:
            continue
        beats = [f"{what} on {metric}" for what, ref in (("the mean-spectrum noise", noise),
                                                         ("its untrained generator", untrained))
                 for metric in (reference.FD, reference.KID) if mine[metric] < ref[metric]]
        misses = 4 - len(beats)
        table.notes.append(f"{label}: beats {', '.join(beats) if beats else 'no reference'}"
                           + (f" ({misses} of the 4 comparisons missed)" if misses else " (all four comparisons)"))
    report, canonical = values.get(LABELS["report"]), values.get(LABELS["specgan"])
    if report and canonical:
        better = [m for m in (reference.FD, reference.KID) if canonical[m] < report[m]]
        table.notes.append(f"canonical SpecGAN vs the report's model: lower {' and '.join(better)}" if better else
                           "canonical SpecGAN vs the report's model: the report's model scores lower on FD and KID")


# ---- figures, audio and models ------------------------------------------------------------------


def _outputs(run: Run, train_split: Split, shown: dict[str, np.ndarray], curves: dict, examples: dict,
             model: keras.Model) -> None:
    config: Config = run.config
    run.log("writing figures, audio examples and models")
    columns = {}
    for generator in examples.values():
        c = generator.config
        if c.model == "report" and "real (report images)" not in columns:
            columns["real (report images)"] = frontend.report_images(train_split.wide[:SHOWN], c)[..., 0]
        elif c.model == "specgan" and "real (canonical images)" not in columns and not c.conditional:
            target = CLASSES.index(config.target_class)
            cut = frontend.windows(train_split.of_class(target), c.specgan_samples, np.random.default_rng(0), SHOWN)
            columns["real (canonical images)"] = np.stack(
                [image_for_display(c, img) for img in frontend.specgan_images(cut, c, generator.moments)])
    plots.image_grid(columns | shown, run.out / "figures" / "real_vs_generated.png", vmin=-1, vmax=1,
                     title="Real and generated spectrogram images (frequency up)")
    if curves:
        plots.training_curves(curves, run.out / "figures" / "training.png", title="Training curves")
    for name, generator in examples.items():
        if generator.conditional:
            write_examples(generator, len(CLASSES), run.out / "audio", seed=run.seed, prefix=name)
        else:
            rng = np.random.default_rng(seeding.derive(run.seed, "examples", name))
            for k, clip in enumerate(generator.audio(generator.images(config.n_examples, rng), run.seed)):
                io.save(run.out / "audio" / f"{name}_{k:02d}.wav", clip, generator.rate)
        generator.save(run.out / "models" / name)
    for k, clip in enumerate(train_split.wide[:config.n_examples]):
        io.save(run.out / "audio" / f"real_{k:02d}.wav", frontend.peak_normalise(clip[None])[0], config.rate)
    save_model(model, run.out / "models" / "classifier.keras")


def train_on_folder(audio_dir: str | Path, out_dir: str | Path, model: str = "specgan", profile: str = "quick",
                    seed: int = 0, verbose: int | str = "auto", **overrides) -> Path:
    """Train a generator (the canonical SpecGAN, or the report's model) on every audio file
    under ``audio_dir``, cut into pieces of ``clip_ms``, and save it, without the table.

    Returns:
        The generator's folder (what ``generate --model`` takes).

    Raises:
        DataError: no folder, or no audio in it.
        AudioError: a file that cannot be read (named).
    """
    overrides = {**overrides, "model": model, "conditional": False, "train_subset": None}
    run = start(NAME, PROFILES, profile, out_dir, seed, f"{audio_dir} (the user's audio)", overrides)
    config: Config = run.config
    target = CLASSES.index(config.target_class)
    pieces = {}
    for rate in (config.rate, config.specgan_rate):
        clips, paths = data.folder_clips(audio_dir, rate)
        n = rate * config.clip_ms // 1000
        pieces[rate] = [clip[start:start + n] for clip in clips for start in range(0, max(1, len(clip) - n // 2), n)]
    split = Split(frontend.fit_length_list(pieces[config.rate], config.clip_samples), pieces[config.specgan_rate],
                  np.full(len(pieces[config.specgan_rate]), target, np.int32))
    run.log(f"{len(paths)} files, {len(split.narrow)} pieces of {config.clip_ms} ms")
    generator, _ = _trained_generator(run, model, config, split, verbose)
    generator.save(run.out / "models" / model)
    return run.commit() / "models" / model
