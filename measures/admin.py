"""Where Django looks for the admin: the editors' admin is measures/editing/admin.py, the e-mail alerts'
counts measures/editing/subscribers.py, the reviews (审核) measures/editing/review_admin.py, search's
synonyms measures/editing/synonyms_admin.py, 纠错 and 提问 measures/editing/feedback_admin.py,
the 政策问答 measures/editing/questions_admin.py
(importing them registers their pages)."""

from measures.editing import (  # noqa: F401
    admin,
    eligibility_admin,
    feedback_admin,
    questions_admin,
    review_admin,
    subscribers,
    synonyms_admin,
)
