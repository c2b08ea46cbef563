"""The checks of search's own table on PostgreSQL (declared in measures/domain/derived.py): every search row
recomputed from its clause, its tokens from the clause's text (not from the column the trigger copies, so
that a text written below the application is seen), and every token count from the rows."""

from collections import defaultdict

from django.db import connection

from measures.domain.models import Award, Clause
from measures.search import match, table
from measures.text import tokens

_KEPT_ROWS = f"""SELECT clause_id, published, policy_slug, measure_number, position, title, text, tokens,
           amount_low, amount_high
    FROM {table.TABLE}"""


def _expected() -> dict[int, tuple]:
    """Every clause's search row as its clause, its measure and its public awards make it."""
    published = set(Clause.objects.published().values_list("pk", flat=True))
    awards = defaultdict(list)  # clause id -> (amount, token) of each public award
    for clause_id, yuan, in_text in Award.objects.published().values_list(
        "clause_id", "amount_yuan", match.quotes_its_source("clause__text")
    ):
        awards[clause_id].append((yuan, f"{table.AMOUNT}{yuan}"))
        if in_text:
            awards[clause_id].append((yuan, f"{table.AMOUNT}{yuan}{table.IN_TEXT}"))
    expected = {}
    for pk, slug, number, position, title, text in Clause._base_manager.values_list(
        "pk", "measure__policy__slug", "measure__number", "position", "measure__title", "text"
    ):
        amounts = sorted(set(awards[pk]))
        amount_tokens = [token for _yuan, token in amounts]
        low, high = (amounts[0][0], amounts[-1][0]) if amounts else (None, None)
        text_tokens = tokens.clause_tokens(title, text).split()
        expected[pk] = (pk in published, slug, number, position, title, text, text_tokens + amount_tokens, low, high)
    return expected


def search_rows(repair: bool) -> list[str]:
    expected = _expected()
    with connection.cursor() as cursor:
        cursor.execute(_KEPT_ROWS)
        kept = {pk: tuple(row) for pk, *row in cursor.fetchall()}
    found, differing = [], []
    for pk in sorted(expected.keys() | kept.keys()):
        if pk not in kept:
            found.append(f"clause {pk}: no search row")
            differing.append(pk)
        elif pk not in expected:
            found.append(f"search row {pk}: its clause is gone")
        elif kept[pk] != expected[pk]:
            wrong = [name for name, have, want in zip(COLUMNS, kept[pk], expected[pk], strict=True) if have != want]
            found.append(f"clause {pk}: search row differs in {', '.join(wrong)}")
            differing.append(pk)
    if repair:
        _write(expected, differing, gone=sorted(kept.keys() - expected.keys()))
    return found


COLUMNS = (
    "published",
    "policy_slug",
    "measure_number",
    "position",
    "title",
    "text",
    "tokens",
    "amount_low",
    "amount_high",
)


def _write(expected: dict, differing: list[int], gone: list[int]) -> None:
    """The rows as recomputed, written over what differs (the counts follow by their triggers); and the
    clauses' token column, which the rows' trigger copies on the next write of a clause."""
    Clause.objects.filter(pk__in=differing).refresh_search_tokens()
    with connection.cursor() as cursor:
        if gone:
            cursor.execute(f"DELETE FROM {table.TABLE} WHERE clause_id = ANY(%s)", [gone])
        for pk in differing:
            cursor.execute(
                f"INSERT INTO {table.TABLE} (clause_id, {', '.join(COLUMNS)}) VALUES (%s{', %s' * len(COLUMNS)})"
                f" ON CONFLICT (clause_id) DO UPDATE SET {', '.join(f'{c} = EXCLUDED.{c}' for c in COLUMNS)}",
                [pk, *expected[pk]],
            )


def token_counts(repair: bool) -> list[str]:
    differing = table.differing_counts()
    if repair and differing:
        table.recount()
    return [
        f"token {token!r}: counted {kept or 0}, held by {held or 0} published rows" for token, kept, held in differing
    ]
