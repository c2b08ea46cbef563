"""Where Django looks for the admin: the editors' admin is measures/editing/admin.py, and the e-mail
alerts' counts measures/editing/subscribers.py (importing them registers their pages)."""

from measures.editing import admin, eligibility_admin, subscribers  # noqa: F401
