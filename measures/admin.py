"""Where Django looks for the admin: the editors' admin is measures/editing/admin.py (importing it
registers its pages)."""

from measures.editing import admin  # noqa: F401
