"""The 5G paper's claims and the suite's, and the rows that test them (:mod:`gansig.claims`)."""

from __future__ import annotations

from gansig.claims import Claim, below, every
from gansig.results import ResultsTable

TABLE, SUMMARY = "Table II", "Table II summary (mean ± population std over the rows)"
CLASSICAL = ("Noisy input", "Wiener", "Wavelet", "Spectral subtraction", "Spectral gating")


def gan_beats_autoencoder_on_every_row(table: ResultsTable) -> bool | None:
    steps = [r.row.split(" / ")[0] for r in table.rows if r.table == TABLE and r.row.endswith(" / GAN")
             and r.metric == "RMSE"]
    return every([below((TABLE, f"{s} / GAN", "RMSE"), (TABLE, f"{s} / Autoencoder", "RMSE"))
                  for s in steps])(table) if steps else None


CLAIMS = [
    Claim("The GAN denoises the spectrograms better than the convolutional autoencoder: a lower RMSE on every "
          "testing-steps row", "paper", "Table II: GAN against Autoencoder, RMSE, every row",
          gan_beats_autoencoder_on_every_row),
    Claim("The GAN beats the autoencoder on average over the rows", "paper",
          "Table II summary: GAN against Autoencoder, RMSE",
          below((SUMMARY, "GAN", "RMSE"), (SUMMARY, "Autoencoder", "RMSE"))),
    Claim("Inference takes under 100 ms per spectrogram", "paper", "Inference time: GAN, ms per spectrogram",
          below(("Inference time", "GAN", "ms per spectrogram (batch 1, CPU)"), 100.0)),
    Claim("Both networks beat the noisy input and every classical denoiser the paper names as future work "
          "(Wiener, wavelet, spectral subtraction) and spectral gating", "gansig",
          "Table II summary: RMSE of GAN and Autoencoder against each classical row",
          every([below((SUMMARY, net, "RMSE"), (SUMMARY, other, "RMSE")) for net in ("GAN", "Autoencoder")
                 for other in CLASSICAL])),
]
