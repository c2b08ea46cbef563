"""申报日历 (issue 29): the calendar page sorts each award by its window (its own record's, else its
measure's) into 即将截止, 正在受理, 即将开始, 今年已截止, 常年受理 and 以年度通知为准, counts those with no
window (未公布) and lists them, drops expired policies, filters like the finder, and refuses bad
parameters with a 400; with the real data, which gives no window, it says what is unknown."""

import datetime
import re

import icalendar
import pytest
from django.utils import timezone

from measures.domain.eligibility import (
    ApplicationDepartment,
    ApplicationGuide,
    ApplicationInfo,
    AwardRecipientKind,
    Department,
    RecipientKind,
)
from measures.domain.models import Clause, Measure, Policy
from measures.public.views.calendar import PER_PAGE, PER_SECTION
from tests.data import add_award
from tests.html import between, page
from tests.query_budgets import CALENDAR_TALLY_QUERIES, CONTENT_REVISION_QUERIES

DAY = datetime.timedelta(days=1)


@pytest.fixture
def windows(small_policy):
    """Awards of the small policy with every kind of window: a measure's dated window its award inherits,
    an award's own (closing soon, opening later, closed earlier this year), year-round and annual-notice
    ones, and one with none."""
    today = timezone.localdate()
    kind = RecipientKind.objects.create(slug="incubator", name="孵化器", group="incubator")
    first = Measure.objects.get(policy=small_policy, number=1)
    clause = first.clauses.get()
    inherited = clause.awards.get()
    AwardRecipientKind.objects.create(award=inherited, kind=kind)
    ApplicationInfo.objects.create(
        measure=first, window_kind="dates", window_opens=today - 10 * DAY, window_closes=today + 60 * DAY
    )
    third = Measure.objects.get(policy=small_policy, number=3)
    other = Clause.objects.create(measure=third, position=1, text="成果转化补助。", source_url="https://example.org/x")
    awards = {"inherited": inherited}
    windows = {
        "closing": dict(window_kind="dates", window_opens=today - 5 * DAY, window_closes=today + 3 * DAY),
        "later": dict(window_kind="dates", window_opens=today + 20 * DAY, window_closes=today + 50 * DAY),
        "closed": dict(window_kind="dates", window_opens=today.replace(month=1, day=1), window_closes=today - DAY),
        "year_round": dict(window_kind="year_round"),
        "annual": dict(window_kind="annual_notice"),
        "none": None,
    }
    for position, (name, window) in enumerate(windows.items(), start=1):
        award = add_award(other, position, 100_000 * position, source_phrase=f"给予补助{position}")
        awards[name] = award
        if window:
            ApplicationInfo.objects.create(award=award, **window)
    department = Department.objects.create(name="厦门市科学技术局", website="https://example.org/kjj")
    info = ApplicationInfo.objects.get(award=awards["closing"])
    ApplicationInfo.objects.filter(pk=info.pk).update(
        entry_name="厦门市科技计划项目管理系统", entry_url="https://example.org/apply", entry_online=True
    )
    ApplicationDepartment.objects.create(info=info, department=department)
    ApplicationGuide.objects.create(info=info, title="申报指南", url="https://example.org/guide")
    return awards


def section(html, slug):
    return between(html, f'calendar-section--{slug}"', "</section>")


def listed(part):
    return re.findall(r'<strong class="award__amount">(.*?)</strong>', part)


def test_each_award_is_in_the_section_its_window_puts_it(client, windows):
    response = client.get("/calendar/")
    assert response.status_code == 200
    html = response.content.decode()
    assert listed(section(html, "closing-soon")) == ["一次性最高10万元"]
    assert listed(section(html, "open")) == ["每年每家最高500万元"]  # the measure's window, inherited
    assert listed(section(html, "opening-soon")) == ["一次性最高20万元"]
    assert listed(section(html, "year-round")) == ["一次性最高40万元"]
    assert listed(section(html, "annual-notice")) == ["一次性最高50万元"]
    closed = listed(section(html, "closed"))
    assert closed == (
        ["一次性最高30万元"] if timezone.localdate() - DAY >= timezone.localdate().replace(day=1, month=1) else []
    )


def test_awards_with_no_window_are_counted_and_listed_never_hidden(client, windows):
    html = page(client, "/calendar/?policy=test-policy")
    unpublished = section(html, "unpublished")
    assert "（1 项）" in unpublished
    assert '<a href="/calendar/?policy=test-policy&amp;section=unpublished">' in unpublished
    listing = page(client, "/calendar/?policy=test-policy&section=unpublished")
    assert listed(listing) == ["一次性最高60万元"]
    assert "待录入" in listing


