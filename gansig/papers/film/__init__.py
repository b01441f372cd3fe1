"""Paper 3 (in progress): GAN restoration of damaged film soundtracks (the thesis's eleven
experiments and Table 5.1). So far its data: the thesis's damaged set from a clean
recording (:mod:`.damage`, ``python -m gansig.papers.film damage``)."""
