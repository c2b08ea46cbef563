"""A list of words as an editor types it in one field: 补贴、补助、资助 (顿号, commas, semicolons, spaces
or one a line). Recipient kinds' aliases and search's synonym rows are kept so; both read them here."""

import re

_SEPARATORS = re.compile(r"[、,，;；/\s]+")


def split_words(text: str) -> list[str]:
    """The distinct words of `text`, in the order written."""
    return list(dict.fromkeys(word for word in _SEPARATORS.split(text or "") if word))


def join_words(words) -> str:
    """The words as they are shown and stored: 补贴、补助、资助."""
    return "、".join(words)
