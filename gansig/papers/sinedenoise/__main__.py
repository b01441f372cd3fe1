"""``python -m gansig.papers.sinedenoise``: the 1-D sine denoiser's table (``reproduce``) and
the trained denoiser as a tool (``denoise``)."""

from __future__ import annotations

import argparse
import sys

from gansig.cli import PaperCLI, Verb, add_force_argument


def _denoise_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", help="audio file (any length; resampled to 256 Hz and back)")
    parser.add_argument("-o", "--output", required=True, help="where to write the denoised audio")
    parser.add_argument("--model", metavar="DIR", help="a denoiser folder (a run's or train's models/, exported; "
                                                      "default: the shipped sine-denoiser)")
    add_force_argument(parser)


def _denoise(args: argparse.Namespace) -> int:
    from gansig.papers.sinedenoise import tool

    written = tool.denoise_file(args.input, args.output, args.model, force=args.force)
    print(f"wrote {written}")
    return 0


CLI = PaperCLI("sinedenoise", verbs=[
    Verb("denoise", "denoise an audio file with a trained model (the shipped one by default)", "noisy.wav -o clean.wav",
         _denoise_arguments, _denoise, tensorflow=False)])

if __name__ == "__main__":
    sys.exit(CLI.main())