def test_an_entry_says_where_to_apply_or_that_it_is_pending(client, windows):
    html = page(client, "/calendar/")
    entry = section(html, "closing-soon")
    assert '<a href="https://example.org/kjj">厦门市科学技术局</a>' in entry
    assert '<a href="https://example.org/guide">申报指南</a>' in entry
    assert 'href="/policies/test-policy/measures/3/calendar.ics"' in entry
    assert '<a class="apply-link__button" href="https://example.org/apply" rel="noopener external">去办理' in entry
    pending = section(html, "open")
    assert "孵化器" in pending and "tag--pending" in pending


def test_the_filters_narrow_the_calendar_like_the_finder(client, windows):
    html = page(client, "/calendar/?kind=incubator")
    assert listed(section(html, "open")) == ["每年每家最高500万元"]
    assert listed(section(html, "closing-soon")) == []
    html = page(client, "/calendar/?pillar=2")
    assert listed(section(html, "closing-soon")) == ["一次性最高10万元"] and listed(section(html, "open")) == []


SECTIONS = ("closing-soon", "open", "opening-soon", "closed", "year-round", "annual-notice", "unpublished")


def counted(html, slug):
    """The number the overview shows beside a section's title."""
    return int(re.search(r"（(\d+) 项）", section(html, slug))[1])


@pytest.mark.parametrize(
    "query",
    [
        "",
        "kind=incubator",
        "pillar=1",
        "pillar=2",
        "policy=test-policy",
        "kind=incubator&pillar=1",
        "pillar=2&policy=test-policy",
        "kind=incubator&policy=test-policy",  # counted by the database, not the tally
        "kind=incubator&policy=test-policy&pillar=2",
    ],
)
def test_each_sections_count_is_what_its_own_page_lists(client, windows, query):
    overview = page(client, f"/calendar/?{query}")
    for slug in SECTIONS:
        own = page(client, f"/calendar/?{query}&section={slug}")
        assert own.count('class="award-result calendar-entry"') == counted(overview, slug), slug
        assert f"共 {counted(overview, slug)} 项" in own


@pytest.mark.parametrize(
    "query", ["", "kind=incubator", "pillar=2", "policy=test-policy", "kind=incubator&policy=test-policy"]
)
def test_a_months_count_is_what_it_lists(client, windows, query):
    today = timezone.localdate()
    for months in (-1, 0, 1, 2, 3):
        year, month = divmod(today.year * 12 + today.month - 1 + months, 12)
        html = page(client, f"/calendar/?{query}&month={year}-{month + 1:02d}")
        entries = html.count('class="award-result calendar-entry"')
        assert f"共 {entries} 项" in html, (query, months)


def test_the_overview_shows_each_sections_first_few_and_links_to_all_of_them(client, windows):
    clause = windows["year_round"].clause
    for position in range(10, 16):
        award = add_award(clause, position, 1_000_000 + position, source_phrase=f"补助{position}")
        ApplicationInfo.objects.create(award=award, window_kind="year_round")
    year_round = section(page(client, "/calendar/"), "year-round")
    assert "（7 项）" in year_round
    assert len(listed(year_round)) == PER_SECTION < 7
    assert '<a href="/calendar/?section=year-round">查看“常年受理”的全部 7 项</a>' in year_round
    assert len(listed(page(client, "/calendar/?section=year-round"))) == 7


def test_an_edit_moves_the_counts_at_once(client, windows):
    before = page(client, "/calendar/")
    ApplicationInfo.objects.create(award=windows["none"], window_kind="year_round")
    after = page(client, "/calendar/")
    assert counted(after, "year-round") == counted(before, "year-round") + 1
    assert counted(after, "unpublished") == counted(before, "unpublished") - 1


def test_the_sections_are_counted_again_on_a_new_day(client, windows, monkeypatch):
    today = timezone.localdate()
    assert counted(page(client, "/calendar/"), "closing-soon") == 1
    later = today + 4 * DAY  # the window closing in three days has closed
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: later)
    html = page(client, "/calendar/")
    assert counted(html, "closing-soon") == 0
    assert ("一次性最高10万元" in listed(section(html, "closed"))) == (later.year == today.year)


