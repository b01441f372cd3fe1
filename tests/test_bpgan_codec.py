"""A tiny BPGAN codec end to end: train (smoke), encode, decode, save/load, refuse bad files."""

import numpy as np
import pytest
from helpers import speech_like

from gansig.errors import BitstreamError, ModelError
from gansig.papers.bpgan import frontend, train
from gansig.papers.bpgan.codec import Codec, decode_file, encode_file
from gansig.papers.bpgan.config import PROFILES
from gansig.papers.bpgan.entropy import SymbolModel
from gansig.papers.bpgan.quantize import quantise


@pytest.fixture(scope="module")
def codec():
    config = PROFILES["smoke"]
    patches = np.concatenate([frontend.analyse(speech_like(2.0, seed=s))[0] for s in range(3)])[..., None]
    parts, _ = train.train(config, patches, patches[:2], verbose=0)
    symbols, _ = quantise(parts["encoder"].predict(patches, verbose=0), parts["quantizer"].centres.numpy())
    return Codec(parts["encoder"], parts["generator"], parts["quantizer"].centres.numpy(),
                 SymbolModel.fit(symbols, config.levels), config)


@pytest.mark.slow
def test_round_trip_any_rate_and_length(codec):
    x = speech_like(1.7, seed=5)
    x44 = np.interp(np.arange(int(1.7 * 44100)) / 44100, np.arange(len(x)) / frontend.RATE, x).astype(np.float32)
    for search in (False, True):
        data = codec.encode(x44, 44100, search=search)
        y, rate = codec.decode(data, "t.bpg")
        assert rate == 44100 and len(y) == len(x44) and np.all(np.isfinite(y))
    n_patches = 2  # 1.7 s -> two 1.024 s patches, 512 four-bit symbols each
    assert len(data) < 52 + n_patches * 512 * 4 / 8 * 1.2


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
    data = (tmp_path / "in.bpg").read_bytes()
    (tmp_path / "cut.bpg").write_bytes(data[:-10])
    with pytest.raises(BitstreamError, match="truncated"):
        decode_file(loaded, tmp_path / "cut.bpg", tmp_path / "x.wav")
    other = Codec(codec.encoder, codec.generator, codec.centres + 0.01, codec.symbols, codec.config)
    with pytest.raises(BitstreamError, match="made by model"):
        other.decode(data, "in.bpg")
    assert not (tmp_path / "x.wav").exists()
    (folder / "codec.json").write_text("{}")
    with pytest.raises(ModelError, match="not a BPGAN codec"):
        Codec.load(folder)
