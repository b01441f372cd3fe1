"""The reproduced papers, as ``python -m gansig list``, the command lines, the Makefile and
the notebooks describe them.

A leaf module (no TensorFlow, no paper imported): ``python -m gansig list`` stays instant.
Adding a paper adds one entry here (CONTRIBUTING.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from gansig.errors import ConfigError


@dataclass(frozen=True)
class PaperInfo:
    """What the suite says about a paper before loading it.

    Attributes:
        name: the package name under ``gansig.papers``.
        title: one line: the paper and what it does.
        tables: the paper's tables the reproduction regenerates.
        status: how far the reproduction got, in words.
        make_target: the Makefile target that reproduces it.
        cpu_time: the default profile's measured wall time on a 2-core CPU (the one place
            it is written; the help texts, ``list`` and the notebooks quote it).
        default_profile: the profile ``reproduce`` runs when none is named.
        corpora: embedded corpora it reads when no real dataset is given (``make`` builds them).
    """

    name: str
    title: str
    tables: str
    status: str
    make_target: str
    cpu_time: str
    default_profile: str = "quick"
    corpora: tuple[str, ...] = ()


PAPERS: dict[str, PaperInfo] = {
    "mimo5g": PaperInfo("mimo5g", "Distinguishing signal from noise in 5G MIMO systems using GANs "
                        "(64x64 mel-spectrogram denoiser vs autoencoder)", "Table II",
                        "reproduced on the quick and paper profiles (the paper profile: 47 min on 2 cores)",
                        "reproduce-5g", cpu_time="~6 min"),
    "bpgan": PaperInfo("bpgan", "BPGAN: a ~2 kbit/s speech codec, latents found by back-propagation through a "
                       "generator (ADMM), 16-level quantisation, range coding", "Table 3",
                       "reproduced on the quick profile: 2.02 kbit/s measured, above Codec2 3200 (3.2 kbit/s) "
                       "on PESQ-NB, PESQ-WB and STOI in every run; the paper's 3.26 PESQ-NB not reached (the "
                       "paper profile, a ~9 h GPU job, not trained)",
                       "reproduce-bpgan", cpu_time="30-80 min", corpora=("speech-default",)),
    "film": PaperInfo("film", "Restoration of damaged film sound with GANs (Aksoy's thesis): eleven experiments on "
                      "low-pass-cut, noisy recordings, Table 5.1's 24 rows, beside classical bandwidth extension",
                      "Table 5.1", "reproduced on the quick profile: the thesis's rows score like silence (SNR within "
                      "0.04 dB of 0 for Exp 1-9) as its printed table implied; gansig's restorer, trained for the "
                      "clean original on other music and speech, halves the LSD against the clean original (1.52 vs "
                      "the input's 3.28) at 0.3 dB of SNR, ViSQOL 2.63 vs 2.23; the paper profile (~25 h of an H200) "
                      "not trained", "reproduce-film", cpu_time="~14 min",
                      corpora=("film-default", "film-restore")),
    "specgan": PaperInfo("specgan", "SpecGAN-style generation of UrbanSound8K street-music mel spectrograms (a "
                         "course report), beside Donahue's canonical SpecGAN, a class-conditional one and gansig's "
                         "class-conditional generator, scored in-domain", "the report's RMSE and FID",
                         "reproduced on the quick profile: RMSE regenerated beside its real-vs-real floor and a mode "
                         "check; in-domain FD/KID and per-class fit, quality, diversity, novelty and CAS on honest "
                         "folds; gansig's generator fits its class (3 of 4 goals); FID needs InceptionV3 weights (not "
                         "measured); the paper profile (~1 h of an H200) not trained",
                         "reproduce-specgan", cpu_time="~40 min",
                         corpora=("street-default",)),
    "sinedenoise": PaperInfo("sinedenoise", "Lightweight 1-D denoising autoencoder-GAN for sine mixtures "
                             "vs a low-pass filter", "public code's reported figures", "reproduced",
                             "reproduce-sine", cpu_time="~6 min", default_profile="paper"),
}


def paper_info(name: str) -> PaperInfo:
    """The registry entry of a paper.

    Raises:
        ConfigError: no such paper.
    """
    if name not in PAPERS:
        raise ConfigError(f"unknown paper {name!r}; choose one of {', '.join(PAPERS)}")
    return PAPERS[name]
