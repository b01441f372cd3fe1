"""The cells of ``notebooks/sinedenoise.ipynb`` beyond the shared ones (scripts/make_notebooks.py)."""

HEADING = "Paper 5: a 1-D denoising autoencoder-GAN versus a low-pass filter"
INTRO = ("Trains the 282,177-parameter generator on sums of three sines in white noise (-2 dB SNR), compares it "
         "with a Butterworth low-pass filter, and uses it as a tool on a signal of any length.")
SETUP: list[tuple[str, str]] = []
FIGURES = ("Validation examples and training curves", ("validation_examples", "training"))
LISTEN = ("validation examples drawn, not played (256 Hz signals): clean, mixed, the denoiser's output and the "
          "low-pass filter's")
CELLS = [
    ("markdown", "## The denoiser as a tool: a 5-second signal at 1 kHz\n\nWith the shipped denoiser (the paper "
                 "profile's run trained it; no TensorFlow); `out / 'models'` holds the one this notebook's run "
                 "trained."),
    ("code",
     "import numpy as np\n"
     "import matplotlib.pyplot as plt\n"
     "from gansig.data import io\n"
     "from gansig.papers.sinedenoise import tool\n\n"
     "rate = 1000\n"
     "t = np.arange(5 * rate) / rate\n"
     "clean = (np.sin(2 * np.pi * 17 * t) + np.sin(2 * np.pi * 41 * t)) / 3\n"
     "noisy = clean + 0.3 * np.random.default_rng(0).normal(size=t.size)\n"
     "io.save(out / 'audio' / 'tool_in.wav', noisy, rate, subtype='FLOAT')\n"
     "tool.denoise_file(out / 'audio' / 'tool_in.wav', out / 'audio' / 'tool_out.wav', force=True)  # the shipped "
     "denoiser\n"
     "denoised, _ = io.load(out / 'audio' / 'tool_out.wav')\n"
     "fig, ax = plt.subplots(figsize=(9, 3))\n"
     "for name, x in (('noisy', noisy), ('denoised', denoised), ('clean', clean)):\n"
     "    ax.plot(t[:500], x[:500], label=name, lw=0.8)\n"
     "ax.legend(); ax.set_xlabel('time (s)'); plt.show()"),
]
