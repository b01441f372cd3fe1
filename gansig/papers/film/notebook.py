"""The cells of ``notebooks/film.ipynb`` beyond the shared ones (scripts/make_notebooks.py)."""

HEADING = "Paper 3: restoring damaged film sound — the thesis's eleven experiments and Table 5.1"
INTRO = ("Trains every experiment of Aksoy's thesis as a chain, scores Table 5.1's 24 rows from their checkpoints on "
         "one held-out excerpt, beside silence, the damaged input, classical bandwidth extension and gansig's own "
         "restorer (trained for the clean original on film-restore), and uses the restorer as a tool. Needs the Debian "
         "packages of `make system-deps` (film-default, film-restore).")
SETUP = [
    ("code",
     "import os, tempfile\n"
     "from gansig.data.corpora import registry\n\n"
     "CORPORA = ('film-default', 'film-restore')  # the recording scored, and the restorer's training clips\n"
     "if not all((registry.corpus_dir(c) / 'manifest.json').is_file() for c in CORPORA):\n"
     "    # Not built yet (`make data` builds the full ones): short ones in a temporary folder.\n"
     "    os.environ['GANSIG_DATA_DIR'] = tempfile.mkdtemp(prefix='gansig-')\n"
     "    for c in CORPORA:\n"
     "        registry.build(c, max_per_source=3)\n"
     "for c in CORPORA:\n"
     "    print(registry.summary(c))"),
]
FIGURES = ("The held-out excerpt: the clean original, the target, the baselines, the gansig restorer and every thesis "
           "row",
           ("spectrograms_baselines", "spectrograms_thesis_rows"))
LISTEN = ("the held-out excerpt (the clean original, the thesis's target, the damaged input, band "
          "replication, the gansig restorer, the best regenerated thesis row), then the restorer on each damage of "
          "its section")
CELLS = [
    ("markdown", "## Your own recording\n\nAny file, any rate and channel count: restored in blocks at 48 kHz with "
                 "the shipped restorer, which the quick run trained (`python -m gansig.papers.film restore damaged.wav "
                 "-o restored.wav`; no TensorFlow). The model this notebook's run trained is `out / 'models' / "
                 "'gansig'`: pass it as the third argument to hear it instead."),
    ("code",
     "from IPython.display import Audio\n\n"
     "from gansig.papers.film.restore import restore_file\n\n"
     "source = out / 'audio' / 'damaged.wav'  # put your own damaged file here\n"
     "restored = restore_file(source, out / 'mine_restored.wav', force=True)\n"
     "display(Audio(filename=str(restored)))"),
]
