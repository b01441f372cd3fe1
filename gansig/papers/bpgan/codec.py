"""The trained codec: a bundle of encoder, generator, quantiser centres and symbol model,
and the encode/decode paths between audio and ``.bpg`` files.

A codec is a folder: ``codec.json`` (centres, symbol model, the code of silence, config,
model id), the Keras ``encoder.keras`` and ``generator.keras`` (and ``distilled.keras``,
the encoder the search starts from where the config says so: :mod:`.distil`), and their
export (``*.onnx``, ``export.json``). Decoding and encoding with the encoder alone run the export,
without TensorFlow (:mod:`gansig.runtime`); the ADMM search differentiates through the
Keras generator (``Codec.load(folder, keras=True)``). The default is the shipped codec
(:func:`gansig.models.default`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import soundfile as sf
from tqdm import tqdm

from gansig import metrics
from gansig.data import io, signals
from gansig.errors import AudioError, BitstreamError, ModelError
from gansig.fileio import atomic_path, check_output, input_problem, write_text
from gansig.papers.bpgan import bitstream, frontend
from gansig.papers.bpgan.config import Config
from gansig.papers.bpgan.entropy import ContextModel
from gansig.papers.bpgan.quantize import quantise
from gansig.runtime.network import predict

FORMAT = "gansig.bpgan/2"
SHIPPED = "bpgan-codec"
PATCH_SAMPLES = bitstream.PATCH_SAMPLES  # 16 kHz samples of one latent patch (1.024 s)


@dataclass
class Codec:
    """Everything the encoder and the decoder share.

    Attributes:
        encoder: patch -> latent in (0, 1): a Keras model, or its export.
        generator: latent -> patch: a Keras model, or its export.
        centres: the quantiser's sorted centres.
        symbols: the fixed probability model of the range coder.
        config: search settings (ADMM iterations, ...).
        silence: ``[rows, columns, channels]`` symbols of a silent patch, ``Q(E(-1))``;
            computed when not given. The latent columns that lie wholly in the padding of a
            file's last patch are fixed to these and not sent.
        identity: the model id (:attr:`model_id`) as ``codec.json`` records it; None:
            computed from the Keras generator's weights.
        distilled: the encoder trained to predict the search's codes (:mod:`.distil`), where
            the search starts when ``config.search_start`` is "distilled"; None: none.
    """

    encoder: Any
    generator: Any
    centres: np.ndarray
    symbols: ContextModel
    config: Config
    silence: np.ndarray | None = None
    identity: bytes | None = None
    distilled: Any = None

    def __post_init__(self):
        if self.silence is None:
            quiet = -np.ones((1, frontend.N_MELS, frontend.PATCH, 1), np.float32)
            self.silence = quantise(predict(self.encoder, quiet)[0], self.centres)[0]
        self.silence = np.asarray(self.silence, np.int32)

    @property
    def warm(self) -> bool:
        """Whether the search starts from the distilled encoder (else from ``E(x)``)."""
        return self.config.search_start == "distilled"

    @property
    def search_iterations(self) -> int:
        """The search's iterations from the start in use (0: the start encoder alone)."""
        return self.config.warm_iterations if self.warm else self.config.admm_iterations

    def searching(self, start: str | None = None, iterations: int | None = None,
                  precision: str | None = None) -> Codec:
        """This codec with its search changed: where it starts (``"encoder"`` or
        ``"distilled"``), its iterations from there, its arithmetic (None: as it is).

        Raises:
            ModelError: a distilled start asked of a codec that has no distilled encoder.
        """
        config = self.config if start is None else dataclasses.replace(self.config, search_start=start)
        if config.search_start == "distilled" and self.distilled is None:
            raise ModelError("this codec has no distilled encoder to start the search from (trained before gansig "
                             "had one, or with search_start=encoder): use --start encoder")
        if iterations is not None:
            field = "warm_iterations" if config.search_start == "distilled" else "admm_iterations"
            config = dataclasses.replace(config, **{field: iterations})
        if precision is not None:
            config = dataclasses.replace(config, admm_precision=precision)
        return dataclasses.replace(self, config=config)

    @property
    def searchable(self) -> bool:
        """Whether the ADMM search can run: it differentiates through the Keras generator."""
        return hasattr(self.generator, "get_weights")

    def search_generator(self):
        """The generator the search differentiates: the codec's own, or its twin computing in
        bfloat16 where ``config.admm_precision`` asks for it ("auto": where the CPU computes
        bfloat16 natively); built once.

        Raises:
            ModelError: an exported codec (the search needs its Keras networks).
        """
        import keras

        from gansig.papers.bpgan import admm

        if not self.searchable:
            raise ModelError("the ADMM search needs the codec's Keras networks: Codec.load(folder, keras=True)")
        precision = self.config.admm_precision
        if precision == "float32" or (precision == "auto" and not admm.native_bfloat16()):
            return self.generator
        cached = getattr(self, "_bfloat16", None)
        if cached is None or cached[0] is not self.generator:
            from gansig.papers.bpgan import models

            keras.config.set_dtype_policy("mixed_bfloat16")
            try:
                twin = models.generator(self.config)
            finally:
                keras.config.set_dtype_policy("float32")
            twin.set_weights(self.generator.get_weights())
            cached = self._bfloat16 = (self.generator, twin)
        return cached[1]

    @property
    def latent_shape(self) -> tuple[int, int, int]:
        """``(rows, columns, channels)`` of one patch's latent."""
        return tuple(self.silence.shape)

    def columns(self, n_samples: int) -> int:
        """Latent time columns that carry a signal of ``n_samples`` at 16 kHz (the rest of
        the last patch is padding)."""
        frames_per_column = frontend.PATCH // self.latent_shape[1]
        return -(-frontend.n_frames(n_samples) // frames_per_column)

    @property
    def model_id(self) -> bytes:
        """8 bytes identifying the weights, centres and probabilities: a file made by
        another model is refused instead of decoded into garbage."""
        if self.identity is not None:
            return self.identity
        h = hashlib.sha256()
        for w in self.generator.get_weights():
            h.update(np.ascontiguousarray(w, np.float32).tobytes())
        h.update(self.centres.astype(np.float32).tobytes())
        h.update(self.symbols.table.tobytes())
        h.update(self.silence.astype(np.int32).tobytes())
        return h.digest()[:8]

    # ---- persistence ---------------------------------------------------------------
    def save(self, folder: str | Path, *, export: bool = True) -> Path:
        """Write ``encoder.keras``, ``generator.keras`` (Keras networks) and ``codec.json``
        into ``folder``, and (with ``export``) the export the tools run (``*.onnx``,
        ``export.json``)."""
        from gansig.fileio import save_model
        from gansig.models.export import export_folder

        folder = Path(folder)
        networks = {"encoder": self.encoder, "generator": self.generator}
        if self.distilled is not None:
            networks["distilled"] = self.distilled
        for name, model in networks.items():
            save_model(model, folder / f"{name}.keras")
        distilled = {} if self.distilled is None else {"distilled": {"weights_sha256": weights_digest(self.distilled)}}
        write_text(folder / "codec.json", json.dumps({
            "format": FORMAT, "model_id": self.model_id.hex(), "centres": self.centres.tolist(),
            "context_counts": self.symbols.counts.tolist(), "silence": self.silence.tolist(),
            "config": self.config.__dict__, **distilled}, indent=1))
        if export:
            export_folder(folder, list(networks))
        return folder

    @classmethod
    def load(cls, folder: str | Path | None = None, *, keras: bool = False) -> Codec:
        """Read a codec written by :meth:`save`: its export (no TensorFlow), or with
        ``keras`` its Keras networks (the ADMM search needs them).

        Args:
            folder: the codec's folder (default: the shipped one).
            keras: load the Keras networks instead of the export.

        Raises:
            ModelError: missing or inconsistent files, or (without ``keras``) no export.
        """
        if folder is None:
            from gansig.models import default

            folder = default(SHIPPED)
        folder = Path(folder)
        meta_path = folder / "codec.json"
        meta = _read_description(meta_path)
        found = meta.get("format") if isinstance(meta, dict) else None
        if found != FORMAT:
            if isinstance(found, str) and found.startswith("gansig.bpgan/"):
                raise ModelError(f"{meta_path}: codec format {found}, this gansig reads {FORMAT}; retrain it with "
                                 f"`python -m gansig.papers.bpgan train`")
            raise ModelError(f"{meta_path}: not a BPGAN codec (format {found!r})")
        try:
            fields = {k: tuple(v) if isinstance(v, list) else v for k, v in meta["config"].items()}
            config, identity = Config(**fields), bytes.fromhex(meta["model_id"])
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelError(f"{meta_path}: incomplete or invalid codec description ({exc!r})") from None
        names = ["encoder", "generator"] + (["distilled"] if isinstance(meta.get("distilled"), dict) else [])
        if config.search_start == "distilled" and "distilled" not in names:
            raise ModelError(f"{meta_path}: its config starts the search from a distilled encoder, but it records "
                             "none; train the codec again")
        keras_files = all((folder / f"{name}.keras").is_file() for name in ("encoder", "generator"))
        if keras and keras_files:
            from gansig.fileio import load_model
            from gansig.papers import import_tensorflow_quietly

            import_tensorflow_quietly()
            networks = {}
            for name in names:
                path = folder / f"{name}.keras"
                if not path.is_file():
                    raise ModelError(f"{path}: missing (codec.json records a {name} network); train the codec again")
                try:
                    networks[name] = load_model(path)
                except Exception as exc:  # Keras raises many types for a bad archive
                    raise ModelError(f"{path}: cannot load ({exc})") from None
            if "distilled" in names and weights_digest(networks["distilled"]) != meta["distilled"].get(
                    "weights_sha256"):
                raise ModelError(f"{folder / 'distilled.keras'}: not this codec's distilled encoder (its weights' "
                                 "digest is not the one codec.json records); train the codec again")
            identity = None  # computed from the weights, and checked below
        else:
            from gansig.runtime.network import load_networks

            networks = load_networks(folder, names)
        encoder, generator = networks["encoder"], networks["generator"]
        if keras and not keras_files:  # a shipped codec: the search's generator rebuilt from its float16 weights
            generator = _searchable_generator(folder, config)
        try:
            codec = cls(encoder, generator, np.asarray(meta["centres"], np.float32),
                        ContextModel(np.asarray(meta["context_counts"])), config, np.asarray(meta["silence"]), identity,
                        networks.get("distilled"))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelError(f"{meta_path}: incomplete or invalid codec description ({exc!r})") from None
        if codec.model_id.hex() != meta.get("model_id"):
            raise ModelError(f"{folder}: the networks do not match codec.json (model id differs)")
        return codec

    # ---- coding --------------------------------------------------------------------
    def latents(self, patches: np.ndarray, search: bool = True,
                columns: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """``(symbols, quantised latents)`` of patches: the ADMM search (its error weighted by
        ``config.admm_level_power``) from ``E(x)``, or from the distilled encoder's latent
        where ``config.search_start`` says so (:attr:`search_iterations` steps; 0: that
        latent quantised), or with ``search=False`` the paper's encoder alone, ``Q(E(x))``
        (the paper's "Unified GAN").

        Args:
            patches: ``[n, 128, 128]`` consecutive patches of one signal, or independent ones.
            search: run the ADMM search.
            columns: latent time columns that carry the signal; the later ones are fixed to
                the code of silence (default: all columns carry it).

        The search runs on ``config.admm_chunk_patches`` patches at a time, so a long file
        needs no more memory than a short one (patches are searched independently).
        """
        warm = search and self.warm
        if warm and self.distilled is None:
            raise ModelError("this codec has no distilled encoder to start the search from")
        z0 = np.asarray(predict(self.distilled if warm else self.encoder, patches[..., None]))
        n, _, width, _ = z0.shape
        carried = np.arange(n * width) < (n * width if columns is None else columns)  # time-major order
        free = np.broadcast_to(carried.reshape(n, 1, width, 1), z0.shape)
        z0 = np.where(free, z0, self.centres[self.silence]).astype(np.float32)
        if not search or self.search_iterations == 0:
            return quantise(z0, self.centres)
        from gansig.papers.bpgan import admm

        c, targets, generator = self.config, patches[..., None], self.search_generator()
        symbols, latents = np.empty(z0.shape, np.int32), np.empty_like(z0)
        starts = range(0, n, c.admm_chunk_patches)
        with tqdm(total=n, desc="ADMM search", unit="patch", leave=False, disable=len(starts) < 2) as bar:
            for start in starts:
                part = slice(start, start + c.admm_chunk_patches)
                found = admm.admm_search(generator, targets[part], z0[part], self.centres, free=free[part],
                                         iterations=self.search_iterations, learning_rate=c.admm_learning_rate,
                                         mse_weight=c.admm_mse_weight, rho=c.admm_rho, tolerance=c.admm_tolerance,
                                         weights=admm.level_weights(targets[part], c.admm_level_power))
                symbols[part], latents[part] = found.symbols, found.latents
                bar.update(len(found.symbols))
        return symbols, latents

    def frame_columns(self, n_samples: int, frame_patches: int) -> int:
        """Latent columns a frame of ``n_samples`` carries (a full frame's share, or fewer
        at the end of the signal)."""
        return min(frame_patches * self.latent_shape[1], self.columns(n_samples))

    def encode(self, x: np.ndarray, rate: int, *, search: bool = True) -> bytes:
        """Audio at ``rate`` -> the bytes of a ``.bpg`` file.

        Raises:
            ValueError: nothing to encode (empty, silent, constant) or non-finite samples.
        """
        return b"".join(self.encode_stream([io.resample(np.asarray(x, np.float32), rate, frontend.RATE)], rate,
                                           search=search))

    def encode_stream(self, pieces: Iterable[np.ndarray], rate: int, *, search: bool = True,
                      progress: tqdm | None = None) -> Iterator[bytes]:
        """16 kHz audio given piece by piece -> the bytes of a ``.bpg`` file, frame by frame:
        memory holds a frame (``config.frame_patches`` patches) and its edges, not the signal.

        Args:
            pieces: consecutive 16 kHz samples.
            rate: the original's sample rate (the decoder resamples back to it).
            search: run the ADMM search (else the encoder alone).
            progress: a bar advanced by each frame's 16 kHz samples.

        The stream header and the silent frames that open a signal are held back until its
        first sounding frame: a signal refused (empty, silent, non-finite at its start) yields
        no byte, so a pipe is left empty.

        Raises:
            ValueError: non-finite samples (when they are reached), or a signal silent
                throughout or empty (at its end).
        """
        header = bitstream.StreamHeader(rate, self.model_id, self.config.frame_patches)
        held: list[bytes] | None = [bitstream.stream_header(header)]  # None once a frame carried sound
        for index, (before, x, after, last) in enumerate(signals.frames_with_edges(pieces, header.frame_samples,
                                                                                    frontend.N_FFT // 2)):
            frame = dataclasses.replace(self.encode_frame(index, x, before, after, search), last=last)
            if held is None:
                yield bitstream.frame_bytes(frame)
            else:
                held.append(bitstream.frame_bytes(frame))
                if not frame.silent:
                    yield b"".join(held)
                    held = None
            if progress is not None:
                progress.update(len(x))
        if held is not None:
            raise ValueError("cannot encode an empty, silent or constant signal (no variation above -200 dBFS)")

    def encode_frame(self, index: int, x: np.ndarray, before: np.ndarray, after: np.ndarray,
                     search: bool = True) -> bitstream.Frame:
        """One frame of a stream: the 16 kHz samples ``x``, analysed with the samples around
        it (``before``, ``after``: see :func:`frontend.analyse`); a silent frame is sent as
        its mean alone.

        Raises:
            ValueError: non-finite samples.
        """
        if not np.all(np.isfinite(x)):
            raise ValueError("cannot encode a signal with NaN or infinite samples")
        if np.ptp(x) < io.SILENT_PEAK:
            return bitstream.Frame(index, len(x), 0.0, float(np.mean(x)), 1.0)
        patches, norm = frontend.analyse(x, before=before, after=after,
                                         max_frames=self.config.frame_patches * frontend.PATCH)
        columns = self.frame_columns(len(x), self.config.frame_patches)
        symbols, _ = self.latents(patches, search, columns)
        return bitstream.Frame(index, len(x), norm.gain, norm.offset, norm.mel_max,
                               self.symbols.encode(time_major(symbols)[:columns]))

    def read(self, data: bytes, source: str = "<bytes>", warn: bitstream.Warn | None = None
             ) -> tuple[bitstream.StreamHeader, list[np.ndarray]]:
        """Check a ``.bpg`` file's bytes against this model and decode its symbols: every
        check :meth:`decode` makes, without the audio (``info`` uses it).

        Args:
            data: the file's bytes.
            source: its name, for messages.
            warn: where a damaged frame is said (it then reads as silence, as decoding
                takes it); by default it is an error.

        Returns:
            The header and each frame's sent symbols ``[columns, rows, channels]``.

        Raises:
            BitstreamError: not a .bpg file, made by another model, or a frame that does not
                fit this model; without ``warn``, also truncated or corrupted.
        """
        header, frames = bitstream.read_stream(BytesIO(data), source, self.model_id, warn)
        symbols = [np.stack(list(self._columns(frame, header.frame_patches, source))) if not frame.silent else
                   np.zeros((0, self.latent_shape[0], self.latent_shape[2]), np.int32) for frame in frames]
        if not symbols:
            raise BitstreamError(f"{source}: holds no whole frame")
        return header, symbols

    def _columns(self, frame: bitstream.Frame, frame_patches: int, source: str) -> Iterator[np.ndarray]:
        """A frame's sent symbols as a stream of columns ``[rows, channels]``, each checked.

        Raises:
            BitstreamError: a payload too short for its symbols, or symbols it cannot hold.
        """
        rows, _, channels = self.latent_shape
        columns = self.frame_columns(frame.n_samples, frame_patches)
        if 8 * len(frame.payload) + 64 < columns * rows * channels * self.symbols.min_bits:
            raise BitstreamError(f"{source}: frame {frame.index}: a payload of {len(frame.payload)} bytes is too "
                                 f"short for {columns * rows * channels} symbols")
        try:
            for column in self.symbols.decode_columns(frame.payload, columns, rows, channels):
                if column.min() < 0 or column.max() >= len(self.centres):
                    raise BitstreamError("symbols outside the quantiser's range")
                yield column
        except BitstreamError as exc:
            raise BitstreamError(f"{source}: frame {frame.index}: {exc}") from None

    def decode(self, data: bytes, source: str = "<bytes>") -> tuple[np.ndarray, int]:
        """The bytes of a ``.bpg`` file -> ``(audio, sample rate)`` at the original rate and length.

        Raises:
            BitstreamError: see :meth:`read`.
        """
        header, pieces = self.decode_stream(BytesIO(data), source)
        return np.concatenate([np.zeros(0, np.float32), *pieces]), header.sample_rate

    def decode_stream(self, stream: BinaryIO, source: str = "<bytes>", *, warn: bitstream.Warn | None = None,
                      progress: tqdm | None = None) -> tuple[bitstream.StreamHeader, Iterator[np.ndarray]]:
        """A ``.bpg`` stream -> its header and its audio, piece by piece at the original rate,
        in memory bounded by a few frames whatever the length: each frame's symbols are
        range-decoded and its patches generated when the stream reaches it, and the audio is
        rebuilt (Griffin-Lim) a frame at a time, with a patch of its neighbours' context on
        both sides, cross-faded into them.

        Args:
            stream: the file, read sequentially (a pipe works).
            source: its name, for messages.
            warn: where a damaged or truncated frame is said (it decodes as silence, and the
                rest goes on); by default it is an error.
            progress: a bar advanced by each frame's 16 kHz samples.

        Raises:
            BitstreamError: see :meth:`read` (a damaged frame when the pieces reach it,
                unless ``warn`` is given).
        """
        header, frames = bitstream.read_stream(stream, source, self.model_id, warn)
        full = header.frame_patches * frontend.PATCH  # STFT frames of a full frame
        held: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # frame -> (mel [frames, 128], offset a sample)
        total = [0]  # samples of the frames read so far

        def spans() -> Iterator[tuple[int, int, bool]]:
            pending = None
            for frame in frames:
                held[frame.index] = self._frame_mel(frame, header.frame_patches, source)
                if pending is not None:
                    yield pending
                start = total[0]
                total[0] += frame.n_samples
                pending = (start, total[0], False)
                if progress is not None:
                    progress.update(frame.n_samples)
                for old in [k for k in held if k < frame.index - 2]:
                    del held[old]
            if pending is None:
                raise BitstreamError(f"{source}: holds no whole frame")
            yield pending[0], pending[1], True

        def audio(lo: int, hi: int) -> np.ndarray:
            first, stop = lo // PATCH_SAMPLES, -(-(hi + frontend.HOP) // PATCH_SAMPLES)
            columns = range(first * frontend.PATCH, stop * frontend.PATCH)
            mel = np.zeros((len(columns), frontend.N_MELS), np.float32)
            offset = np.zeros(len(columns) * frontend.HOP, np.float32)
            for k, (frame_mel, frame_offset) in held.items():
                a, b = max(columns.start, k * full), min(columns.stop, k * full + len(frame_mel))
                if a < b:
                    mel[a - columns.start:b - columns.start] = frame_mel[a - k * full:b - k * full]
                    offset[(a - columns.start) * frontend.HOP:(b - columns.start) * frontend.HOP] = frame_offset
            y = frontend.griffin_lim(mel, len(offset)) + offset
            return y[lo - columns.start * frontend.HOP:hi - columns.start * frontend.HOP]

        pieces = signals.stream_spans(spans(), audio, frontend.PATCH * frontend.HOP)
        return header, io.resample_stream(pieces, frontend.RATE, header.sample_rate,
                                          lambda: original_samples(total[0], header.sample_rate))

    def _frame_mel(self, frame: bitstream.Frame, frame_patches: int, source: str) -> tuple[np.ndarray, float]:
        """A frame's mel magnitudes ``[STFT frames, 128]`` in the waveform's units, and its mean."""
        frames = min(frame_patches * frontend.PATCH, frontend.n_frames(frame.n_samples))
        if frame.silent:
            return np.zeros((frames, frontend.N_MELS), np.float32), np.float32(frame.offset)
        rows, width, channels = self.latent_shape
        columns = list(self._columns(frame, frame_patches, source))
        silence = time_major(self.silence[None])
        n_patches = -(-len(columns) // width)
        sent = np.stack(columns + [silence[c % width] for c in range(len(columns), n_patches * width)])
        symbols = sent.reshape(n_patches, width, rows, channels).transpose(0, 2, 1, 3)
        patches = np.asarray(predict(self.generator, self.centres[symbols]))[..., 0]
        norm = frontend.Normalisation(frame.gain, frame.offset, frame.mel_max, frame.n_samples)
        return frontend.expand(patches, norm)[:frames], np.float32(frame.offset)


SEARCH_WEIGHTS = "generator.weights.npz"  # a shipped codec's Keras generator weights (float16), for the search


def _searchable_generator(folder: Path, config: Config):
    """The Keras generator of a shipped codec, for the ADMM search: the architecture from
    the code, the weights from :data:`SEARCH_WEIGHTS` (rounded to float16 as the exported
    generator's are, so the search and the decoder see the same network).

    Raises:
        ModelError: no such file, or weights that do not fit this gansig's generator.
    """
    from gansig.papers import import_tensorflow_quietly

    import_tensorflow_quietly()
    from gansig.papers.bpgan import models

    path = folder / SEARCH_WEIGHTS
    try:
        with np.load(path) as stored:
            weights = [stored[f"w{k}"].astype(np.float32) for k in range(len(stored.files))]
        generator = models.generator(config)
        generator.set_weights(weights)
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError(f"{path}: no usable weights for the search ({exc}); the search needs the codec's Keras "
                         "generator (generator.keras) or these: reinstall gansig, or run `make models`") from None
    return generator


def save_search_weights(generator, folder: Path) -> Path:
    """Write a Keras generator's weights as float16 (:data:`SEARCH_WEIGHTS`) into ``folder``."""
    path = Path(folder) / SEARCH_WEIGHTS
    with atomic_path(path) as tmp, open(tmp, "wb") as out:
        np.savez(out, **{f"w{k}": np.asarray(w, np.float16) for k, w in enumerate(generator.get_weights())})
    return path


def build_codec(encoder, generator, centres: np.ndarray, patches: np.ndarray,
                config: Config, distilled=None) -> Codec:
    """The codec of trained networks and quantiser centres with its shipped context model,
    fitted on the codes its own search finds (from the distilled encoder where it has one)
    on training ``patches`` ``[n, 128, 128]`` — never on the audio being coded. (Adding
    encoder-only codes made held-out ADMM codes 2% dearer; encoder-only files use the same
    model.)"""
    codec = unfitted_codec(encoder, generator, centres, config, distilled)
    each_patch_in_time = codec.latents(patches)[0].transpose(0, 2, 1, 3)  # [n, columns, rows, channels]
    codec.symbols = ContextModel.fit(each_patch_in_time, config.levels)
    return codec


def unfitted_codec(encoder, generator, centres: np.ndarray, config: Config, distilled=None) -> Codec:
    """A codec whose range coder's model is uniform (every symbol equally likely): enough to
    search codes, before the model is fitted on them."""
    k = config.levels
    return Codec(encoder, generator, centres, ContextModel(np.ones((k + 1, k + 1, k))), config, distilled=distilled)


def weights_digest(network) -> str:
    """SHA-256 of a Keras network's weights (float32): what ``codec.json`` records of the
    distilled encoder, so one from another codec is refused."""
    h = hashlib.sha256()
    for w in network.get_weights():
        h.update(np.ascontiguousarray(w, np.float32).tobytes())
    return h.hexdigest()


def time_major(latents: np.ndarray) -> np.ndarray:
    """``[patches, rows, columns, channels]`` -> ``[patches x columns, rows, channels]``:
    the latent columns of consecutive patches as one sequence in time."""
    n, rows, width, channels = latents.shape
    return latents.transpose(0, 2, 1, 3).reshape(n * width, rows, channels)


def check_encode(src: str | Path, dst: str | Path, *, force: bool = False) -> None:
    """Check an encoding's paths before any work: a readable input (or ``-``, standard
    input), and an output ending in ``.bpg`` that is not the input and can be written (or
    ``-``, standard output); an existing file only with ``force``.

    Raises:
        AudioError, OutputError: naming the file and the problem.
    """
    if str(src) != io.STDIO:
        io.check_audio_input(src)
    if str(dst) != io.STDIO:
        check_output(dst, inputs=[] if str(src) == io.STDIO else [src], suffixes=(".bpg",), force=force)


def _bar(total: int | None, what: str) -> tqdm:
    """A progress bar on stderr, advanced in 16 kHz samples and shown in seconds of audio
    (tqdm's numeric ``unit_scale``), on a terminal only."""
    return tqdm(total=total, desc=what, unit="s audio", unit_scale=1 / frontend.RATE, leave=False,
                disable=not sys.stderr.isatty(), bar_format="{l_bar}{bar}| {n:.0f}/{total_fmt} s")


def encode_file(codec: Codec, src: str | Path, dst: str | Path, *, search: bool = True,
                force: bool = False) -> Path | None:
    """Encode an audio file (``-``: a WAV stream on standard input) to ``.bpg`` (``-``:
    standard output), block by block: memory does not grow with the file, a file output
    appears only once it is whole, and a refused input writes no byte to standard output.
    An existing output file is written over only with ``force``.

    Returns:
        The file written (None for standard output).

    Raises:
        AudioError: the input cannot be read, or holds nothing to encode (empty, silent).
        OutputError: the output cannot or must not be written (checked first).
    """
    check_encode(src, dst, force=force)
    rate, blocks = io.load_stream(src)
    total = None
    if str(src) != io.STDIO:
        total = round(sf.info(str(src)).frames * frontend.RATE / rate)
    counted = _Blocks(blocks)
    pieces = io.resample_stream(counted, rate, frontend.RATE, lambda: round(counted.n * frontend.RATE / rate))
    with _bar(total, f"encoding {Path(str(src)).name}") as bar:
        chunks = codec.encode_stream(pieces, rate, search=search, progress=bar)
        try:
            if str(dst) == io.STDIO:
                for chunk in chunks:
                    sys.stdout.buffer.write(chunk)
                sys.stdout.buffer.flush()
                return None
            with atomic_path(dst) as tmp, open(tmp, "wb") as out:
                for chunk in chunks:
                    out.write(chunk)
        except ValueError as exc:
            raise AudioError(f"{src}: {exc}") from None
    return Path(dst)


class _Blocks:
    """Blocks passed through, their samples counted (a stream's length is known at its end)."""

    def __init__(self, blocks: Iterable[np.ndarray]):
        self.blocks, self.n = blocks, 0

    def __iter__(self) -> Iterator[np.ndarray]:
        for block in self.blocks:
            self.n += len(block)
            yield block


def scan(src: str | Path, *, strict: bool = True) -> tuple[bitstream.StreamHeader, list[bitstream.Frame], list[str]]:
    """A ``.bpg`` file's header and its frames' headers, payloads dropped (no model needed):
    what ``info`` shows and what a decoding checks before any work.

    Args:
        src: the file.
        strict: a damaged frame is an error (else it is listed among the problems).

    Returns:
        ``(header, frames, problems)``.

    Raises:
        BitstreamError: not a readable file, or not a .bpg file; with ``strict``, a damaged frame.
    """
    problem = input_problem(src)
    if problem:
        raise BitstreamError(f"{src}: {problem}")
    problems: list[str] = []
    with open(src, "rb") as stream:
        header, frames = bitstream.read_stream(stream, str(src), warn=None if strict else problems.append)
        return header, [dataclasses.replace(f, payload=b"") for f in frames], problems


def check_decode(src: str | Path, dst: str | Path, *, force: bool = False) -> int | None:
    """Check a decoding's paths before any work: a ``.bpg`` input (or ``-``, standard input)
    whose frames are sound, and an audio output (or ``-``, standard output) that is not the
    input, not an existing file (unless ``force``), in a format soundfile writes and, where
    the original went above full scale, one that holds floats (the decoder keeps the
    original's level).

    Returns:
        The decoded audio's 16 kHz samples (None from a stream).

    Raises:
        BitstreamError, AudioError, OutputError: naming the file and the problem.
    """
    loud, total = True, None
    if str(src) != io.STDIO:
        _, frames, problems = scan(src, strict=False)
        if not frames:
            raise BitstreamError(f"{src}: holds no whole frame" +
                                 (f" ({problems[0].removeprefix(f'{src}: ')})" if problems else ""))
        if all(f.lost for f in frames):
            raise BitstreamError(f"{src}: every frame is damaged ({problems[0].removeprefix(f'{src}: ')}); nothing "
                                 "but silence would come out")
        loud, total = any(_above_full_scale(f) for f in frames), sum(f.n_samples for f in frames)
    if str(dst) != io.STDIO:
        io.check_audio_output(dst, inputs=[] if str(src) == io.STDIO else [src], above_full_scale=loud, force=force)
    return total


def warn(message: str) -> None:
    """Say a damaged frame's problem on stderr (the decoding goes on)."""
    print(f"warning: {message}", file=sys.stderr)


def decode_file(codec: Codec, src: str | Path, dst: str | Path, *, force: bool = False) -> Path | None:
    """Decode a ``.bpg`` file (``-``: standard input) to audio (format from ``dst``'s suffix;
    ``-``: a 32-bit float WAV stream on standard output), frame by frame: memory does not grow
    with the file's length, a file output appears only once it is whole, and a refused
    input writes no byte to standard output. The level is the decoded signal's own in both
    (:func:`io.save_stream`: 16-bit PCM within full scale, else 32-bit float, or scaled
    down with a warning where the format cannot hold it): a file and a pipe carry the same
    audio, nothing clipped. A truncated file decodes to the frames it holds and a corrupted
    frame to silence, each with a warning on stderr. An existing output file is written
    over only with ``force``.

    Returns:
        The file written (None for standard output).

    Raises:
        BitstreamError: not a .bpg file, or one made by another model (see :meth:`Codec.read`).
        AudioError, OutputError: the output cannot or must not be written (checked first).
    """
    total = check_decode(src, dst, force=force)
    stream = sys.stdin.buffer if str(src) == io.STDIO else open(src, "rb")  # noqa: SIM115 - closed below
    try:
        with _bar(total, f"decoding {Path(str(src)).name}") as bar:
            header, pieces = codec.decode_stream(stream, str(src), warn=warn, progress=bar)
            if str(dst) == io.STDIO:
                io.write_wav_stream(sys.stdout.buffer, pieces, header.sample_rate)
                return None
            return io.save_stream(dst, pieces, header.sample_rate)
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def original_samples(n_samples: int, rate: int) -> int:
    """Samples of the decoded audio: the original's length (``n_samples`` at 16 kHz) at its own rate."""
    return int(round(n_samples * rate / frontend.RATE))


def _above_full_scale(frame: bitstream.Frame) -> bool:
    """Whether a frame of the original went above full scale (its peak about its mean, and the mean)."""
    return (0 if frame.silent else 1 / frame.gain) + abs(frame.offset) > 1.0


def describe_file(src: str | Path, codec: Codec | None = None) -> dict[str, object]:
    """What a ``.bpg`` file holds, from its checked headers, and whether ``codec`` decodes it
    (every check of a decode, without the audio).

    Returns:
        Field name -> value: format version, sample rate, duration, frames, bytes, the
        bitrate from the bytes, the id of the model that decodes it, what is damaged (if
        anything), and (with a codec) ``"decodes"``: what ``decode`` does with it: "yes",
        "yes, around the damage" (with the frames that come out as silence), or "no" with
        the reason it is refused.

    Raises:
        BitstreamError: no such file, or not a .bpg file (see :func:`bitstream.read_stream`).
    """
    header, frames, problems = scan(src, strict=False)
    seconds = sum(f.n_samples for f in frames) / frontend.RATE
    size = Path(src).stat().st_size
    fields: dict[str, object] = {
        "format version": header.version, "sample rate (Hz)": header.sample_rate,
        "duration (s)": round(seconds, 3), "frames": f"{len(frames)} of up to {header.frame_patches * 1.024:g} s",
        "bytes": size, "bitrate (kbit/s)": round(metrics.kbps(size, seconds), 3) if seconds else 0.0,
        "model id": header.model_id.hex()}
    if problems:
        fields["damaged"] = "; ".join(p.removeprefix(f"{src}: ") for p in problems)
    if codec is not None:
        lost = sum(f.lost for f in frames)
        try:
            codec.read(Path(src).read_bytes(), str(src), warn=lambda _: None)
            if frames and lost == len(frames):
                raise BitstreamError(f"{src}: every frame is damaged")
            fields["decodes"] = ("yes" if not problems else "yes, around the damage listed above" +
                                 (f" ({lost} of {len(frames)} frame(s) as silence)" if lost else ""))
        except BitstreamError as exc:
            fields["decodes"] = f"no ({str(exc).removeprefix(f'{src}: ')})"
    return fields


def _read_description(path: Path):
    """The parsed ``codec.json`` at ``path``.

    Raises:
        ModelError: missing or not JSON.
    """
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"{path}: no readable codec description ({exc}); train one with "
                         f"`python -m gansig.papers.bpgan train`") from None
