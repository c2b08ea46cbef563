"""Where Django looks for the app's models. They live in measures/domain/, the bottom layer: the policy
as data (models.py), the count of public changes (revision.py) and the public history (public_history.py)."""

from measures.domain.models import Award, Clause, Measure, Pillar, Policy, PolicySource
from measures.domain.public_history import PublicChange, PublicState
from measures.domain.revision import ContentRevision

__all__ = [
    "Award",
    "Clause",
    "ContentRevision",
    "Measure",
    "Pillar",
    "Policy",
    "PolicySource",
    "PublicChange",
    "PublicState",
]
