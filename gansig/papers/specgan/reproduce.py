"""The report regenerated and measured: its model as reported and the canonical SpecGAN
(and a class-conditional one) trained on the same data, the report's RMSE and FID beside
its values with their floors, and in-domain scores from a classifier trained here against
a real test fold, beside the references a generator must beat."""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

import keras
import numpy as np

from gansig import metrics, plots, seeding
from gansig.data.inverse import Standardiser
from gansig.errors import ConfigError, DataError
from gansig.fileio import save_model
from gansig.listening import Examples
from gansig.papers.specgan import classifier, data, evaluate, frontend, reference, scores, train
from gansig.papers.specgan.config import PROFILES, RUNS, Config
from gansig.papers.specgan.data import CLASSES, Split
from gansig.papers.specgan.generate import SpecGenerator, image_for_display, write_examples
from gansig.reproduction import Run, Trained, data_digest, start
from gansig.results import ResultsTable

NAME = "specgan"
LABELS = {"report": reference.REPORT_MODEL, "specgan": "canonical SpecGAN", "conditional": "conditional SpecGAN",
          "gansig": reference.GANSIG}
SHOWN = 4  # examples per model in the figures
CLASSIFIER_FIELDS = ("train_folds", "test_folds", "specgan_rate", "specgan_samples", "classifier_rate",
                     "classifier_n_fft", "classifier_hop", "classifier_mels", "classifier_channels",
                     "classifier_epochs", "classifier_batch_size", "classifier_shift", "classifier_masks",
                     "classifier_mixup", "windows_per_clip")


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

    shown, curves, examples, conditional = {}, {}, {}, {}
    for name in run.selected:
        rc = run.run_config(name)
        generator, trained = _trained_generator(run, name, rc, train_split, verbose)
        curves[LABELS[name]] = {k: v for k, v in trained.history.items() if k in ("d_loss", "g_loss", "g_adv")}
        untrained = SpecGenerator(rc, _untrained(rc, seed, name), generator.moments)
        if rc.conditional:
            conditional[name] = generator
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
    if conditional:
        _class_conditional(run, conditional, model, train_split, test_split)
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
    data = data_digest(train_split.narrow, train_split.labels)
    model = run.trained("classifier", fit, work_dir=run.work_dir_of(own, data)).networks["classifier"]
    accuracy = classifier.accuracy(model, test_split, config, seeding.derive(run.seed, "accuracy"))
    predicted = classifier.clip_predictions(model, test_split, config)
    table = run.table
    table.add(reference.CLASSIFIER, "held-out accuracy (test fold, ten classes)", reference.ACCURACY, accuracy,
              n_eval=len(test_split.narrow) * config.windows_per_clip)
    table.add(reference.CLASSIFIER, "held-out accuracy (test fold, ten classes)", reference.CLIP_ACCURACY,
              float(np.mean(predicted == test_split.labels)), n_eval=len(test_split.narrow))
    for k, cls in enumerate(CLASSES):
        of_class = test_split.labels == k
        if np.any(of_class):
            table.add(reference.CLASSIFIER, cls, reference.CLIP_ACCURACY, float(np.mean(predicted[of_class] == k)),
                      n_eval=int(np.sum(of_class)))
    counts = np.zeros((len(CLASSES), len(CLASSES)), int)
    np.add.at(counts, (test_split.labels, predicted), 1)
    plots.confusion_matrix(counts, CLASSES, run.out / "figures" / "classifier_confusion.png",
                           title=f"The in-domain classifier on the test fold's clips ({len(predicted)})")
    run.log(f"classifier: held-out accuracy {accuracy:.3f} (windows), {np.mean(predicted == test_split.labels):.3f} "
            "(whole clips)")
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

    trained = run.trained(name, fit, work_dir=run.work_dir_of(config, data_digest(images, labels)))
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