def test_the_form_offers_each_policy_with_awards_and_keeps_the_one_chosen(client, windows, real_policy):
    html = page(client, "/calendar/?policy=test-policy")
    options = re.findall(
        r'<option( lang="zh-Hans")? value="([^"]+)"( selected)?>《', between(html, 'id="id_policy"', "</select>")
    )
    assert [(slug, bool(chosen)) for _lang, slug, chosen in options] == [
        ("kjcx-2025", False),
        ("test-policy", True),
    ]
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = between(page(client, "/calendar/"), 'id="id_policy"', "</select>")
    assert '<option lang="zh-Hans" value="test-policy">《' in english  # the policy's own title, in Chinese


def test_the_form_offers_each_kind_and_keeps_the_one_chosen(client, windows):
    university = RecipientKind.objects.create(slug="university", name="高校 & 院所", group="university")
    AwardRecipientKind.objects.create(award=windows["closing"], kind=university)  # a kind the public sees
    html = page(client, "/calendar/?kind=incubator")
    select = between(html, 'id="id_kind"', "</select>")
    options = re.findall(r'<option( lang="zh-Hans")? value="([^"]*)"( selected)?>([^<]*)<', select)
    assert [slug for _lang, slug, _chosen, _name in options] == [
        "",
        *RecipientKind.objects.public().in_order().values_list("slug", flat=True),
    ]
    assert [slug for _lang, slug, chosen, _name in options if chosen] == ["incubator"]
    assert (' lang="zh-Hans"', "university", "", "高校 &amp; 院所") not in options  # Chinese page: no lang
    assert ("", "university", "", "高校 &amp; 院所") in options
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = between(page(client, "/calendar/"), 'id="id_kind"', "</select>")
    assert '<option lang="zh-Hans" value="incubator">孵化器</option>' in english  # the kind's own name


def test_a_month_lists_the_dated_windows_overlapping_it(client, windows):
    today = timezone.localdate()
    amounts = listed(page(client, f"/calendar/?month={today:%Y-%m}"))
    assert "一次性最高10万元" in amounts and "每年每家最高500万元" in amounts
    assert "一次性最高40万元" not in amounts  # year-round: not placed in a month


def test_an_expired_policy_drops_out_of_the_calendar(client, windows, small_policy):
    Policy.objects.filter(pk=small_policy.pk).update(issue_date=datetime.date(2000, 1, 1))
    html = page(client, "/calendar/?policy=test-policy")
    assert "calendar-entry" not in html
    assert "（0 项）" in section(html, "unpublished")


@pytest.mark.parametrize(
    "query",
    ["section=nowhere", "month=2026-13", "month=abc", "pillar=x", "kind=no-such-kind", "policy=%00", "month=%00"],
)
def test_a_bad_parameter_is_a_400_that_says_what_is_wrong(client, windows, query):
    alert = between(page(client, f"/calendar/?{query}", status=400), 'role="alert"', "</div>")
    assert re.search(r"<li>[^<]+</li>", alert)


def test_the_real_policy_shows_an_honest_empty_calendar(client, real_policy):
    html = page(client, "/calendar/")
    empty = between(html, "calendar-empty--unknown", "</div>")
    assert "还没有已知的申报时间" in empty and "政策原文和已找到的来源都没有给出申报时间" in empty
    assert "calendar-entry" not in html
    assert "（8 项）" in section(html, "unpublished")


def test_the_calendar_in_english(client, windows):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = page(client, "/calendar/")
    assert "Application calendar" in html and "Closing soon" in html


def test_the_calendar_runs_the_same_queries_however_many_awards(client, windows, django_assert_num_queries):
    with django_assert_num_queries(CONTENT_REVISION_QUERIES + CALENDAR_QUERIES):
        client.get("/calendar/")
    clause = windows["closing"].clause
    for position in range(10, 30):
        award = add_award(clause, position, 1_000_000 + position, source_phrase=f"补助{position}")
        ApplicationInfo.objects.create(award=award, window_kind="year_round")
    with django_assert_num_queries(CONTENT_REVISION_QUERIES + CALENDAR_QUERIES):
        client.get("/calendar/")


# the calendar's tally, read anew after each edit (the policies, the awards and the kinds' links counted
# by section, the kinds: measures/public/calendar/tally.py), six sections' first awards' ids and those
# awards, the listed awards' kinds and application facts (four)
CALENDAR_QUERIES = CALENDAR_TALLY_QUERIES + 6 + 1 + 4


