"""What a word of a query matches and how a match ranks, written once as ORM expressions: the search over
the clauses (query.py) filters and ranks with them, and the PostgreSQL plan over search's own table
(table.py) compiles the same expressions to SQL against its rows (rows.py).
See docs/architecture.md#search."""

from django.db.models import BooleanField, F, Func, IntegerField, Q, Value
from django.db.models.functions import Length, Lower, Replace

TITLE_WEIGHT = 3  # a word in the measure's title counts as much as three in the clause's text


def has_case(word: str) -> bool:
    """Whether case can matter for `word`: it has a letter with an upper or lower form (Latin, Greek…).
    Chinese characters, digits and punctuation have none, so for most queries the database can compare
    the text as it is, instead of upper-casing every row first."""
    return word.upper() != word or word.lower() != word


def word_matches(word: str, text: str, title: str) -> Q:
    """The rows whose `text` or `title` holds `word` (case-insensitively when case can matter)."""
    # icontains and contains escape %, _ and \ on every backend: they match themselves.
    lookup = "icontains" if has_case(word) else "contains"
    return Q(**{f"{text}__{lookup}": word}) | Q(**{f"{title}__{lookup}": word})


def any_word_matches(words, text: str, title: str) -> Q:
    """The rows holding one of `words` at least: a query term and the words it is widened to (its
    synonyms, the name a kind's alias stands for: measures/search/widening.py)."""
    matching = Q()
    for word in words:
        matching |= word_matches(word, text, title)
    return matching


def any_word_rank(words, text: str, title: str):
    """How much a match of one of `words` weighs: every occurrence of each counts."""
    rank = word_rank(words[0], text, title)
    for word in words[1:]:
        rank = rank + word_rank(word, text, title)
    return rank


def word_rank(word: str, text: str, title: str):
    """How much a match of `word` weighs: each occurrence in `text`, and TITLE_WEIGHT per one in `title`."""
    return _occurrences(text, word) + TITLE_WEIGHT * _occurrences(title, word)


def _occurrences(field: str, word: str):
    """How many times `word` occurs in `field`, in portable SQL: (len - len(replace)) / len(word). Without
    case, in bytes, which a database need not count character by character."""
    if has_case(word):
        text, length, size = Lower(field), Length, len(word)
    else:
        text, length, size = F(field), OctetLength, len(word.encode())
    removed = Replace(text, Value(word.lower()), Value(""))
    return (length(text) - length(removed)) / Value(size, output_field=IntegerField())


class OctetLength(Func):
    """A text's length in bytes (UTF-8)."""

    function = "OCTET_LENGTH"
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="LENGTH(CAST(%(expressions)s AS BLOB))", **extra_context)


def quotes_its_source(text) -> "Holds":
    """Whether an award's source phrase is still in the text at `text` (a field path or an OuterRef): an
    award quoting words since edited out of its clause does not make the clause say its amount. A
    condition, for filter() and annotate()."""
    return Holds(text, F("source_phrase"))


class Holds(Func):
    """Whether the first text holds the second, as a substring (case-sensitive on every database)."""

    template = "(STRPOS(%(expressions)s) > 0)"
    output_field = BooleanField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="(INSTR(%(expressions)s) > 0)", **extra_context)