def _class_conditional(run: Run, generators: dict[str, SpecGenerator], model: keras.Model, train_split: Split,
                       test_split: Split) -> None:
    """The class-conditional models against the DCASE 2023 Foley task's criteria, per class
    and as the mean over the classes, beside the references (another draw of real test
    windows, noise with each class's mean spectrum, the untrained gansig generator): fit (the
    classifier names the class), quality (FD to the class's training windows against the
    real test windows' floor), diversity and novelty (:func:`scores.class_scores`), and the
    classification accuracy score (a classifier of the same kind trained on the generated
    windows alone, tested on the real test fold)."""
    config: Config = run.config
    n = config.n_per_class
    rng = np.random.default_rng(seeding.derive(run.seed, "per class"))
    classes = [k for k in range(len(CLASSES)) if train_split.of_class(k) and test_split.of_class(k)]
    cut = lambda clips: frontend.windows(clips, config.specgan_samples, rng, n)  # noqa: E731
    embed = lambda windows: classifier.outputs(model, windows, config)  # noqa: E731
    real_train = {k: embed(cut(train_split.of_class(k)))[0] for k in classes}
    real_test = {k: embed(cut(test_split.of_class(k)))[0] for k in classes}
    noise_rng = np.random.default_rng(seeding.derive(run.seed, "class noise"))
    real = "real test clips (another draw of windows)"
    systems = {real: lambda k: cut(test_split.of_class(k)),
               "noise with the class's mean spectrum": lambda k: evaluate.mean_spectrum_noise(
                   cut(train_split.of_class(k)), n, config, noise_rng)}
    if "gansig" in generators:
        untrained = SpecGenerator(generators["gansig"].config, _untrained(generators["gansig"].config, run.seed,
                                                                          "gansig"))
        systems["gansig, untrained"] = lambda k: _windows(untrained, n, run.seed + k, np.full(n, k))
    trained = {LABELS[name]: generator for name, generator in generators.items()}
    for system, generator in trained.items():
        systems[system] = lambda k, g=generator: _windows(g, n, run.seed + k, np.full(n, k))
    table, real_fit = run.table, None
    for system, windows_of in systems.items():
        per, windows, labels = {}, [], []
        for k in classes:
            w = windows_of(k)
            embedded, probabilities = embed(w)
            per[k] = scores.class_scores(embedded, probabilities, k, real_train[k], real_test[k])
            windows.append(w)
            labels.append(np.full(len(w), k))
            if system in trained:
                for metric, value in ((reference.FIT, per[k].fit), (reference.CLASS_FD, per[k].fd),
                                      (reference.FLOOR_FD, per[k].floor), (reference.FD_RATIO, per[k].fd_ratio),
                                      (reference.DIVERSITY_RATIO, per[k].diversity),
                                      (reference.NOVELTY, per[k].novelty)):
                    table.add(reference.PER_CLASS, CLASSES[k], metric, value, run=system, n_eval=n)
        mean = lambda attribute, per=per: float(np.mean([getattr(per[k], attribute) for k in classes]))  # noqa: E731
        if system == real:  # the first system: what the classifier makes of real test clips
            real_fit = mean("fit")
        values = {reference.FIT: mean("fit"), reference.REAL_FIT: real_fit,
                  reference.WITHIN: float(sum(per[k].fd_ratio <= 3 for k in classes)),
                  reference.FD_RATIO: mean("fd_ratio"), reference.DIVERSITY_RATIO: mean("diversity"),
                  reference.NOVELTY: mean("novelty")}
        for metric, value in values.items():
            table.add(reference.CRITERIA, system, metric, value, n_eval=n * len(classes))
        if system == "gansig, untrained":
            table.not_measured(reference.CRITERIA, system, reference.CAS,
                               "its windows carry no class (fit and FD above); not worth a classifier's training")
        else:  # the real row's CAS classifier learns from as many real training windows (never the test fold)
            if system == real:
                windows = [cut(train_split.of_class(k)) for k in classes]
            cas = _classification_accuracy_score(run, np.concatenate(windows), np.concatenate(labels), test_split,
                                                 system)
            table.add(reference.CRITERIA, system, reference.CAS, cas, n_eval=n * len(classes),
                      note=f"trained on {n} real training windows a class" if system == real else "")
        run.log(f"{system}: " + ", ".join(f"{k} {v:.3g}" for k, v in values.items()))
        if system in trained:
            _criteria_verdict(run, system, values, [CLASSES[k] for k in classes if per[k].fd_ratio > 3])


