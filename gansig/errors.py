"""Exception types users see. Each message names the file or value and the problem."""


class GansigError(Exception):
    """Base class: the CLI prints the message (no traceback) and exits non-zero."""


class AudioError(GansigError):
    """Audio that cannot be used: unreadable, empty, silent, non-finite, absurd rate."""


class DataError(GansigError):
    """A dataset or corpus that is missing, partial or malformed."""


class ConfigError(GansigError):
    """An unknown profile, paper, or configuration field."""


class ModelError(GansigError):
    """A missing, incompatible or untrained model file."""


class BitstreamError(GansigError):
    """A compressed file that is truncated, corrupted or made by another model."""


class OutputError(GansigError):
    """An output that cannot or must not be written (checked before any work)."""


class TrainingError(GansigError):
    """A training that diverged (non-finite weights or losses): nothing is saved."""
