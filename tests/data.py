"""Content for tests beyond the shared fixtures (tests/conftest.py): the real policy's file and what
it holds, rows added to a policy, and the search's correctness oracle."""

from pathlib import Path

from measures.domain.models import Award, Clause, Measure, Pillar, PolicySource
from measures.management.commands.check_derived import differences

REAL_POLICY_FILE = Path(__file__).resolve().parent.parent / "fixtures" / "kjcx-2025.json"

LARGEST_FIRST = [
    "一次性3000万元",
    "最高3000万元",
    "最高1000万元",
    "每年每家最高500万元",
    "最高300万元",
    "一次性200万元",
    "最高100万元",
    "最高50万元",
]


def add_award(clause, position, amount_yuan, **fields):
    defaults = dict(
        limit=Award.Limit.CEILING,
        recurrence=Award.Recurrence.ONCE,
        nature=Award.Nature.SUBSIDY,
        recipient="企业",
        source_phrase="给予补助",
    )
    return Award.objects.create(clause=clause, position=position, amount_yuan=amount_yuan, **{**defaults, **fields})


def add_more_data(policy):
    """More of everything a page lists: a pillar, measures, clauses with awards, a source."""
    pillar = Pillar.objects.create(policy=policy, number=3, title="第三方面")
    first = Measure.objects.get(policy=policy, number=1)
    for number in (4, 5):
        Measure.objects.create(policy=policy, pillar=pillar, number=number, title=f"新增措施{number}")
    for position in (2, 3, 4):
        clause = Clause.objects.create(
            measure=first,
            position=position,
            text=f"新增段落{position}",
            provenance=Clause.Provenance.POLICY_TEXT,
            source_url="https://example.org/full-text",
        )
        for award_position in (1, 2):
            Award.objects.create(
                clause=clause,
                position=award_position,
                amount_yuan=1_000_000 * position * award_position,
                limit=Award.Limit.EXACT,
                recurrence=Award.Recurrence.ONCE,
                nature=Award.Nature.SUBSIDY,
                recipient="企业",
                source_phrase="给予补助",
            )
    PolicySource.objects.create(policy=policy, position=2, label="另一来源", url="https://example.org/other")


def naive_scan(terms):
    """The correctness contract: every term, as a substring of the clause's text or its measure's title,
    ignoring the case of Latin letters; best first by occurrences (in the title counted three times)."""
    rows = Clause.objects.values_list(
        "pk", "text", "measure__title", "measure__policy__slug", "measure__number", "position"
    )
    found = []
    for pk, text, title, slug, number, position in rows:
        text, title = text.lower(), title.lower()
        if all(term.lower() in text or term.lower() in title for term in terms):
            rank = sum(text.count(term.lower()) + 3 * title.count(term.lower()) for term in terms)
            found.append((-rank, slug, number, position, pk))
    return [row[-1] for row in sorted(found)]


def assert_derived_data_kept():
    """Every derived store holds what its source rows make it (manage.py check_derived)."""
    found = differences()
    assert found and not any(found.values()), {name: lines for name, lines in found.items() if lines}
