"""Entropy coding of quantiser symbols with a range coder (``constriction``) and a fixed
probability model that ships with the trained model — never frequencies measured on the
audio being coded."""

from __future__ import annotations

import numpy as np

from gansig.errors import BitstreamError


class SymbolModel:
    """A fixed categorical distribution over ``k`` symbols.

    Args:
        probabilities: ``[k]`` non-negative weights (normalised here; every symbol keeps a
            non-zero probability, so any symbol can be coded).
    """

    def __init__(self, probabilities: np.ndarray):
        p = np.asarray(probabilities, np.float64)
        if p.ndim != 1 or p.size < 2 or np.any(p < 0) or not np.all(np.isfinite(p)):
            raise ValueError("probabilities must be a 1-D array of >= 2 non-negative numbers")
        p = np.maximum(p / p.sum(), 1e-6)
        self.probabilities = (p / p.sum()).astype(np.float32)

    @classmethod
    def fit(cls, symbols: np.ndarray, k: int) -> "SymbolModel":
        """Symbol frequencies of training data, with add-one smoothing."""
        return cls(np.bincount(np.asarray(symbols).ravel(), minlength=k) + 1.0)

    def _model(self):
        import constriction

        return constriction.stream.model.Categorical(self.probabilities, perfect=False)

    def encode(self, symbols: np.ndarray) -> bytes:
        """Range-code ``symbols`` (ints in ``[0, k)``) into bytes."""
        import constriction

        s = np.asarray(symbols, np.int32).ravel()
        if s.size and (s.min() < 0 or s.max() >= self.probabilities.size):
            raise ValueError(f"symbols must lie in [0, {self.probabilities.size})")
        encoder = constriction.stream.queue.RangeEncoder()
        encoder.encode(s, self._model())
        return encoder.get_compressed().astype("<u4").tobytes()

    def decode(self, data: bytes, n: int) -> np.ndarray:
        """Inverse of :meth:`encode` for ``n`` symbols.

        Raises:
            BitstreamError: the data cannot hold ``n`` symbols.
        """
        import constriction

        if len(data) % 4:
            raise BitstreamError("entropy-coded payload is not a whole number of 32-bit words")
        words = np.frombuffer(data, "<u4").astype(np.uint32)
        try:
            return np.asarray(constriction.stream.queue.RangeDecoder(words).decode(self._model(), n), np.int32)
        except (ValueError, RuntimeError, AssertionError) as exc:
            raise BitstreamError(f"corrupted entropy-coded payload ({exc})") from None

    def ideal_bits(self, symbols: np.ndarray) -> float:
        """The information content of ``symbols`` under this model (the coder's lower bound)."""
        return float(-np.sum(np.log2(self.probabilities[np.asarray(symbols).ravel()])))
