"""核对: an editor marks a measure as checked against its sources; the page, the API and the downloads
say when, the measure's history says who, the public history stays silent, and the start page lists
the measures nobody has checked for too long."""

import datetime
import json

from django.utils import timezone

from measures.domain.models import Measure
from measures.domain.public_history import PublicChange
from tests.html import between, page

MEASURE_3 = "/policies/kjcx-2025/measures/3/"


def test_marking_a_measure_checked_today_shows_on_its_page_with_who_in_its_history(editor_client, editor, real_policy):
    measure = real_policy.measures.get(number=3)
    before = page(editor_client, MEASURE_3)
    assert "与来源核对的日期：" in between(before, 'class="page-header__checked"', "</p>")
    assert "待录入" in between(before, 'class="page-header__checked"', "</p>")
    public_changes = PublicChange.objects.count()

    response = editor_client.post(
        "/admin/measures/measure/", {"action": "mark_checked_today", "_selected_action": [measure.pk]}, follow=True
    )
    assert response.status_code == 200
    today = timezone.localdate()
    assert f"已记录1条措施于{today:%Y年%-m月%-d日}与来源核对" in response.content.decode()

    measure.refresh_from_db()
    assert measure.checked_on == today
    record = measure.history.first()
    assert (record.history_user, record.history_change_reason) == (editor, "与来源核对")
    assert f"本页内容已于{today:%Y年%-m月%-d日}与来源核对" in page(editor_client, MEASURE_3)
    # A check changes nothing the page says: no entry in /changes/ or the measure's history page.
    assert PublicChange.objects.count() == public_changes


def test_the_date_checked_is_in_the_api_the_downloads_their_package_and_both_languages(client, real_policy):
    measure = real_policy.measures.get(number=3)
    Measure.objects.filter(pk=measure.pk).update(checked_on=datetime.date(2026, 12, 1))

    assert "本页内容已于2026年12月1日与来源核对" in page(client, MEASURE_3)
    client.cookies["django_language"] = "en"
    assert "checked against its sources on 1 December 2026" in page(client, MEASURE_3)
    del client.cookies["django_language"]

    assert json.loads(page(client, f"/api/v1/measures/{measure.pk}/"))["checked_on"] == "2026-12-01"
    unchecked = real_policy.measures.get(number=1)
    assert json.loads(page(client, f"/api/v1/measures/{unchecked.pk}/"))["checked_on"] is None
    rows = json.loads(page(client, "/downloads/clauses.json"))
    rows = rows["rows"] if isinstance(rows, dict) else rows
    assert {row["measure_checked_on"] for row in rows if row["measure_number"] == 3} == {"2026-12-01"}
    assert {row["measure_checked_on"] for row in rows if row["measure_number"] == 1} == {""}
    assert "措施核对日期" in page(client, "/downloads/awards.csv").splitlines()[0]
    package = json.loads(page(client, "/downloads/datapackage.json"))
    clauses = next(r for r in package["resources"] if r["name"] == "clauses-json")
    assert {"name": "measure_checked_on", "type": "date"}.items() <= next(
        f for f in clauses["schema"]["fields"] if f["name"] == "measure_checked_on"
    ).items()


def test_the_start_page_lists_measures_not_checked_for_too_long(editor_client, real_policy, settings):
    settings.SOURCE_CHECK_MAX_AGE_DAYS = 30
    today = timezone.localdate()
    Measure.objects.filter(policy=real_policy).update(checked_on=today)
    Measure.objects.filter(policy=real_policy, number=3).update(checked_on=today - datetime.timedelta(days=31))
    Measure.objects.filter(policy=real_policy, number=5).update(checked_on=None)

    section = between(page(editor_client, "/admin/"), 'id="start-check"', "</div>")
    assert "超过30天未与来源核对的措施（2）" in section
    assert "第5条" in section and "从未核对" in section
    assert "第3条" in section and f"上次核对：{today - datetime.timedelta(days=31):%Y-%m-%d}" in section
    assert section.index("第5条") < section.index("第3条")  # never checked first
    assert "第4条" not in section

    # The list's filter shows the same two, ready to select and mark.
    listed = page(editor_client, "/admin/measures/measure/?checked=due")
    links = {m.number: f"/admin/measures/measure/{m.pk}/change/" for m in real_policy.measures.all()}
    assert links[3] in listed and links[5] in listed and links[4] not in listed
