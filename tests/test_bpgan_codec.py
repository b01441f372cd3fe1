"""A tiny BPGAN codec end to end: train (smoke), encode, decode, save/load, refuse bad files."""

import dataclasses
from io import BytesIO

import numpy as np
import pytest
from helpers import speech_like

from gansig.data import features
from gansig.errors import AudioError, BitstreamError, ModelError
from gansig.papers.bpgan import bitstream, frontend, train
from gansig.papers.bpgan.codec import Codec, decode_file, encode_file
from gansig.papers.bpgan.config import PROFILES


@pytest.fixture(scope="module")
def codec():
    config = PROFILES["smoke"]
    patches = np.concatenate([frontend.analyse(speech_like(2.0, seed=s))[0] for s in range(3)])[..., None]
    parts, _ = train.train(config, patches, patches[:2], verbose=0)
    return train.assemble(parts["encoder"], parts["generator"], parts["quantizer"].centres.numpy(), patches[..., 0],
                          config, verbose=0)[0]


@pytest.mark.slow
def test_round_trip_any_rate_and_length(codec):
    x = speech_like(1.7, seed=5)
    x44 = np.interp(np.arange(int(1.7 * 44100)) / 44100, np.arange(len(x)) / frontend.RATE, x).astype(np.float32)
    for search in (False, True):
        data = codec.encode(x44, 44100, search=search)
        y, rate = codec.decode(data, "t.bpg")
        assert rate == 44100 and len(y) == len(x44) and np.all(np.isfinite(y))
    # 1.7 s -> 214 STFT frames -> 14 latent columns of 64 symbols (of two 1.024 s patches'
    # 16): the last two columns lie wholly in the padding and are not sent. One frame.
    header, frames = bitstream.read_stream(BytesIO(data))
    frames = list(frames)
    assert len(frames) == 1 and codec.frame_columns(frames[0].n_samples, header.frame_patches) == 14
    assert len(data) < bitstream.STREAM_BYTES + bitstream.FRAME_BYTES + 14 * 64 * 4 / 8 * 1.2
    short = bitstream.pack(header, [dataclasses.replace(frames[0], payload=frames[0].payload[:8])])
    with pytest.raises(BitstreamError, match="frame 0: a payload of 8 bytes is too short"):
        codec.decode(short, "w.bpg")


def _log_spectrogram(y):
    return 20 * np.log10(np.abs(np.asarray(features.stft(y, 512, 128)))[0] + 1e-4)


@pytest.mark.slow
def test_frames_decode_alone_and_together_like_the_whole_signal_within_the_joins(codec):
    """A file of five one-patch frames: each frame decodes alone (its bytes after the stream
    header), and the stream decoded frame by frame, cross-faded at the joins, has the
    spectrogram of its frames' mel spectrogram rebuilt in one piece, within the tolerance
    that Griffin-Lim's phases leave (a frame shifted by a patch is far outside it)."""
    framed = dataclasses.replace(codec, config=dataclasses.replace(codec.config, frame_patches=1))
    x = speech_like(4.3, seed=9)
    data = framed.encode(x, frontend.RATE, search=False)
    header, frames = bitstream.read_stream(BytesIO(data))
    frames = list(frames)
    assert len(frames) == 5 and sum(f.n_samples for f in frames) == len(x)
    for k, frame in enumerate(frames):
        y, _ = framed.decode(bitstream.pack(header, [dataclasses.replace(frame, index=0)]))
        assert len(y) == frame.n_samples == min(16384, len(x) - 16384 * k) and np.all(np.isfinite(y))
    streamed, _ = framed.decode(data)
    mels = [framed._frame_mel(f, 1, "x.bpg") for f in frames]
    whole = frontend.griffin_lim(np.concatenate([m for m, _ in mels]), len(x))
    whole += np.repeat([offset for _, offset in mels], 16384)[:len(x)]
    apart = np.mean(np.abs(_log_spectrogram(streamed) - _log_spectrogram(whole)))
    shifted = np.mean(np.abs(_log_spectrogram(np.roll(streamed, 16384)) - _log_spectrogram(whole)))
    assert len(streamed) == len(x) and apart < 3.0 and shifted > 2 * apart, (apart, shifted)


@pytest.mark.slow
def test_padding_columns_hold_the_code_of_silence(codec):
    patches, norm = frontend.analyse(speech_like(1.7, seed=5))
    for search in (False, True):
        symbols, latents = codec.latents(patches, search, columns=14)
        np.testing.assert_array_equal(symbols[1, :, 6:], codec.silence[:, 6:])
        assert np.allclose(latents, codec.centres[symbols])


