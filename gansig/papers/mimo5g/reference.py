"""The paper's published numbers, transcribed once (Diasakos et al., Table II and section V),
keyed ``{table: {row: {metric: value}}}`` as the regenerated table names them."""

TABLE_II = "Table II"
SUMMARY = "Table II summary (mean ± population std over the rows)"
INFERENCE = "Inference time"
INFERENCE_MS = "ms per spectrogram (batch 1, CPU)"

REFERENCE = {
    TABLE_II: {  # row: testing steps / model
        "50 / GAN": {"RMSE": 0.150, "MSE": 0.0225},
        "50 / Autoencoder": {"RMSE": 0.155, "MSE": 0.0240},
        "100 / GAN": {"RMSE": 0.152, "MSE": 0.0231},
        "100 / Autoencoder": {"RMSE": 0.153, "MSE": 0.0243},
        "250 / GAN": {"RMSE": 0.155, "MSE": 0.0233},
        "250 / Autoencoder": {"RMSE": 0.157, "MSE": 0.0241},
        "500 / GAN": {"RMSE": 0.156, "MSE": 0.0229},
        "500 / Autoencoder": {"RMSE": 0.159, "MSE": 0.0238},
        "1000 / GAN": {"RMSE": 0.152, "MSE": 0.0224},
        "1000 / Autoencoder": {"RMSE": 0.153, "MSE": 0.0239},
    },
    # Section V: "average RMSE of 0.1530 ± 0.0022 and MSE of 0.0228 ± 0.0004" (GAN) and
    # "average RMSE of 0.155 and MSE of 0.0240" (autoencoder).
    SUMMARY: {
        "GAN": {"RMSE": 0.1530, "RMSE ±": 0.0022, "MSE": 0.0228, "MSE ±": 0.0004},
        "Autoencoder": {"RMSE": 0.155, "MSE": 0.0240},
    },
    # Section IV: "inference on a single spectrogram sample took less than 100 ms" (an upper bound).
    INFERENCE: {"GAN": {INFERENCE_MS: 100.0}},
}
