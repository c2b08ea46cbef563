"""Where Django looks for the app's models. They live in measures/domain/, the bottom layer: the policy
as data (models.py), the log of the public awards' changes (award_changes.py), its related documents
(documents.py), the count of public changes (revision.py), who can apply and how (eligibility.py), the
public history (public_history.py), the e-mail alerts' subscriptions (subscriptions.py), visitors' 纠错 and
questions (feedback.py), the review of drafts (review.py) and the 政策问答 (questions.py); and search's own
table on PostgreSQL (measures/search/rows.py) and its synonym list (measures/search/synonyms.py)."""

from measures.domain.award_changes import ChangedAward
from measures.domain.documents import RelatedDocument, RelatedDocumentMeasure
from measures.domain.eligibility import (
    ApplicationDepartment,
    ApplicationGuide,
    ApplicationInfo,
    AwardRecipientKind,
    Department,
    RecipientKind,
)
from measures.domain.feedback import Feedback
from measures.domain.models import Award, Clause, Measure, Pillar, Policy, PolicySource
from measures.domain.public_history import PublicChange, PublicState
from measures.domain.questions import QuestionAnswer
from measures.domain.review import DraftReview, ReviewEvent
from measures.domain.revision import ContentRevision
from measures.domain.subscriptions import Delivery, Reminder, Subscription
from measures.search.rows import SearchRow
from measures.search.synonyms import SearchSynonym

__all__ = [
    "ApplicationDepartment",
    "ApplicationGuide",
    "ApplicationInfo",
    "Award",
    "ChangedAward",
    "AwardRecipientKind",
    "Clause",
    "ContentRevision",
    "Delivery",
    "Department",
    "Feedback",
    "DraftReview",
    "Measure",
    "Pillar",
    "Policy",
    "PolicySource",
    "PublicChange",
    "PublicState",
    "QuestionAnswer",
    "RecipientKind",
    "RelatedDocument",
    "RelatedDocumentMeasure",
    "Reminder",
    "ReviewEvent",
    "SearchRow",
    "SearchSynonym",
    "Subscription",
]
