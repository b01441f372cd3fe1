"""Adversarial training shared by the papers."""

from gansig.training.adversarial import AdversarialModel, AdversarialWarmup, Strategy, content_error
from gansig.training.callbacks import LinearDecay, StepDecay, standard_callbacks

__all__ = ["AdversarialModel", "AdversarialWarmup", "Strategy", "content_error",
           "LinearDecay", "StepDecay", "standard_callbacks"]
