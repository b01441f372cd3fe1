"""The cells of ``notebooks/specgan.ipynb`` beyond the shared ones (scripts/make_notebooks.py)."""

HEADING = ("Paper 4: SpecGAN street music — the report's model, the canonical SpecGAN, and gansig's "
           "class-conditional generator, scored in-domain")
INTRO = ("Trains the UrbanSound8K report's model as reported, Donahue's canonical SpecGAN, a class-conditional "
         "SpecGAN and gansig's class-conditional generator (hinge loss, projection discriminator with spectral norm "
         "and DiffAugment, EMA), and scores them with the report's RMSE (and FID, given InceptionV3 weights) and "
         "with a classifier trained here: FD, KID, inception score, and per class the fit to the class, FD against "
         "its floor, diversity, novelty and the classification accuracy score, beside real data and the "
         "references a generator must beat. Needs the Debian packages of `make system-deps` (street-default).")
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
FIGURES = ("Real and generated spectrogram images, the classifier's confusion matrix on the test fold, and the "
           "training curves", ("real_vs_generated", "classifier_confusion", "training"))
LISTEN = ("real street music beside the report's model and the canonical SpecGAN, then each class: real "
          "windows beside the class-conditional models' generated ones")
CELLS = [
    ("markdown", "## Generate more\n\nAny number of any class of the shipped gansig model, which the quick run "
                 "trained (`python -m gansig.papers.specgan generate -n 8 --out samples/ --class dog_bark`; "
                 "`--class all`; no TensorFlow). `out / 'models' / 'gansig'` is the one this notebook's run trained."),
    ("code",
     "from IPython.display import Audio\n\n"
     "from gansig.papers.specgan.generate import SpecGenerator, write_examples\n\n"
     "model = SpecGenerator.load()  # the shipped model\n"
     "paths = list(write_examples(model, 4, out / 'more', class_name='siren'))\n"
     "display(Audio(filename=str(paths[0])))"),
]
