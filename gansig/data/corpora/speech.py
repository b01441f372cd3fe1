"""``speech-default``: a TIMIT stand-in (16 kHz mono, speaker-disjoint train/test) built
from Debian packages: real recorded speech (Asterisk's G.722 prompts, Fish Fillets' Czech
dialogue) and synthetic voices (espeak-ng accents x variants, flite, festival) reading
sentences written for this project. Every utterance is marked real or synthetic.

It is written in TIMIT's own layout (``TRAIN|TEST/DR1..DR8/<speaker>/<utt>.WAV`` with
``.TXT`` transcripts), so :func:`gansig.data.corpora.load_timit` reads it exactly as it
reads a real TIMIT copy; speakers are dealt round-robin to the eight "dialect region"
folders, and ``metadata.csv`` adds the real/synthetic flag and the source package."""

from __future__ import annotations

import random
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from gansig.data import io, signals
from gansig.data.corpora.base import decode_g722, run_tool
from gansig.data.corpora.manifest import Entry, require_packages, write_manifest

NAME = "speech-default"
RATE = 16_000
LEVEL_DBFS = -26.0
PACKAGES = ("asterisk-core-sounds-en-g722", "asterisk-core-sounds-fr-g722", "asterisk-core-sounds-es-g722",
            "asterisk-core-sounds-it-g722", "fillets-ng-data-cs", "espeak-ng", "flite", "festival",
            "festvox-kallpc16k", "festvox-kdlpc16k", "festvox-us-slt-hts", "ffmpeg")
LICENCES = [
    "asterisk-core-sounds-*-g722: CC-BY-SA-3.0 (voices Allison Smith (en, es), June Wallack (fr), Carlo Flora "
    "(it); see /usr/share/doc/asterisk-core-sounds-en-g722/copyright)",
    "fillets-ng-data-cs: GPL-2+ (Fish Fillets NG, ALTAR interactive; Czech voice actors)",
    "espeak-ng, flite, festival and festvox voices: synthetic speech from GPL/BSD-style licensed synthesisers",
    "sentences: written for gansig (MIT)",
]
ASTERISK_VOICES = {"en_US_f_Allison": "allison", "es_MX_f_Allison": "allison", "fr_CA_f_June": "june",
                   "it_IT_m_Carlo": "carlo"}
ASTERISK_TEST_VOICES = {"carlo"}
FILLETS_MAIN = {"m", "v"}
ESPEAK_ACCENTS = ("en-gb", "en-us", "en-gb-scotland", "en-gb-x-rp", "en-029", "en-us-nyc", "en-gb-x-gbclan",
                  "en-gb-x-gbcwmd")
ESPEAK_VARIANTS = ("m1", "m3", "f2", "f4")
FLITE_VOICES = ("kal", "kal16", "awb", "rms", "slt")
FESTIVAL_VOICES = ("kal_diphone", "ked_diphone", "cmu_us_slt_arctic_hts")

# Sentences written for this project (phonetically varied, read by the synthetic voices).
SENTENCES = (
    "The old lighthouse keeper counted every ship that passed before dawn.",
    "A quiet breeze carried the smell of fresh bread through the narrow street.",
    "Please check the valve twice before you open the main water supply.",
    "Seven bright kites drifted over the harbour on a windy afternoon.",
    "The museum closes at six, but the garden stays open until dusk.",
    "She measured the thick oak beam and marked it with a yellow pencil.",
    "Our train was delayed because a fallen branch blocked the northern line.",
    "He whistled a cheerful tune while fixing the broken bicycle chain.",
    "The choir rehearsed the final chorus until every voice was in tune.",
    "Warm soup and crusty rolls were served to the tired hikers.",
    "Thunder rolled across the valley and the sheep huddled together.",
    "A small brown dog chased the pigeons away from the fountain.",
    "The engineer adjusted the antenna to improve the weak signal.",
    "Fresh snow covered the roofs and muffled the sound of traffic.",
    "Judge the melon by its weight and the sweetness of its scent.",
    "Five boxes of glass jars arrived on the morning delivery van.",
    "The children built a raft from driftwood and an old blue tarp.",
    "Turn left at the bakery and walk straight past the clock tower.",
    "Her violin case was covered with stickers from distant cities.",
    "The pilot announced that we would land twenty minutes early.",
    "Dry leaves crackled under our boots on the forest path.",
    "Mix the flour with cold butter until it looks like fine sand.",
    "A red fox slipped through the hedge without making a sound.",
    "The library lends tools as well as books to its members.",
    "We watched the tide creep slowly over the flat grey rocks.",
    "Each player must roll the dice and move the silver token.",
    "The scientist recorded the temperature every hour through the night.",
    "Bright lanterns swung from the masts of the fishing boats.",
    "Keep the receipt in case the kettle stops working next month.",
    "The mayor cut the ribbon and the crowd began to cheer.",
    "Heavy rain turned the football pitch into a field of mud.",
    "The jeweller polished the ring until it sparkled in the light.",
    "A flock of geese flew south in a long uneven line.",
    "Write your name clearly at the top of every page.",
    "The baker woke at four to light the wood-fired oven.",
    "Our neighbour grows tomatoes, beans and tall yellow sunflowers.",
    "The radio crackled as the storm moved closer to the coast.",
    "Gentle music played while the guests found their seats.",
    "The map showed a hidden cove beyond the northern cliffs.",
    "Wash the brushes in warm water before the paint dries.",
    "A thin layer of ice formed on the pond overnight.",
    "The carpenter sanded the table until it felt smooth as silk.",
    "Two owls called to each other across the dark orchard.",
    "The ferry leaves the pier every half hour in summer.",
    "Copper pipes glowed orange in the light of the furnace.",
    "He packed a torch, a rope and a flask of hot tea.",
    "The students laughed when the professor dropped his chalk.",
    "Quick footsteps echoed along the marble corridor of the palace.",
)


