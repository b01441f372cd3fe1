"""Adversarial training shared by the papers."""

from gansig.training.adversarial import AdversarialModel, AdversarialWarmup, Strategy, content_error
from gansig.training.callbacks import StepDecay, standard_callbacks

__all__ = ["AdversarialModel", "AdversarialWarmup", "Strategy", "content_error",
           "StepDecay", "standard_callbacks"]
