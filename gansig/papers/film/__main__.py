"""``python -m gansig.papers.film``: Table 5.1 of the film-restoration thesis (``reproduce``),
restoring your own damaged recordings (``restore``), the thesis's damaged set from a clean
recording (``damage``) and a restorer trained on your own clean recording (``train``)."""

from __future__ import annotations

import argparse
import sys

from gansig.cli import Option, PaperCLI, Verb, add_force_argument, add_run_arguments, fit_verbosity, seed
from gansig.registry import paper_info


def _restore_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", help="damaged audio (any format, length, rate and channel count)")
    parser.add_argument("-o", "--output", required=True, help="where to write the restored audio (at 48 kHz)")
    parser.add_argument("--model", metavar="DIR", help="a restorer folder, exported (a `train` run's, or a "
                                                       "reproduction's models/gansig after `python -m gansig models "
                                                       "export`; default: the shipped film-restorer)")
    parser.add_argument("--cutoff", type=float, metavar="HZ", help="where the input was cut (default: detected)")
    parser.add_argument("--strength", type=float, default=1.0, metavar="S",
                        help="how much to change, 0-2 (gansig restorer): 0 leaves the input as it is, 1 (default) "
                             "denoises and adds the lost band at a level that costs at most 0.5 dB of SNR, 2 writes "
                             "the band at its predicted level (brighter, less faithful to the waveform)")
    add_force_argument(parser)


def _restore(args: argparse.Namespace) -> int:
    from gansig.papers.film import restore

    written = restore.restore_file(args.input, args.output, args.model, args.cutoff, args.strength, force=args.force)
    print(f"wrote {written}")
    return 0


def _damage_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("clean", help="a clean recording (any format and rate; 48 kHz mono is written)")
    parser.add_argument("out_dir", help="folder for the 10 WAV files")
    parser.add_argument("--noise-dbfs", type=float, default=-30.0,
                        help="white-noise RMS level, dB re full scale (the thesis's '30 RMS'; default -30)")
    parser.add_argument("--lowpass", choices=("brickwall", "butterworth"), default="brickwall",
                        help="how the cuts are made (default brickwall: every FFT bin above the cut zeroed)")
    parser.add_argument("--seed", type=seed, default=0)
    add_force_argument(parser)


def _damage(args: argparse.Namespace) -> int:
    from gansig.papers.film.config import PAPER
    from gansig.papers.film.damage import write_film_set
    from gansig.profiles import derive

    config = derive(PAPER, {"noise_rms_dbfs": args.noise_dbfs, "lowpass": args.lowpass})
    for path in write_film_set(args.clean, args.out_dir, config, seed=args.seed, force=args.force):
        print(path)
    return 0


def _train_arguments(parser: argparse.ArgumentParser) -> None:
    add_run_arguments(parser, paper_info("film"))
    parser.add_argument("--audio", required=True, metavar="FILE|DIR",
                        help="a clean recording of your own, or a folder of them (searched recursively)")


def _train(args: argparse.Namespace) -> int:
    from gansig.errors import ConfigError
    from gansig.papers.film.reproduce import train_restorer

    if not args.out:
        raise ConfigError("train needs --out DIR (where the restorer goes), so the default one is not replaced")
    folder = train_restorer(args.audio, args.out, args.profile, args.seed, verbose=fit_verbosity(args.quiet),
                            **args.config_overrides)
    print(f"restorer written to {folder}")
    print(f"use it: python -m gansig.papers.film restore damaged.wav -o restored.wav --model {folder}")
    return 0


CLI = PaperCLI("film", verbs=[
    Verb("restore", "restore a damaged (low-pass-cut, noisy) recording (the shipped restorer by default)",
         "damaged.wav -o restored.wav", _restore_arguments, _restore, tensorflow=False),
    Verb("damage", "the thesis's ten-file damaged set from a clean recording", "clean.wav damaged/",
         _damage_arguments, _damage, tensorflow=False),
    Verb("train", "train the gansig restorer on your own clean recording (at least 8 s)",
         "--audio clean.wav --out mine/",
         _train_arguments, _train),
], reproduce_options=[Option("--recording", "a clean recording of your own instead of film-default", "FILE")])

if __name__ == "__main__":
    sys.exit(CLI.main())
