"""The cells of ``notebooks/specgan.ipynb`` beyond the shared ones (scripts/make_notebooks.py)."""

HEADING = "Paper 4: SpecGAN street music — the report's model, the canonical SpecGAN, scored in-domain"
INTRO = ("Trains the UrbanSound8K report's model as reported, Donahue's canonical SpecGAN and a class-conditional "
         "one, and scores them with the report's RMSE (and FID, given InceptionV3 weights) and with a classifier "
         "trained here (FD, KID, inception score) beside real data and the references a generator must beat. Needs "
         "the Debian packages of `make system-deps` (street-default).")
SETUP = [
    ("code",
     "import os, tempfile\n"
     "from gansig.data.corpora import registry\n\n"
     "if not (registry.corpus_dir('street-default') / 'manifest.json').is_file():\n"
     "    # No corpus yet (`make data` builds the full one): a short one in a temporary folder.\n"
     "    os.environ['GANSIG_DATA_DIR'] = tempfile.mkdtemp(prefix='gansig-')\n"
     "    registry.build('street-default', max_per_source=12)\n"
     "print(registry.summary('street-default'))"),
]
FIGURES = ("Real and generated spectrogram images, and the training curves", ("real_vs_generated", "training"))
CELLS = [
    ("markdown", "## Listen: real street music, the report's model, the canonical SpecGAN, and every class of the "
                 "conditional one"),
    ("code",
     "from IPython.display import Audio\n\n"
     "for wav in sorted((out / 'audio').glob('*.wav'))[:24]:\n"
     "    print(wav.name)\n"
     "    display(Audio(filename=str(wav)))"),
    ("markdown", "## Generate more\n\nAny number, any class of the conditional model "
                 "(`python -m gansig.papers.specgan generate -n 16 --out samples/ --class siren`)."),
    ("code",
     "from gansig.papers.specgan.generate import SpecGenerator, write_examples\n\n"
     "model = SpecGenerator.load(out / 'models' / 'conditional')\n"
     "paths = write_examples(model, 4, out / 'more', class_name='siren')\n"
     "display(Audio(filename=str(paths[0])))"),
]
