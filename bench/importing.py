"""Import and publish at city scale (issue 32): a new policy's official text — 12 measures, 50 awards —
read, its drafts created as the admin's 从原文导入 creates them (measures/editing/importer.py), and
published by a reviewer through the admin's 发布所选草稿 (its confirmation page, then the publication,
one transaction: tests/test_publish_together.py), on the whole library. Timed step by step."""

import time
from dataclasses import dataclass

AWARDS = 50
POLICY_INDEX = 9001  # beyond any corpus's own policies: a policy the library does not hold yet
NUMERALS = "一二三四"


@dataclass
class Imported:
    seconds: dict[str, float]
    measures: int
    awards: int
    public_measures: int
    public_awards: int

    @property
    def total(self) -> float:
        return sum(self.seconds.values())


def new_policy_text(seed: int, index: int = POLICY_INDEX):
    """The synthetic policy `index` (beyond the corpus's) of `seed` with as many paragraphs as give AWARDS
    awards, and its official text as the reader reads one: a title, a 文号, pillars numbered 一、… and
    measures 1. …"""
    from bench.corpus.generate import build_policy  # Django's models: imported once Django is set up

    rows = next(
        rows for clauses in range(40, 400) if len((rows := build_policy(seed, index, clauses)).awards) == AWARDS
    )
    lines = [rows.policy.title, rows.policy.document_number, rows.policy.preamble]
    for pillar_number, pillar in enumerate(rows.pillars):
        lines.append(f"{NUMERALS[pillar_number]}、{pillar.title}")
        for measure in (m for m in rows.measures if m.pillar is pillar):
            paragraphs = [c.text for c in rows.clauses if c.measure is measure]
            lines.append(f"{measure.number}. {measure.title}。{paragraphs[0]}")
            lines.extend(paragraphs[1:])
    return rows, "\n".join(lines)


def import_and_publish(seed: int) -> Imported:
    """The policy and its pillars entered first (an editor's form: they have no draft state), then the
    text imported as drafts by an editor and published by a reviewer."""
    from django.contrib.auth.models import Group, User
    from django.test import Client

    from measures.domain.models import Award, Measure
    from measures.editing import importer
    from measures.editing.actions import CONFIRMED
    from measures.editing.editors import EDITORS_GROUP
    from measures.editing.review import REVIEWERS_GROUP
    from measures.text import document_reader

    rows, text = new_policy_text(seed)
    rows.policy.save()
    for row in (*rows.sources, *rows.pillars):
        row.policy = rows.policy
        row.save()
    editors = Group.objects.get(name=EDITORS_GROUP)
    editor = User.objects.create_user("bench-importer", is_staff=True)
    editor.groups.add(editors)
    reviewer = User.objects.create_user("bench-reviewer", is_staff=True)
    reviewer.groups.add(editors, Group.objects.get(name=REVIEWERS_GROUP))
    browser = Client(HTTP_HOST="127.0.0.1")
    browser.force_login(reviewer)

    seconds = {}
    start = time.perf_counter()
    reading = document_reader.read_policy(text)
    plan = importer.plan_import(reading, rows.policy)
    seconds["read and compare"] = time.perf_counter() - start

    start = time.perf_counter()
    result = importer.apply_plan(plan, user=editor, source_url=rows.sources[0].url)
    seconds["drafts created"] = time.perf_counter() - start

    start = time.perf_counter()
    selected = {"action": "publish_selected_drafts", "_selected_action": [m.pk for m in result.measures]}
    asked = browser.post("/admin/measures/measure/", selected)
    if asked.status_code != 200 or b'id="publish_form"' not in asked.content:
        raise RuntimeError(f"发布所选草稿 did not ask for confirmation (HTTP {asked.status_code})")
    confirmed = {**selected, CONFIRMED: "1", "publisher_reason": "基准测试"}
    answered = browser.post("/admin/measures/measure/", confirmed)
    if answered.status_code != 302:
        raise RuntimeError(f"发布所选草稿 was refused (HTTP {answered.status_code})")
    seconds["published (confirmation + publication)"] = time.perf_counter() - start

    measures = Measure.objects.filter(policy=rows.policy)
    awards = Award.objects.filter(listed_policy=rows.policy)
    return Imported(
        seconds,
        measures=len(result.measures),
        awards=len(result.awards),
        public_measures=measures.published().count(),
        public_awards=awards.published().count(),
    )
