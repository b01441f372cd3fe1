"""Paper 2 (in progress): BPGAN speech compression (Liu, Cao & Kim) — a latent code found by
back-propagating through a trained generator, quantised to 16 levels and range-coded.

Done so far: the codec plumbing (front end and its inverse, quantiser, entropy coder, file
format). Still to come: the networks, their training, the ADMM latent search, the CLI and
Table 3 (see papers/bpgan/README.md). Not yet listed in ``gansig.papers.PAPERS``.
"""
