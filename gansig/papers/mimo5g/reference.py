"""The paper's published numbers, transcribed once (Diasakos et al., Table II and section V)."""

TABLE_II = {  # testing steps -> model -> (RMSE, MSE)
    50: {"GAN": (0.150, 0.0225), "Autoencoder": (0.155, 0.0240)},
    100: {"GAN": (0.152, 0.0231), "Autoencoder": (0.153, 0.0243)},
    250: {"GAN": (0.155, 0.0233), "Autoencoder": (0.157, 0.0241)},
    500: {"GAN": (0.156, 0.0229), "Autoencoder": (0.159, 0.0238)},
    1000: {"GAN": (0.152, 0.0224), "Autoencoder": (0.153, 0.0239)},
}

# Section V: "average RMSE of 0.1530 ± 0.0022 and MSE of 0.0228 ± 0.0004" (GAN) and
# "average RMSE of 0.155 and MSE of 0.0240" (autoencoder).
SUMMARY = {
    "GAN": {"RMSE": 0.1530, "RMSE ±": 0.0022, "MSE": 0.0228, "MSE ±": 0.0004},
    "Autoencoder": {"RMSE": 0.155, "MSE": 0.0240},
}

# Section IV: "inference on a single spectrogram sample took less than 100 ms" (an upper bound).
INFERENCE_MS_UPPER_BOUND = 100.0
