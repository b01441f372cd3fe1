"""The trained codec: a bundle of encoder, generator, quantiser centres and symbol model,
and the encode/decode paths between audio and ``.bpg`` files."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import keras
import numpy as np
from tqdm import tqdm

from gansig import metrics
from gansig.data import io, signals
from gansig.errors import AudioError, BitstreamError, ModelError
from gansig.fileio import check_output, input_problem, load_model, save_model, write_bytes, write_text
from gansig.papers.bpgan import admm, bitstream, frontend
from gansig.papers.bpgan.config import Config
from gansig.papers.bpgan.entropy import ContextModel
from gansig.papers.bpgan.quantize import quantise

FORMAT = "gansig.bpgan/2"
DECODE_BLOCK_PATCHES = 16  # patches (1.024 s each) decoded at a time: memory is bounded by this, not the length


@dataclass
class Codec:
    """Everything the encoder and the decoder share.

    Attributes:
        encoder: patch -> latent in (0, 1).
        generator: latent -> patch.
        centres: the quantiser's sorted centres.
        symbols: the fixed probability model of the range coder.
        config: search settings (ADMM iterations, ...).
        silence: ``[rows, columns, channels]`` symbols of a silent patch, ``Q(E(-1))``;
            computed when not given. The latent columns that lie wholly in the padding of a
            file's last patch are fixed to these and not sent.
    """

    encoder: keras.Model
    generator: keras.Model
    centres: np.ndarray
    symbols: ContextModel
    config: Config
    silence: np.ndarray | None = None

    def __post_init__(self):
        if self.silence is None:
            quiet = -np.ones((1, *self.encoder.input_shape[1:]), np.float32)
            self.silence = quantise(self.encoder.predict(quiet, verbose=0)[0], self.centres)[0]
        self.silence = np.asarray(self.silence, np.int32)

    @property
    def latent_shape(self) -> tuple[int, int, int]:
        """``(rows, columns, channels)`` of one patch's latent."""
        return tuple(self.encoder.output_shape[1:])

    def columns(self, n_samples: int) -> int:
        """Latent time columns that carry a signal of ``n_samples`` at 16 kHz (the rest of
        the last patch is padding)."""
        frames_per_column = frontend.PATCH // self.latent_shape[1]
        return -(-frontend.n_frames(n_samples) // frames_per_column)

    @property
    def model_id(self) -> bytes:
        """8 bytes identifying the weights, centres and probabilities: a file made by
        another model is refused instead of decoded into garbage."""
        h = hashlib.sha256()
        for w in self.generator.get_weights():
            h.update(np.ascontiguousarray(w, np.float32).tobytes())
        h.update(self.centres.astype(np.float32).tobytes())
        h.update(self.symbols.table.tobytes())
        h.update(self.silence.astype(np.int32).tobytes())
        return h.digest()[:8]

    # ---- persistence ---------------------------------------------------------------
    def save(self, folder: str | Path) -> Path:
        """Write ``encoder.keras``, ``generator.keras`` and ``codec.json`` into ``folder``."""
        folder = Path(folder)
        for name, model in (("encoder", self.encoder), ("generator", self.generator)):
            save_model(model, folder / f"{name}.keras")
        write_text(folder / "codec.json", json.dumps({
            "format": FORMAT, "model_id": self.model_id.hex(), "centres": self.centres.tolist(),
            "context_counts": self.symbols.counts.tolist(), "silence": self.silence.tolist(),
            "config": self.config.__dict__}, indent=1))
        return folder

    @classmethod
    def load(cls, folder: str | Path) -> Codec:
        """Read a codec written by :meth:`save`.

        Raises:
            ModelError: missing or inconsistent files.
        """
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
            encoder = load_model(folder / "encoder.keras")
            generator = load_model(folder / "generator.keras")
        except Exception as exc:  # Keras raises many types for a bad archive
            raise ModelError(f"{folder}: cannot load the networks ({exc})") from None
        try:
            fields = {k: tuple(v) if isinstance(v, list) else v for k, v in meta["config"].items()}
            codec = cls(encoder, generator, np.asarray(meta["centres"], np.float32),
                        ContextModel(np.asarray(meta["context_counts"])), Config(**fields), np.asarray(meta["silence"]))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelError(f"{meta_path}: incomplete or invalid codec description ({exc!r})") from None
        if codec.model_id.hex() != meta.get("model_id"):
            raise ModelError(f"{folder}: the networks do not match codec.json (model id differs)")
        return codec

    # ---- coding --------------------------------------------------------------------
    def latents(self, patches: np.ndarray, search: bool = True,
                columns: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """``(symbols, quantised latents)`` of patches: the ADMM search from ``E(x)`` (its
        error weighted by ``config.admm_level_power``), or with ``search=False`` the encoder
        alone, ``Q(E(x))`` (the paper's "Unified GAN").

        Args:
            patches: ``[n, 128, 128]`` consecutive patches of one signal, or independent ones.
            search: run the ADMM search.
            columns: latent time columns that carry the signal; the later ones are fixed to
                the code of silence (default: all columns carry it).

        The search runs on ``config.admm_chunk_patches`` patches at a time, so a long file
        needs no more memory than a short one (patches are searched independently).
        """
        z0 = self.encoder.predict(patches[..., None], verbose=0)
        n, _, width, _ = z0.shape
        carried = np.arange(n * width) < (n * width if columns is None else columns)  # time-major order
        free = np.broadcast_to(carried.reshape(n, 1, width, 1), z0.shape)
        z0 = np.where(free, z0, self.centres[self.silence]).astype(np.float32)
        if not search:
            return quantise(z0, self.centres)
        c, targets = self.config, patches[..., None]
        symbols, latents = np.empty(z0.shape, np.int32), np.empty_like(z0)
        starts = range(0, n, c.admm_chunk_patches)
        with tqdm(total=n, desc="ADMM search", unit="patch", leave=False, disable=len(starts) < 2) as bar:
            for start in starts:
                part = slice(start, start + c.admm_chunk_patches)
                found = admm.admm_search(self.generator, targets[part], z0[part], self.centres, free=free[part],
                                         iterations=c.admm_iterations, learning_rate=c.admm_learning_rate,
                                         mse_weight=c.admm_mse_weight, rho=c.admm_rho, tolerance=c.admm_tolerance,
                                         weights=admm.level_weights(targets[part], c.admm_level_power))
                symbols[part], latents[part] = found.symbols, found.latents
                bar.update(len(found.symbols))
        return symbols, latents

    def encode(self, x: np.ndarray, rate: int, *, search: bool = True) -> bytes:
        """Audio at ``rate`` -> the bytes of a ``.bpg`` file."""
        x16 = io.resample(np.asarray(x, np.float32), rate, frontend.RATE)
        patches, norm = frontend.analyse(x16)
        columns = self.columns(norm.n_samples)
        symbols, _ = self.latents(patches, search, columns)
        sent = time_major(symbols)[:columns]
        header = bitstream.Header(rate, norm.n_samples, int(sent.size), self.model_id, norm.gain, norm.offset,
                                  norm.mel_max)
        return bitstream.pack(header, self.symbols.encode(sent))

    def read(self, data: bytes, source: str = "<bytes>") -> tuple[bitstream.Header, np.ndarray]:
        """Check a ``.bpg`` file's bytes against this model and decode its symbols: every
        check :meth:`decode` makes, without the audio (``info`` uses it).

        Returns:
            The header and the sent symbols ``[columns, rows, channels]``.

        Raises:
            BitstreamError: not a .bpg file, truncated, corrupted, made by another model, or
                a header or payload that does not fit this model.
        """
        header, columns = self._open(data, source)
        return header, np.stack(list(columns))

    def _open(self, data: bytes, source: str) -> tuple[bitstream.Header, Iterator[np.ndarray]]:
        """The checked header and the sent symbols as a stream of columns ``[rows, channels]``
        (each checked when it is decoded).

        Raises:
            BitstreamError: see :meth:`read` (a corrupted payload when the decoding gets there).
        """
        header, payload = bitstream.unpack(data, source, self.model_id)
        rows, width, channels = self.latent_shape
        columns = self.columns(header.n_samples)
        if header.n_symbols != columns * rows * channels:
            raise BitstreamError(f"{source}: {header.n_symbols} symbols do not fit {header.n_samples} samples "
                                 f"({columns} columns of {rows * channels})")
        if 8 * len(payload) + 64 < header.n_symbols * self.symbols.min_bits:
            raise BitstreamError(f"{source}: a payload of {len(payload)} bytes is too short for {header.n_symbols} "
                                 "symbols")

        def checked() -> Iterator[np.ndarray]:
            try:
                for column in self.symbols.decode_columns(payload, columns, rows, channels):
                    if column.min() < 0 or column.max() >= len(self.centres):
                        raise BitstreamError("symbols outside the quantiser's range")
                    yield column
            except BitstreamError as exc:
                raise BitstreamError(f"{source}: {exc}") from None

        return header, checked()

    def decode(self, data: bytes, source: str = "<bytes>") -> tuple[np.ndarray, int]:
        """The bytes of a ``.bpg`` file -> ``(audio, sample rate)`` at the original rate and length.

        Raises:
            BitstreamError: see :meth:`read`.
        """
        header, pieces = self.decode_stream(data, source)
        return np.concatenate([np.zeros(0, np.float32), *pieces]), header.sample_rate

    def decode_stream(self, data: bytes, source: str = "<bytes>",
                      block_patches: int = DECODE_BLOCK_PATCHES) -> tuple[bitstream.Header, Iterator[np.ndarray]]:
        """:meth:`decode` as a stream of audio pieces at the original rate, in memory bounded by
        ``block_patches`` patches whatever the file's length: the symbols are range-decoded,
        the patches generated and rebuilt (Griffin-Lim) a block at a time, each block with one
        patch of context on both sides and cross-faded into its neighbours.

        Returns:
            The header and consecutive float32 pieces of the audio (its original length).

        Raises:
            BitstreamError: see :meth:`read` (a corrupted payload while the pieces are drawn).
        """
        header, columns = self._open(data, source)
        rows, width, channels = self.latent_shape
        n_columns = self.columns(header.n_samples)
        n_patches = -(-n_columns // width)
        silence = time_major(self.silence[None])  # the code of silence, column by column
        decoded: dict[int, np.ndarray] = {}  # patch -> [rows, width, channels] symbols, while needed

        def symbols(first: int, stop: int) -> np.ndarray:
            for patch in range(max(decoded, default=-1) + 1, stop):
                decoded[patch] = np.stack([next(columns) if c < n_columns else silence[c % width]
                                           for c in range(patch * width, (patch + 1) * width)]).transpose(1, 0, 2)
            for patch in [p for p in decoded if p < first]:
                del decoded[patch]
            return np.stack([decoded[p] for p in range(first, stop)])

        patch_samples = frontend.PATCH * frontend.HOP

        def audio(lo: int, hi: int) -> np.ndarray:
            first, stop = lo // patch_samples, min(n_patches, -(-(hi + frontend.HOP) // patch_samples))
            patches = self.generator.predict(self.centres[symbols(first, stop)], verbose=0)[..., 0]
            norm = frontend.Normalisation(header.gain, header.offset, header.mel_max, (stop - first) * patch_samples)
            y = frontend.synthesise(patches, norm)[lo - first * patch_samples:hi - first * patch_samples]
            return np.pad(y, (0, hi - lo - len(y)))

        pieces = signals.stream_blocks(header.n_samples, audio, block_patches * patch_samples, patch_samples)
        return header, io.resample_stream(pieces, frontend.RATE, header.sample_rate, output_samples(header))


def build_codec(encoder: keras.Model, generator: keras.Model, centres: np.ndarray, patches: np.ndarray,
                config: Config) -> Codec:
    """The codec of trained networks and quantiser centres with its shipped context model,
    fitted on the ADMM codes of training ``patches`` ``[n, 128, 128]`` — never on the audio
    being coded. (Adding encoder-only codes made held-out ADMM codes 2% dearer; encoder-only
    files use the same model.)"""
    k = config.levels
    codec = Codec(encoder, generator, centres, ContextModel(np.ones((k + 1, k + 1, k))), config)
    each_patch_in_time = codec.latents(patches)[0].transpose(0, 2, 1, 3)  # [n, columns, rows, channels]
    codec.symbols = ContextModel.fit(each_patch_in_time, k)
    return codec


def time_major(latents: np.ndarray) -> np.ndarray:
    """``[patches, rows, columns, channels]`` -> ``[patches x columns, rows, channels]``:
    the latent columns of consecutive patches as one sequence in time."""
    n, rows, width, channels = latents.shape
    return latents.transpose(0, 2, 1, 3).reshape(n * width, rows, channels)


def check_encode(src: str | Path, dst: str | Path) -> None:
    """Check an encoding's paths before any work: a readable input, and an output ending in
    ``.bpg`` that is not the input and can be written.

    Raises:
        AudioError, OutputError: naming the file and the problem.
    """
    io.check_audio_input(src)
    check_output(dst, inputs=[src], suffixes=(".bpg",))


def encode_file(codec: Codec, src: str | Path, dst: str | Path, *, search: bool = True) -> Path:
    """Encode an audio file to ``.bpg`` (written atomically).

    Raises:
        AudioError: the file cannot be read, or holds nothing to encode (empty, silent).
        OutputError: the output cannot or must not be written (checked first).
    """
    check_encode(src, dst)
    x, rate = io.load(src)
    try:
        data = codec.encode(x, rate, search=search)
    except ValueError as exc:
        raise AudioError(f"{src}: {exc}") from None
    return write_bytes(dst, data)


def read_bpg(src: str | Path) -> tuple[bytes, bitstream.Header]:
    """A ``.bpg`` file's bytes and its checked header (no model needed).

    Raises:
        BitstreamError: not a readable file, or not a sound .bpg file.
    """
    problem = input_problem(src)
    if problem:
        raise BitstreamError(f"{src}: {problem}")
    data = Path(src).read_bytes()
    return data, bitstream.unpack(data, str(src))[0]


def check_decode(src: str | Path, dst: str | Path) -> tuple[bytes, bitstream.Header]:
    """Check a decoding's paths before any work: a sound ``.bpg`` input, and an audio output
    that is not the input, in a format soundfile writes and, where the original went above
    full scale, one that holds floats (the decoder keeps the original's level).

    Returns:
        The file's bytes and header.

    Raises:
        BitstreamError, AudioError, OutputError: naming the file and the problem.
    """
    data, header = read_bpg(src)
    io.check_audio_output(dst, inputs=[src], above_full_scale=_above_full_scale(header))
    return data, header


def decode_file(codec: Codec, src: str | Path, dst: str | Path) -> Path:
    """Decode a ``.bpg`` file to audio (format from ``dst``'s suffix; 16-bit PCM, or 32-bit
    float where the original went above full scale), block by block: memory does not grow
    with the file's length, and the output appears only once it is whole.

    Raises:
        BitstreamError: see :meth:`Codec.decode`.
        AudioError, OutputError: the output cannot or must not be written (checked first).
    """
    data, header = check_decode(src, dst)
    _, pieces = codec.decode_stream(data, str(src))
    return io.save_stream(dst, pieces, header.sample_rate, above_full_scale=_above_full_scale(header),
                          total=output_samples(header))


def output_samples(header: bitstream.Header) -> int:
    """Samples of the decoded audio: the original's length at its own rate."""
    return int(round(header.n_samples * header.sample_rate / frontend.RATE))


def _above_full_scale(header: bitstream.Header) -> bool:
    """Whether the original went above full scale (its peak about its mean, and the mean)."""
    return 1 / header.gain - abs(header.offset) > 1.0


def describe_file(src: str | Path, codec: Codec | None = None) -> dict[str, object]:
    """What a ``.bpg`` file holds, from its checked header, and whether ``codec`` decodes it
    (every check of a decode, without the audio).

    Returns:
        Field name -> value: format version, sample rate, duration, symbols, bytes, the
        bitrate from the bytes, the id of the model that decodes it, and (with a codec)
        ``"decodes"``: "yes", or "no" with the reason.

    Raises:
        BitstreamError: no such file, or not a sound .bpg file (see :func:`bitstream.unpack`).
    """
    data, header = read_bpg(src)
    seconds = header.n_samples / frontend.RATE
    fields: dict[str, object] = {
        "format version": bitstream.VERSION, "sample rate (Hz)": header.sample_rate,
        "duration (s)": round(seconds, 3), "latent symbols": header.n_symbols, "bytes": len(data),
        "bitrate (kbit/s)": round(metrics.kbps(len(data), seconds), 3), "model id": header.model_id.hex()}
    if codec is not None:
        try:
            codec.read(data, str(src))
            fields["decodes"] = "yes"
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
