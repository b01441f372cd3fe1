"""Figures the reproductions write: spectrogram grids, signal traces, training curves,
rate-quality plots."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from gansig.fileio import atomic_path  # noqa: E402

CAPTION_KEY = "Title"  # the PNG text chunk holding a figure's caption (read by the report)


def save(fig: plt.Figure, path: str | Path, *, caption: str = "") -> Path:
    """Save a figure as PNG atomically and close it; the caption (default: the figure's title)
    travels in the PNG's ``Title`` text chunk, where the report (:mod:`gansig.report`) reads it."""
    caption = caption or fig.get_suptitle()
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=110, bbox_inches="tight", format="png",
                    metadata={CAPTION_KEY: caption} if caption else None)
    plt.close(fig)
    return Path(path)


def caption(path: str | Path) -> str:
    """The caption :func:`save` wrote into a PNG ("" when it has none or cannot be read)."""
    from PIL import Image

    try:
        with Image.open(path) as image:
            return str(getattr(image, "text", {}).get(CAPTION_KEY, ""))
    except (OSError, ValueError):
        return ""


def image_grid(columns: Mapping[str, np.ndarray], path: str | Path, *, title: str = "",
               vmin: float | None = None, vmax: float | None = None, cmap: str = "magma") -> Path:
    """One row per example, one column per named set of ``[n, h, w(, 1)]`` images.

    Images are drawn with the first axis up (frequency up for spectrogram images).
    """
    names = list(columns)
    n = len(next(iter(columns.values())))
    fig, axes = plt.subplots(n, len(names), figsize=(2.2 * len(names), 2.0 * n + 0.4 * bool(title)), squeeze=False,
                             layout="constrained")  # keeps the title clear of the panels' names
    for j, name in enumerate(names):
        for i in range(n):
            ax = axes[i, j]
            img = np.asarray(columns[name][i]).squeeze()
            ax.imshow(img, origin="lower", aspect="auto", cmap=cmap, vmin=vmin, vmax=vmax)
            ax.set_xticks([])
            ax.set_yticks([])
            if i == 0:
                ax.set_title(name, fontsize=9)
    if title:
        fig.suptitle(title)
    return save(fig, path)


def traces(columns: Mapping[str, np.ndarray], path: str | Path, *, rate: float, title: str = "",
           spectra: bool = False) -> Path:
    """Overlaid waveforms per example (one panel each); with ``spectra``, magnitude spectra too."""
    names = list(columns)
    n = len(next(iter(columns.values())))
    cols = 2 if spectra else 1
    fig, axes = plt.subplots(n, cols, figsize=(7 * cols, 1.8 * n), squeeze=False)
    for i in range(n):
        for name in names:
            x = np.asarray(columns[name][i])
            t = np.arange(len(x)) / rate
            axes[i, 0].plot(t, x, lw=0.8, label=name)
            if spectra:
                freqs = np.fft.rfftfreq(len(x), 1 / rate)
                axes[i, 1].plot(freqs, np.abs(np.fft.rfft(x)), lw=0.8, label=name)
        axes[i, 0].set_ylabel(f"#{i + 1}")
    axes[0, 0].legend(fontsize=7, ncol=len(names), loc="upper right")
    axes[-1, 0].set_xlabel("time (s)")
    if spectra:
        axes[-1, 1].set_xlabel("frequency (Hz)")
    if title:
        fig.suptitle(title)
    return save(fig, path)


def training_curves(histories: Mapping[str, Mapping[str, Sequence[float]]], path: str | Path,
                    *, title: str = "") -> Path:
    """One panel per model; each of its logged metrics against the epoch."""
    fig, axes = plt.subplots(1, len(histories), figsize=(5.5 * len(histories), 3.6), squeeze=False)
    for ax, (name, history) in zip(axes[0], histories.items(), strict=True):
        for metric, values in history.items():
            values = [v for v in values if v is not None and math.isfinite(v)]
            if values:
                ax.plot(range(1, len(values) + 1), values, marker=".", label=metric)
        ax.set_title(name)
        ax.set_xlabel("epoch")
        ax.legend(fontsize=7)
        ax.grid(alpha=0.3)
    if title:
        fig.suptitle(title)
    return save(fig, path)


def rate_quality(means: Mapping[str, Mapping[str, float]], path: str | Path, *, rate: str,
                 metrics: Sequence[str], labels: Mapping[str, str] | None = None,
                 leave_out: Sequence[str] = ()) -> Path:
    """Measured bitrate against quality: one panel per metric, one labelled point per method.

    Args:
        means: method -> its averages (e.g. :func:`gansig.metrics.harness.means`).
        path: the PNG to write.
        rate: the key of the bitrate in kbit/s.
        metrics: the keys of the quality metrics, one panel each.
        labels: short names for the points (default: the method's name up to " (").
        leave_out: methods not drawn (e.g. the uncompressed original).
    """
    labels = labels or {}
    fig, axes = plt.subplots(1, len(metrics), figsize=(5.5 * len(metrics), 4), layout="constrained", squeeze=False)
    for ax, metric in zip(axes[0], metrics, strict=True):
        for method, m in means.items():
            if method in leave_out:
                continue
            ax.scatter(m[rate], m[metric], s=30)
            ax.annotate(labels.get(method, method.split(" (")[0]), (m[rate], m[metric]), fontsize=7,
                        xytext=(4, 2), textcoords="offset points")
        ax.set_xscale("log")
        ax.minorticks_off()
        ax.set_xticks([1, 2, 3, 4, 6, 8, 10], labels=["1", "2", "3", "4", "6", "8", "10"])
        ax.set_xlabel("measured bitrate (kbit/s, from the files' bytes)")
        ax.set_ylabel(metric)
        ax.grid(alpha=0.3)
    return save(fig, path, caption="Measured bit rate against quality: one point per method, "
                                    f"one panel per metric ({', '.join(metrics)})")


def panels(images: Mapping[str, np.ndarray], path: str | Path, *, cols: int = 4, title: str = "",
           cmap: str = "magma", vmin: float | None = None, vmax: float | None = None) -> Path:
    """Named 2-D images (e.g. spectrograms, frequency up) in a grid of ``cols`` columns."""
    names = list(images)
    rows = math.ceil(len(names) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3.0 * cols, 2.4 * rows + 0.4 * bool(title)), squeeze=False,
                             layout="constrained")
    for ax in axes.flat:
        ax.axis("off")
    for ax, name in zip(axes.flat, names, strict=False):
        ax.imshow(np.asarray(images[name]).squeeze(), origin="lower", aspect="auto", cmap=cmap, vmin=vmin, vmax=vmax)
        ax.set_title(name, fontsize=8)
    if title:
        fig.suptitle(title)
    return save(fig, path)


def confusion_matrix(counts: np.ndarray, labels: Sequence[str], path: str | Path, *, title: str = "") -> Path:
    """A confusion matrix ``counts[true, predicted]`` as a heat map of each row's shares, the
    counts written in the cells."""
    counts = np.asarray(counts)
    shares = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    size = 0.55 * len(labels) + 2
    fig, ax = plt.subplots(figsize=(size, size), layout="constrained")
    ax.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    for i, j in np.ndindex(counts.shape):
        ax.text(j, i, str(counts[i, j]), ha="center", va="center", fontsize=7,
                color="white" if shares[i, j] > 0.5 else "black")
    ax.set_xticks(range(len(labels)), labels, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    if title:
        ax.set_title(title)
    return save(fig, path, caption=title)