def _classification_accuracy_score(run: Run, windows: np.ndarray, labels: np.ndarray, test_split: Split,
                                   system: str) -> float:
    """Ravuri & Vinyals's CAS: the held-out accuracy on the real test fold of a classifier of
    the same kind trained on ``windows`` alone (``cas_epochs``)."""
    config = dataclasses.replace(run.config, classifier_epochs=run.config.cas_epochs)
    keras.utils.set_random_seed(seeding.derive(run.seed, "cas", system))
    with tempfile.TemporaryDirectory() as folder:
        model, _ = classifier.fit(config, windows, labels, Path(folder), run.seed, verbose=0)
    accuracy = classifier.accuracy(model, test_split, config, seeding.derive(run.seed, "accuracy"))
    run.log(f"{system}: CAS {accuracy:.3f}")
    return accuracy


def _criteria_verdict(run: Run, system: str, values: dict[str, float], far: list[str]) -> None:
    """The issue's goals for a class-conditional model, met or missed, in the table's notes:
    from its means over the classes (``values``) and the classes over 3 x their FD floor."""
    fit, real_fit = values[reference.FIT], values[reference.REAL_FIT]
    diversity, novelty = values[reference.DIVERSITY_RATIO], values[reference.NOVELTY]
    goals = [(f"fit {fit:.2f} >= 0.8 x the classifier's {real_fit:.2f} on real clips", fit >= 0.8 * real_fit),
             ("every class's FD within 3 x its floor" + (f" (not: {', '.join(far)})" if far else ""), not far),
             (f"diversity {diversity:.2f} >= 0.7 of real", diversity >= 0.7),
             (f"nearest-training distance {novelty:.2f} >= 0.8 of real (no copying)", novelty >= 0.8)]
    met = sum(ok for _, ok in goals)
    run.table.notes.append(f"{system}: {met} of {len(goals)} goals met: "
                           + "; ".join(f"{text} {'(met)' if ok else '(MISSED)'}" for text, ok in goals))


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
    target = CLASSES.index(config.target_class)
    real = frontend.windows(train_split.of_class(target), config.specgan_samples, np.random.default_rng(0), SHOWN)
    for generator in examples.values():
        c = generator.config
        if c.model == "report" and "real (report images)" not in columns:
            columns["real (report images)"] = frontend.report_images(train_split.wide[:SHOWN], c)[..., 0]
        elif c.model == "specgan" and "real (canonical images)" not in columns and not c.conditional:
            columns["real (canonical images)"] = np.stack(
                [image_for_display(c, img) for img in frontend.specgan_images(real, c, generator.moments)])
        elif c.model == "gansig":
            columns["real (gansig images)"] = frontend.gansig_images(real, c)[..., 0]
    plots.image_grid(columns | shown, run.out / "figures" / "real_vs_generated.png", vmin=-1, vmax=1,
                     title="Real and generated spectrogram images (frequency up)")
    if curves:
        plots.training_curves(curves, run.out / "figures" / "training.png", title="Training curves")
    listening = Examples(run.out / "audio")
    target_segment = f"{config.target_class} (the report's class)"
    for k, clip in enumerate(train_split.wide[:config.n_examples]):
        listening.segment(target_segment, {f"real {k + 1}": frontend.peak_normalise(clip[None])[0]}, config.rate,
                          files={f"real {k + 1}": f"real_{k:02d}.wav"},
                          caption=f"real training clips of {config.target_class} beside each unconditional model's "
                                  "generated ones (each clip at its own peak level)")
    if any(g.conditional for g in examples.values()):  # real windows of each class, beside the generated ones
        rng = np.random.default_rng(seeding.derive(run.seed, "real examples"))
        for k, cls in enumerate(CLASSES):
            if train_split.of_class(k):
                for j, clip in enumerate(frontend.windows(train_split.of_class(k), config.specgan_samples, rng, 2)):
                    listening.segment(cls, {f"real {j + 1}": frontend.peak_normalise(clip[None])[0]},
                                      config.specgan_rate, files={f"real {j + 1}": f"real_{cls}_{j:02d}.wav"},
                                      caption=f"{cls}: real training windows beside the class-conditional "
                                              "models' generated ones (each clip at its own peak level)")
    for name, generator in examples.items():
        if generator.conditional:
            for path in write_examples(generator, 2 * len(CLASSES), run.out / "audio", seed=run.seed, prefix=name):
                if path.suffix == ".wav":  # NAME_NNN_CLASS.wav
                    number, cls = path.stem.removeprefix(f"{name}_").split("_", 1)
                    listening.index(cls, f"{LABELS[name]} {int(number) // len(CLASSES) + 1}", path.name,
                                    generator.rate)
        else:
            rng = np.random.default_rng(seeding.derive(run.seed, "examples", name))
            for k, clip in enumerate(generator.audio(generator.images(config.n_examples, rng), run.seed)):
                listening.segment(target_segment, {f"{LABELS[name]} {k + 1}": clip}, generator.rate,
                                  files={f"{LABELS[name]} {k + 1}": f"{name}_{k:02d}.wav"})
        generator.save(run.out / "models" / name)
    listening.write()
    save_model(model, run.out / "models" / "classifier.keras")


