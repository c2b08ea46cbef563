"""An award's page chooses its clause by the clause's words, not from a menu of every clause in the
library: at city scale (100,000 clauses) that menu made each award's page megabytes long and seconds to
render for every editor who opened one (issue 32, the mixed load of bench/mixed.py)."""

import json
import re

from measures.domain.models import Award, Clause
from tests.admin_forms import award_url, form_data

AUTOCOMPLETE = "/admin/autocomplete/"


def clause_options(html: str) -> list[str]:
    """The values of the options of the page's 条款 select."""
    select = re.search(r'<select name="clause"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [value for value in re.findall(r'<option value="([^"]*)"', select) if value]


def test_an_awards_page_lists_its_own_clause_not_the_librarys(editor_client, real_policy):
    award = Award.objects.filter(clause__measure__policy=real_policy).first()
    assert Clause.objects.count() > 1  # a menu of every clause would show the others too

    html = editor_client.get(award_url(award)).content.decode()

    assert clause_options(html) == [str(award.clause_id)]
    assert "admin-autocomplete" in html  # typing the clause's words finds another one


def test_an_award_saved_as_its_page_stands_keeps_its_clause(editor_client, real_policy):
    award = Award.objects.filter(clause__measure__policy=real_policy).first()
    data = form_data(editor_client.get(award_url(award)), "award")
    data.update(recipient=f"{award.recipient}（核对）")

    response = editor_client.post(award_url(award), data)

    assert response.status_code == 302
    award.refresh_from_db()
    assert award.recipient.endswith("（核对）")
    assert award.clause_id == int(data["clause"])


def test_an_editor_finds_another_clause_by_its_words(editor_client, real_policy):
    award = Award.objects.filter(clause__measure__policy=real_policy).first()
    other = Clause.objects.filter(measure__policy=real_policy).exclude(pk=award.clause_id).last()
    words = other.text[:8]

    response = editor_client.get(
        AUTOCOMPLETE, {"app_label": "measures", "model_name": "award", "field_name": "clause", "term": words}
    )

    assert response.status_code == 200
    found = {result["id"]: result["text"] for result in json.loads(response.content)["results"]}
    assert found[str(other.pk)] == str(other)
