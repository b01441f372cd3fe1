"""``python -m gansig.papers.mimo5g``: Table II of the 5G MIMO spectrogram denoiser (``reproduce``)."""

import sys

from gansig.cli import PaperCLI

CLI = PaperCLI("mimo5g")

if __name__ == "__main__":
    sys.exit(CLI.main())