# --- the iCalendar feeds ---------------------------------------------------------------------------


def events_of(response):
    """The feed's events, parsed and checked by the `icalendar` library."""
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    feed = icalendar.Calendar.from_ical(response.content)
    assert feed["VERSION"] == "2.0" and feed["PRODID"]
    return {str(event["UID"]): event for event in feed.walk("VEVENT")}


def test_the_calendar_feed_has_an_event_for_each_dated_window(client, windows):
    events = events_of(client.get("/calendar.ics?policy=test-policy"))
    dated = ("inherited", "closing", "later", "closed")
    assert set(events) == {f"award-{windows[name].pk}-window@testserver" for name in dated}
    event = events[f"award-{windows['closing'].pk}-window@testserver"]
    today = timezone.localdate()
    assert event.decoded("DTSTART") == today - 5 * DAY
    assert event.decoded("DTEND") == today + 4 * DAY  # the day after the close: an all-day event's end
    assert "一次性最高10万元" in event["SUMMARY"] and "第3条 成果转化" in event["SUMMARY"]
    assert str(event["URL"]) == "http://testserver/policies/test-policy/measures/3/#clause-1"
    description = str(event["DESCRIPTION"])
    assert "厦门市科学技术局" in description and "https://example.org/guide" in description
    assert "办理入口：厦门市科技计划项目管理系统 https://example.org/apply" in description
    assert "http://testserver/policies/test-policy/measures/3/#clause-1" in description


def test_each_event_reminds_14_and_3_days_before_the_close_at_nine_in_xiamen(client, windows):
    events = events_of(client.get("/calendar.ics?policy=test-policy"))
    event = events[f"award-{windows['later'].pk}-window@testserver"]
    closes = timezone.localdate() + 50 * DAY
    triggers = sorted(alarm.decoded("TRIGGER") for alarm in event.walk("VALARM"))
    expected = [
        datetime.datetime.combine(closes - days * DAY, datetime.time(1), tzinfo=datetime.UTC) for days in (14, 3)
    ]  # 09:00 in Xiamen (UTC+8)
    assert triggers == expected
    assert all(alarm["ACTION"] == "DISPLAY" and alarm["DESCRIPTION"] for alarm in event.walk("VALARM"))
    # Absolute triggers say so: without VALUE=DATE-TIME a TRIGGER is read as a duration (RFC 5545 3.8.6.3).
    assert b"TRIGGER;VALUE=DATE-TIME:" in event.to_ical()


def test_text_with_separators_and_long_lines_reads_back_as_written(client, windows):
    # The feed is written by hand (measures/public/calendar/ics.py): what a calendar program reads back
    # must be the text itself, whatever commas, semicolons, backslashes or line breaks it holds, and
    # however many characters (folded at 75 octets, never inside one).
    title = "成果转化,技术;转移\\补助" + "科技创新引领工程" * 8
    Measure.objects.filter(policy__slug="test-policy", number=3).update(title=title)
    ApplicationInfo.objects.filter(award=windows["closing"]).update(
        entry_name="厦门市,科技;计划\n项目管理系统", entry_url="https://example.org/apply?a=1,2;b=3"
    )
    response = client.get("/calendar.ics?policy=test-policy")
    event = events_of(response)[f"award-{windows['closing'].pk}-window@testserver"]
    assert str(event["SUMMARY"]) == f"申报：第3条 {title} 一次性最高10万元"
    description = str(event["DESCRIPTION"]).split("\n")
    assert "办理入口：厦门市,科技;计划" in description
    assert "项目管理系统 https://example.org/apply?a=1,2;b=3" in description
    # Escaped as RFC 5545 says (§3.3.11), which programs stricter than the library rely on.
    unfolded = response.content.replace(b"\r\n ", b"").decode()
    assert "SUMMARY:申报：第3条 成果转化\\,技术\\;转移\\\\补助科技" in unfolded
    lines = response.content.split(b"\r\n")
    assert lines[-1] == b"" and all(b"\n" not in line for line in lines)
    assert max(len(line) for line in lines) == 75
    for line in lines:
        line.decode()  # each physical line is whole UTF-8: no character cut by a fold


def test_the_uid_stays_when_the_window_moves(client, windows):
    before = set(events_of(client.get("/calendar.ics?policy=test-policy")))
    ApplicationInfo.objects.filter(award=windows["later"]).update(window_closes=timezone.localdate() + 90 * DAY)
    assert set(events_of(client.get("/calendar.ics?policy=test-policy"))) == before


