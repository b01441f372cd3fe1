"""The sine denoiser's claims (the project's text and public code) and the rows that test
them (:mod:`gansig.claims`)."""

from __future__ import annotations

from gansig.claims import Claim, above, below

TABLE = "Validation set: noisy input vs low-pass filter vs denoiser"
DENOISER, FILTER = "Denoiser (GAN generator)", "Low-pass filter"
IN_BAND, OUT_OF_BAND = "Residual noise 10-64 Hz (dB re signal)", "Residual noise 64-128 Hz (dB re signal)"

CLAIMS = [
    Claim("Inside the sines' band the denoiser removes noise the low-pass filter cannot: less residual noise at "
          "10-64 Hz than the filter", "paper", f"{TABLE}: residual noise 10-64 Hz, denoiser against filter",
          below((TABLE, DENOISER, IN_BAND), (TABLE, FILTER, IN_BAND))),
    Claim("Above the band the filter does better: \"the lightweight denoiser fails to remove high frequencies "
          "completely\" (more residual noise at 64-128 Hz than the filter)", "paper",
          f"{TABLE}: residual noise 64-128 Hz, denoiser against filter",
          above((TABLE, DENOISER, OUT_OF_BAND), (TABLE, FILTER, OUT_OF_BAND))),
    Claim("The denoiser improves the SNR more than the filter", "paper",
          f"{TABLE}: SNR improvement, denoiser against filter",
          above((TABLE, DENOISER, "SNR improvement (dB)"), (TABLE, FILTER, "SNR improvement (dB)"))),
    Claim("The public code's figures: MSE 0.0304 or less at the best epoch", "paper", f"{TABLE}: denoiser, MSE",
          below((TABLE, DENOISER, "MSE"), 0.0304 + 1e-9)),
]
