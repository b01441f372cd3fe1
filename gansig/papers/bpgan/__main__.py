"""``python -m gansig.papers.bpgan``: BPGAN, a ~2 kbit/s neural speech codec: Table 3
(``reproduce``), coding files (``encode``, ``decode``, ``info``), scoring the codec beside
Codec2, Opus, AMR-WB and Speex on one's own speech (``evaluate``) and training a codec of
one's own speech (``train``). The model (``--model DIR``) defaults to the shipped codec
(trained by the quick profile's run, :mod:`gansig.models`); ``decode``, ``info``,
``encode --encoder-only`` and ``encode --iterations 0`` run it without TensorFlow."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gansig.cli import Option, PaperCLI, Verb, add_force_argument, add_run_arguments, count, fit_verbosity
from gansig.registry import paper_info

MAX_ITERATIONS = 1000  # 20 x the quick default (encoding at about 7 x real time on 2 cores)


def _model_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", metavar="DIR", help="a codec folder, exported (a `train` run's, or a "
                                                       "reproduction's models/codec after `python -m gansig models "
                                                       "export`; default: the shipped bpgan-codec)")


def _encode_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", help="audio file (any format, rate, length), or - for a WAV stream on standard "
                                      "input (e.g. sox IN -t wav - | ...)")
    parser.add_argument("output", help="the .bpg file to write, or - for standard output")
    how = parser.add_mutually_exclusive_group()
    how.add_argument("--encoder-only", action="store_true", help="skip the ADMM search (the 'Unified GAN' row)")
    how.add_argument("--iterations", type=count(0, MAX_ITERATIONS), metavar="N",
                     help=f"ADMM search iterations from the start, 0-{MAX_ITERATIONS} (default: the model's own: "
                          "for the shipped codec a few from the distilled encoder); 0: the start's latent alone, "
                          "without TensorFlow; the time grows with N (papers/bpgan/README.md, Speed)")
    parser.add_argument("--start", choices=("encoder", "distilled"),
                        help="where the search starts: the paper's encoder E (cold; the paper's 50 iterations "
                             "are its quality) or the encoder distilled from the search (warm; default where the "
                             "model has one)")
    parser.add_argument("--precision", choices=("auto", "float32", "bfloat16"),
                        help="the search's arithmetic (default: the model's own, auto for quick: bfloat16 where the "
                             "CPU computes it natively, about 1.3x faster at equal quality)")
    add_force_argument(parser)
    _model_argument(parser)


def _encode(args: argparse.Namespace) -> int:
    from gansig.papers.bpgan.codec import Codec, check_encode, encode_file

    check_encode(args.input, args.output, force=args.force)
    codec = Codec.load(args.model).searching(args.start, args.iterations, args.precision)  # the export: no TensorFlow
    if not args.encoder_only and codec.search_iterations:  # the search differentiates the Keras generator
        codec = Codec.load(args.model, keras=True).searching(args.start, args.iterations, args.precision)
    written = encode_file(codec, args.input, args.output, search=not args.encoder_only, force=args.force)
    if written is not None:
        print(f"wrote {written} ({written.stat().st_size} bytes)")
    return 0


def _decode_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", help="a .bpg file, or - for standard input")
    parser.add_argument("output", help="the audio file to write (format from its suffix: .wav, .flac, ...), or - for a "
                                       "WAV stream on standard output")
    add_force_argument(parser)
    _model_argument(parser)


def _decode(args: argparse.Namespace) -> int:
    from gansig.papers.bpgan.codec import Codec, check_decode, decode_file

    check_decode(args.input, args.output, force=args.force)
    written = decode_file(Codec.load(args.model), args.input, args.output, force=args.force)
    if written is not None:
        print(f"wrote {written} ({written.stat().st_size} bytes)")
    return 0


def _info_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", help="a .bpg file")
    _model_argument(parser)


def _info(args: argparse.Namespace) -> int:
    from gansig.errors import ModelError
    from gansig.papers.bpgan.codec import Codec, describe_file

    fields = describe_file(args.input)  # the file's own problems first, before any model is loaded
    which = args.model or "the shipped codec"
    try:
        codec = Codec.load(args.model)
    except ModelError as exc:
        fields[f"decodes with {which}"] = f"unknown (no usable codec there: {exc})"
    else:
        fields[f"decodes with {which}"] = describe_file(args.input, codec)["decodes"]
    print(args.input)
    for name, value in fields.items():
        print(f"  {name}: {value}")
    return 0


def _evaluate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("audio", nargs="+", help="audio files or folders (searched recursively); each file is scored")
    parser.add_argument("--plot", metavar="PNG", help="also write the rate-quality plot there")
    add_force_argument(parser)
    _model_argument(parser)


def _evaluate(args: argparse.Namespace) -> int:
    from gansig.fileio import check_output
    from gansig.papers.bpgan.codec import Codec
    from gansig.papers.bpgan.evaluate import evaluate, format_means, rate_quality_plot

    if args.plot:
        check_output(args.plot, inputs=args.audio, suffixes=(".png",), force=args.force)
    means = evaluate(Codec.load(args.model, keras=True), args.audio)
    print(format_means(means))
    if args.plot:
        rate_quality_plot(means, Path(args.plot))
        print(f"wrote {args.plot}")
    return 0


def _train_arguments(parser: argparse.ArgumentParser) -> None:
    add_run_arguments(parser, paper_info("bpgan"))
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--timit", metavar="DIR", help="train on TIMIT's training split instead of speech-default")
    source.add_argument("--audio", metavar="DIR",
                        help="train on every audio file under DIR (any format, rate, length); needs --out")


def _train(args: argparse.Namespace) -> int:
    from gansig.errors import ConfigError
    from gansig.papers.bpgan.train import train_codec

    if args.audio and not args.out:
        raise ConfigError("--audio needs --out DIR (where the codec goes), so the default codec is not replaced")
    folder = train_codec(args.profile, args.out, args.seed, verbose=fit_verbosity(args.quiet), timit=args.timit,
                         audio=args.audio, **args.config_overrides)
    print(f"codec written to {folder}")
    print(f"use it: python -m gansig.papers.bpgan encode IN.wav OUT.bpg --model {folder}")
    return 0


CLI = PaperCLI("bpgan", verbs=[
    Verb("encode", "audio file (any format, rate, length; - for a WAV stream) -> .bpg (- for standard output)",
         "speech.wav speech.bpg", _encode_arguments, _encode, tensorflow=False),
    Verb("decode", ".bpg (- for standard input) -> audio at the original rate and length (- for a WAV stream)",
         "speech.bpg decoded.wav", _decode_arguments, _decode, tensorflow=False),
    Verb("info", "what a .bpg file holds (rate, duration, bitrate, model) and whether the model decodes it",
         "speech.bpg", _info_arguments, _info, tensorflow=False),
    Verb("evaluate", "score the codec beside Codec2, Opus, AMR-WB and Speex on your own audio",
         "my_test_speech/ --plot rate_quality.png", _evaluate_arguments, _evaluate),
    Verb("train", "train a codec (on your own audio with --audio) and save it, without Table 3",
         "--audio my_speech/ --out mine/", _train_arguments, _train),
], reproduce_options=[Option("--timit", "a TIMIT copy (LDC layout) instead of speech-default")])

if __name__ == "__main__":
    sys.exit(CLI.main())
