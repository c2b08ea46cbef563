"""The editors' admin reads plainly: a form that did not save says which fields and links to them, the
import form starts filled in as the command would, yes/no columns are named in Chinese."""

import datetime
import re

import pytest

from measures.domain.models import Measure, Policy
from tests.admin_forms import form_data, measure_url

IMPORT_FORM = "/admin/measures/policy/import/"


def summary_items(html: str) -> list[tuple[str, str]]:
    """The error summary's entries, as (link target, text)."""
    summary = re.search(r'<div class="errornote error-summary" role="alert">(.*?)</div>', html, re.S).group(1)
    return re.findall(r'<li><a href="#([^"]+)">(.*?)</a>', summary)


def test_a_form_that_did_not_save_names_each_field_in_error_and_links_to_it(editor_client, real_policy):
    measure = Measure.objects.get(policy=real_policy, number=1)
    data = form_data(editor_client.get(measure_url(measure)), "measure")
    data.update(title="", change_reason="")
    data["clauses-0-text"] = ""

    html = editor_client.post(measure_url(measure), data).content.decode()

    assert summary_items(html) == [
        ("id_title", "标题"),
        ("id_change_reason", "变更说明"),
        ("id_clauses-0-text", "条款 第1条第1段的条款内容"),
    ]
    assert "未能保存，以下3处需要更正：" in html
    assert "请更正以下错误" not in html  # Django's note, which named nothing, is replaced
    # Each link leads to the field's own input.
    for anchor, _label in summary_items(html):
        assert f'id="{anchor}"' in html
    assert "<title>错误：" in html


def test_a_form_that_saves_shows_no_summary(editor_client, real_policy):
    measure = Measure.objects.get(policy=real_policy, number=1)
    response = editor_client.post(measure_url(measure), form_data(editor_client.get(measure_url(measure)), "measure"))
    assert response.status_code == 302


def test_the_import_form_starts_with_the_only_policy_and_its_source_address(editor_client, real_policy):
    html = editor_client.get(IMPORT_FORM).content.decode()

    assert re.search(rf'<option value="{real_policy.pk}" selected>', html)
    first_source = real_policy.sources.order_by("position").first().url
    assert f'value="{first_source}"' in html


def test_with_several_policies_the_import_form_lets_the_editor_choose(editor_client, real_policy):
    Policy.objects.create(
        slug="other", title="另一份政策", issue_date=datetime.date(2025, 6, 1), declared_measure_count=3
    )

    html = editor_client.get(IMPORT_FORM).content.decode()

    assert " selected>" not in html.split('name="policy"', 1)[1].split("</select>", 1)[0].replace(
        '<option value="" selected>', ""
    )


@pytest.mark.parametrize("url", ["/admin/measures/clause/", "/admin/measures/policy/"])
def test_yes_no_columns_name_their_icons_in_chinese(editor_client, real_policy, url):
    html = editor_client.get(url).content.decode()
    icons = re.findall(r'<img src="[^"]*icon-(?:yes|no)\.svg" alt="([^"]*)">', html)
    assert icons and set(icons) <= {"是", "否"}
