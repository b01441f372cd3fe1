"""The report's two numbers ([S:392]), keyed ``{table: {row: {metric: value}}}`` as the
regenerated table names them, and the parameter counts of its layer tables (B2.3, B2.4)."""

REPORT_TABLE = "The report's numbers: images in [-1, 1], generated vs real"
CLASSIFIER = "The in-domain classifier"
PER_CLASS = "Class-conditional generation, per class"
CRITERIA = "Class-conditional generation: fit, quality, diversity (mean over the classes)"

RMSE = "RMSE (unpaired)"
NEAREST = "RMSE to the nearest training image"
DIVERSITY = "RMSE between two images of the set"
FID = "FID (ImageNet InceptionV3)"
FD, KID, IS = "FD (classifier)", "KID x 1000", "inception score"
ACCURACY = "accuracy"
FLOOR_FD = "FD, real train vs real test"
CLIP_ACCURACY = "accuracy (whole clips)"
FIT = "fit: classifier names the class"
REAL_FIT = "classifier on real test clips"
CLASS_FD = "FD to the class's training clips"
FD_RATIO = "FD / floor"
WITHIN = "classes within 3 x floor"
DIVERSITY_RATIO = "diversity / real"
NOVELTY = "nearest-training distance / real"
CAS = "CAS: accuracy on the real test fold"
GANSIG = "gansig (class-conditional)"

REPORT_MODEL = "report's model, as reported"


def in_domain(target: str) -> str:
    """The in-domain table's name for the target class (``street_music`` -> "... street music ...")."""
    return f"In-domain scores of {target.replace('_', ' ')} (classifier trained here)"


def p_target(target: str) -> str:
    """The metric: the classifier's mean probability of the target class."""
    return f"P({target.replace('_', ' ')})"
REFERENCE = {REPORT_TABLE: {REPORT_MODEL: {RMSE: 0.5487, FID: 21.57}}}

# Trainable parameters at width 1 on 256 x 256 images (the report's layer tables, derived).
PARAMETERS = {"report_generator": 63_679_361, "report_discriminator": 1_160_961,
              "specgan_generator": 19_065_345, "specgan_discriminator": 17_427_969}
