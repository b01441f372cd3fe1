"""Table 3 of the paper (speech compression performance), transcribed once, keyed
``{table: {row: {metric: value}}}`` as the regenerated tables name them (one per test subset,
each beside the same published values).

Its PESQ column tops out at 4.50 for the original, the maximum of raw narrowband P.862,
so it is compared with our PESQ-NB (raw P.862) column (REFERENCE-NOTES.md).
"""

TABLE_3 = {
    "Original (16-bit PCM)": {"bitrate (kbps, from the bytes)": 256.0, "PESQ-NB (raw P.862)": 4.50, "MUSHRA": 95.0},
    "Unified GAN (encoder only)": {"bitrate (kbps, from the bytes)": 2.0, "PESQ-NB (raw P.862)": 3.25, "MUSHRA": 64.1},
    "CELP 8k (Speex NB)": {"bitrate (kbps, from the bytes)": 8.0, "PESQ-NB (raw P.862)": 3.39, "MUSHRA": 59.4},
    "Opus 9k": {"bitrate (kbps, from the bytes)": 9.0, "PESQ-NB (raw P.862)": 3.47, "MUSHRA": 79.3},
    "AMR-WB 6.60k": {"bitrate (kbps, from the bytes)": 6.6, "PESQ-NB (raw P.862)": 3.36, "MUSHRA": 58.9},
    "BPGAN (ADMM)": {"bitrate (kbps, from the bytes)": 2.0, "PESQ-NB (raw P.862)": 3.26, "MUSHRA": 64.9},
}
SUBSETS = ("real speech", "synthetic speech", "all test speech")


def table_name(subset: str) -> str:
    """The regenerated table of one test subset."""
    return f"Table 3 — {subset}"


REFERENCE = {table_name(subset): TABLE_3 for subset in SUBSETS}
