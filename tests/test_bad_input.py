"""Every command line entry point against bad or unusual input, table-driven: each case's
exit status, one line naming the user's file and the problem, no traceback, nothing written
and every file already there byte-identical (mode included). New papers add their rows.

The cases run in-process (each entry point's ``main``), on a folder of hostile inputs made
once; a few run as real subprocesses at the end (Ctrl-C while loading, the `--` hint)."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from cli_cases import ENTRY, GOLDEN_CODEC, Case, call, snapshot

# {z} is the zoo folder; {codec} the committed smoke codec; {den} a sine-denoiser model; {res} a film restorer;
# {sg} an (untrained) SpecGAN generator folder and {cls} a SpecGAN classifier.
CASES = [
    # ---- data loss: outputs that are inputs, devices, pipes, folders ----
    Case("encode-onto-its-input", "bpgan", ["encode", "{z}/good.wav", "{z}/good.wav", "--model", "{codec}"],
         "good.wav: the output must end in .bpg"),
    Case("encode-onto-its-input-named-bpg", "bpgan", ["encode", "{z}/audio.bpg", "{z}/audio.bpg", "--model",
                                                      "{codec}"], "audio.bpg: is the input"),
    Case("decode-onto-its-input", "bpgan", ["decode", "{z}/good.bpg", "{z}/good.bpg", "--model", "{codec}"],
         "cannot write audio as '.bpg'"),
    Case("denoise-onto-its-input", "sinedenoise", ["denoise", "{z}/good.wav", "-o", "{z}/good.wav", "--model",
                                                   "{den}"], "good.wav: is the input"),
    Case("denoise-onto-a-link-to-its-input", "sinedenoise", ["denoise", "{z}/good.wav", "-o", "{z}/link.wav",
                                                             "--model", "{den}"], "link.wav: is the input"),
    Case("encode-to-dev-null", "bpgan", ["encode", "{z}/good.wav", "/dev/null", "--model", "{codec}"],
         "/dev/null: the output must end in .bpg"),
    Case("decode-to-dev-null", "bpgan", ["decode", "{z}/good.bpg", "/dev/null", "--model", "{codec}"],
         "/dev/null: cannot write audio as '(no suffix)'"),
    Case("denoise-to-a-fifo", "sinedenoise", ["denoise", "{z}/good.wav", "-o", "{z}/fifo.wav", "--model", "{den}"],
         "fifo.wav: exists and is not a regular file"),
    Case("decode-to-a-folder", "bpgan", ["decode", "{z}/good.bpg", "{z}/folder.wav", "--model", "{codec}"],
         "folder.wav: is a folder"),
    Case("encode-below-a-file", "bpgan", ["encode", "{z}/good.wav", "{z}/notes.txt/x.bpg", "--model", "{codec}"],
         "notes.txt is not a folder"),
    Case("damage-into-a-file", "film", ["damage", "{z}/good.wav", "{z}/notes.txt"], "notes.txt is not a folder"),
    # ---- inputs ----
    Case("encode-a-folder", "bpgan", ["encode", "{z}/folder.wav", "{z}/o.bpg", "--model", "{codec}"],
         "folder.wav: is a folder, not a file"),
    Case("encode-a-missing-file", "bpgan", ["encode", "{z}/missing.wav", "{z}/o.bpg", "--model", "{codec}"],
         "missing.wav: no such file"),
    Case("encode-a-fifo", "bpgan", ["encode", "{z}/fifo.wav", "{z}/o.bpg", "--model", "{codec}"],
         "fifo.wav: is not a regular file"),
    Case("encode-an-empty-file", "bpgan", ["encode", "{z}/empty.wav", "{z}/o.bpg", "--model", "{codec}"],
         "empty.wav: not a readable audio file"),
    Case("encode-junk", "bpgan", ["encode", "{z}/junk.wav", "{z}/o.bpg", "--model", "{codec}"],
         "junk.wav: not a readable audio file"),
    Case("encode-silence", "bpgan", ["encode", "{z}/silent.wav", "{z}/o.bpg", "--model", "{codec}"],
         "silent.wav: cannot encode an empty, silent or constant signal"),
    Case("encode-stereo-that-cancels", "bpgan", ["encode", "{z}/stereo_cancel.wav", "{z}/o.bpg", "--model",
                                                 "{codec}"], "stereo_cancel.wav: cannot encode an empty, silent"),
    Case("encode-subnormal-samples", "bpgan", ["encode", "{z}/subnormal.wav", "{z}/o.bpg", "--model", "{codec}"],
         "subnormal.wav: cannot encode an empty, silent or constant signal"),
    Case("encode-nan", "bpgan", ["encode", "{z}/nan.wav", "{z}/o.bpg", "--model", "{codec}"], "nan.wav: contains NaN"),
    Case("encode-a-truncated-wav", "bpgan", ["encode", "{z}/truncated.wav", "{z}/o.bpg", "--model", "{codec}"],
         "truncated.wav: truncated"),
    Case("encode-with-no-model", "bpgan", ["encode", "{z}/good.wav", "{z}/existing.bpg", "--force", "--model",
                                           "{z}/nomodel"],
         "nomodel/codec.json: no readable codec description"),
    Case("encode-wrong-iterations", "bpgan", ["encode", "{z}/good.wav", "{z}/o.bpg", "--iterations", "-1"],
         "must be at least 0, got -1"),
    Case("decode-junk", "bpgan", ["decode", "{z}/junk.wav", "{z}/o.wav", "--model", "{codec}"],
         "junk.wav: not a .bpg file"),
    Case("decode-truncated", "bpgan", ["decode", "{z}/truncated.bpg", "{z}/o.wav", "--model", "{codec}"],
         "truncated.bpg: holds no whole frame (truncated: frame 0 at byte 24 holds"),
    Case("decode-corrupted", "bpgan", ["decode", "{z}/corrupted.bpg", "{z}/o.wav", "--model", "{codec}"],
         "corrupted.bpg: holds no whole frame (frame 0 at byte 24: corrupted frame header"),
    Case("decode-forged-rate", "bpgan", ["decode", "{z}/rate.bpg", "{z}/o.wav", "--model", "{codec}"],
         "rate.bpg: not a sound .bpg header (sample rate 4294967295 Hz"),
    Case("decode-forged-gain", "bpgan", ["decode", "{z}/gain.bpg", "{z}/o.wav", "--model", "{codec}"],
         "gain.bpg: holds no whole frame (frame 0 at byte 24: not a sound frame header (gain nan"),
    Case("decode-forged-offset", "bpgan", ["decode", "{z}/offset.bpg", "{z}/o.wav", "--model", "{codec}"],
         "offset.bpg: holds no whole frame (frame 0 at byte 24: not a sound frame header (offset inf"),
    Case("decode-forged-length", "bpgan", ["decode", "{z}/length.bpg", "{z}/o.wav", "--model", "{codec}"],
         "length.bpg: holds no whole frame (frame 0 at byte 24: not a sound frame header (131073 samples"),
    Case("decode-short-payload", "bpgan", ["decode", "{z}/short_payload.bpg", "{z}/o.wav", "--model", "{codec}"],
         "short_payload.bpg: frame 0: a payload of 4 bytes is too short"),
    Case("decode-a-missing-file", "bpgan", ["decode", "{z}/missing.bpg", "{z}/o.wav", "--model", "{codec}"],
         "missing.bpg: no such file"),
    Case("decode-a-folder", "bpgan", ["decode", "{z}/folder.wav", "{z}/o.wav", "--model", "{codec}"],
         "folder.wav: is a folder, not a file"),
    Case("decode-to-an-unknown-format", "bpgan", ["decode", "{z}/good.bpg", "{z}/o.xyz", "--model", "{codec}"],
         "o.xyz: cannot write audio as '.xyz'"),
    Case("decode-loud-to-flac", "bpgan", ["decode", "{z}/loud.bpg", "{z}/o.flac", "--model", "{codec}"],
         "o.flac: the audio goes above full scale"),
    Case("info-junk", "bpgan", ["info", "{z}/junk.wav"], "junk.wav: not a .bpg file"),
    Case("info-forged", "bpgan", ["info", "{z}/rate.bpg"], "rate.bpg: not a sound .bpg header"),
    Case("info-a-folder", "bpgan", ["info", "{z}/folder.wav"], "folder.wav: is a folder, not a file"),
    Case("evaluate-a-10-ms-file", "bpgan", ["evaluate", "{z}/tiny.wav", "--model", "{codec}"],
         "tiny.wav: too short to score"),
    Case("evaluate-an-empty-folder", "bpgan", ["evaluate", "{z}/emptydir", "--model", "{codec}"],
         "emptydir: holds no audio files"),
    Case("evaluate-plot-onto-input", "bpgan", ["evaluate", "{z}/good.wav", "--plot", "{z}/good.wav", "--model",
                                               "{codec}"], "good.wav: the output must end in .png"),
    Case("denoise-a-missing-file", "sinedenoise", ["denoise", "{z}/missing.wav", "-o", "{z}/o.wav", "--model",
                                                   "{den}"], "missing.wav: no such file"),
    Case("denoise-to-an-unknown-format", "sinedenoise", ["denoise", "{z}/good.wav", "-o", "{z}/o.xyz", "--model",
                                                         "{den}"], "o.xyz: cannot write audio as '.xyz'"),
    Case("denoise-with-no-model", "sinedenoise", ["denoise", "{z}/good.wav", "-o", "{z}/existing.wav", "-f",
                                                  "--model", "{z}/none.keras"], "none.keras: no trained denoiser"),
    Case("damage-junk", "film", ["damage", "{z}/junk.wav", "{z}/damaged"], "junk.wav: not a readable audio file"),
    Case("restore-onto-its-input", "film", ["restore", "{z}/good.wav", "-o", "{z}/link.wav", "--model", "{res}"],
         "link.wav: is the input"),
    Case("restore-to-an-unknown-format", "film", ["restore", "{z}/good.wav", "-o", "{z}/o.xyz", "--model", "{res}"],
         "o.xyz: cannot write audio as '.xyz'"),
    Case("restore-junk", "film", ["restore", "{z}/junk.wav", "-o", "{z}/o.wav", "--model", "{res}"],
         "junk.wav: not a readable audio file"),
    Case("restore-a-folder", "film", ["restore", "{z}/folder.wav", "-o", "{z}/o.wav", "--model", "{res}"],
         "folder.wav: is a folder, not a file"),
    Case("restore-with-no-model", "film", ["restore", "{z}/good.wav", "-o", "{z}/existing.wav", "--force",
                                           "--model", "{z}/emptydir"],
         "restorer.json: no readable restorer description"),
    Case("restore-loud-to-flac", "film", ["restore", "{z}/good.wav", "-o", "{z}/fifo.wav", "--model", "{res}"],
         "fifo.wav: exists and is not a regular file"),
    Case("film-train-without-out", "film", ["train", "--audio", "{z}/good.wav"], "train needs --out"),
    Case("film-train-a-missing-recording", "film", ["train", "--audio", "{z}/missing.wav", "--out", "{z}/o"],
         "missing.wav: no such file"),
    Case("film-unknown-row", "film", ["reproduce", "--runs", "7,12", "--out", "{z}/o"], "unknown row(s) 12"),
    Case("film-missing-recording", "film", ["reproduce", "--profile", "smoke", "--recording", "{z}/missing.wav",
                                            "--out", "{z}/o"], "missing.wav: no such file"),
    Case("generate-into-a-file", "specgan", ["generate", "-n", "2", "--out", "{z}/notes.txt", "--model", "{sg}"],
         "notes.txt: exists and is not a folder"),
    Case("generate-with-no-model", "specgan", ["generate", "--out", "{z}/o", "--model", "{z}/emptydir"],
         "emptydir: not a gansig SpecGAN model folder"),
    Case("generate-a-class-of-an-unconditional-model", "specgan", ["generate", "--out", "{z}/o", "--model", "{sg}",
                                                                    "--class", "siren"], "not class-conditional"),
    Case("generate-an-unknown-class", "specgan", ["generate", "--out", "{z}/o", "--class", "sirens", "--model",
                                                  "{gs}"], "unknown class 'sirens'; this model's classes: air_con"),
    Case("generate-all-classes-of-an-unconditional-model", "specgan", ["generate", "--out", "{z}/o", "--model",
                                                                        "{sg}", "--class", "all"],
         "not class-conditional"),
    Case("generate-none", "specgan", ["generate", "-n", "0", "--out", "{z}/o", "--model", "{sg}"],
         "must be at least 1"),
    Case("evaluate-a-missing-folder", "specgan", ["evaluate", "{z}/missing", "{z}/emptydir", "--classifier", "{cls}"],
         "missing: no such folder"),
    Case("evaluate-a-folder-without-audio", "specgan", ["evaluate", "{z}/foreign", "{z}/foreign", "--classifier",
                                                        "{cls}"], "foreign: holds no audio files"),
    Case("evaluate-a-folder-with-junk", "specgan", ["evaluate", "{z}", "{z}", "--classifier", "{cls}"],
         "empty.wav: not a readable audio file"),
    Case("evaluate-with-no-classifier", "specgan", ["evaluate", "{z}/one_clip", "{z}/one_clip", "--classifier",
                                                    "{z}/missing.keras"], "missing.keras: no classifier there"),
    Case("evaluate-with-a-junk-classifier", "specgan", ["evaluate", "{z}/one_clip", "{z}/one_clip", "--classifier",
                                                        "{z}/junk.wav"], "junk.wav: not a gansig SpecGAN classifier"),
    Case("specgan-train-without-out", "specgan", ["train", "--audio", "{z}/emptydir"], "train needs --out"),
    Case("specgan-train-an-empty-folder", "specgan", ["train", "--audio", "{z}/emptydir", "--out", "{z}/o",
                                                      "--profile", "smoke", "--model", "specgan"],
         "emptydir: holds no audio files"),
    Case("gansig-train-a-folder-without-classes", "specgan", ["train", "--audio", "{z}/emptydir", "--out", "{z}/o",
                                                              "--profile", "smoke"],
         "learns classes from sub-folders (one per class, named as the class), and"),
    Case("gansig-train-one-class", "specgan", ["train", "--audio", "{z}/one_class", "--out", "{z}/o", "--profile",
                                               "smoke"], "one_class has 1; put each class's audio in its own folder"),
    Case("gansig-train-a-class-with-too-few-clips", "specgan", ["train", "--audio", "{z}/thin_class", "--out",
                                                                "{z}/o", "--profile", "smoke"],
         "dog: 1 piece(s) of 4008 ms, fewer than the 4 a class needs"),
    Case("gansig-train-unreadable-audio", "specgan", ["train", "--audio", "{z}/junk_class", "--out", "{z}/o",
                                                      "--profile", "smoke"], "bark.wav: not a readable audio file"),
    Case("specgan-not-urbansound", "specgan", ["reproduce", "--profile", "smoke", "--urbansound", "{z}/emptydir",
                                               "--out", "{z}/o"], "emptydir: no metadata/UrbanSound8K.csv"),
    Case("specgan-missing-inception-weights", "specgan", ["reproduce", "--profile", "smoke", "--inception-weights",
                                                          "{z}/missing.h5", "--out", "{z}/o"],
         "missing.h5: no such InceptionV3 weights file"),
    Case("specgan-unknown-run", "specgan", ["reproduce", "--runs", "report,wavegan", "--out", "{z}/o"],
         "wavegan"),
    # ---- configs, seeds and results folders: refused before any training ----
    Case("set-not-a-number", "bpgan", ["train", "--set", "epochs=abc", "--out", "{z}/o"], "epochs must be an integer"),
    Case("set-zero-epochs", "bpgan", ["train", "--set", "epochs=0", "--out", "{z}/o"],
         "epochs=0: must be between 1 and 1,000,000"),
    Case("set-zero-batch", "mimo5g", ["reproduce", "--set", "batch_size=0", "--out", "{z}/o"],
         "batch_size=0: must be between 1 and 1,000,000"),
    Case("set-unknown-loss", "mimo5g", ["reproduce", "--set", "content_loss=bogus", "--out", "{z}/o"],
         "content_loss='bogus': choose one of"),
    Case("set-zero-max-epochs", "sinedenoise", ["reproduce", "--set", "max_epochs=0", "--out", "{z}/o"],
         "max_epochs=0: must be between 1 and 1,000,000"),
    Case("set-unknown-field", "sinedenoise", ["reproduce", "--set", "epochs=3", "--out", "{z}/o"],
         "unknown config field 'epochs'"),
    Case("set-malformed", "mimo5g", ["reproduce", "--set", "epochs", "--out", "{z}/o"], "--set expects FIELD=VALUE"),
    Case("seed-negative", "mimo5g", ["reproduce", "--seed", "-1", "--out", "{z}/o"], "must be between 0 and"),
    Case("seed-too-large", "mimo5g", ["reproduce", "--seed", str(2**32), "--out", "{z}/o"], "must be between 0 and"),
    Case("out-is-a-file", "mimo5g", ["reproduce", "--profile", "smoke", "--out", "{z}/notes.txt"],
         "notes.txt: exists and is not a folder"),
    Case("out-holds-foreign-files", "sinedenoise", ["reproduce", "--profile", "smoke", "--out", "{z}/foreign"],
         "foreign: holds files that are not a gansig run's results"),
    Case("strategy-unknown", "mimo5g", ["reproduce", "--strategy", "tpu", "--out", "{z}/o"],
         "invalid choice: 'tpu'"),
    Case("multiworker-without-cluster", "film", ["train", "--audio", "{z}/good.wav", "--strategy", "multiworker",
                                                 "--out", "{z}/o"], "--strategy multiworker needs TF_CONFIG"),
    Case("train-audio-without-out", "bpgan", ["train", "--audio", "{z}/emptydir"], "--audio needs --out"),
    Case("train-on-an-empty-folder", "bpgan", ["train", "--audio", "{z}/emptydir", "--out", "{z}/o"],
         "emptydir: holds no audio files"),
    Case("reproduce-unknown-paper", "gansig", ["reproduce", "nosuch"], "invalid choice: 'nosuch'"),
    Case("readme-without-results", "gansig", ["readme", "mimo5g", "--results", "{z}/emptydir"],
         "emptydir/table.json: no results yet"),
    Case("data-unknown-corpus", "data", ["info", "nosuch"], "unknown corpus 'nosuch'"),
    Case("data-zero-cap", "data", ["build", "--max-per-source", "0"], "must be at least 1"),
    Case("an-option-like-file-name", "bpgan", ["encode", "-x.wav", "{z}/o.bpg"], "put -- before file names"),
    # ---- data loss: --out folders that are not this run's (every file of the zoo hashed before and after) ----
    Case("out-a-users-project-with-a-table", "sinedenoise", ["reproduce", "--profile", "smoke", "--out",
                                                               "{z}/userproj"], "not a gansig run's results"),
    Case("out-another-papers-results", "sinedenoise", ["reproduce", "--profile", "smoke", "--out",
                                                         "{z}/film_results"], "holds the results of the 'film' paper"),
    Case("train-into-another-papers-results", "bpgan", ["train", "--profile", "smoke", "--out",
                                                          "{z}/specgan_results"],
         "holds the results of the 'specgan' paper"),
    Case("out-own-results-with-the-users-files", "sinedenoise", ["reproduce", "--profile", "smoke", "--out",
                                                                   "{z}/sine_results"],
         "no sinedenoise run wrote (NOTES.txt)"),
    Case("damage-over-the-users-clean-wav", "film", ["damage", "{z}/good.wav", "{z}/damaged_before"],
         "already holds clean.wav"),
    Case("damage-nan-noise", "film", ["damage", "{z}/good.wav", "{z}/new_damaged", "--noise-dbfs", "nan"],
         "noise_rms_dbfs=nan: must be finite"),
    # ---- tracebacks found by the hostile-input trial ----
    Case("restore-one-sample", "film", ["restore", "{z}/one_sample.wav", "-o", "{z}/o.wav", "--model", "{res}"],
         "one_sample.wav: too short to restore (1 samples"),
    Case("restore-10-ms", "film", ["restore", "{z}/tiny.wav", "-o", "{z}/o.wav", "--model", "{res}"],
         "tiny.wav: too short to restore"),
    Case("specgan-evaluate-n-1", "specgan", ["evaluate", "{z}/one_clip", "{z}/one_clip", "-n", "1", "--classifier",
                                             "{cls}"], "-n 1: the Frechet distance needs more windows"),
    Case("specgan-train-on-one-clip", "specgan", ["train", "--audio", "{z}/one_clip", "--out", "{z}/o", "--profile",
                                                  "smoke", "--model", "specgan"],
         "fewer than the canonical model's 2 critic steps need"),
    # ---- configs checked one field at a time, and together ----
    Case("set-lowpass-above-nyquist", "sinedenoise", ["reproduce", "--set", "lowpass_pass_hz=200", "--out", "{z}/o"],
         "need pass < stop < half the rate"),
    Case("set-freq-min-above-max", "sinedenoise", ["reproduce", "--set", "freq_min=100", "--set", "freq_max=10",
                                                   "--out", "{z}/o"], "need freq_min < freq_max"),
    Case("set-bands-reversed", "sinedenoise", ["reproduce", "--set", "in_band_hz=(64,10)", "--out", "{z}/o"],
         "need low < high"),
    Case("set-infinite-snr", "sinedenoise", ["reproduce", "--set", "snr_db=1e999", "--out", "{z}/o"],
         "snr_db=inf: must be finite"),
    Case("set-no-test-steps", "mimo5g", ["reproduce", "--set", "test_steps=()", "--out", "{z}/o"],
         "test_steps=(): needs at least one value"),
    Case("set-zero-test-step", "mimo5g", ["reproduce", "--set", "test_steps=(0,)", "--out", "{z}/o"],
         "each value must be between 1 and 1,000,000"),
    Case("set-negative-test-step", "mimo5g", ["reproduce", "--set", "test_steps=(-5,)", "--out", "{z}/o"],
         "each value must be between 1 and 1,000,000"),
    Case("set-infinite-noise", "film", ["reproduce", "--set", "noise_rms_dbfs=1e999", "--out", "{z}/o"],
         "noise_rms_dbfs=inf: must be finite"),
    Case("set-zero-kernel", "film", ["reproduce", "--set", "kernel=(0,0)", "--out", "{z}/o"],
         "kernel=(0, 0): each value must be between 1 and 64"),
    Case("set-no-cutoffs", "film", ["reproduce", "--set", "cutoffs_hz=()", "--out", "{z}/o"],
         "cutoffs_hz=(): needs at least one value"),
    Case("set-cutoff-above-nyquist", "film", ["reproduce", "--set", "restorer_cutoff_range_hz=(1000.0,99999.0)",
                                              "--out", "{z}/o"],
         "must be below half the rate (24000 Hz)"),
    Case("set-crops-longer-than-the-clips", "film", ["reproduce", "--set", "restorer_crop_frames=1000", "--out",
                                                     "{z}/o"], "restorer_crop_frames=1000: must be between 8 and 256"),
    Case("set-betas-out-of-range", "specgan", ["reproduce", "--set", "specgan_betas=(5.0,-3.0)", "--out", "{z}/o"],
         "each value must be between 0 and 0.9999"),
    # ---- several seeds ----
    Case("seeds-empty", "mimo5g", ["reproduce", "--seeds", "", "--out", "{z}/o"], "give seeds as 0,1,2"),
    Case("seeds-repeated", "mimo5g", ["reproduce", "--seeds", "0,1,1", "--out", "{z}/o"], "seed 1 is given twice"),
    Case("seeds-negative", "mimo5g", ["reproduce", "--seeds", "0,-1", "--out", "{z}/o"],
         "'-1': a seed is a whole number in 0"),
    Case("seeds-not-numbers", "mimo5g", ["reproduce", "--seeds", "0,one", "--out", "{z}/o"],
         "'one': a seed is a whole number in 0"),
    Case("seeds-one", "mimo5g", ["reproduce", "--seeds", "3", "--out", "{z}/o"], "give 2 to 20 (one seed: --seed N)"),
    Case("seeds-and-seed", "mimo5g", ["reproduce", "--seed", "3", "--seeds", "0,1", "--out", "{z}/o"],
         "argument --seeds: not allowed with argument --seed"),
    # ---- readme ----
    Case("readme-from-another-papers-run", "gansig", ["readme", "sinedenoise", "--results", "{z}/mimo5g_results"],
         "holds a 'mimo5g' run"),
    Case("readme-an-empty-table", "gansig", ["readme", "sinedenoise", "--results", "{z}/sine_results"],
         "not a readable results table"),
    # ---- several workers ----
    Case("multiworker-address-without-port", "sinedenoise", ["reproduce", "--strategy", "multiworker", "--out",
                                                             "{z}/o"], "the address 'localhost' has no port",
         env={"TF_CONFIG": '{"cluster": {"worker": ["localhost"]}, "task": {"type": "worker", "index": 0}}'}),
    # ---- exit 0 with garbage ----
    Case("restore-negative-cutoff", "film", ["restore", "{z}/good.wav", "-o", "{z}/o.wav", "--model", "{res}",
                                             "--cutoff", "-5"], "--cutoff -5: must be at least 50 Hz"),
    Case("restore-nan-cutoff", "film", ["restore", "{z}/good.wav", "-o", "{z}/o.wav", "--model", "{res}",
                                        "--cutoff", "nan"], "--cutoff nan: must be at least 50 Hz"),
    Case("restore-infinite-cutoff", "film", ["restore", "{z}/good.wav", "-o", "{z}/o.wav", "--model", "{res}",
                                             "--cutoff", "inf"], "--cutoff inf: must be at least 50 Hz"),
    Case("restore-cutoff-above-nyquist", "film", ["restore", "{z}/good.wav", "-o", "{z}/o.wav", "--model", "{res}",
                                                  "--cutoff", "1e9"], "below half the model's rate"),
    Case("restore-loud-into-flac", "film", ["restore", "{z}/loud.wav", "-o", "{z}/o.flac", "--model", "{res}"],
         "o.flac: the audio goes above full scale"),
    Case("restore-negative-strength", "film", ["restore", "{z}/good.wav", "-o", "{z}/o.wav", "--model", "{res}",
                                               "--strength", "-1"], "--strength -1: must be between 0"),
    Case("restore-nan-strength", "film", ["restore", "{z}/good.wav", "-o", "{z}/o.wav", "--model", "{res}",
                                          "--strength", "nan"], "--strength nan: must be between 0"),
    Case("restore-strength-above-2", "film", ["restore", "{z}/good.wav", "-o", "{z}/o.wav", "--model", "{res}",
                                              "--strength", "3"], "--strength 3: must be between 0"),
    Case("restore-strength-with-no-model", "film", ["restore", "{z}/good.wav", "-o", "{z}/o.wav", "--model",
                                                    "{z}/emptydir", "--strength", "0.5"], "no readable restorer"),
    Case("film-train-on-a-short-recording", "film", ["train", "--audio", "{z}/good.wav", "--out", "{z}/o",
                                                     "--profile", "smoke"], "too short to train a restorer on"),
    Case("decode-forged-tiny-gain", "bpgan", ["decode", "{z}/tiny_gain.bpg", "{z}/o.wav", "--model", "{codec}"],
         "tiny_gain.bpg: holds no whole frame (frame 0 at byte 24: not a sound frame header (gain 1e-30"),
    Case("decode-forged-big-offset", "bpgan", ["decode", "{z}/big_offset.bpg", "{z}/o.wav", "--model", "{codec}"],
         "big_offset.bpg: holds no whole frame (frame 0 at byte 24: not a sound frame header (offset 1e+06"),
    Case("specgan-evaluate-a-10-ms-file", "specgan", ["evaluate", "{z}/short_clips", "{z}/short_clips", "--classifier",
                                                      "{cls}", "-n", "600"], "shorter than half a scoring window"),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_bad_input_fails_cleanly_and_writes_nothing(case, zoo, capsys, monkeypatch):
    monkeypatch.chdir(zoo)
    monkeypatch.delenv("TF_CONFIG", raising=False)
    for name, value in case.env.items():
        monkeypatch.setenv(name, value)
    before, dev_null = snapshot(zoo), os.stat("/dev/null")
    status = call(case, zoo)
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip() and not line.startswith("usage:")
             and "%|" not in line]
    assert status == case.status, err
    assert "Traceback" not in err
    assert lines and case.message in lines[-1], err
    assert snapshot(zoo) == before, "something was written or changed"
    assert os.stat("/dev/null").st_rdev == dev_null.st_rdev and stat.S_ISCHR(os.stat("/dev/null").st_mode)


LOADERS = [
    ("load_timit", "missing", "missing: no such folder"),
    ("load_timit", "notes.txt", "notes.txt: is a file, not a folder"),
    ("load_timit", "emptydir", "emptydir: not a TIMIT copy"),
    ("load_urbansound", "emptydir", "emptydir: no metadata/UrbanSound8K.csv"),
    ("load_folder", "notes.txt", "notes.txt: is a file, not a folder"),
    ("load_folder", "emptydir", "emptydir: holds no audio files"),
    ("io.load", "folder.wav", "folder.wav: is a folder, not a file"),
    ("io.load", "fifo.wav", "fifo.wav: is not a regular file"),
    ("io.load", "truncated.wav", "truncated.wav: truncated"),
    ("Codec.load", "emptydir", "emptydir/codec.json: no readable codec description"),
    ("load_denoiser", "junk.wav", "generator.json: missing or unreadable model description"),
]


@pytest.mark.parametrize("loader,path,message", LOADERS, ids=[f"{a}-{b}" for a, b, _ in LOADERS])
def test_loaders_name_the_path_and_the_problem(zoo, loader, path, message):
    from gansig.data import io
    from gansig.data.corpora import load_folder, load_timit, load_urbansound
    from gansig.errors import GansigError
    from gansig.papers.bpgan.codec import Codec
    from gansig.papers.sinedenoise.tool import load_denoiser

    functions = {"load_timit": load_timit, "load_urbansound": load_urbansound, "load_folder": load_folder,
                 "io.load": io.load, "Codec.load": Codec.load, "load_denoiser": load_denoiser}
    with pytest.raises(GansigError) as refused:
        functions[loader](zoo / path)
    assert message in str(refused.value)


def test_a_link_to_the_input_is_the_input(zoo, capsys):
    from gansig.errors import OutputError
    from gansig.papers.bpgan.codec import check_encode

    shutil.copy(zoo / "good.wav", zoo / "linked_input.wav")
    (zoo / "out_link.bpg").symlink_to(zoo / "linked_input.wav")
    with pytest.raises(OutputError, match="is the input"):
        check_encode(zoo / "linked_input.wav", zoo / "out_link.bpg")
    (zoo / "out_link.bpg").unlink()
    (zoo / "linked_input.wav").unlink()


def test_damage_refuses_to_replace_its_own_input(zoo, tmp_path, capsys):
    shutil.copy(zoo / "good.wav", tmp_path / "clean.wav")
    before = (tmp_path / "clean.wav").read_bytes()
    assert ENTRY["film"](["damage", str(tmp_path / "clean.wav"), str(tmp_path)]) == 2
    assert "clean.wav: is the input" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clean.wav"]
    assert (tmp_path / "clean.wav").read_bytes() == before


def test_outputs_keep_modes_and_write_through_links(zoo, tmp_path, capsys):
    """A new file gets the usual mode (umask), an overwritten one keeps its own, a link's
    target is written and the link stays."""
    from gansig.fileio import write_text

    old = os.umask(0o022)
    try:
        write_text(tmp_path / "new.txt", "x")
        assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o644
        (tmp_path / "kept.txt").write_text("old")
        os.chmod(tmp_path / "kept.txt", 0o640)
        write_text(tmp_path / "kept.txt", "new")
        assert stat.S_IMODE((tmp_path / "kept.txt").stat().st_mode) == 0o640
        (tmp_path / "link.txt").symlink_to(tmp_path / "kept.txt")
        write_text(tmp_path / "link.txt", "through")
        assert (tmp_path / "link.txt").is_symlink() and (tmp_path / "kept.txt").read_text() == "through"
    finally:
        os.umask(old)


def test_loud_audio_round_trips_as_float_and_any_format_decodes(zoo, tmp_path, capsys):
    codec = ["--model", str(GOLDEN_CODEC)]
    assert ENTRY["bpgan"](["decode", str(zoo / "loud.bpg"), str(tmp_path / "loud.wav"), *codec]) == 0
    loud, rate = sf.read(tmp_path / "loud.wav")
    assert sf.info(tmp_path / "loud.wav").subtype == "FLOAT" and np.abs(loud).max() > 2.0  # not clipped
    for suffix in (".ogg", ".flac", ".aiff"):
        assert ENTRY["bpgan"](["decode", str(zoo / "good.bpg"), str(tmp_path / f"x{suffix}"), *codec]) == 0
        assert sf.info(tmp_path / f"x{suffix}").samplerate == 16000
    capsys.readouterr()


def test_info_says_decodes_no_where_decode_refuses(zoo, capsys):
    assert ENTRY["bpgan"](["info", str(zoo / "length.bpg"), "--model", str(GOLDEN_CODEC)]) == 0
    out = capsys.readouterr().out
    assert out.rstrip().splitlines()[-1].split(": ", 1)[1].startswith("no (")
    assert ENTRY["bpgan"](["info", str(zoo / "good.bpg"), "--model", str(GOLDEN_CODEC)]) == 0
    assert capsys.readouterr().out.rstrip().endswith(": yes")


def test_the_cli_says_how_to_pass_a_file_named_like_an_option(zoo):
    done = subprocess.run([sys.executable, "-m", "gansig.papers.sinedenoise", "denoise", "-x.wav", "-o", "o.wav"],
                          capture_output=True, text=True, timeout=300, cwd=zoo)
    assert done.returncode == 2 and "put -- before file names" in done.stderr and "Traceback" not in done.stderr


def test_ctrl_c_while_loading_is_one_line_and_status_130(zoo, tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "gansig.papers.bpgan", "encode", str(zoo / "good.wav"),
                             str(tmp_path / "x.bpg"), "--model", str(GOLDEN_CODEC)],  # the search: Keras
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.0)  # inside TensorFlow's import
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130 and "Traceback" not in err and err.strip().endswith("interrupted"), err
    assert list(tmp_path.iterdir()) == []


def test_readme_outside_the_repository_names_the_problem(tmp_path):
    done = subprocess.run([sys.executable, "-m", "gansig", "readme", "mimo5g"], capture_output=True, text=True,
                          timeout=120, cwd=tmp_path)
    assert done.returncode == 2 and "no results yet" in done.stderr and "Traceback" not in done.stderr


def test_a_command_that_runs_tensorflow_prints_no_device_noise():
    env = {k: v for k, v in os.environ.items() if k not in ("TF_CPP_MIN_LOG_LEVEL", "CUDA_VISIBLE_DEVICES")}
    golden = Path(__file__).parent / "golden"
    done = subprocess.run([sys.executable, "-m", "gansig.papers.bpgan", "info", str(golden / "bpgan_search.bpg"),
                           "--model", str(GOLDEN_CODEC)], capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0 and done.stdout.rstrip().endswith(": yes"), done.stderr
    assert "cuInit" not in done.stderr and "oneDNN" not in done.stderr, done.stderr


def test_a_dc_only_input_is_restored_as_itself(zoo, tmp_path, capsys):
    sf.write(tmp_path / "dc.wav", np.full(48000, 0.3, np.float32), 48000)
    assert ENTRY["film"](["restore", str(tmp_path / "dc.wav"), "-o", str(tmp_path / "out.wav"), "--model",
                          str(zoo / "models" / "restorer"), "--cutoff", "2000"]) == 0
    y, _ = sf.read(tmp_path / "out.wav")
    assert np.max(np.abs(y - 0.3)) < 0.01  # its offset set aside and put back, not swung about
    capsys.readouterr()


def test_a_mistyped_command_is_refused_before_tensorflow_loads():
    probe = ("import sys\nfrom gansig.papers.sinedenoise.__main__ import CLI\n"
             "status = CLI.main(['reproduce', '--set', 'max_epochs=0'])\n"
             "print(status, 'tensorflow' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["2", "False"], (done.stdout, done.stderr)
    assert "max_epochs=0: must be between 1 and 1,000,000" in done.stderr
