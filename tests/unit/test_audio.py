from __future__ import annotations

import numpy as np
import pytest

from lingxi.audio import AudioFormatError, StreamResampler, WireFormat


def tone(n: int, rate: int, freq: float = 440.0, amp: float = 0.6) -> np.ndarray:
    t = np.arange(n) / rate
    return (np.sin(2 * np.pi * freq * t) * amp * 32767).astype(np.int16)


@pytest.mark.parametrize("kind", ["pcmu", "pcma"])
def test_g711_round_trip_keeps_the_signal(kind: str) -> None:
    fmt = WireFormat(kind, 8000)  # type: ignore[arg-type]
    x = tone(8000, 8000)
    encoded = fmt.encode(x)
    assert len(encoded) == len(x)  # one byte per sample
    y = fmt.decode(encoded)
    snr = 10 * np.log10(np.sum(x.astype(float) ** 2) / np.sum((x - y.astype(float)) ** 2))
    assert snr > 30  # G.711 gives ~38 dB on a loud tone


def test_g711_known_codes() -> None:
    ulaw, alaw = WireFormat("pcmu", 8000), WireFormat("pcma", 8000)
    assert ulaw.encode(np.array([0], np.int16)) == b"\xff"  # μ-law silence
    assert alaw.encode(np.array([0], np.int16)) in (b"\xd5", b"\x55")  # A-law silence
    assert ulaw.decode(b"\x00")[0] == -32124 and ulaw.decode(b"\x80")[0] == 32124


def test_pcm16_rejects_odd_length() -> None:
    with pytest.raises(AudioFormatError, match="even number of bytes"):
        WireFormat("pcm16", 24000).decode(b"\x00\x01\x02")


def test_streaming_resampler_keeps_duration_and_frequency() -> None:
    r = StreamResampler(24000, 16000)
    x = tone(24000, 24000, freq=500)
    out = np.concatenate([r.process(x[i : i + 480]) for i in range(0, len(x), 480)]
                         + [r.process(np.zeros(0, np.int16), last=True)])
    assert len(out) == pytest.approx(16000, abs=2)
    spectrum = np.abs(np.fft.rfft(out.astype(float)))
    assert np.argmax(spectrum) * 16000 / len(out) == pytest.approx(500, abs=2)


def test_duration_of_wire_bytes() -> None:
    assert WireFormat("pcm16", 24000).duration_ms(4800) == 100
    assert WireFormat("pcmu", 8000).duration_ms(800) == 100
