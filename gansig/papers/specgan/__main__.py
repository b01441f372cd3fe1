"""``python -m gansig.papers.specgan``: the report's numbers and the in-domain scores
(``reproduce``), spectrograms and audio from a trained generator (``generate``), the
in-domain scores of any two folders of audio (``evaluate``) and a generator trained on your
own audio (``train``)."""

from __future__ import annotations

import argparse
import sys

from gansig.cli import Option, PaperCLI, Verb, add_run_arguments, count, fit_verbosity, seed
from gansig.registry import paper_info

CLASS_NAMES = ("air_conditioner", "car_horn", "children_playing", "dog_bark", "drilling", "engine_idling",
               "gun_shot", "jackhammer", "siren", "street_music")  # UrbanSound8K's (checked against the loader's)
MAX_CLIPS = 10_000_000   # generate -n: ten million clips of about 1 s (about 330 GB of WAV)
MAX_WINDOWS = 16_384     # evaluate -n / --n-per-class: 16,384 windows of 16,384 samples, 1 GiB a set in memory


def _generate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-n", type=count(1, MAX_CLIPS), default=16,
                        help=f"how many clips, 1-{MAX_CLIPS:,} (default 16); written block by block, in flat memory")
    parser.add_argument("--out", required=True, help="folder for the WAVs and the PNG grid")
    parser.add_argument("--class", dest="class_name", metavar="CLASS",
                        help="a class of a conditional model (the quick run's: " + ", ".join(CLASS_NAMES) + "), or "
                             "all: -n of every class (default: the classes in turn)")
    parser.add_argument("--model", metavar="DIR", help="a generator folder, exported (a `train` run's, or a "
                                                       "reproduction's models/gansig after `python -m gansig models "
                                                       "export`; default: the shipped specgan-gansig)")
    parser.add_argument("--seed", type=seed, default=0)


def _generate(args: argparse.Namespace) -> int:
    from gansig.fileio import check_output_dir
    from gansig.papers.specgan.generate import SpecGenerator, write_examples

    check_output_dir(args.out)
    model = SpecGenerator.load(args.model)
    for path in write_examples(model, args.n, args.out, class_name=args.class_name, seed=args.seed):
        print(path)
    return 0


def _evaluate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("real_dir", help="a folder of real audio (any format; searched recursively)")
    parser.add_argument("generated_dir", help="a folder of generated audio")
    parser.add_argument("--classifier", help="the classifier (default: the quick run's, "
                                             "results/specgan/quick/models/classifier.keras)")
    parser.add_argument("-n", type=count(1, MAX_WINDOWS), default=2048,
                        help=f"windows per set, 1-{MAX_WINDOWS:,} (default 2048)")
    parser.add_argument("--n-per-class", type=count(1, MAX_WINDOWS), default=256,
                        help=f"windows per class and set when both folders hold class sub-folders, 1-{MAX_WINDOWS:,} "
                             "(default 256)")
    parser.add_argument("--target", choices=CLASS_NAMES, default="street_music", metavar="CLASS",
                        help="the class whose probability is reported (default street_music)")
    parser.add_argument("--seed", type=seed, default=0)


def _evaluate(args: argparse.Namespace) -> int:
    import dataclasses

    from gansig.papers.specgan.config import PROFILES
    from gansig.papers.specgan.evaluate import evaluate_folders, labelled_folders

    config = dataclasses.replace(PROFILES["quick"], n_eval=args.n, kid_subset_size=min(512, args.n),
                                 target_class=args.target, n_per_class=args.n_per_class)
    classifier = args.classifier or "results/specgan/quick/models/classifier.keras"
    if labelled_folders(args.real_dir) and labelled_folders(args.generated_dir):
        return _evaluate_per_class(args, config, classifier)
    results, n, (n_real, n_generated) = evaluate_folders(args.real_dir, args.generated_dir, classifier, config,
                                                        args.seed)
    print(f"N = {n} windows of 16384 samples at 16 kHz per set ({n_real} real files, {n_generated} generated)")
    metrics = list(next(iter(results.values())))
    print("| set | " + " | ".join(metrics) + " |")
    print("|---|" + "---|" * len(metrics))
    for name, values in results.items():
        print(f"| {name} | " + " | ".join(f"{values[m]:.4g}" for m in metrics) + " |")
    print("The first row compares two draws of windows of the real folder: the floor at this N (optimistic: the "
          "same files). Lower FD and KID are better.")
    return 0


def _evaluate_per_class(args: argparse.Namespace, config, classifier: str) -> int:
    from gansig.papers.specgan.evaluate import evaluate_per_class

    per_class, n = evaluate_per_class(args.real_dir, args.generated_dir, classifier, config, args.seed)
    print(f"N = {n} windows of 16384 samples at 16 kHz per class and set; the real folder's files split in two "
          "(alternate files): one half stands for the training clips, the other for unseen real clips (the floor)")
    print("| class | fit | FD | floor | FD / floor | diversity / real | nearest-training distance / real |")
    print("|---|---|---|---|---|---|---|")
    for cls, s in per_class.items():
        print(f"| {cls} | {s.fit:.3f} | {s.fd:.4g} | {s.floor:.4g} | {s.fd_ratio:.3g} | {s.diversity:.3g} | "
              f"{s.novelty:.3g} |")
    print("fit: the share the classifier names the class; goals (DCASE 2023 Foley criteria, objective stand-ins): "
          "FD within 3 x the floor, diversity >= 0.7, nearest-training distance not markedly below 1 (no copying)")
    return 0


def _train_arguments(parser: argparse.ArgumentParser) -> None:
    add_run_arguments(parser, paper_info("specgan"))
    parser.add_argument("--audio", required=True, metavar="DIR",
                        help="a folder of your own audio: for gansig one sub-folder per class (its name the class's)")
    parser.add_argument("--model", choices=("gansig", "specgan", "report"), default="gansig",
                        help="the class-conditional gansig model (default), the canonical SpecGAN or the report's "
                             "model (these two: one sound, every file under DIR)")


def _train(args: argparse.Namespace) -> int:
    from gansig.errors import ConfigError
    from gansig.papers.specgan.reproduce import train_on_folder

    if not args.out:
        raise ConfigError("train needs --out DIR (where the generator goes)")
    overrides = args.config_overrides
    folder = train_on_folder(args.audio, args.out, args.model, args.profile, args.seed,
                             verbose=fit_verbosity(args.quiet), **overrides)
    print(f"generator written to {folder}")
    print(f"use it: python -m gansig.papers.specgan generate -n 16 --out samples/ --model {folder}")
    return 0


CLI = PaperCLI("specgan", verbs=[
    Verb("generate", "spectrograms and audio from a trained generator (the shipped one by default)",
         "-n 16 --out samples/ [--class siren]", _generate_arguments, _generate, tensorflow=False),
    Verb("evaluate", "in-domain scores (FD, KID, IS) of generated audio against real audio; per class (fit, FD "
         "against its floor, diversity, novelty) when both folders hold class sub-folders",
         "real/ generated/", _evaluate_arguments, _evaluate),
    Verb("train", "train a generator on a folder of your own audio (one sub-folder per class)",
         "--audio clips/ --out mine/",
         _train_arguments, _train),
], reproduce_options=[Option("--urbansound", "an UrbanSound8K folder instead of the street-default stand-in"),
                      Option("--inception-weights", "ImageNet InceptionV3 'notop' weights (.h5) for the report's FID",
                             "FILE")])

if __name__ == "__main__":
    sys.exit(CLI.main())