MIN_PIECES_PER_CLASS = 4  # a class's pieces of clip_ms the gansig model needs at least


def train_on_folder(audio_dir: str | Path, out_dir: str | Path, model: str = "gansig", profile: str = "quick",
                    seed: int = 0, verbose: int | str = "auto", **overrides) -> Path:
    """Train a generator on a user's audio, cut into pieces of ``clip_ms``, and save it,
    without the table: the class-conditional gansig model on ``audio_dir``'s sub-folders (one
    per class, named as the class), or the canonical SpecGAN or the report's model on every
    audio file under ``audio_dir``.

    Returns:
        The generator's folder (what ``generate --model`` takes).

    Raises:
        DataError: no folder, no audio in it, or (gansig) fewer than two class folders or a
            class with fewer than ``MIN_PIECES_PER_CLASS`` pieces.
        AudioError: a file that cannot be read (named).
    """
    folder = Path(audio_dir)
    classes = _class_folders(folder) if model == "gansig" else ()
    overrides = {**overrides, "model": model, "conditional": model == "gansig", "train_subset": None}
    if classes:
        overrides["classes"] = tuple(p.name for p in classes)
    run = start(NAME, PROFILES, profile, out_dir, seed, f"{audio_dir} (the user's audio)", overrides)
    config: Config = run.config

    def pieces(source: Path, rate: int) -> tuple[list[np.ndarray], int]:
        """Every file under ``source`` at ``rate`` cut into pieces of ``clip_ms``, and the file count."""
        clips, paths = data.folder_clips(source, rate)
        n = rate * config.clip_ms // 1000
        return [clip[s:s + n] for clip in clips for s in range(0, max(1, len(clip) - n // 2), n)], len(paths)

    if classes:
        narrow, labels, files = [], [], 0
        for k, source in enumerate(classes):
            cut, count = pieces(source, config.specgan_rate)
            if len(cut) < MIN_PIECES_PER_CLASS:
                raise DataError(f"{source}: {len(cut)} piece(s) of {config.clip_ms} ms, fewer than the "
                                f"{MIN_PIECES_PER_CLASS} a class needs; give it more or longer audio")
            narrow, labels, files = narrow + cut, labels + [k] * len(cut), files + count
        wide = np.zeros((0, config.clip_samples), np.float32)  # the report's images: not this model's
    else:
        narrow, files = pieces(folder, config.specgan_rate)
        wide = frontend.fit_length_list(pieces(folder, config.rate)[0], config.clip_samples)
        labels = [CLASSES.index(config.target_class)] * len(narrow)
    split = Split(wide, narrow, np.asarray(labels, np.int32))
    run.log(f"{files} files, {len(split.narrow)} pieces of {config.clip_ms} ms"
            + (f" in {len(classes)} classes: {', '.join(config.classes)}" if classes else ""))
    generator, _ = _trained_generator(run, model, config, split, verbose)
    generator.save(run.out / "models" / model)
    return run.commit() / "models" / model


def _class_folders(folder: Path) -> list[Path]:
    """The class folders of a labelled training folder (its sub-folders holding audio).

    Raises:
        DataError: not a folder, or fewer than two class folders.
    """
    if not folder.is_dir():
        raise DataError(f"{folder}: not a folder")
    classes = sorted(p for p in folder.iterdir() if p.is_dir() and any(q.is_file() for q in p.rglob("*")))
    if len(classes) < 2:
        raise DataError(f"{folder}: the gansig model learns classes from sub-folders (one per class, named as the "
                        f"class), and {folder} has {len(classes)}; put each class's audio in its own folder, or "
                        "train one sound with --model specgan")
    return classes