@pytest.mark.slow
def test_search_in_chunks_matches_one_batch(codec):
    """Patches are searched independently, so a long file can be searched in chunks."""
    patches, _ = frontend.analyse(speech_like(3.5, seed=7))
    found = {}
    for chunk in (1, 64):
        config = dataclasses.replace(codec.config, admm_chunk_patches=chunk, admm_tolerance=0.0)
        found[chunk] = dataclasses.replace(codec, config=config).latents(patches, columns=27)
    assert found[1][0].shape == found[64][0].shape == (4, *codec.latent_shape)
    # Equal up to float rounding: the convolutions' kernels differ with the batch size, and
    # on the barely trained smoke model a rounding difference near a level's boundary can
    # flip a symbol and steer that patch's search a little (seen: 98.7% of the symbols the
    # same on one machine, 100% on another). A patch searched with the wrong neighbours or
    # slice would agree on ~10%, as unrelated patches do.
    agreement = [np.mean(found[1][0][i] == found[64][0][i]) for i in range(4)]
    assert min(agreement) > 0.9, agreement
    np.testing.assert_array_equal(found[1][0][3, :, 4:], codec.silence[:, 4:])


@pytest.mark.slow
def test_without_adversarial_terms_training_is_the_mse_alone():
    # Also what the first gan_warmup_epochs epochs are (the shared trainer's warm-up).
    config = dataclasses.replace(PROFILES["smoke"], adversarial_weight=0.0, feature_matching_weight=0.0,
                                 train_level_power=0.0)
    patches = frontend.analyse(speech_like(3.0, seed=1))[0][..., None]
    _, history = train.train(config, patches, patches[:1], verbose=0)
    np.testing.assert_allclose(history["g_loss"], np.multiply(config.mse_weight, history["g_content"]), rtol=1e-5)
    assert history["d_updates"] == [0.0] and history["g_adv"] == [0.0]  # the discriminator idle


@pytest.mark.slow
def test_gan_warmup_trains_on_the_mse_before_the_discriminator_joins():
    config = dataclasses.replace(PROFILES["smoke"], epochs=2, gan_warmup_epochs=1)
    patches = frontend.analyse(speech_like(3.0, seed=1))[0][..., None]
    _, history = train.train(config, patches, patches[:1], verbose=0)
    assert history["d_updates"] == [0.0, 1.0]
    assert history["g_loss"][0] == pytest.approx(config.mse_weight * history["g_content"][0], rel=1e-5)
    assert history["g_adv"][1] > 0


@pytest.mark.slow
def test_save_load_and_foreign_files(codec, tmp_path):
    folder = codec.save(tmp_path / "codec")
    loaded = Codec.load(folder)
    assert loaded.model_id == codec.model_id
    import soundfile as sf

    sf.write(tmp_path / "in.wav", speech_like(1.2), frontend.RATE)
    encode_file(loaded, tmp_path / "in.wav", tmp_path / "in.bpg", search=False)
    decode_file(loaded, tmp_path / "in.bpg", tmp_path / "out.wav")
    assert sf.info(tmp_path / "out.wav").frames == int(1.2 * frontend.RATE)
    sf.write(tmp_path / "silent.wav", np.zeros(8000), frontend.RATE)
    with pytest.raises(AudioError, match="silent.wav.*silent"):
        encode_file(loaded, tmp_path / "silent.wav", tmp_path / "silent.bpg")
    assert not (tmp_path / "silent.bpg").exists()
    data = (tmp_path / "in.bpg").read_bytes()
    (tmp_path / "cut.bpg").write_bytes(data[:-10])  # its only frame cut short
    with pytest.raises(BitstreamError, match="cut.bpg: holds no whole frame.*truncated"):
        decode_file(loaded, tmp_path / "cut.bpg", tmp_path / "x.wav")
    other = Codec(codec.encoder, codec.generator, codec.centres + 0.01, codec.symbols, codec.config)
    with pytest.raises(BitstreamError, match="made by model"):
        other.decode(data, "in.bpg")
    assert not (tmp_path / "x.wav").exists()
    meta = (folder / "codec.json").read_text()
    (folder / "codec.json").write_text(meta.replace('"silence"', '"quiet"'))
    with pytest.raises(ModelError, match="incomplete or invalid"):
        Codec.load(folder)
    (folder / "codec.json").write_text(meta.replace("gansig.bpgan/2", "gansig.bpgan/1"))
    with pytest.raises(ModelError, match="retrain"):
        Codec.load(folder)
    (folder / "codec.json").write_text("{}")
    with pytest.raises(ModelError, match="not a BPGAN codec"):
        Codec.load(folder)
