"""The BPGAN paper's claims and the rows that test them (:mod:`gansig.claims`)."""

from __future__ import annotations

from gansig.claims import Cell, Claim, Test, above, at_least, below, every, value

REAL = "Table 3 — real speech"
SEARCH, OURS = "BPGAN (ADMM)", "BPGAN (ADMM, level-weighted search)"
WARM = "BPGAN (warm start: distilled encoder + short search)"
RATE, NB = "bitrate (kbps, from the bytes)", "PESQ-NB (raw P.862)"
PAPER_PROFILE = "the paper's networks and epochs: about 9.4 h of an H100 (README), not trained here"


def within(left: Cell, right: Cell, margin: float) -> Test:
    """A test: ``left >= right - margin`` (None where either cell is missing)."""
    def test(table) -> bool | None:
        a, b = value(table, left), value(table, right)
        return None if a is None or b is None else a >= b - margin
    return test


def same_rate(left: Cell, right: Cell, fraction: float = 0.02) -> Test:
    """A test: ``left`` is within ``fraction`` of ``right`` (None where either is missing)."""
    def test(table) -> bool | None:
        a, b = value(table, left), value(table, right)
        return None if a is None or b is None or not b else abs(a / b - 1) <= fraction
    return test


CLAIMS = [
    Claim("BPGAN compresses speech at about 2 kbit/s (within 2.2)", "paper", f"{REAL}: {SEARCH}, bitrate",
          every([below((REAL, SEARCH, RATE), 2.2), above((REAL, SEARCH, RATE), 1.5)])),
    Claim("... with the quality of codecs at higher rates: PESQ-NB at least Codec2 3200's", "paper",
          f"{REAL}: PESQ-NB, {SEARCH} against Codec2 3200", at_least((REAL, SEARCH, NB), (REAL, "Codec2 3200", NB))),
    Claim("... PESQ-NB 3.26 at 2 kbit/s", "paper", f"{REAL}: {SEARCH}, PESQ-NB", lambda t: None,
          out_of_reach=PAPER_PROFILE),
    Claim("The codec's own level-weighted search is at least Codec2 3200's PESQ-NB at two thirds of its rate",
          "gansig", f"{REAL}: PESQ-NB and bitrate, {OURS} against Codec2 3200",
          every([at_least((REAL, OURS, NB), (REAL, "Codec2 3200", NB)), below((REAL, OURS, RATE), 2.2)])),
    Claim("The warm-started search (`encode`'s default) keeps the cold search's PESQ-NB within 0.05 at a bit rate "
          "within 2 %", "gansig", f"{REAL}: PESQ-NB and bitrate, {WARM} against {OURS}",
          every([within((REAL, WARM, NB), (REAL, OURS, NB), 0.05), same_rate((REAL, WARM, RATE), (REAL, OURS, RATE))])),
]
