"""The tools on the light runtime (ONNX Runtime, NumPy; no TensorFlow) beside the same
networks in Keras inside a TensorFlow process, each run a fresh process, on inputs of
10 s, 3 min and 10 min: wall time of the whole command, real-time factor (wall time over
the input's duration) and peak resident memory (GNU time's, ``processes.measured``).

- restore: 48 kHz, film-default's clean recording cut at 3 kHz with noise (``damage``),
  repeated to length; the shipped film-restorer (light) and the quick run's Keras
  generator, as the tool ran it before (the whole file in memory).
- decode: 16 kHz, speech-default's real test speech joined to length, encoded once by the
  shipped codec's encoder; the shipped codec (light) and the quick run's Keras codec.
- generate: 100 clips of the ten classes in turn; the shipped specgan-gansig and the quick
  run's Keras generator.
- denoise: sine mixtures in white noise at 1 kHz; the shipped sine-denoiser and the paper
  run's Keras generator.

The Keras rows need the runs' folders (``--results``, default results/: ``make models``
leaves them); they are left out where missing. Needs the film-default and speech-default
corpora (``make data``).

Run: .venv/bin/python benchmarks/bench_light_runtime.py [--lengths 10,180,600] [--results results]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np
import soundfile as sf
from processes import measured

KERAS = {  # tool -> (the run's model folder under --results, the Keras path's script)
    "restore": ("film/quick/models/gansig", """
from gansig.papers import import_tensorflow_quietly
import_tensorflow_quietly()
import sys, numpy as np
from gansig.data import io
from gansig.fileio import load_model
from gansig.papers.film.restore import Restorer
folder, src, dst = sys.argv[1:4]
light = Restorer.load(folder)
restorer = Restorer(light.kind, light.config, load_model(f"{folder}/generator.keras"), light.cutoff_hz,
                    light.band_ratio)
x, rate = io.load(src)
x = io.resample(x, rate, restorer.rate)
io.save(dst, restorer.restore(x - x.mean()) + x.mean(), restorer.rate)
"""),
    "decode": ("bpgan/quick/models/codec", """
import sys
from gansig.papers.bpgan.codec import Codec, decode_file
decode_file(Codec.load(sys.argv[1], keras=True), sys.argv[2], sys.argv[3])
"""),
    "generate": ("specgan/quick/models/gansig", """
from gansig.papers import import_tensorflow_quietly
import_tensorflow_quietly()
import sys
from gansig.fileio import load_model
from gansig.papers.specgan.generate import SpecGenerator, write_examples
light = SpecGenerator.load(sys.argv[1])
model = SpecGenerator(light.config, load_model(sys.argv[1] + "/generator.keras"), light.moments)
for _ in write_examples(model, int(sys.argv[2]), sys.argv[3]):
    pass
"""),
    "denoise": ("sinedenoise/paper/models", """
from gansig.papers import import_tensorflow_quietly
import_tensorflow_quietly()
import sys
from gansig.data import io
from gansig.fileio import load_model
from gansig.papers.sinedenoise import tool
_, meta = tool.load_denoiser(sys.argv[1])
model = load_model(sys.argv[1] + "/generator.keras")
x, rate = io.load(sys.argv[2])
y = tool.denoise_signal(model, io.resample(x, rate, meta["sample_rate"]), meta["input_rms"], meta["frame"])
io.save(sys.argv[3], io.resample(y, meta["sample_rate"], rate)[:len(x)], rate)
"""),
}


def inputs(folder: Path, seconds: float, tools: list[str]) -> dict[str, tuple[Path, float]]:
    """Each tool's input of ``seconds`` and its duration (generate: 100 clips, about 1 s each)."""
    from gansig.data import io
    from gansig.data.corpora.registry import corpus_dir
    from gansig.papers.bpgan import data
    from gansig.papers.bpgan.codec import Codec, encode_file
    from gansig.papers.bpgan.evaluate import join_segments
    from gansig.papers.film.config import PAPER
    from gansig.papers.film.damage import Damage, white_noise

    if "restore" in tools:
        clean, _ = io.load(corpus_dir("film-default") / "clean.wav", PAPER.rate)
        clean = np.resize(clean, int(seconds * PAPER.rate))
        damaged = Damage.of(PAPER, 3000.0).onto(clean, white_noise(len(clean), PAPER, 0), PAPER.rate)
        sf.write(folder / "damaged.wav", damaged / max(1.0, np.abs(damaged).max()), PAPER.rate)
    if "decode" in tools:
        speech = join_segments(data.waveforms([i for i in data.utterances("test") if i.real]), seconds, 1)[0]
        sf.write(folder / "speech.wav", speech, 16000)
        encode_file(Codec.load(), folder / "speech.wav", folder / "speech.bpg", search=False, force=True)
    t = np.arange(int(seconds * 1000)) / 1000
    mix = (np.sin(2 * np.pi * 17 * t) + np.sin(2 * np.pi * 41 * t)) / 3
    sf.write(folder / "noisy.wav", mix + 0.3 * np.random.default_rng(0).normal(size=t.size), 1000, subtype="FLOAT")
    return {"restore": (folder / "damaged.wav", seconds), "decode": (folder / "speech.bpg", seconds),
            "generate": (folder, 100 * 16384 / 16000), "denoise": (folder / "noisy.wav", seconds)}


def commands(tool: str, src: Path, out: Path, results: Path) -> dict[str, list[str]]:
    light = {"restore": ["gansig.papers.film", "restore", str(src), "-o", str(out / "restored.wav"), "-f"],
             "decode": ["gansig.papers.bpgan", "decode", str(src), str(out / "decoded.wav"), "-f"],
             "generate": ["gansig.papers.specgan", "generate", "-n", "100", "--out", str(out / "light")],
             "denoise": ["gansig.papers.sinedenoise", "denoise", str(src), "-o", str(out / "denoised.wav"), "-f"]}
    runs = {"light (ONNX Runtime)": [sys.executable, "-m", *light[tool]]}
    folder, script = KERAS[tool]
    if (results / folder).is_dir():
        args = {"restore": [str(src), str(out / "restored_keras.wav")],
                "decode": [str(src), str(out / "decoded_keras.wav")],
                "generate": ["100", str(out / "keras")], "denoise": [str(src), str(out / "denoised_keras.wav")]}
        runs["Keras (TensorFlow)"] = [sys.executable, "-c", script, str(results / folder), *args[tool]]
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lengths", default="10,180,600", help="input lengths, seconds")
    parser.add_argument("--results", type=Path, default=Path("results"), help="the runs' folder (the Keras rows)")
    parser.add_argument("--tools", default="restore,decode,generate,denoise")
    args = parser.parse_args()
    print("| tool | input | path | wall (s) | real-time factor | peak RSS (MB) |")
    print("|---|---|---|---|---|---|")
    for seconds in [float(s) for s in args.lengths.split(",")]:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            tools = args.tools.split(",")
            given = inputs(folder, seconds, tools)
            for tool in tools:
                if tool == "generate" and seconds != float(args.lengths.split(",")[0]):
                    continue  # -n 100 whatever the length
                src, duration = given[tool]
                for path, argv in commands(tool, src, folder, args.results.resolve()).items():
                    took, peak = measured(argv, cwd=str(folder))
                    label = "-n 100" if tool == "generate" else f"{seconds:g} s"
                    print(f"| {tool} | {label} | {path} | {took:.2f} | {took / duration:.3f} | {peak:.0f} |",
                          flush=True)


if __name__ == "__main__":
    main()