def test_a_measures_feed_holds_its_awards_windows(client, windows):
    events = events_of(client.get("/policies/test-policy/measures/1/calendar.ics"))
    assert list(events) == [f"award-{windows['inherited'].pk}-window@testserver"]
    assert client.get("/policies/test-policy/measures/2/calendar.ics").status_code == 200
    assert client.get("/policies/test-policy/measures/99/calendar.ics").status_code == 404


def test_a_calculator_answers_feed_holds_the_windows_of_the_awards_it_lists(client, windows):
    events = events_of(client.get("/calculator/calendar.ics?kind=incubator"))
    assert list(events) == [f"award-{windows['inherited'].pk}-window@testserver"]


@pytest.mark.parametrize(
    "url",
    [
        "/calculator/calendar.ics",
        "/calculator/calendar.ics?kind=no-such-kind",
        "/calculator/calendar.ics?kind=incubator&valid=2",
        "/calendar.ics?pillar=x",
        "/calendar.ics?policy=%00",
    ],
)
def test_a_feed_refuses_a_bad_question_with_a_clear_400(client, windows, url):
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().startswith("查询条件有误：\n")


def test_the_real_policys_feed_is_a_valid_calendar_without_events(client, real_policy):
    assert events_of(client.get("/calendar.ics")) == {}


def test_the_measure_page_and_the_calculator_link_to_their_feeds(client, windows):
    assert 'href="/policies/test-policy/measures/1/calendar.ics"' in page(client, "/policies/test-policy/measures/1/")
    answer = page(client, "/calculator/?kind=incubator&page=1")
    assert 'href="/calculator/calendar.ics?kind=incubator"' in answer


def test_an_awards_own_window_wins_over_its_measures(client, windows):
    clause = windows["inherited"].clause
    own = add_award(clause, 2, 2_000_000, source_phrase="给予补助二")
    ApplicationInfo.objects.create(award=own, window_kind="annual_notice")
    html = page(client, "/calendar/?policy=test-policy")
    assert "一次性最高200万元" in section(html, "annual-notice")
    assert "一次性最高200万元" not in section(html, "open")
    feed = events_of(client.get("/policies/test-policy/measures/1/calendar.ics"))
    assert list(feed) == [f"award-{windows['inherited'].pk}-window@testserver"]


def test_a_sections_page_lists_twenty_and_turns_to_the_rest(client, windows):
    clause = windows["year_round"].clause
    for position in range(10, 35):
        award = add_award(clause, position, 1_000_000 + position, source_phrase=f"补助{position}")
        ApplicationInfo.objects.create(award=award, window_kind="year_round")
    first = page(client, "/calendar/?section=year-round")
    assert len(listed(first)) == PER_PAGE == 20
    assert "共 26 项" in first  # every award of the section counted, not the page's
    assert 'href="/calendar/?section=year-round&amp;page=2"' in first and "第 2 / 2 页" in first
    second = page(client, "/calendar/?section=year-round&page=2")
    assert len(listed(second)) == 6 and "共 26 项" in second
    assert not set(listed(first)) & set(listed(second))


def test_the_overview_shows_the_first_awards_its_sections_pages_list(client, windows):
    today = timezone.localdate()
    clause = windows["year_round"].clause
    spread = {
        "open": [dict(window_opens=today - k * DAY, window_closes=today + (40 + 7 * (k % 3)) * DAY) for k in range(4)]
        + [dict(window_opens=today - k * DAY, window_closes=None) for k in range(3)],
        "opening-soon": [dict(window_opens=today + (9 - k) * DAY, window_closes=None) for k in range(7)],
        "closed": [dict(window_opens=None, window_closes=today - k * DAY) for k in range(1, 8)],
    }
    position = 10
    for windows_of_section in spread.values():
        for window in windows_of_section:
            award = add_award(clause, position, 1_000_000 + position, source_phrase=f"补助{position}")
            ApplicationInfo.objects.create(award=award, window_kind="dates", **window)
            position += 1
    overview = page(client, "/calendar/")
    for slug in SECTIONS[:-1]:
        own = listed(page(client, f"/calendar/?section={slug}"))
        assert listed(section(overview, slug)) == own[:PER_SECTION], slug
    assert len(listed(section(overview, "open"))) == PER_SECTION
