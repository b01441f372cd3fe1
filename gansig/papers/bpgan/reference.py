"""Table 3 of the paper (speech compression performance), transcribed once.

Its PESQ column tops out at 4.50 for the original, the maximum of raw narrowband P.862,
so it is compared with our PESQ-NB (raw P.862) column (REFERENCE-NOTES.md).
"""

TABLE_3 = {  # method -> (bitrate kbps, PESQ, MUSHRA)
    "Original (16-bit PCM)": (256.0, 4.50, 95.0),
    "Unified GAN (encoder only)": (2.0, 3.25, 64.1),
    "CELP 8k (Speex NB)": (8.0, 3.39, 59.4),
    "Opus 9k": (9.0, 3.47, 79.3),
    "AMR-WB 6.60k": (6.6, 3.36, 58.9),
    "BPGAN (ADMM)": (2.0, 3.26, 64.9),
}
