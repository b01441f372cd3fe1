"""The cells of ``notebooks/bpgan.ipynb`` beyond the shared ones (scripts/make_notebooks.py)."""

HEADING = "Paper 2: BPGAN, a ~2 kbit/s neural speech codec"
INTRO = ("Trains the codec, encodes the test speech into real `.bpg` files (ADMM latent search and encoder only), "
         "and scores it beside Opus, Speex, AMR-WB and Codec2 on the same speech (Table 3). Needs the Debian "
         "packages of `make system-deps`.")
SETUP = [
    ("code",
     "import os, tempfile\n"
     "from gansig.data.corpora import registry\n\n"
     "if not (registry.corpus_dir('speech-default') / 'manifest.json').is_file():\n"
     "    # No corpus yet (`make data` builds the full one): a small one in a temporary folder.\n"
     "    os.environ['GANSIG_DATA_DIR'] = tempfile.mkdtemp(prefix='gansig-')\n"
     "    registry.build('speech-default', max_per_source=3)\n"
     "print(registry.summary('speech-default'))"),
]
FIGURES = ("Spectrograms, rate against quality, training curves", ("spectrograms", "rate_quality", "training"))
LISTEN = ("the first test segments as the original and every codec decoded them, each labelled with the bit "
          "rate it spent")
CELLS = [
    ("markdown", "## Your own audio\n\nAny file soundfile reads, at any rate and length: encoded to a `.bpg` file "
                 "with the shipped codec (the quick run trained it; the ADMM search needs TensorFlow, decoding does "
                 "not), decoded back at its own rate. `out / 'models' / 'codec'` is the smoke codec this notebook's "
                 "run trained."),
    ("code",
     "from IPython.display import Audio\n\n"
     "from gansig.papers.bpgan.codec import Codec, decode_file, encode_file\n\n"
     "codec = Codec.load(keras=True)  # the shipped codec, searchable\n"
     "source = out / 'audio' / 'example1_original.wav'  # put your own file here\n"
     "coded = encode_file(codec, source, out / 'mine.bpg', force=True)\n"
     "decoded = decode_file(codec, coded, out / 'mine_decoded.wav', force=True)\n"
     "import soundfile\n"
     "seconds = soundfile.info(str(source)).duration\n"
     "print(f'{coded.stat().st_size} bytes for {seconds:.2f} s: {8 * coded.stat().st_size / seconds / 1000:.2f} "
     "kbit/s')\n"
     "display(Audio(filename=str(decoded)))"),
    ("markdown", "Is it better than what you use, on your speech? `evaluate` codes files (or folders) with this codec "
                 "and with Codec2, Opus, AMR-WB and Speex, and scores each one. To train a codec on your own speech: "
                 "`python -m gansig.papers.bpgan train --audio DIR --out OUT`."),
    ("code",
     "from gansig.papers.bpgan.evaluate import evaluate, format_means\n\n"
     "display(Markdown(format_means(evaluate(codec, [source]))))"),
]
