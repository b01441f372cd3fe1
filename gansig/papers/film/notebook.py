"""The cells of ``notebooks/film.ipynb`` beyond the shared ones (scripts/make_notebooks.py)."""

HEADING = "Paper 3: restoring damaged film sound — the thesis's eleven experiments and Table 5.1"
INTRO = ("Trains every experiment of Aksoy's thesis as a chain, scores Table 5.1's 24 rows from their checkpoints on "
         "one held-out excerpt, beside silence, the damaged input, classical bandwidth extension and gansig's own band "
         "predictor, and uses the restorer as a tool. Needs the Debian packages of `make system-deps` (film-default).")
SETUP = [
    ("code",
     "import os, tempfile\n"
     "from gansig.data.corpora import registry\n\n"
     "if not (registry.corpus_dir('film-default') / 'manifest.json').is_file():\n"
     "    # No corpus yet (`make data` builds the full one): a short one in a temporary folder.\n"
     "    os.environ['GANSIG_DATA_DIR'] = tempfile.mkdtemp(prefix='gansig-')\n"
     "    registry.build('film-default', max_per_source=3)\n"
     "print(registry.summary('film-default'))"),
]
FIGURES = ("The held-out excerpt: the target, the baselines, the gansig row and every thesis row",
           ("spectrograms_baselines", "spectrograms_thesis_rows"))
CELLS = [
    ("markdown", "## Listen: the target (original + noise), the damaged input, band replication, the gansig row "
                 "and the best regenerated thesis row"),
    ("code",
     "from IPython.display import Audio\n\n"
     "for name in ('target', 'damaged', 'band_replication', 'gansig', 'best_thesis_row'):\n"
     "    print(name)\n"
     "    display(Audio(filename=str(out / 'audio' / f'{name}.wav')))"),
    ("markdown", "## Your own recording\n\nAny file, any rate and channel count: restored in blocks at 48 kHz with "
                 "the gansig model just trained (`python -m gansig.papers.film restore damaged.wav -o restored.wav`)."),
    ("code",
     "from gansig.papers.film.restore import restore_file\n\n"
     "source = out / 'audio' / 'damaged.wav'  # put your own damaged file here\n"
     "restored = restore_file(source, out / 'mine_restored.wav', out / 'models' / 'gansig')\n"
     "display(Audio(filename=str(restored)))"),
]
