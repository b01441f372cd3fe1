"""The models gansig ships: trained by its own quick runs, exported to ONNX, installed with
the package, each with a card. No TensorFlow here.

Each shipped model is a folder ``gansig/models/NAME/`` that the tool reads as it would read a
model a user trained (the paper's description JSON, ``NETWORK.onnx``, ``export.json``) and
a ``card.json``: what it is, the command, commit, profile, seed and config that trained it,
the corpora and their licences, its size, its scores (rows of its paper's table from the
run that trained it) and the SHA-256 of every file. ``python -m gansig models`` lists them,
``models verify`` checks every file against its card, ``make models`` retrains and rewrites
them (:mod:`gansig.models.ship`).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from gansig.errors import ModelError
from gansig.runtime.network import sha256

ROOT = Path(__file__).resolve().parent
CARD = "card.json"
CARD_FORMAT = "gansig.card/1"


@dataclass(frozen=True)
class Shipped:
    """A model gansig ships, and where its run keeps it.

    Attributes:
        name: the folder's name (``film-restorer``).
        paper: the paper whose run trains it.
        profile: that run's profile.
        source: the model's folder inside the run's results (``models/gansig``).
        networks: the networks exported (``NAME.keras`` there).
        files: the other files the tool reads (the description JSON).
        what: one line: what it is and which tool runs it by default.
        tool: the command that uses it.
        corpora: the corpora it was trained on (none: synthetic signals from the seed).
        rows: ``(table, row)`` pairs of the run's table that judge it (their cells go on the card).
        headline: ``(table, row, metric, baseline row)``: its headline score, beside a baseline's.
        search_weights: ship the generator's Keras weights too (float16), for a search that
            differentiates it (BPGAN's ADMM encoder).
    """

    name: str
    paper: str
    profile: str
    source: str
    networks: tuple[str, ...]
    files: tuple[str, ...]
    what: str
    tool: str
    corpora: tuple[str, ...]
    rows: tuple[tuple[str, str], ...]
    headline: tuple[str, str, str, str]
    search_weights: bool = False


_FILM_CLEAN = "Against the clean original (the same excerpt and outputs)"
_SINE = "Validation set: noisy input vs low-pass filter vs denoiser"
_BPGAN = "Table 3 — real speech"
_BPGAN_WARM = "BPGAN (warm start: distilled encoder + short search)"  # encode's default search
_SPECGAN = "Class-conditional generation: fit, quality, diversity (mean over the classes)"

SHIPPED = {s.name: s for s in (
    Shipped("film-restorer", "film", "quick", "models/gansig", ("generator",), ("restorer.json",),
            "the gansig film restorer: damaged (low-pass cut, noisy) audio in, the clean original's band back; "
            "`restore`'s default", "python -m gansig.papers.film restore IN -o OUT", ("film-restore",),
            tuple((_FILM_CLEAN, row) for row in ("Silence (all zeros)", "Damaged input, unchanged",
                                                 "Classical bandwidth extension (band replication)",
                                                 "Band replication + Wiener denoiser",
                                                 "gansig restorer (trained for the clean original)")),
            (_FILM_CLEAN, "gansig restorer (trained for the clean original)", "LSD vs clean (log10)",
             "Damaged input, unchanged")),
    Shipped("bpgan-codec", "bpgan", "quick", "models/codec", ("encoder", "generator", "distilled"), ("codec.json",),
            "the BPGAN speech codec at about 2 kbit/s: `encode`'s and `decode`'s default",
            "python -m gansig.papers.bpgan encode IN OUT.bpg / decode IN.bpg OUT", ("speech-default",),
            tuple((_BPGAN, row) for row in ("Original (16-bit PCM)", _BPGAN_WARM, "BPGAN (ADMM, level-weighted search)",
                                            "BPGAN (ADMM)", "Unified GAN (encoder only)", "Codec2 3200", "Codec2 1200",
                                            "Opus 6k")),
            (_BPGAN, _BPGAN_WARM, "PESQ-NB (raw P.862)", "Codec2 3200"),
            search_weights=True),
    Shipped("specgan-gansig", "specgan", "quick", "models/gansig", ("generator",), ("model.json",),
            "gansig's class-conditional generator of the ten UrbanSound8K classes' sounds: `generate`'s default",
            "python -m gansig.papers.specgan generate -n N --out DIR --class CLASS", ("street-default",),
            tuple((_SPECGAN, row) for row in ("gansig (class-conditional)", "real test clips (another draw of windows)",
                                              "noise with the class's mean spectrum", "gansig, untrained")),
            (_SPECGAN, "gansig (class-conditional)", "fit: classifier names the class",
             "real test clips (another draw of windows)")),
    Shipped("sine-denoiser", "sinedenoise", "paper", "models", ("generator",), ("generator.json",),
            "the 1-D denoising autoencoder-GAN for sine mixtures in white noise at 256 Hz: `denoise`'s default",
            "python -m gansig.papers.sinedenoise denoise IN -o OUT", (),
            tuple((_SINE, row) for row in ("Noisy input", "Low-pass filter", "Denoiser (GAN generator)")),
            (_SINE, "Denoiser (GAN generator)", "SNR improvement (dB)", "Low-pass filter")),
    Shipped("mimo5g-gan", "mimo5g", "quick", "models", ("generator", "autoencoder"), (),
            "the 5G paper's GAN generator and its convolutional autoencoder: 64 x 64 noisy mel-spectrogram images "
            "in, denoised ones out (the notebook's)", "gansig.runtime.network.load_networks(gansig.models.default("
            "'mimo5g-gan'), ['generator', 'autoencoder'])", (),
            tuple(("Table II", f"50 / {row}") for row in ("GAN", "Autoencoder", "Noisy input")),
            ("Table II", "50 / GAN", "RMSE", "50 / Noisy input")),
)}


def folder(name: str) -> Path:
    """A shipped model's folder.

    Raises:
        ModelError: no shipped model of that name.
    """
    if name not in SHIPPED:
        raise ModelError(f"no shipped model {name!r}; gansig ships {', '.join(SHIPPED)}")
    return ROOT / name


def card(name: str) -> dict:
    """A shipped model's card.

    Raises:
        ModelError: it is missing or unreadable (the file named).
    """
    path = folder(name) / CARD
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"{path}: no readable model card ({exc}); reinstall gansig, or run `make models`") from None
    if not isinstance(data, dict) or data.get("format") != CARD_FORMAT or not isinstance(data.get("files"), dict):
        raise ModelError(f"{path}: not a gansig model card of format {CARD_FORMAT}; reinstall gansig, or run "
                         "`make models`")
    return data


def problems(name: str) -> list[str]:
    """What is wrong with a shipped model's files against its card (empty: nothing): a file
    missing or altered, or one the card does not list."""
    try:
        listed = card(name)["files"]
    except ModelError as exc:
        return [str(exc)]
    base = folder(name)
    found = []
    for file, digest in listed.items():
        path = base / file
        if not path.is_file():
            found.append(f"{path}: missing (its card lists it)")
        elif sha256(path) != digest:
            found.append(f"{path}: altered or damaged (its SHA-256 is not the one its card records)")
    extra = sorted(p.name for p in base.iterdir() if p.is_file() and p.name != CARD and p.name not in listed)
    found += [f"{base / f}: not listed on its card" for f in extra]
    return found


def headline(data: dict) -> str:
    """A card's headline score in words."""
    return str(data.get("headline", "no score recorded"))


def default(name: str) -> Path:
    """The shipped model a tool uses without ``--model``, checked against its card; one
    line on stderr says which model it is and its headline score.

    Raises:
        ModelError: a file missing or altered (named), or no card.
    """
    found = problems(name)
    if found:
        raise ModelError(f"{found[0]}; reinstall gansig (pip install .), or regenerate the shipped models with "
                         "`make models`")
    data = card(name)
    trained = data.get("trained_by", {})
    print(f"model: the shipped {name} (trained by gansig at {trained.get('commit', '?')}, "
          f"{trained.get('profile', '?')} profile; {headline(data)}); --model DIR for another", file=sys.stderr)
    return folder(name)


def size(name: str) -> int:
    """Bytes of a shipped model's files."""
    return sum(p.stat().st_size for p in folder(name).iterdir() if p.is_file())
