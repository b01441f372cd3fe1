"""The reproduced papers: a registry from short name to package."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType

from gansig.errors import ConfigError


@dataclass(frozen=True)
class PaperInfo:
    """What ``python -m gansig list`` and the ``reproduce`` commands' help show about a paper
    (``cpu_time``: the default profile's measured wall time on a 2-core CPU, the one place it is
    written; the CLI help, ``python -m gansig list`` and the notebooks quote it)."""

    name: str
    title: str
    tables: str
    status: str
    make_target: str
    cpu_time: str
    default_profile: str = "quick"


PAPERS: dict[str, PaperInfo] = {
    "mimo5g": PaperInfo("mimo5g", "Distinguishing signal from noise in 5G MIMO systems using GANs "
                        "(64x64 mel-spectrogram denoiser vs autoencoder)", "Table II", "reproduced",
                        "reproduce-5g", cpu_time="~6 min"),
    "bpgan": PaperInfo("bpgan", "BPGAN: a ~2 kbit/s speech codec, latents found by back-propagation through a "
                       "generator (ADMM), 16-level quantisation, range coding", "Table 3",
                       "reproduced on the quick profile: 1.98 kbit/s measured, above Codec2 3200 (3.2 kbit/s) "
                       "on PESQ-NB, PESQ-WB and STOI in every run; the paper's 3.26 PESQ-NB not reached (the "
                       "paper profile, a ~9 h GPU job, not trained)",
                       "reproduce-bpgan", cpu_time="40-80 min"),
    "sinedenoise": PaperInfo("sinedenoise", "Lightweight 1-D denoising autoencoder-GAN for sine mixtures "
                             "vs a low-pass filter", "public code's reported figures", "reproduced",
                             "reproduce-sine", cpu_time="~6 min", default_profile="paper"),
}


def load(name: str) -> ModuleType:
    """Import a paper's package by short name.

    Raises:
        ConfigError: no such paper.
    """
    if name not in PAPERS:
        raise ConfigError(f"unknown paper {name!r}; choose one of {', '.join(PAPERS)}")
    return importlib.import_module(f"gansig.papers.{name}")
