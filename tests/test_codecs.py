"""The reference codecs run for real (needs the Debian packages: `make system-deps`)."""

import numpy as np
import pytest
from helpers import speech_like

from gansig import metrics
from gansig.baselines import codecs
from gansig.data import signals

pytestmark = pytest.mark.system_deps
RATE = 16000


@pytest.fixture(scope="module")
def speechlike():
    return speech_like(3.0, RATE)


@pytest.mark.parametrize("name,run,nominal", [
    ("opus 9k", lambda x: codecs.opus(x, RATE, 9), 9.0),
    ("speex 8k", lambda x: codecs.speex_nb(x, RATE, 8), 8.0),
    ("codec2 3200", lambda x: codecs.codec2(x, RATE, 3200), 3.2),
    ("codec2 1200", lambda x: codecs.codec2(x, RATE, 1200), 1.2),
    ("amr-wb 6.60", lambda x: codecs.amr_wb(x, RATE, 6.60), 6.6),
])
def test_codec_round_trip(speechlike, name, run, nominal):
    coded = run(speechlike)
    assert coded.decoded.shape == speechlike.shape and np.all(np.isfinite(coded.decoded))
    # measured from the file's bytes: headers and containers cost a little on 3 s of audio
    assert nominal * 0.8 < coded.kbps < nominal * 1.6, coded.kbps
    assert -0.002 * RATE <= coded.delay < 0.1 * RATE  # a resampler may lead by a sample
    assert metrics.stoi(speechlike, coded.decoded, RATE) > 0.5


def test_lower_bitrate_lowers_quality(speechlike):
    high = codecs.opus(speechlike, RATE, 16)
    low = codecs.codec2(speechlike, RATE, 1200)
    assert metrics.pesq(speechlike, high.decoded, RATE, "wb") > metrics.pesq(speechlike, low.decoded, RATE, "wb")


def test_alignment_finds_a_known_delay(speechlike):
    delayed = np.concatenate([np.zeros(437, np.float32), speechlike])
    aligned, delay = codecs.align(speechlike, delayed, RATE)
    assert delay == 437
    np.testing.assert_allclose(aligned, speechlike, atol=1e-7)


def test_bad_modes_are_refused(speechlike):
    with pytest.raises(codecs.CodecError, match="Codec2 mode"):
        codecs.codec2(speechlike, RATE, 3000)
    with pytest.raises(codecs.CodecError, match="AMR-WB mode"):
        codecs.amr_wb(speechlike, RATE, 7.0)


def test_signals_helper_is_reused():
    # the codecs take any mono float input; a pure tone survives Opus nearly intact
    tone = signals.sines(np.array([440.0]), RATE, 1.0)[0] * 0.3
    coded = codecs.opus(tone, RATE, 24)
    assert metrics.snr_db(tone[2000:-2000], coded.decoded[2000:-2000])[0] > 5