@dataclass(frozen=True)
class Job:
    """One utterance to produce: how (kind + source), where, and its metadata."""

    kind: str          # "g722", "file", "espeak", "flite", "festival"
    source: str        # input path or voice name
    out: str           # relative output path
    split: str
    speaker: str
    real: bool
    origin: str        # the Debian package it comes from
    text: str = ""


def _synthesise(job: Job, wav: Path) -> None:
    if job.kind == "g722":
        decode_g722(job.source, wav)
    elif job.kind == "espeak":
        run_tool(["espeak-ng", "-v", job.source, "-s", "155", "-w", str(wav), job.text])
    elif job.kind == "flite":
        run_tool(["flite", "-voice", job.source, "-t", job.text, "-o", str(wav)])
    elif job.kind == "festival":
        run_tool(["text2wave", "-eval", f"(voice_{job.source})", "-o", str(wav)], stdin=job.text)
    else:
        raise ValueError(job.kind)


def _produce(job: Job, root: Path) -> Entry | None:
    """Decode or synthesise one utterance; trim, level to -26 dBFS, write 16-bit 16 kHz."""
    import librosa

    with tempfile.TemporaryDirectory() as tmp:
        if job.kind == "file":
            x, _ = io.load(job.source, RATE)
        else:
            wav = Path(tmp) / "u.wav"
            _synthesise(job, wav)
            x, _ = io.load(wav, RATE)
    x, _ = librosa.effects.trim(x, top_db=40)
    if len(x) < RATE // 4:  # shorter than 0.25 s: a click or a breath, not an utterance
        return None
    x = signals.set_level(x, LEVEL_DBFS)
    io.save(root / job.out, x, RATE)
    # TIMIT's transcript format: "<first sample> <last sample> <words>".
    (root / job.out).with_suffix(".TXT").write_text(f"0 {len(x)} {job.text}\n", encoding="utf-8")
    return Entry(job.out, job.split, job.speaker, job.real, job.origin, round(len(x) / RATE, 3), job.text)


