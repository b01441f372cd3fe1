"""Adversarial training shared by the papers."""

from gansig.training import distribute
from gansig.training.adversarial import AdversarialModel, AdversarialWarmup, LabelSchedule, Strategy, content_error
from gansig.training.callbacks import EpochCheckpoints, LinearDecay, RateSteps, StepDecay, standard_callbacks

__all__ = ["AdversarialModel", "AdversarialWarmup", "LabelSchedule", "Strategy", "content_error",
           "EpochCheckpoints", "LinearDecay", "RateSteps", "StepDecay", "distribute", "standard_callbacks"]
