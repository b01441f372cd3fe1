"""The film thesis's claims and the suite's restorer's, and the rows that test them
(:mod:`gansig.claims`)."""

from __future__ import annotations

from gansig.claims import Claim, below, value
from gansig.papers.film.evaluate import BWE, DAMAGED, GANSIG
from gansig.papers.film.reproduce import CLEAN_TABLE
from gansig.results import ResultsTable

LSD, SNR = "LSD vs clean (log10)", "SNR vs clean (dB)"
THESIS_PROFILE = "the thesis's networks and epochs: 24.9 h of an H200 (README), not trained here"


def snr_within_half_a_db(table: ResultsTable) -> bool | None:
    restored, damaged = value(table, (CLEAN_TABLE, GANSIG, SNR)), value(table, (CLEAN_TABLE, DAMAGED, SNR))
    return None if restored is None or damaged is None else restored >= damaged - 0.5


CLAIMS = [
    Claim("GANs restore the missing band of damaged film sound (Table 5.1's experiments improve on the damaged "
          "recording)", "paper", "Table 5.1: every experiment, against the thesis's target", lambda t: None,
          out_of_reach=THESIS_PROFILE),
    Claim("The gansig restorer brings the damaged input closer to the clean original: a lower LSD", "gansig",
          f"{CLEAN_TABLE}: LSD, gansig restorer against the damaged input",
          below((CLEAN_TABLE, GANSIG, LSD), (CLEAN_TABLE, DAMAGED, LSD))),
    Claim("... closer than classical band replication", "gansig",
          f"{CLEAN_TABLE}: LSD, gansig restorer against band replication",
          below((CLEAN_TABLE, GANSIG, LSD), (CLEAN_TABLE, BWE, LSD))),
    Claim("... at a cost of at most 0.5 dB of SNR against the clean original", "gansig",
          f"{CLEAN_TABLE}: SNR, gansig restorer against the damaged input less 0.5 dB", snr_within_half_a_db),
]