def plan(seed: int = 0, max_per_source: int | None = None) -> list[Job]:
    """Every utterance of the corpus, with its speaker-disjoint split.

    Test speakers: Asterisk's Italian voice (Carlo), about a quarter of Fish Fillets' minor
    characters (the two main voices stay in training), and a quarter of the synthetic
    voices, chosen with ``seed``.

    Args:
        seed: seed of the test-speaker choice and the sentence assignment.
        max_per_source: cap per source (for quick test builds); None for everything.
    """
    rng = random.Random(seed)
    jobs: list[Job] = []

    def split_of(speaker: str, test: set[str]) -> str:
        return "test" if speaker in test else "train"

    asterisk = Path("/usr/share/asterisk/sounds")
    for folder, voice in ASTERISK_VOICES.items():
        lang = folder.split("_")[0]
        files = sorted((asterisk / folder).rglob("*.g722"))[:max_per_source]
        package = f"asterisk-core-sounds-{lang}-g722"
        for f in files:
            rel = f.relative_to(asterisk / folder).with_suffix("")
            speaker = f"asterisk-{voice}"
            jobs.append(Job("g722", str(f), f"{split_of(voice, ASTERISK_TEST_VOICES)}/{speaker}/{lang}-"
                            f"{'-'.join(rel.parts)}.wav", split_of(voice, ASTERISK_TEST_VOICES), speaker, True,
                            package))
    fillets = sorted(Path("/usr/share/games/fillets-ng/sound").glob("*/cs/*.ogg"))
    codes = sorted({f.stem.split("-")[1] for f in fillets if f.stem.count("-") >= 2})
    minor = [c for c in codes if c not in FILLETS_MAIN]
    fillets_test = set(rng.sample(minor, k=max(1, len(minor) // 4))) if minor else set()
    per_code: dict[str, int] = {}
    for f in fillets:
        if f.stem.count("-") < 2:
            continue
        code = f.stem.split("-")[1]
        per_code[code] = per_code.get(code, 0) + 1
        if max_per_source is not None and per_code[code] > max(1, max_per_source // 4):
            continue
        speaker = f"fillets-{code}"
        split = split_of(code, fillets_test)
        jobs.append(Job("file", str(f), f"{split}/{speaker}/cs-{f.parent.parent.name}-{f.stem}.wav", split, speaker,
                        True, "fillets-ng-data-cs"))
    voices = ([("espeak", f"{a}+{v}", "espeak-ng") for a in ESPEAK_ACCENTS for v in ESPEAK_VARIANTS]
              + [("flite", v, "flite") for v in FLITE_VOICES]
              + [("festival", v, f"festival/{v}") for v in FESTIVAL_VOICES])
    synthetic_test = set(rng.sample([v for _, v, _ in voices], k=len(voices) // 4))
    per_voice = len(SENTENCES) if max_per_source is None else min(len(SENTENCES), max_per_source)
    for kind, voice, origin in voices:
        speaker = f"{kind}-{voice.replace('+', '-')}"
        split = split_of(voice, synthetic_test)
        for i, text in enumerate(rng.sample(SENTENCES, k=per_voice)):
            jobs.append(Job(kind, voice, f"{split}/{speaker}/{speaker}-{i:02d}.wav", split, speaker, False,
                            origin.split("/")[0], text))
    return _timit_paths(jobs)


def _timit_paths(jobs: list[Job]) -> list[Job]:
    """Place each utterance at ``SPLIT/DRk/<speaker>/<utt>.WAV``, dealing each split's
    speakers round-robin over DR1..DR8."""
    region: dict[tuple[str, str], int] = {}
    for split in ("train", "test"):
        for i, speaker in enumerate(sorted({j.speaker for j in jobs if j.split == split})):
            region[(split, speaker)] = i % 8 + 1
    placed = []
    for j in jobs:
        name = Path(j.out).stem
        out = f"{j.split.upper()}/DR{region[(j.split, j.speaker)]}/{j.speaker}/{name}.WAV"
        placed.append(Job(j.kind, j.source, out, j.split, j.speaker, j.real, j.origin, j.text))
    return placed


def build(root: Path, seed: int = 0, max_per_source: int | None = None, workers: int = 2) -> tuple[list[Entry], dict]:
    """Produce every planned utterance under ``root`` (replacing what is there).

    Returns:
        The entries written and the source package versions.

    Raises:
        DataError: a needed Debian package is missing.
    """
    sources = require_packages(PACKAGES, NAME)
    jobs = plan(seed, max_per_source)
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    with ThreadPoolExecutor(workers) as pool:
        results = list(tqdm(pool.map(lambda j: _produce(j, root), jobs), total=len(jobs), desc=NAME, unit="utt"))
    entries = [e for e in results if e is not None]
    return entries, sources


def corpus_params(seed: int, max_per_source: int | None) -> dict:
    """The parameters that identify a build (a matching manifest makes rebuilding a no-op)."""
    return {"seed": seed, "max_per_source": max_per_source, "rate": RATE, "level_dbfs": LEVEL_DBFS, "version": 1}


def build_corpus(root: Path, seed: int = 0, max_per_source: int | None = None) -> Path:
    """Build and write the manifest (see :mod:`gansig.data.corpora.manifest`)."""
    entries, sources = build(root, seed, max_per_source)
    return write_manifest(root, NAME, corpus_params(seed, max_per_source), sources, LICENCES, entries)
