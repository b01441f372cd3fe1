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
]
