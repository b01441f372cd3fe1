"""Write the notebooks from their cell lists (run once after editing; the .ipynb files are committed)."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from gansig.papers import PAPERS

NOTEBOOKS = {
    "mimo5g": [
        new_markdown_cell(
            "# Paper 1: 5G MIMO spectrogram denoiser — GAN vs autoencoder\n\n"
            "Runs the reproduction of Table II (Diasakos et al.) and shows the table and figures.\n"
            f"`PROFILE = \"smoke\"` takes seconds; `\"quick\"` {PAPERS['mimo5g'].cpu_time} on a 2-core CPU; "
            "`\"paper\"` is the "
            "paper's own set-up (meant for a GPU). See `papers/mimo5g/README.md` for every interpretation."),
        new_code_cell('PROFILE = "smoke"  # "smoke" | "quick" | "paper"\nSEED = 0'),
        new_code_cell(
            "from pathlib import Path\n"
            "from IPython.display import Image, Markdown, display\n"
            "from gansig.papers import mimo5g\n\n"
            "out = Path('results', 'mimo5g', PROFILE)\n"
            "table = mimo5g.reproduce(PROFILE, out_dir=out, seed=SEED, verbose=0)"),
        new_code_cell("display(Markdown(table.to_markdown()))"),
        new_markdown_cell("## Spectrograms before normalisation (Figs. 3-4), outputs (Figs. 5, 7, 8) and training "
                          "curves (Fig. 6)"),
        new_code_cell("for name in ('fig3_4_raw', 'fig5_7_8_denoised', 'fig6_training'):\n"
                      "    display(Image(filename=str(out / 'figures' / f'{name}.png')))"),
        new_markdown_cell("## GAN vs autoencoder per Table II row"),
        new_code_cell(
            "import matplotlib.pyplot as plt\n"
            "steps = table.config['test_steps']\n"
            "fig, ax = plt.subplots(figsize=(6, 3.5))\n"
            "for method in ('GAN', 'Autoencoder', 'Noisy input', 'Spectral subtraction'):\n"
            "    ax.plot(steps, [table.get('Table II', f'{s} / {method}', 'RMSE').measured for s in steps], 'o-', "
            "label=method)\n"
            "ax.plot(steps, [table.get('Table II', f'{s} / GAN', 'RMSE').reference for s in steps], 'k--', "
            "label='GAN (paper)')\n"
            "ax.set_xscale('log'); ax.set_xlabel('testing steps (test-set size)'); ax.set_ylabel('RMSE'); "
            "ax.legend(); plt.show()"),
    ],
    "sinedenoise": [
        new_markdown_cell(
            "# Paper 5: a 1-D denoising autoencoder-GAN versus a low-pass filter\n\n"
            "Trains the 282,177-parameter generator on sums of three sines in white noise (-2 dB SNR), compares it "
            "with a Butterworth low-pass filter, and uses it as a tool on a signal of any length.\n"
            f"`PROFILE = \"smoke\"` takes seconds; `\"paper\"` (the project's own schedule) "
            f"{PAPERS['sinedenoise'].cpu_time} on a 2-core CPU."),
        new_code_cell('PROFILE = "smoke"  # "smoke" | "quick" | "paper"\nSEED = 0'),
        new_code_cell(
            "from pathlib import Path\n"
            "from IPython.display import Image, Markdown, display\n"
            "from gansig.papers import sinedenoise\n\n"
            "out = Path('results', 'sinedenoise', PROFILE)\n"
            "table = sinedenoise.reproduce(PROFILE, out_dir=out, seed=SEED, verbose=0)\n"
            "display(Markdown(table.to_markdown()))"),
        new_code_cell("for name in ('validation_examples', 'training'):\n"
                      "    display(Image(filename=str(out / 'figures' / f'{name}.png')))"),
        new_markdown_cell("## The denoiser as a tool: a 5-second signal at 1 kHz"),
        new_code_cell(
            "import numpy as np\n"
            "import matplotlib.pyplot as plt\n"
            "from gansig.data import io\n"
            "from gansig.papers.sinedenoise import tool\n\n"
            "rate = 1000\n"
            "t = np.arange(5 * rate) / rate\n"
            "clean = (np.sin(2 * np.pi * 17 * t) + np.sin(2 * np.pi * 41 * t)) / 3\n"
            "noisy = clean + 0.3 * np.random.default_rng(0).normal(size=t.size)\n"
            "io.save(out / 'audio' / 'tool_in.wav', noisy, rate, subtype='FLOAT')\n"
            "tool.denoise_file(out / 'audio' / 'tool_in.wav', out / 'audio' / 'tool_out.wav', "
            "out / 'models' / 'generator.keras')\n"
            "denoised, _ = io.load(out / 'audio' / 'tool_out.wav')\n"
            "fig, ax = plt.subplots(figsize=(9, 3))\n"
            "for name, x in (('noisy', noisy), ('denoised', denoised), ('clean', clean)):\n"
            "    ax.plot(t[:500], x[:500], label=name, lw=0.8)\n"
            "ax.legend(); ax.set_xlabel('time (s)'); plt.show()"),
    ],
    "bpgan": [
        new_markdown_cell(
            "# Paper 2: BPGAN, a ~2 kbit/s neural speech codec\n\n"
            "Trains the codec, encodes the test speech into real `.bpg` files (ADMM latent search and encoder "
            "only), and scores it beside Opus, Speex, AMR-WB and Codec2 on the same speech (Table 3). "
            f"`PROFILE = \"smoke\"` takes about a minute; `\"quick\"` {PAPERS['bpgan'].cpu_time} "
            "on a 2-core CPU. "
            "Needs the Debian packages of `make system-deps`."),
        new_code_cell('PROFILE = "smoke"  # "smoke" | "quick" | "paper"\nSEED = 0'),
        new_code_cell(
            "import os, tempfile\n"
            "from gansig.data.corpora import registry\n\n"
            "if not (registry.corpus_dir('speech-default') / 'manifest.json').is_file():\n"
            "    # No corpus yet (`make data` builds the full one): a small one in a temporary folder.\n"
            "    os.environ['GANSIG_DATA_DIR'] = tempfile.mkdtemp(prefix='gansig-')\n"
            "    registry.build('speech-default', max_per_source=3)\n"
            "print(registry.summary('speech-default'))"),
        new_code_cell(
            "from pathlib import Path\n"
            "from IPython.display import Audio, Image, Markdown, display\n"
            "from gansig.papers import bpgan\n\n"
            "out = Path('results', 'bpgan', PROFILE)\n"
            "table = bpgan.reproduce(PROFILE, out_dir=out, seed=SEED, verbose=0)\n"
            "display(Markdown(table.to_markdown()))"),
        new_markdown_cell("## Listen: original, BPGAN (ADMM: the paper's search, then gansig's level-weighted "
                          "one), encoder only, Codec2 3200, Opus 9k"),
        new_code_cell(
            "for name in ('original', 'bpgan', 'bpgan_weighted', 'unified_gan', 'codec2_3200', 'opus_9k'):\n"
            "    print(name)\n"
            "    display(Audio(filename=str(out / 'audio' / f'example1_{name}.wav')))"),
        new_code_cell("for name in ('spectrograms', 'rate_quality', 'training'):\n"
                      "    display(Image(filename=str(out / 'figures' / f'{name}.png')))"),
        new_markdown_cell("## Your own audio\n\nAny file soundfile reads, at any rate and length: encoded to a "
                          "`.bpg` file with the codec just trained, decoded back at its own rate."),
        new_code_cell(
            "from gansig.papers.bpgan.codec import Codec, decode_file, encode_file\n\n"
            "codec = Codec.load(out / 'models' / 'codec')\n"
            "source = out / 'audio' / 'example1_original.wav'  # put your own file here\n"
            "coded = encode_file(codec, source, out / 'mine.bpg')\n"
            "decoded = decode_file(codec, coded, out / 'mine_decoded.wav')\n"
            "import soundfile\n"
            "seconds = soundfile.info(str(source)).duration\n"
            "print(f'{coded.stat().st_size} bytes for {seconds:.2f} s: {8 * coded.stat().st_size / seconds / 1000:.2f} "
            "kbit/s')\n"
            "display(Audio(filename=str(decoded)))"),
        new_markdown_cell("Is it better than what you use, on your speech? `evaluate` codes files (or folders) "
                          "with this codec and with Codec2, Opus, AMR-WB and Speex, and scores each one. To train "
                          "a codec on your own speech: `python -m gansig.papers.bpgan train --audio DIR --out OUT`."),
        new_code_cell(
            "from gansig.papers.bpgan.reproduce import evaluate, format_means\n\n"
            "display(Markdown(format_means(evaluate(codec, [source]))))"),
    ],
}


NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"


def build(name: str) -> nbformat.NotebookNode:
    """The notebook ``name`` from its cell list, with stable cell ids (rewriting it changes
    only what was edited)."""
    nb = new_notebook(cells=NOTEBOOKS[name])
    for i, cell in enumerate(nb.cells):
        cell.id = f"{name}-{i}"
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def main(names: list[str]) -> None:
    for name in names or list(NOTEBOOKS):
        path = NOTEBOOK_DIR / f"{name}.ipynb"
        nbformat.write(build(name), path)
        print(f"wrote {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
