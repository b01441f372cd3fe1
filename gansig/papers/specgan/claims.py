"""The SpecGAN report's claims and the suite's generator's, and the rows that test them
(:mod:`gansig.claims`)."""

from __future__ import annotations

from gansig.claims import Claim, at_least, every
from gansig.papers.specgan import reference

CONDITIONAL = "Class-conditional generation: fit, quality, diversity (mean over the classes)"
STREET = "In-domain scores of street music (classifier trained here)"
GANSIG, REAL = "gansig (class-conditional)", "real test clips (another draw of windows)"

CLAIMS = [
    Claim("The report's model generates street music: the in-domain classifier names its clips street music as "
          "often as real ones", "paper", f"{STREET}: P(street music), the report's model against the real "
          "training folds", at_least((STREET, reference.REPORT_MODEL, "P(street music)"),
                                     (STREET, "real: training folds (the floor)", "P(street music)"))),
    Claim("gansig's generator fits the class asked for at least as often as real clips of it", "gansig",
          f"{CONDITIONAL}: fit, gansig against real test clips",
          at_least((CONDITIONAL, GANSIG, "fit: classifier names the class"),
                   (CONDITIONAL, REAL, "fit: classifier names the class"))),
    Claim("... with 8 or more of the 10 classes within 3 x their FD floor", "gansig",
          f"{CONDITIONAL}: gansig, classes within 3 x floor",
          at_least((CONDITIONAL, GANSIG, "classes within 3 x floor"), 8.0)),
    Claim("... with real clips' variety (diversity at least 0.7 of real's) and no copying (nearest-training "
          "distance at least 0.9 of real's)", "gansig",
          f"{CONDITIONAL}: gansig, diversity / real and nearest-training distance / real",
          every([at_least((CONDITIONAL, GANSIG, "diversity / real"), 0.7),
                 at_least((CONDITIONAL, GANSIG, "nearest-training distance / real"), 0.9)])),
]
