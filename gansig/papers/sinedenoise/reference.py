"""Figures reported by the public code (russell-rozenbaum/GAN-Denoiser README, best epoch 101).

The write-up itself gives no table; these are the repository's reported validation
numbers for the trained denoiser.
"""

SOURCE = "russell-rozenbaum/GAN-Denoiser, reported validation figures (best epoch 101)"
DENOISER = {"MSE": 0.0304, "SNR improvement (dB)": 7.23, "Distortion (dB)": 7.90}
GENERATOR_PARAMETERS = 282_177
DISCRIMINATOR_PARAMETERS = 10_577
