"""Classical methods the GANs are compared with."""

from gansig.baselines.bandwidth import band_replication, detect_cutoff
from gansig.baselines.denoise import (
    butterworth_lowpass,
    noise_psd,
    spectral_gating,
    spectral_subtraction,
    wavelet_threshold,
    wiener,
)

__all__ = ["band_replication", "detect_cutoff", "butterworth_lowpass", "noise_psd", "spectral_gating",
           "spectral_subtraction", "wavelet_threshold", "wiener"]
