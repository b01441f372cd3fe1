"""Phase retrieval for BPGAN's front end (16 kHz, STFT 512/128, 128 mels): seeded fast
Griffin-Lim versus PGHI (pghipy), from true mel spectrograms of real speech.

Run: .venv/bin/python benchmarks/bench_phase_retrieval.py [--n 8] [--iters 100]
Needs the speech-default corpus (make data) and pghipy (pip install -e '.[benchmarks]');
scores PESQ-WB/NB and STOI per method, averaged over the first N real test utterances,
with timings.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from gansig import metrics
from gansig.data import features as F
from gansig.data import inverse, io
from gansig.data.corpora import load_timit
from gansig.data.corpora.registry import corpus_dir

RATE, N_FFT, HOP, N_MELS = 16000, 512, 128, 128


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=8)
    parser.add_argument("--iters", type=int, default=100)
    args = parser.parse_args()
    import pghipy

    items = [i for i in load_timit(corpus_dir("speech-default"), "test") if i.real][: args.n]
    methods = {
        f"Griffin-Lim x{args.iters} (seed 0)": lambda lin, n: F.griffin_lim(
            lin[None], N_FFT, HOP, n_iter=args.iters, seed=0, length=n)[0],
        "PGHI (pghipy, Hann gamma)": lambda lin, n: F.inverse_stft(
            (lin * np.exp(1j * pghipy.pghi(lin, win_length=N_FFT, hop_length=HOP, gamma=0.25645 * N_FFT**2)))
            .astype(np.complex64)[None], N_FFT, HOP, length=n).numpy()[0],
    }
    scores = {m: [] for m in methods}
    times = {m: 0.0 for m in methods}
    for item in items:
        x, _ = io.load(item.path, RATE)
        mel = F.mel_spectrogram(x, RATE, N_FFT, HOP, N_MELS, power=1.0)
        linear = inverse.mel_to_linear(mel, RATE, N_FFT).numpy()[0]
        for name, method in methods.items():
            start = time.perf_counter()
            y = method(linear, len(x))
            times[name] += time.perf_counter() - start
            scores[name].append((metrics.pesq(x, y, RATE, "wb"), metrics.pesq(x, y, RATE, "nb"),
                                 metrics.stoi(x, y, RATE)))
    print(f"{len(items)} real test utterances of speech-default; true 128-band mels, pseudo-inverse to linear")
    print(f"{'method':34s} PESQ-WB PESQ-NB  STOI   seconds")
    for name, rows in scores.items():
        wb, nb, st = np.mean(rows, axis=0)
        print(f"{name:34s} {wb:7.2f} {nb:7.2f} {st:6.3f} {times[name]:8.1f}")


if __name__ == "__main__":
    main()
