"""The cells of ``notebooks/mimo5g.ipynb`` beyond the shared ones (scripts/make_notebooks.py)."""

HEADING = "Paper 1: 5G MIMO spectrogram denoiser — GAN vs autoencoder"
INTRO = ("Runs the reproduction of Table II (Diasakos et al.) and shows the table and figures. See "
         "`papers/mimo5g/README.md` for every interpretation.")
SETUP: list[tuple[str, str]] = []
FIGURES = ("Spectrograms before normalisation (Figs. 3-4), outputs (Figs. 5, 7, 8) and training curves (Fig. 6)",
           ("fig3_4_raw", "fig5_7_8_denoised", "fig6_training"))
LISTEN = ("two test signals: clean, noisy, the GAN's and the autoencoder's images made audible (mel-band "
          "gains on the noisy STFT), the clean and the noisy image through the same path, Wiener and spectral gating")
CELLS = [
    ("markdown", "## GAN vs autoencoder per Table II row"),
    ("code",
     "import matplotlib.pyplot as plt\n"
     "steps = table.config['test_steps']\n"
     "fig, ax = plt.subplots(figsize=(6, 3.5))\n"
     "for method in ('GAN', 'Autoencoder', 'Noisy input', 'Spectral subtraction'):\n"
     "    ax.plot(steps, [table.get('Table II', f'{s} / {method}', 'RMSE').measured for s in steps], 'o-', "
     "label=method)\n"
     "paper = [table.reference('Table II', f'{s} / GAN', 'RMSE') for s in steps]\n"
     "ax.plot(steps, paper, 'k--', label='GAN (paper)')\n"
     "ax.set_xscale('log'); ax.set_xlabel('testing steps (test-set size)'); ax.set_ylabel('RMSE'); "
     "ax.legend(); plt.show()"),
    ("markdown", "## The shipped networks on new signals\n\nThe GAN generator and the autoencoder gansig ships "
                 "(the quick run trained them), run by ONNX Runtime without TensorFlow, on four test signals drawn "
                 "from a seed of their own: noisy image, the GAN's, the autoencoder's, the clean one."),
    ("code",
     "import numpy as np\n"
     "from gansig import models\n"
     "from gansig.papers.mimo5g import data\n"
     "from gansig.papers.mimo5g.config import PROFILES\n"
     "from gansig.runtime.network import load_networks\n\n"
     "nets = load_networks(models.default('mimo5g-gan'), ['generator', 'autoencoder'])\n"
     "signals = data.make_set(PROFILES[PROFILE], 4, seed=123)\n"
     "outputs = {'noisy': signals.noisy_images, 'GAN': nets['generator'](signals.noisy_images),\n"
     "           'autoencoder': nets['autoencoder'](signals.noisy_images), 'clean': signals.clean_images}\n"
     "fig, axes = plt.subplots(4, 4, figsize=(8, 8))\n"
     "for r, (name, images) in enumerate(outputs.items()):\n"
     "    for c in range(4):\n"
     "        axes[r, c].imshow(images[c, ..., 0], origin='lower', vmin=0, vmax=1); axes[r, c].axis('off')\n"
     "    axes[r, 0].set_title(name, loc='left')\n"
     "plt.show()\n"
     "for name in ('GAN', 'autoencoder'):\n"
     "    print(name, 'RMSE on these four:', float(np.sqrt(np.mean((outputs[name] - signals.clean_images) ** 2))))"),
]
