"""Every derived store, declared once: what it holds, what it is derived from, which writes keep it, on
which databases, and how `manage.py check_derived` checks it. docs/derived-data.md is generated from
this list (`derived_data_page()`), and a test keeps the two equal.

A store's `check` names its check by dotted path ("module:function") rather than importing it, so that
this module, at the bottom of the layers, can list the stores of the layers above (search, the public
finder) without importing upward; the command, on top, imports them. A check takes `repair` and returns
the differences it found (human-readable lines, empty when the store is right); with `repair` it also
rebuilds what differs. A store without a check says why none is needed.
"""

from dataclasses import dataclass

BOTH = ("sqlite", "postgresql")
POSTGRESQL = ("postgresql",)


@dataclass(frozen=True)
class Store:
    name: str  # as check_derived reports it
    holds: str
    derived_from: str
    kept_by: str
    databases: tuple[str, ...]
    checked: str  # how check_derived checks it (or why it needs no check)
    check: str = ""  # "module:function", the check; empty when there is none


STORES = (
    Store(
        name="clause_tokens",
        holds="measures_clause.search_tokens",
        derived_from="the clause's text and its measure's title (measures/text/tokens.py)",
        kept_by="Python: Clause.save(), Measure.save() on a new title, the content QuerySets' bulk writes "
        "(measures/domain/models.py). Not by raw SQL or a migration's plain manager.",
        databases=BOTH,
        checked="recomputed from the text and title of every clause; repair writes the recomputed tokens",
        check="measures.domain.derived_checks:stored_clause_tokens",
    ),
    Store(
        name="search_rows",
        holds="measures_clause_search: published, place, title, text, tokens (text and amount tokens), amount span",
        derived_from="clauses, their measures and policies, their published awards (migrations 0011, 0014, 0015)",
        kept_by="database triggers on clauses, measures, policies and awards, on every write; the text's "
        "tokens are copied from measures_clause.search_tokens",
        databases=POSTGRESQL,
        checked="every row recomputed, its text tokens from the clause's TEXT (not from the column the "
        "trigger copies); repair has the triggers write the differing rows again",
        check="measures.search.derived_checks:search_rows",
    ),
    Store(
        name="search_token_counts",
        holds="measures_search_token: per token, the published clauses holding it",
        derived_from="the search rows (migration 0011)",
        kept_by="database triggers on measures_clause_search, per statement",
        databases=POSTGRESQL,
        checked="counted again from the search rows; repair counts them all again",
        check="measures.search.derived_checks:token_counts",
    ),
    Store(
        name="award_listing",
        holds="measures_award.is_public, listed_policy_id, listed_pillar_number, listed_measure_number, "
        "listed_clause_position",
        derived_from="the award's status, its clause, measure and pillar (migration 0005)",
        kept_by="database triggers on awards, clauses, measures and pillars, on every write",
        databases=BOTH,
        checked="recomputed through the joins; repair has the triggers write the differing awards again",
        check="measures.domain.derived_checks:award_listing",
    ),
    Store(
        name="award_window",
        holds="measures_award.listed_window_kind, listed_window_opens, listed_window_closes",
        derived_from="the award's own application record (ApplicationInfo), else its measure's, a record "
        "saying 未公布 giving way to its measure's (migration 0027); read by the calendar",
        kept_by="database triggers on application records (insert, update, delete), on awards and on a "
        "clause moved to another measure, on every write",
        databases=BOTH,
        checked="recomputed from the application records; repair writes the recomputed windows",
        check="measures.domain.derived_checks:award_window",
    ),
    Store(
        name="content_revision",
        holds="measures_contentrevision: one counter and the time of the last public change",
        derived_from="every write the public can see on the 16 content tables (migrations 0006, 0008, "
        "0010, 0017; 0022: search's synonyms, which every search reads; 0030: the 政策问答), and "
        "ContentRevision.bump() for a "
        "new public history entry and for a publication scheduled or lifted on a published measure "
        "(measures/domain/upcoming.py: its page says one is coming)",
        kept_by="database triggers (insert, update, delete) on every content table, on every write",
        databases=BOTH,
        checked="a counter cannot be recomputed: its coverage is checked, every content table (a model "
        "with history) carrying its insert, update and delete triggers; not repairable (migrate)",
        check="measures.domain.derived_checks:revision_coverage",
    ),
    Store(
        name="revision_watch",
        holds="each process's copy of the content revision (measures/public/page_cache/revision_watch.py)",
        derived_from="the content revision",
        kept_by="LISTEN/NOTIFY: triggers on measures_contentrevision (migration 0012) announce each "
        "change at commit; SQLite reads the revision on every request instead",
        databases=POSTGRESQL,
        checked="the announcing triggers exist (insert/update/delete and truncate); not repairable (migrate)",
        check="measures.domain.derived_checks:revision_announced",
    ),
    Store(
        name="public_history",
        holds="measures_publicstate and measures_publicchange: what the public saw and when it changed",
        derived_from="the historical records of measures, clauses, awards, award kinds and 政策问答",
        kept_by="Python: a signal on every historical record (measures/domain/public_history.py), so "
        "saves and the content QuerySets' bulk writes; not raw SQL",
        databases=BOTH,
        checked="compared with a replay of the whole history (public_history.rebuild, rolled back); "
        "repair keeps the replay",
        check="measures.domain.derived_checks:public_history",
    ),
    Store(
        name="award_changes",
        holds="measures_changedaward: the ids of the public awards changed, in the order of the commits "
        "(measures/domain/award_changes.py), its last rows only",
        derived_from="writes of the awards (their visibility, listing columns, amount, frequency, nature) and "
        "of their recipient kinds' links, while the award is public before or after",
        kept_by="database triggers on measures_award and measures_awardrecipientkind (migration 0032), on "
        "every write, including the listing columns' rewrites by the clauses', measures' and pillars' triggers",
        databases=BOTH,
        checked="a log cannot be recomputed: the logging triggers exist on both tables (insert, update, delete); "
        "what the log misses shows in finder_tally's check; not repairable (migrate)",
        check="measures.domain.derived_checks:award_changes_logged",
    ),
    Store(
        name="finder_tally",
        holds="the award finder's listings of the public awards, their counts and the facets' labels (the "
        "latest full count in the shared cache, and the latest tally in each process)",
        derived_from="the public awards (their listing columns) and their kinds, pillars, policies",
        kept_by="counted once; when the content revision moves, caught up from the log of the awards' changes "
        "(award_changes) and its labels read anew; counted afresh when the log no longer reaches back",
        databases=BOTH,
        checked="the shared cache's count caught up from the log compared with a fresh count; repair "
        "stores the fresh count and forgets the process's copy",
        check="measures.public.finder.tally_check:finder_tally",
    ),
    Store(
        name="library_catalogue",
        holds="the policy library's catalogue for one content revision (the latest in each process): every "
        "policy with its published awards' count and largest amount, their kinds, its published measures "
        "and the documents citing it (measures/public/library/catalogue.py)",
        derived_from="policies, public awards (their listing columns) and their kinds, measures, related documents",
        kept_by="keyed by the content revision: a new revision reads it afresh on its first question",
        databases=BOTH,
        checked="no check: read afresh from the tables once per revision, never stored, while the content "
        "revision is kept (checked above)",
    ),
    Store(
        name="calendar_tally",
        holds="the application calendar's section counts, its policies (those expired, those its form "
        "offers) and its recipient kinds, for one content revision and day (the latest in each process)",
        derived_from="the public awards (their listing and window columns), recipient kinds and policies",
        kept_by="keyed by the content revision and the day: a new revision or day counts afresh on its "
        "first calendar page",
        databases=BOTH,
        checked="no check: kept only in the process that counted it and never stale, only unused, while "
        "the content revision is kept (checked above); tests/test_calendar.py compares it with the "
        "database's counts",
    ),
    Store(
        name="page_cache",
        holds="rendered public pages (shared cache, and the latest in each process's page memory)",
        derived_from="the content, the code version, the language and the day",
        kept_by="keyed by the content revision and the code version: a new revision names new pages",
        databases=BOTH,
        checked="no check: an entry is never stale, only unused, while the content revision is kept (checked above)",
    ),
)


