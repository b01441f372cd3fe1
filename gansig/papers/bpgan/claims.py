"""The BPGAN paper's claims and the rows that test them (:mod:`gansig.claims`)."""

from __future__ import annotations

from gansig.claims import Claim, above, at_least, below, every

REAL = "Table 3 — real speech"
SEARCH, OURS = "BPGAN (ADMM)", "BPGAN (ADMM, level-weighted search)"
RATE, NB = "bitrate (kbps, from the bytes)", "PESQ-NB (raw P.862)"
PAPER_PROFILE = "the paper's networks and epochs: about 9.4 h of an H100 (README), not trained here"

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
]
