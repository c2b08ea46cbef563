"""The search index's tokens: every character and every overlapping pair of characters of a text.

PostgreSQL has no Chinese text-search configuration and pg_trgm cannot index terms shorter than
three characters (most policy terms are two), so each clause stores `search_tokens`: the characters
and overlapping pairs of its measure's title and its text (the approach of Lucene's CJK analyzer).
A query term's covering pairs must all be present: a GIN index answers that, and the substring
test then runs only on the candidates (measures/search/query.py). Pure functions, no database.
"""

import re

_RUN = re.compile(r"\w+")


def fold(text: str) -> str:
    """Case-fold the way the database's UPPER() compares: 'ſ', 'ς' and 'ı' fold with 's', 'σ'
    and 'i', so the prefilter never rejects a row that icontains would match."""
    return text.upper().casefold()


def tokens(text: str) -> list[str]:
    """Every character and every overlapping pair of characters within each run of word
    characters, case-folded and without repeats: '孵化器 AI' -> 孵 化 器 孵化 化器 a i ai."""
    seen: dict[str, None] = {}  # an ordered set
    for run in _RUN.findall(fold(text)):
        for i, char in enumerate(run):
            seen[char] = None
            if i + 1 < len(run):
                seen[run[i : i + 2]] = None
    return list(seen)


def clause_tokens(title: str, text: str) -> str:
    """What Clause.search_tokens holds: the tokens of its measure's title and of its text,
    separated by spaces (a token never contains one). The line break keeps a pair from
    straddling title and text."""
    return " ".join(tokens(f"{title}\n{text}"))


def query_tokens(term: str) -> list[str]:
    """Tokens a text must hold to contain `term`: pairs that cover it without overlapping (专精特新 ->
    专精 特新; 孵化器 -> 孵化 化器), or the lone character of a one-character run. Any text holding the
    term holds all of its pairs; asking for every overlapping pair would make the index intersect more
    lists, often long ones, to reject hardly any more rows. A term without word characters ('%',
    '——') asks for none."""
    wanted = []
    for run in _RUN.findall(fold(term)):
        if len(run) == 1:
            wanted.append(run)
            continue
        starts = list(range(0, len(run) - 1, 2))
        if len(run) % 2:  # an odd run: one more pair, overlapping, covers its last character
            starts.append(len(run) - 2)
        wanted.extend(run[i : i + 2] for i in starts)
    return list(dict.fromkeys(wanted))
