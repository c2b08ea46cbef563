"""Where to apply (办) and expected windows (预计): the official entry as a 去办理 link on measure pages,
award cards and the calculator, 待录入 when unknown; an expected window shown until a firm one replaces
it; both in the admin with history, the API and the downloads. The real policy has neither: every entry
and window here is a fixture of the test's own."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from measures.domain.eligibility import ApplicationInfo, WindowKind, attach_measure_facts, merge_facts
from measures.domain.models import Award, Measure
from tests.admin_forms import form_data
from tests.html import between, page, result_items

INCUBATOR = "tech-business-incubator"
YEARLY_AWARD = "给予每年每家最高500万元奖励"
ENTRY = {
    "entry_name": "测试办理系统",
    "entry_url": "https://apply.example.gov.cn/start",
    "entry_online": True,
}
EXPECTED = {
    "expected_opens": datetime.date(2027, 3, 1),
    "expected_closes": datetime.date(2027, 3, 31),
    "expected_basis": "以往年度通知于3月发布",
}


def small_measure(policy):
    return Measure.objects.get(policy=policy, number=1)


def yearly_award():
    return Award.objects.get(source_phrase=YEARLY_AWARD)


def record(**fields):
    info = ApplicationInfo(**fields)
    info.full_clean()
    info.save()
    return info


# --- the pages ----------------------------------------------------------------------------------------


def test_a_measure_page_links_to_the_official_entry_under_its_title_and_on_each_award(client, small_policy):
    record(measure=small_measure(small_policy), **ENTRY)
    html = page(client, "/policies/test-policy/measures/1/")
    link = '<a class="apply-link__button" href="https://apply.example.gov.cn/start" rel="noopener external">'
    assert html.count(link) == 2  # under the title, and on the award
    assert link in between(html, '<li class="award">', "</li>")
    assert "去办理" in html and "测试办理系统" in html and "网上办理" in html
    assert "办理入口：" not in html


def test_an_unknown_entry_is_pending_once_some_fact_is_known(client, small_policy):
    record(measure=small_measure(small_policy), hotline="0592-0000000")
    html = page(client, "/policies/test-policy/measures/1/")
    award = between(html, '<li class="award">', "</li>")
    assert '办理入口：</span><span class="tag tag--pending">待录入</span>' in award
    assert "apply-link__button" not in html


def test_with_no_fact_known_the_facts_one_line_speaks_for_the_entry_too(client, real_policy):
    # 申报信息尚未公布 · 录入后通知我 already says that where to apply is not known: no 待录入 beside it.
    html = page(client, "/policies/kjcx-2025/measures/6/")
    assert "申报信息尚未公布" in html and 'class="apply-link' not in html


def test_an_office_without_an_address_is_named_without_a_link(client, small_policy):
    record(measure=small_measure(small_policy), entry_name="测试服务窗口", entry_online=False)
    html = page(client, "/policies/test-policy/measures/1/")
    assert "测试服务窗口" in html and "线下办理" in html
    assert "apply-link__button" not in html


def test_an_address_that_is_no_web_page_is_never_a_link(client, small_policy):
    # What the admin refuses can still come from a restored backup: shown as text, never as an href.
    ApplicationInfo.objects.create(
        measure=small_measure(small_policy), entry_name="测试办理系统", entry_url="javascript:alert(1)"
    )
    html = page(client, "/policies/test-policy/measures/1/")
    assert "javascript:" not in html and "apply-link__button" not in html
    assert "测试办理系统" in html


def test_an_awards_own_entry_wins_over_its_measures(client, small_policy):
    award = Award.objects.get(clause__measure__policy=small_policy)
    record(measure=small_measure(small_policy), **ENTRY)
    record(award=award, entry_name="另一个办理系统", entry_url="https://other.example.gov.cn/")
    card = between(page(client, "/policies/test-policy/measures/1/"), '<li class="award">', "</li>")
    assert 'href="https://other.example.gov.cn/"' in card and "另一个办理系统" in card
    assert "apply.example.gov.cn" not in card


def test_the_finders_award_cards_link_to_their_entry(client, real_policy):
    record(award=yearly_award(), **ENTRY)
    cards = result_items(page(client, "/awards/"))
    (known,) = [card for card in cards if '每年每家最高<span class="amount-figure">500万元</span>' in card]
    assert '<a class="apply-link__button" href="https://apply.example.gov.cn/start" rel="noopener external">' in known
    # The finder reads only the entry: a card without one says nothing of where to apply.
    others = [card for card in cards if card is not known]
    assert others and not any("apply-link" in card for card in others)


def test_the_calculator_links_each_award_to_its_entry(client, real_policy):
    record(measure=yearly_award().clause.measure, **ENTRY)
    answer = between(page(client, f"/calculator/?kind={INCUBATOR}"), 'id="calculator-answer"', "</article>")
    assert 'href="https://apply.example.gov.cn/start" rel="noopener external"' in answer
    assert "去办理" in answer


def test_the_english_page_says_apply_and_keeps_the_entrys_chinese_name(client, small_policy):
    record(measure=small_measure(small_policy), **ENTRY, **EXPECTED)
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    html = page(client, "/policies/test-policy/measures/1/")
    translation.deactivate()
    assert ">Apply <span" in html and "online" in html
    assert 'lang="zh-Hans">测试办理系统</span>' in html
    assert "expected" in html and "Basis of the estimate: " in html


# --- expected windows ---------------------------------------------------------------------------------


def test_an_expected_window_shows_as_expected_with_its_basis_instead_of_pending(client, small_policy):
    record(measure=small_measure(small_policy), **EXPECTED)
    facts = between(page(client, "/policies/test-policy/measures/1/"), "<dt>申报时间</dt>", "</div>")
    assert '<span class="tag tag--expected">预计</span> 2027年3月1日—2027年3月31日' in facts
    assert "以往年度通知于3月发布" in facts and "待录入" not in facts


def test_an_expected_window_stays_beside_an_annual_notice_and_goes_when_dates_are_published(client, small_policy):
    info = record(measure=small_measure(small_policy), window_kind=WindowKind.ANNUAL_NOTICE, **EXPECTED)
    facts = between(page(client, "/policies/test-policy/measures/1/"), "<dt>申报时间</dt>", "</div>")
    assert "以年度通知为准" in facts and "预计" in facts
    info.window_kind = WindowKind.DATES
    info.window_opens, info.window_closes = datetime.date(2027, 3, 10), datetime.date(2027, 4, 10)
    info.full_clean()
    info.save()
    facts = between(page(client, "/policies/test-policy/measures/1/"), "<dt>申报时间</dt>", "</div>")
    assert "2027年3月10日—2027年4月10日" in facts and "预计" not in facts
    # The history keeps both: the expected window as it was, and the real one that replaced it.
    first, latest = info.history.order_by("history_id")
    assert first.window_kind == WindowKind.ANNUAL_NOTICE and first.expected_basis == "以往年度通知于3月发布"
    assert latest.window_kind == WindowKind.DATES and latest.expected_opens == datetime.date(2027, 3, 1)


def test_an_expected_window_still_to_come_is_a_known_change_and_a_past_one_is_not(client, small_policy):
    today = timezone.localdate()
    info = record(
        measure=small_measure(small_policy),
        expected_opens=today + datetime.timedelta(days=60),
        expected_closes=today + datetime.timedelta(days=90),
        expected_basis="以往年度通知于3月发布",
    )
    upcoming = between(page(client, "/policies/test-policy/measures/1/"), 'id="upcoming-heading"', "</section>")
    assert "预计</span> 申报时间：" in upcoming and "以往年度通知于3月发布" in upcoming
    info.expected_opens = today - datetime.timedelta(days=30)
    info.expected_closes = today - datetime.timedelta(days=1)
    info.save()
    assert 'id="upcoming-heading"' not in page(client, "/policies/test-policy/measures/1/")


def test_an_awards_firm_window_hides_its_measures_expected_one(small_policy):
    measure = small_measure(small_policy)
    measure_info = record(measure=measure, **EXPECTED)
    award_info = record(award=Award.objects.get(clause__measure=measure), window_kind=WindowKind.YEAR_ROUND)
    for info in (measure_info, award_info):
        info.listed_departments, info.listed_guides = [], []
    assert merge_facts(measure_info, award_info).expected_window is None
    assert merge_facts(measure_info, None).expected_window.basis == "以往年度通知于3月发布"


def test_an_expected_window_alone_is_not_a_recorded_window(small_policy):
    record(measure=small_measure(small_policy), **EXPECTED)
    (measure,) = attach_measure_facts([small_measure(small_policy)])
    assert measure.facts.window is None and "window" in measure.facts.missing
    assert not measure.facts.nothing_known


@pytest.mark.parametrize(
    "fields,field",
    [
        ({"expected_opens": datetime.date(2027, 3, 1)}, "expected_basis"),
        ({"expected_basis": "以往年度通知于3月发布"}, "expected_opens"),
        ({**EXPECTED, "expected_opens": datetime.date(2027, 4, 1)}, "expected_closes"),
        ({"entry_url": "https://apply.example.gov.cn/"}, "entry_name"),
        ({"entry_name": "测试办理系统", "entry_url": "ftp://apply.example.gov.cn/"}, "entry_url"),
        ({"entry_name": "测试办理系统", "entry_url": "javascript:alert(1)"}, "entry_url"),
        ({"entry_online": True}, "entry_online"),
    ],
)
def test_the_record_refuses_what_would_mislead(small_policy, fields, field):
    with pytest.raises(ValidationError) as refused:
        record(measure=small_measure(small_policy), **fields)
    assert field in refused.value.message_dict


# --- the admin ----------------------------------------------------------------------------------------


def test_an_editor_records_an_entry_and_an_expected_window_in_chinese_with_a_reason(editor_client, small_policy):
    add = editor_client.get("/admin/measures/applicationinfo/add/")
    html = add.content.decode()
    assert "办理入口名称" in html and "预计的依据" in html and "可网上办理" in html
    data = form_data(add, "applicationinfo")
    data.update(
        measure=small_measure(small_policy).pk,
        entry_name="测试办理系统",
        entry_url="ftp://apply.example.gov.cn/",
        entry_online="true",
        expected_opens="2027-03-01",
        expected_closes="2027-03-31",
        expected_basis="以往年度通知于3月发布",
        change_reason="录入办理入口和预计申报时间",
    )
    refused = editor_client.post("/admin/measures/applicationinfo/add/", data)
    assert refused.status_code == 200 and not ApplicationInfo.objects.exists()
    data["entry_url"] = "https://apply.example.gov.cn/start"
    assert editor_client.post("/admin/measures/applicationinfo/add/", data).status_code == 302
    info = ApplicationInfo.objects.get()
    assert (info.entry_name, info.entry_url, info.entry_online) == ("测试办理系统", ENTRY["entry_url"], True)
    saved = info.history.get()
    assert saved.history_change_reason == "录入办理入口和预计申报时间"
    assert saved.expected_basis == "以往年度通知于3月发布"


# --- the API and the downloads ------------------------------------------------------------------------


def test_the_api_gives_the_entry_and_the_expected_window_and_no_longer_lists_the_entry_as_pending(client, real_policy):
    measure = yearly_award().clause.measure
    record(measure=measure, **ENTRY, **EXPECTED)
    (award,) = client.get(f"/api/v1/calculator/?kind={INCUBATOR}").json()["awards"]
    facts = award["application"]
    assert facts["entry"] == {"name": "测试办理系统", "url": "https://apply.example.gov.cn/start", "online": True}
    assert facts["expected_window"] == {"opens": "2027-03-01", "closes": "2027-03-31", "basis": "以往年度通知于3月发布"}
    assert "entry" not in facts["pending"] and "window" in facts["pending"]
    assert client.get(f"/api/v1/measures/{measure.pk}/").json()["application"]["entry"] == facts["entry"]


def test_the_downloads_carry_the_entry_and_the_expected_window(client, real_policy):
    record(measure=yearly_award().clause.measure, **ENTRY, **EXPECTED)
    document = json.loads(client.get("/downloads/awards.json").content.decode())
    assert {"expected_window", "expected_window_basis", "entry_name", "entry_url", "entry_mode"} <= {
        column["key"] for column in document["columns"]
    }
    (row,) = [row for row in document["rows"] if row["source_phrase"] == YEARLY_AWARD]
    assert row["entry_url"] == "https://apply.example.gov.cn/start" and row["entry_mode"] == "网上办理"
    assert row["expected_window"] == "2027-03-01—2027-03-31"
    assert row["expected_window_basis"] == "以往年度通知于3月发布"
    others = [row for row in document["rows"] if row["measure_number"] != 6]
    assert others and all(row["entry_name"] == "" and row["expected_window"] == "" for row in others)


def test_the_data_package_describes_the_entry_and_the_expected_window(client, real_policy):
    package = client.get("/downloads/datapackage.json").json()
    (awards,) = [resource for resource in package["resources"] if resource["path"].endswith("/awards.json")]
    fields = {field["name"]: field for field in awards["schema"]["fields"]}
    assert fields["entry_url"]["format"] == "uri"
    assert {"entry_name", "entry_mode", "expected_window", "expected_window_basis"} <= fields.keys()


def test_the_linked_data_names_the_official_entry_as_a_channel(client, real_policy):
    record(award=yearly_award(), **ENTRY, **EXPECTED)
    html = page(client, "/policies/kjcx-2025/measures/6/")
    document = json.loads(between(html, '<script type="application/ld+json">', "</script>").split(">", 1)[1])
    (service,) = [node for node in document["@graph"] if node["@type"] == "GovernmentService"]
    assert service["availableChannel"] == {
        "@type": "ServiceChannel",
        "name": "测试办理系统",
        "serviceUrl": "https://apply.example.gov.cn/start",
    }
    assert "2027" not in json.dumps(service)  # an expected window is an estimate, not a fact to publish
