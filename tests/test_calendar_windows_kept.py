"""The calendar reads each award's window from columns the database keeps on the award (its own record's,
else its measure's; migration 0027): every way of writing a window moves the award to its section on the
next page (a window written below the triggers: tests/test_check_derived.py)."""

import datetime

import pytest
from django.utils import timezone

from measures.domain.eligibility import ApplicationInfo
from measures.domain.models import Award, Clause, Measure
from tests.admin_forms import form_data
from tests.data import assert_derived_data_kept
from tests.html import between, page

DAY = datetime.timedelta(days=1)
CALENDAR = "/calendar/?policy=test-policy"


@pytest.fixture(autouse=True)
def derived_data_kept(db):
    """After each write, every derived store holds what its source rows make it (check_derived)."""
    yield
    assert_derived_data_kept()


@pytest.fixture
def measure(small_policy):
    return Measure.objects.get(policy=small_policy, number=1)


def section_of(client, amount="500万元"):
    """The calendar section (its slug) listing the small policy's award of `amount`, or 'unpublished'."""
    html = page(client, CALENDAR)
    for slug in ("closing-soon", "open", "opening-soon", "closed", "year-round", "annual-notice"):
        if amount in between(html, f'calendar-section--{slug}"', "</section>"):
            return slug
    assert amount in page(client, CALENDAR + "&section=unpublished")
    return "unpublished"


def closing_soon():
    today = timezone.localdate()
    return {"window_kind": "dates", "window_opens": today - 5 * DAY, "window_closes": today + 3 * DAY}


def test_an_admin_save_of_a_measures_window_moves_its_awards(editor_client, measure):
    assert section_of(editor_client) == "unpublished"
    add = editor_client.get("/admin/measures/applicationinfo/add/")
    data = form_data(add, "applicationinfo")
    window = closing_soon()
    data.update(
        measure=measure.pk,
        window_kind="dates",
        window_opens=window["window_opens"].isoformat(),
        window_closes=window["window_closes"].isoformat(),
        change_reason="录入申报时间",
    )
    assert editor_client.post("/admin/measures/applicationinfo/add/", data).status_code == 302
    assert section_of(editor_client) == "closing-soon"
    info = ApplicationInfo.objects.get(measure=measure)
    change = f"/admin/measures/applicationinfo/{info.pk}/change/"
    data = form_data(editor_client.get(change), "applicationinfo")
    data.update(window_kind="year_round", window_opens="", window_closes="", change_reason="改为常年受理")
    assert editor_client.post(change, data).status_code == 302
    assert section_of(editor_client) == "year-round"


def test_an_awards_own_window_comes_before_its_measures_and_a_deletion_gives_it_back(client, measure):
    award = Award.objects.get(clause__measure=measure)
    ApplicationInfo.objects.create(measure=measure, window_kind="year_round")
    own = ApplicationInfo.objects.create(award=award, **closing_soon())
    assert section_of(client) == "closing-soon"
    own.window_kind, own.window_opens, own.window_closes = "unpublished", None, None
    own.save()  # an award's record saying 未公布 leaves its measure's window
    assert section_of(client) == "year-round"
    own.delete()
    assert section_of(client) == "year-round"
    ApplicationInfo.objects.get(measure=measure).delete()
    assert section_of(client) == "unpublished"


def test_bulk_writes_of_windows_and_awards_move_the_awards(client, measure):
    ApplicationInfo.objects.create(measure=measure, window_kind="year_round")
    ApplicationInfo.objects.filter(measure=measure).update(window_kind="annual_notice")
    assert section_of(client) == "annual-notice"
    clause = Clause.objects.get(measure=measure)
    Award.objects.bulk_create([Award(**{**_award_fields(), "clause": clause, "position": 2})])
    assert section_of(client, "300万元") == "annual-notice"  # a new award inherits its measure's window


def test_a_clause_moved_to_another_measure_takes_that_measures_window(client, measure, small_policy):
    other = Measure.objects.get(policy=small_policy, number=3)
    ApplicationInfo.objects.create(measure=measure, window_kind="year_round")
    ApplicationInfo.objects.create(measure=other, window_kind="annual_notice")
    Clause.objects.filter(measure=measure).update(measure=other)
    assert section_of(client) == "annual-notice"


def _award_fields():
    return dict(
        amount_yuan=3_000_000,
        limit=Award.Limit.CEILING,
        recurrence=Award.Recurrence.ONCE,
        nature=Award.Nature.SUBSIDY,
        recipient="企业",
        source_phrase="给予补助",
        status="published",
    )
