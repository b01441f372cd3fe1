"""Figures reported by the public code (russell-rozenbaum/GAN-Denoiser README, best epoch 101),
keyed ``{table: {row: {metric: value}}}`` as the regenerated table names them.

The write-up itself gives no table; these are the repository's reported validation
numbers for the trained denoiser.
"""

SOURCE = "russell-rozenbaum/GAN-Denoiser, reported validation figures (best epoch 101)"
TABLE = "Validation set: noisy input vs low-pass filter vs denoiser"
DENOISER = "Denoiser (GAN generator)"

REFERENCE = {
    TABLE: {DENOISER: {"MSE": 0.0304, "SNR improvement (dB)": 7.23, "Distortion (dB)": 7.90}},
    "Model size": {"generator": {"trainable parameters": 282_177},
                   "discriminator": {"trainable parameters": 10_577}},
    "Training": {"schedule": {"best epoch": 101}},
}
