"""What the award finder needs of an award's clause, measure and pillar, copied onto the award and kept
there by the database, so that filtering, sorting and counting awards needs no join.

On a city's library of 50,000 awards, joining every award to its clause (a wide table: text and search
tokens) and measure to learn whether the public may see it, which policy and pillar it belongs to and
where it stands in its policy cost the finder hundreds of milliseconds per query. These columns hold
the answers:

- is_public: the award, its clause and its measure are published, and the clause is not a draft of a
  change (what AwardQuerySet.published means);
- listed_policy, listed_pillar_number, listed_measure_number, listed_clause_position: where it stands.

Database triggers (created by `trigger_sql`, installed by migration 0005) recompute them whenever an
award is written and whenever a clause, measure or pillar changes in a way that moves or hides its
awards — whatever writes the rows: the admin, a publication, the loader, an import, a bulk update.
Nothing in Python writes them.
"""

# The values, from the award's clause, measure and pillar, for a row of measures_award; the same SQL
# on both databases. (No alias for measures_award: SQLite allows none in an UPDATE inside a trigger.)
_LISTED = """(
    SELECT measures_award.status = 'published' AND clause.status = 'published'
               AND clause.draft_of_id IS NULL AND measure.status = 'published',
           measure.policy_id, pillar.number, measure.number, clause.position
    FROM measures_clause clause
    JOIN measures_measure measure ON measure.id = clause.measure_id
    JOIN measures_pillar pillar ON pillar.id = measure.pillar_id
    WHERE clause.id = measures_award.clause_id)"""
COLUMNS = ("is_public", "listed_policy_id", "listed_pillar_number", "listed_measure_number", "listed_clause_position")

REFRESH_ALL = f"UPDATE measures_award SET ({', '.join(COLUMNS)}) = {_LISTED}"

TRIGGER_PREFIX = "measures_award_listing"

# The other rows whose changes move or hide awards: (name, table, the columns that matter, which awards).
_SOURCES = (
    ("clause", "measures_clause", ("status", "draft_of_id", "measure_id", "position"), "clause_id = NEW.id"),
    (
        "measure",
        "measures_measure",
        ("status", "policy_id", "pillar_id", "number"),
        "clause_id IN (SELECT id FROM measures_clause WHERE measure_id = NEW.id)",
    ),
    (
        "pillar",
        "measures_pillar",
        ("number",),
        "clause_id IN (SELECT clause.id FROM measures_clause clause "
        "JOIN measures_measure measure ON measure.id = clause.measure_id WHERE measure.pillar_id = NEW.id)",
    ),
)

# PostgreSQL: the award's own row gets its values before it is written, whatever the writer put there.
_POSTGRESQL_AWARD_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {TRIGGER_PREFIX}_award() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT NEW.status = 'published' AND clause.status = 'published'
               AND clause.draft_of_id IS NULL AND measure.status = 'published',
           measure.policy_id, pillar.number, measure.number, clause.position
    INTO NEW.is_public, NEW.listed_policy_id, NEW.listed_pillar_number, NEW.listed_measure_number,
         NEW.listed_clause_position
    FROM measures_clause clause
    JOIN measures_measure measure ON measure.id = clause.measure_id
    JOIN measures_pillar pillar ON pillar.id = measure.pillar_id
    WHERE clause.id = NEW.clause_id;
    RETURN NEW;
END
$$"""


def trigger_sql(vendor: str) -> tuple[list[str], list[str]]:
    """(create, drop) statements for the triggers that keep the listing columns current."""
    create, drop = [], []
    if vendor == "postgresql":
        name = f"{TRIGGER_PREFIX}_award"
        create.append(_POSTGRESQL_AWARD_FUNCTION)
        create.append(
            f"CREATE TRIGGER {name} BEFORE INSERT OR UPDATE ON measures_award FOR EACH ROW EXECUTE FUNCTION {name}()"
        )
        drop += [f"DROP TRIGGER IF EXISTS {name} ON measures_award", f"DROP FUNCTION IF EXISTS {name}()"]
    elif vendor == "sqlite":
        # SQLite cannot change the row being written: it rewrites it just after (and, since Django leaves
        # recursive triggers off, that rewrite fires nothing more).
        for event in ("INSERT", "UPDATE"):
            name = f"{TRIGGER_PREFIX}_award_{event.lower()}"
            create.append(
                f"CREATE TRIGGER {name} AFTER {event} ON measures_award FOR EACH ROW "
                f"BEGIN {REFRESH_ALL} WHERE id = NEW.id; END"
            )
            drop.append(f"DROP TRIGGER IF EXISTS {name}")
    else:
        raise NotImplementedError(f"xmpolicy runs on PostgreSQL or SQLite, not {vendor}.")
    for source, table, columns, which in _SOURCES:
        name = f"{TRIGGER_PREFIX}_{source}"
        statement = f"{REFRESH_ALL} WHERE {which};"
        # Only a real change: Django's save() writes every column, changed or not.
        distinct = "IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT"  # SQLite's, before 3.39
        when = " OR ".join(f"OLD.{column} {distinct} NEW.{column}" for column in columns)
        event = f"AFTER UPDATE OF {', '.join(columns)} ON {table} FOR EACH ROW WHEN ({when})"
        if vendor == "postgresql":
            create.append(
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN {statement} RETURN NULL; END $$"
            )
            create.append(f"CREATE TRIGGER {name} {event} EXECUTE FUNCTION {name}()")
            drop += [f"DROP TRIGGER IF EXISTS {name} ON {table}", f"DROP FUNCTION IF EXISTS {name}()"]
        else:
            create.append(f"CREATE TRIGGER {name} {event} BEGIN {statement} END")
            drop.append(f"DROP TRIGGER IF EXISTS {name}")
    return create, drop
