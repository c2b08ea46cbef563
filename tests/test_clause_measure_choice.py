"""A clause's page offers its own policy's measures to move it among, not a menu of every measure in the
library: at city scale (6,000 measures) that menu made each clause's page thousands of options long."""

import re

from measures.domain.models import Clause, Measure
from tests.admin_forms import clause_url, form_data


def measure_options(html: str) -> set[int]:
    select = re.search(r'<select name="measure"[^>]*>(.*?)</select>', html, re.S).group(1)
    return {int(value) for value in re.findall(r'<option value="(\d+)"', select)}


def test_a_clauses_page_offers_the_measures_of_its_own_policy_only(editor_client, real_policy, small_policy):
    clause = Clause.objects.filter(measure__policy=real_policy).first()

    html = editor_client.get(clause_url(clause)).content.decode()

    assert measure_options(html) == set(real_policy.measures.values_list("pk", flat=True))
    assert not measure_options(html) & set(small_policy.measures.values_list("pk", flat=True))


def test_a_clause_moves_to_another_measure_of_its_policy(editor_client, real_policy):
    clause = Clause.objects.filter(measure__policy=real_policy, measure__number=2).order_by("position").last()
    other = Measure.objects.get(policy=real_policy, number=5)
    data = form_data(editor_client.get(clause_url(clause)), "clause")
    position = other.clauses.count() + 1
    data.update(measure=str(other.pk), position=str(position), change_reason="移到第5条")

    response = editor_client.post(clause_url(clause), data)

    assert response.status_code == 302, response.content.decode()[:500]
    clause.refresh_from_db()
    assert (clause.measure_id, clause.position) == (other.pk, position)


def test_a_new_clauses_page_offers_every_measure(editor_client, real_policy, small_policy):
    html = editor_client.get("/admin/measures/clause/add/").content.decode()

    assert measure_options(html) == set(Measure.objects.values_list("pk", flat=True))