def stores_on(vendor: str) -> list[Store]:
    return [store for store in STORES if vendor in store.databases]


def derived_data_page() -> str:
    """docs/derived-data.md: the stores as a table, then the choices that the table cannot hold."""
    names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    lines = [
        "# Derived data",
        "",
        "<!-- Generated from measures/domain/derived.py by `python manage.py check_derived --page`;",
        "     tests/test_check_derived.py fails when this page and the declaration differ. -->",
        "",
        "Every store below is computed from other rows. `python manage.py check_derived` recomputes each one",
        "that can be checked on the database it runs on and lists each difference (exit status 1 when",
        "any differs, 0 when all agree); `--repair` rebuilds what differs, checks again (a store that",
        "cannot be rebuilt still fails) and moves the content revision, so that no page or tally built",
        "from the wrong rows is served again.",
        "",
        "| store | holds | derived from | kept by | databases | checked |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for store in STORES:
        databases = " and ".join(names[vendor] for vendor in store.databases)
        cells = (store.name, store.holds, store.derived_from, store.kept_by, databases, store.checked)
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    lines += ["", *PAGE_NOTES.strip().splitlines(), ""]
    return "\n".join(lines)


PAGE_NOTES = """
## A clause's text written by raw SQL

An `UPDATE measures_clause SET text = …` in SQL (a migration's plain manager, a console) leaves
`search_tokens` as they were: the tokens are computed in Python (measures/text/tokens.py), and on
PostgreSQL the search row's trigger copies that column, so the row gets the new text with the old
tokens. The database does not recompute them: SQLite has no way to run the tokenizer in a trigger
without an application function registered on every connection, and a second tokenizer in plpgsql
would be one more copy of a rule to drift from the Python one. Instead `check_derived` recomputes the
tokens from the text (`clause_tokens`, and on PostgreSQL `search_rows`), so the case is reported, and
`check_derived --repair` writes the recomputed tokens, which the triggers then copy. Run it after
writing content below the application (raw SQL, a restore with triggers off, a migration's data step).

## Where the checks live

Each check sits in the layer of its store: measures/domain/derived_checks.py (tokens, listing columns,
revision coverage, public history), measures/search/derived_checks.py (search rows and token counts),
measures/public/finder/tally_check.py (the finder's tally). tests/test_write_paths.py runs them all after
every way of writing content.
"""
