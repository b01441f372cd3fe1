"""BPGAN, a ~2 kbit/s neural speech codec.

  python -m gansig.papers.bpgan encode IN.wav OUT.bpg [--model DIR] [--encoder-only | --iterations N]
  python -m gansig.papers.bpgan decode IN.bpg OUT.wav [--model DIR]
  python -m gansig.papers.bpgan info IN.bpg [--model DIR]    (header, bitrate, and whether DIR decodes it)
  python -m gansig.papers.bpgan evaluate AUDIO... [--model DIR] [--plot PNG]   (beside Codec2, Opus, ... on your files)
  python -m gansig.papers.bpgan reproduce [--profile quick|smoke|paper] [--timit DIR]   (trains, then Table 3)
  python -m gansig.papers.bpgan train --audio DIR --out OUT [--profile ...]   (a codec of your own speech)
  python -m gansig.papers.bpgan train [--timit DIR]   (trains only; the model reproduce would train)

The model (DIR) defaults to the quick profile's: results/bpgan/quick/models/codec.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from gansig.cli import add_reproduce_arguments, fit_verbosity, parse_overrides, positive_int, run
from gansig.papers import PAPERS
from gansig.papers.bpgan.config import PAPER

DEFAULT_MODEL = Path("results", "bpgan", "quick", "models", "codec")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gansig.papers.bpgan", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    enc = sub.add_parser("encode", help="audio file (any format, rate, length) -> .bpg")
    enc.add_argument("input")
    enc.add_argument("output")
    how = enc.add_mutually_exclusive_group()
    how.add_argument("--encoder-only", action="store_true", help="skip the ADMM search (the 'Unified GAN' row)")
    how.add_argument("--iterations", type=positive_int, metavar="N",
                     help="ADMM search iterations (default: the model's own, 100 for quick); fewer is faster: "
                          "50 halves the encoding time for about -0.05 PESQ (papers/bpgan/README.md)")
    dec = sub.add_parser("decode", help=".bpg -> audio file at the original rate and length")
    dec.add_argument("input")
    dec.add_argument("output")
    info = sub.add_parser("info", help="what a .bpg file holds (rate, duration, bitrate, model), without decoding")
    info.add_argument("input")
    ev = sub.add_parser("evaluate", help="score the codec beside Codec2, Opus, AMR-WB and Speex on your own audio")
    ev.add_argument("audio", nargs="+", help="audio files or folders (searched recursively); each file is scored")
    ev.add_argument("--plot", metavar="PNG", help="also write the rate-quality plot there")
    for p in (enc, dec, info, ev):
        p.add_argument("--model", default=str(DEFAULT_MODEL), help=f"codec folder (default {DEFAULT_MODEL})")
    rep = sub.add_parser("reproduce", help="train the codec and regenerate Table 3")
    trn = sub.add_parser("train", help="train a codec (on your own audio with --audio) and save it, without Table 3")
    for p in (rep, trn):
        add_reproduce_arguments(p, PAPERS["bpgan"])
    rep.add_argument("--timit", metavar="DIR", help="a TIMIT copy (LDC layout) instead of speech-default")
    source = trn.add_mutually_exclusive_group()
    source.add_argument("--timit", metavar="DIR", help="train on TIMIT's training split instead of speech-default")
    source.add_argument("--audio", metavar="DIR",
                        help="train on every audio file under DIR (any format, rate, length); needs --out")
    args = parser.parse_args(argv)
    if args.command == "train" and args.audio and not args.out:
        trn.error("--audio needs --out DIR (where the codec goes), so the default codec is not replaced")
    if args.command == "info":
        from gansig.papers.bpgan.codec import describe_file, stored_model_id

        fields = describe_file(args.input)
        known = stored_model_id(args.model)
        fields[f"decodes with {args.model}"] = ("unknown (no codec there)" if known is None else
                                                "yes" if known == fields["model id"] else "no (another model)")
        print(args.input)
        for name, value in fields.items():
            print(f"  {name}: {value}")
        return 0
    if args.command == "evaluate":
        from gansig.papers.bpgan.codec import Codec
        from gansig.papers.bpgan.reproduce import evaluate, format_means, rate_quality_plot

        means = evaluate(Codec.load(args.model), args.audio)
        print(format_means(means))
        if args.plot:
            rate_quality_plot(means, Path(args.plot))
            print(f"wrote {args.plot}")
        return 0
    if args.command in ("encode", "decode"):
        from gansig.papers.bpgan.codec import Codec, decode_file, encode_file

        codec = Codec.load(args.model)
        if args.command == "encode":
            if args.iterations:
                codec.config = dataclasses.replace(codec.config, admm_iterations=args.iterations)
            written = encode_file(codec, args.input, args.output, search=not args.encoder_only)
        else:
            written = decode_file(codec, args.input, args.output)
        print(f"wrote {written} ({written.stat().st_size} bytes)")
        return 0
    overrides = parse_overrides(args.overrides, PAPER)
    if args.command == "train":
        from gansig.papers.bpgan.reproduce import train_codec

        folder = train_codec(args.profile, args.out, args.seed, verbose=fit_verbosity(args.quiet), timit=args.timit,
                             audio=args.audio, **overrides)
        print(f"codec written to {folder}")
        print(f"use it: python -m gansig.papers.bpgan encode IN.wav OUT.bpg --model {folder}")
        return 0
    from gansig.papers.bpgan.reproduce import reproduce

    reproduce(args.profile, args.out, args.seed, verbose=fit_verbosity(args.quiet), timit=args.timit, **overrides)
    return 0


if __name__ == "__main__":
    sys.exit(run(main))
