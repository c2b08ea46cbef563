"""Public transparency: a measure's history page, a measure page as it stood on a day (?as_of=),
the site's change log at /changes/ and its Atom feed. Changes are made the way the admin makes
them (save() with a reason and an editor), and dated by backdating their history records."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from measures.domain.models import Award, Clause, Measure, Pillar, Policy, PublicationStatus
from measures.domain.public_history import PublicChange
from tests.html import between, page
from tests.query_budgets import CONTENT_REVISION_QUERIES

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT_MODELS = [Policy, Pillar, Measure, Clause, Award]
OLD_TEXT = "支持孵化器建设，给予每年每家最高500万元奖励。"
NEW_TEXT = "支持孵化器建设，给予每年每家最高800万元奖励。"

# Queries per page, whatever the number of changes (see measures/public/views/history.py).
# Each after the content fingerprint that every public page reads first for its ETag (measures/public/page_cache/).
# the policy and the measure as the public knows it; the newest entries, their measures and policies
HISTORY_PAGE_QUERIES = CONTENT_REVISION_QUERIES + 5
CHANGES_PAGE_QUERIES = CONTENT_REVISION_QUERIES + 3  # the same, without the policy and measure
# the measure page's five and its latest public change; the measure's, its clauses', their awards' and its
# 政策问答's records that day
AS_OF_PAGE_QUERIES = CONTENT_REVISION_QUERIES + 10


def xiamen(year, month, day, hour=12):
    return datetime.datetime(year, month, day, hour, tzinfo=timezone.get_default_timezone())


def edit(row, reason, user, **values):
    """Save `row` the way the admin does: with a change reason and the editor who made it."""
    for name, value in values.items():
        setattr(row, name, value)
    row._change_reason = reason
    row._history_user = user
    row.save()
    return row


def latest_record(model, row):
    return model.history.filter(id=row.pk).order_by("-history_date", "-history_id").first()


def backdate(model, row, when):
    """Date `row`'s latest history record, and the public change it made, at `when`."""
    history_id = latest_record(model, row).history_id
    model.history.filter(history_id=history_id).update(history_date=when)
    PublicChange.objects.filter(subject=model._meta.model_name, history_id=history_id).update(date=when)


@pytest.fixture
def dated_policy(small_policy):
    """The small policy, recorded on 2025-01-10 (every row's first version dated then)."""
    for model in CONTENT_MODELS:
        model.history.update(history_date=xiamen(2025, 1, 10))
    PublicChange.objects.update(date=xiamen(2025, 1, 10))
    return small_policy


@pytest.fixture
def clause(dated_policy):
    return Clause.objects.get(measure__policy=dated_policy, measure__number=1, position=1)


@pytest.fixture
def edited_clause(clause, editor):
    """Measure 1's clause, its amount changed from 500 to 800万元 on 2025-03-01."""
    edit(clause, "更正金额：原文为800万元", editor, text=NEW_TEXT)
    backdate(Clause, clause, xiamen(2025, 3, 1))
    return clause


# The measure's history page


def test_the_history_page_lists_a_clause_edit_with_its_reason_and_the_amount_changed_whole(client, edited_clause):
    html = page(client, "/policies/test-policy/measures/1/history/")
    change = between(html, "更正金额", "</li>")
    assert "第1段" in between(html, 'class="change change--changed"', "</li>")
    assert "给予每年每家最高<del>500万元</del><ins>800万元</ins>奖励。" in change
    assert "2025-03-01" in between(html, 'class="change change--changed"', "更正金额")


def test_the_history_page_lists_changes_newest_first(client, edited_clause, editor):
    edit(edited_clause, "第二次修改", editor, text="支持孵化器建设。")
    html = page(client, "/policies/test-policy/measures/1/history/")
    assert html.index("第二次修改") < html.index("更正金额") < html.index('class="change change--created"')


def test_the_history_page_names_the_bureau_not_the_editor(client, edited_clause):
    change = between(
        page(client, "/policies/test-policy/measures/1/history/"), 'class="change change--changed"', "</li>"
    )
    assert "编辑部" in change
    assert "editor" not in change


def test_the_history_page_shows_an_award_amount_change_in_wan(client, clause, editor):
    edit(clause.awards.get(), "金额调整", editor, amount_yuan=8_000_000)
    change = between(
        page(client, "/policies/test-policy/measures/1/history/"), 'class="change change--changed"', "</li>"
    )
    assert "第1段的奖补金额" in change
    assert "金额调整" in change
    assert "<del>500万元</del> → <ins>800万元</ins>" in change  # a whole value, not 5→8 inside a number


def test_the_history_page_escapes_the_text_it_compares(client, clause, editor):
    edit(clause, "<b>理由</b>", editor, text="<script>alert(1)</script>")
    html = page(client, "/policies/test-policy/measures/1/history/")
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html
    assert "&lt;b&gt;理由&lt;/b&gt;" in html


def test_a_draft_of_a_change_to_a_clause_is_not_listed(client, clause, editor):
    draft = Clause(
        measure=clause.measure,
        position=clause.position,
        text="草稿中的新文字",
        provenance=clause.provenance,
        source_url=clause.source_url,
        status=PublicationStatus.DRAFT,
        draft_of=clause,
    )
    edit(draft, "准备修改", editor)
    edit(draft, "继续准备", editor, text="草稿中的更新文字")
    html = page(client, "/policies/test-policy/measures/1/history/")
    assert "草稿中" not in html
    assert "准备修改" not in html
    assert "继续准备" not in html


def test_a_draft_award_is_listed_only_once_published_and_as_published(client, clause, editor):
    award = Award(
        clause=clause,
        position=2,
        amount_yuan=1_000_000,
        limit=Award.Limit.EXACT,
        recurrence=Award.Recurrence.ONCE,
        nature=Award.Nature.SUBSIDY,
        recipient="众创空间",
        source_phrase="一次性补助100万元",
        status=PublicationStatus.DRAFT,
    )
    edit(award, "起草新的金额", editor)
    url = "/policies/test-policy/measures/1/history/"
    assert "众创空间" not in page(client, url)
    edit(award, "发布新的金额", editor, status=PublicationStatus.PUBLISHED)
    html = page(client, url)
    assert "起草新的金额" not in html
    published = between(html, 'class="change change--published"', "</li>")
    assert "发布新的金额" in published
    assert "发布" in published
    assert "一次性100万元补助（众创空间）" in between(published, 'class="change__summary"', "</p>")


def test_a_deleted_clause_is_listed_as_deleted_with_its_text_struck_out(client, dated_policy, editor):
    measure = Measure.objects.get(policy=dated_policy, number=2)
    extra = edit(
        Clause(
            measure=measure, position=1, text="将被删除的段落", provenance="policy_text", source_url="https://e.org"
        ),
        "新增段落",
        editor,
    )
    extra._change_reason = "删去重复段落"
    extra.delete()
    html = page(client, "/policies/test-policy/measures/2/history/")
    deleted = between(html, 'class="change change--deleted"', "</li>")
    assert "删去重复段落" in deleted
    assert "<del>将被删除的段落</del>" in deleted
    assert html.index("删去重复段落") < html.index("新增段落")


def test_a_measure_with_no_changes_since_it_was_recorded_says_so(client, dated_policy):
    html = page(client, "/policies/test-policy/measures/3/history/")
    assert "启用历史记录" not in html
    assert 'class="change change--created"' in html  # its first version
    assert 'class="change change--changed"' not in html


def test_a_draft_measure_has_no_public_history_page(client, dated_policy, editor):
    measure = Measure.objects.get(policy=dated_policy, number=1)
    edit(Measure(policy=dated_policy, pillar=measure.pillar, number=4, title="未发布", status="draft"), "起草", editor)
    page(client, "/policies/test-policy/measures/4/history/", status=404)
    page(client, "/policies/test-policy/measures/9/history/", status=404)


def test_a_withdrawn_measure_keeps_the_history_it_had_in_public_and_says_it_was_withdrawn(client, clause, editor):
    edit(clause.measure, "暂时撤回", editor, status=PublicationStatus.DRAFT)
    edit(clause, "撤回期间的修改", editor, text="撤回期间的文字")
    html = page(client, "/policies/test-policy/measures/1/history/")
    assert "暂时撤回" in between(html, 'class="change change--withdrawn"', "</li>")
    assert 'class="change change--created"' in html  # what it had in public
    assert "撤回期间" not in html
    assert "已撤回或删除" in html
    assert "暂时撤回" in page(client, "/changes/")


def test_the_measure_page_says_under_its_title_when_it_last_changed_and_why_linking_its_history(client, edited_clause):
    html = page(client, "/policies/test-policy/measures/1/")
    line = between(html, 'class="page-header__history"', "</p>")
    assert "最后修改：" in line and ">2025-03-01</time>" in line and "更正金额：原文为800万元" in line
    assert '<a href="/policies/test-policy/measures/1/history/">全部修改记录</a>' in line


def test_a_measure_loaded_with_its_text_shows_one_first_entry_holding_its_paragraphs_and_amounts(client, real_policy):
    html = page(client, "/policies/kjcx-2025/measures/3/history/")
    assert html.count('class="change ') == 1
    entry = between(html, 'class="change change--created"', "</ol>")
    assert "首次录入" in entry and "导入政策数据文件" in entry
    parts = between(entry, 'class="change__parts"', "</ul>")
    assert parts.count("<li ") == 6  # its paragraph and its five amounts, each still linkable
    assert 'id="change-clause-' in parts and "第1段的奖补金额" in parts and "最高1000万元支持" in parts


# The measure page on a day (?as_of=)


def test_as_of_a_day_before_an_edit_shows_the_old_text_with_a_banner_and_a_link_to_the_current_text(
    client, edited_clause
):
    html = page(client, "/policies/test-policy/measures/1/?as_of=2025-02-28")
    banner = between(html, 'class="as-of-banner', "</div>")
    assert "您正在查看 2025-02-28 时的版本" in banner
    assert 'href="/policies/test-policy/measures/1/"' in banner
    assert OLD_TEXT in between(html, 'id="clause-1"', "</section>")
    assert NEW_TEXT not in html
    assert "最高500万元" in between(html, 'class="awards"', "</ul>")


def test_as_of_the_day_of_an_edit_shows_the_text_at_the_end_of_that_day(client, edited_clause):
    html = page(client, "/policies/test-policy/measures/1/?as_of=2025-03-01")
    assert NEW_TEXT in html
    assert OLD_TEXT not in html


def test_as_of_today_shows_the_current_text(client, edited_clause):
    today = timezone.localdate().isoformat()
    html = page(client, f"/policies/test-policy/measures/1/?as_of={today}")
    assert f"您正在查看 {today} 时的版本" in html
    assert NEW_TEXT in html


def test_as_of_shows_the_measure_title_it_had_then(client, dated_policy, editor):
    measure = Measure.objects.get(policy=dated_policy, number=1)
    edit(measure, "标题按原文更正", editor, title="孵化载体建设")
    assert "孵化器建设" in page(client, "/policies/test-policy/measures/1/?as_of=2025-02-01")
    assert "孵化载体建设" in page(client, "/policies/test-policy/measures/1/")


def test_as_of_before_a_clause_was_deleted_still_shows_it(client, dated_policy, editor):
    measure = Measure.objects.get(policy=dated_policy, number=2)
    extra = Clause.objects.create(
        measure=measure, position=1, text="后来删除的段落", provenance="policy_text", source_url="https://e.org"
    )
    backdate(Clause, extra, xiamen(2025, 2, 1))
    extra.delete()
    assert "后来删除的段落" in page(client, "/policies/test-policy/measures/2/?as_of=2025-02-02")
    assert "后来删除的段落" not in page(client, "/policies/test-policy/measures/2/")


def test_as_of_a_day_before_the_measure_existed_says_it_was_not_yet_recorded(client, dated_policy):
    html = page(client, "/policies/test-policy/measures/1/?as_of=2025-01-09")
    assert "该措施在 2025-01-09 尚未录入" in html
    assert 'href="/policies/test-policy/measures/1/"' in between(html, 'class="as-of-banner', "</div>")
    assert 'id="clause-1"' not in html
    assert "条款待录入" not in html


def test_as_of_does_not_show_a_draft_of_a_change(client, clause, editor):
    Clause.objects.create(
        measure=clause.measure,
        position=1,
        text="草稿中的新文字",
        provenance=clause.provenance,
        source_url=clause.source_url,
        status=PublicationStatus.DRAFT,
        draft_of=clause,
    )
    html = page(client, f"/policies/test-policy/measures/1/?as_of={timezone.localdate().isoformat()}")
    assert "草稿中的新文字" not in html
    assert OLD_TEXT in html


@pytest.mark.parametrize("as_of", ["2025-13-45", "abc", "99999-01-01", "2025-3-1", ""])
def test_a_malformed_as_of_date_is_refused_with_a_clear_message_over_the_current_text(client, edited_clause, as_of):
    html = page(client, f"/policies/test-policy/measures/1/?as_of={as_of}", status=400)
    assert "日期格式应为 YYYY-MM-DD" in between(html, 'class="as-of-banner', "</div>")
    assert NEW_TEXT in html


def test_a_future_as_of_date_says_so_and_shows_the_current_text(client, edited_clause):
    html = page(client, "/policies/test-policy/measures/1/?as_of=2999-01-01")
    assert "2999-01-01 还没有到来" in html
    assert NEW_TEXT in html


def test_the_measure_page_without_as_of_has_no_banner(client, edited_clause):
    assert "as-of-banner" not in page(client, "/policies/test-policy/measures/1/")


# The site's change log and its feed


@pytest.mark.usefixtures("empty_database")
def test_the_change_log_lists_public_changes_across_measures_with_links_to_their_history(client, edited_clause, editor):
    other = Measure.objects.get(number=3)
    edit(other, "标题补全", editor, title="科技成果转化")
    html = page(client, "/changes/")
    assert html.index("标题补全") < html.index("更正金额")
    measure_1 = between(html, "更正金额", "</li>")
    entry_1 = html[html.rindex("<li", 0, html.index("更正金额")) :]
    assert 'href="/policies/test-policy/measures/1/history/#change-clause-' in entry_1
    assert "<del>500万元</del><ins>800万元</ins>" in measure_1
    entry_3 = html[html.rindex("<li", 0, html.index("标题补全")) :]
    assert 'href="/policies/test-policy/measures/3/history/#change-measure-' in entry_3


def test_the_change_log_leaves_out_drafts_and_draft_measures(client, clause, editor):
    draft_measure = edit(
        Measure(
            policy=clause.measure.policy, pillar=clause.measure.pillar, number=4, title="待发布的措施", status="draft"
        ),
        "起草第4条",
        editor,
    )
    edit(
        Clause(
            measure=draft_measure, position=1, text="待发布的条款", provenance="policy_text", source_url="https://e.org"
        ),
        "起草条款",
        editor,
    )
    html = page(client, "/changes/")
    assert "待发布" not in html
    assert "起草" not in html


def test_the_site_links_the_change_log_and_its_feed_from_every_page(client, dated_policy):
    html = page(client, "/")
    assert '<a href="/changes/">修改记录</a>' in between(html, 'class="site-nav"', "</nav>")
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert 'href="/changes/feed/"' in between(html, '<link rel="alternate"', ">")


@pytest.mark.usefixtures("empty_database")
def test_the_change_feed_is_valid_atom_with_an_entry_per_public_change(client, edited_clause, editor):
    Clause.objects.create(
        measure=edited_clause.measure,
        position=1,
        text="草稿中的新文字",
        provenance=edited_clause.provenance,
        source_url=edited_clause.source_url,
        status=PublicationStatus.DRAFT,
        draft_of=edited_clause,
    )
    response = client.get("/changes/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert entries
    for entry in entries:
        assert entry.find(f"{ATOM}title").text
        assert entry.find(f"{ATOM}link").get("href").startswith("http://testserver/policies/test-policy/measures/")
        assert entry.find(f"{ATOM}updated").text
    titles = [entry.find(f"{ATOM}title").text for entry in entries]
    assert titles[0] == "第1条 第1段 修改"
    assert "更正金额" in entries[0].find(f"{ATOM}summary").text
    assert "草稿中的新文字" not in response.content.decode()
    ids = [entry.find(f"{ATOM}id").text for entry in entries]
    assert len(set(ids)) == len(ids)


def test_each_measure_has_its_own_feed_linked_from_its_page(client, edited_clause):
    html = page(client, "/policies/test-policy/measures/1/")
    assert 'href="/policies/test-policy/measures/1/feed/"' in between(
        html, '<link rel="alternate" type="application/atom+xml" title="第1条的修改记录"', ">"
    )
    assert 'href="/policies/test-policy/measures/1/feed/"' in page(client, "/policies/test-policy/measures/1/history/")
    response = client.get("/policies/test-policy/measures/1/feed/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.find(f"{ATOM}title").text.startswith("第1条 ")
    self_link = [link.get("href") for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert self_link == ["http://testserver/policies/test-policy/measures/1/feed/"]
    entries = feed.findall(f"{ATOM}entry")
    assert entries and all(
        e.find(f"{ATOM}link").get("href").startswith("http://testserver/policies/test-policy/measures/1/history/")
        for e in entries
    )
    assert client.get("/policies/test-policy/measures/99/feed/").status_code == 404
    assert client.get("/policies/no-such-policy/measures/1/feed/").status_code == 404


def test_the_feeds_give_each_time_with_its_offset_from_utc(client, edited_clause):
    for url in ("/changes/feed/", "/policies/test-policy/measures/1/feed/"):
        feed = ET.fromstring(client.get(url).content)
        entry = feed.find(f"{ATOM}entry")
        assert entry.find(f"{ATOM}updated").text == "2025-03-01T12:00:00+08:00", url
        assert "时间：2025-03-01 12:00 UTC+8" in entry.find(f"{ATOM}summary").text, url


# Query counts, whatever the number of changes


def make_changes(policy, editor, count):
    measure = Measure.objects.get(policy=policy, number=1)
    clause = measure.clauses.get()
    award = clause.awards.get()
    for n in range(count):
        edit(measure, f"标题修改{n}", editor, title=f"孵化器建设{n}")
        edit(clause, f"条款修改{n}", editor, text=f"{OLD_TEXT}{n}")
        edit(award, f"金额修改{n}", editor, amount_yuan=5_000_000 + (n + 1) * 10_000)


@pytest.mark.usefixtures("empty_database")
@pytest.mark.parametrize("count", [2, 30])
def test_the_history_pages_run_a_fixed_number_of_queries(
    client, dated_policy, editor, count, django_assert_num_queries
):
    make_changes(dated_policy, editor, count)
    with django_assert_num_queries(HISTORY_PAGE_QUERIES):
        html = page(client, "/policies/test-policy/measures/1/history/")
    # The first load of the measure, its clause and its award reads as one entry there.
    assert html.count('class="change ') == min(3 * count + 1, 50)
    with django_assert_num_queries(CHANGES_PAGE_QUERIES):
        html = page(client, "/changes/")
    assert html.count('class="change ') == min(3 * count + 5, 50)
    with django_assert_num_queries(CHANGES_PAGE_QUERIES):
        client.get("/changes/feed/")
    with django_assert_num_queries(HISTORY_PAGE_QUERIES):
        client.get("/policies/test-policy/measures/1/feed/")
    with django_assert_num_queries(AS_OF_PAGE_QUERIES):
        page(client, "/policies/test-policy/measures/1/?as_of=2025-02-01")


def test_a_first_version_reads_as_a_sentence_not_a_table_of_internal_fields(client, real_policy):
    html = page(client, "/policies/kjcx-2025/measures/6/history/")
    created = [
        between(html[i:], 'class="change change--created"', "</li>")
        for i in range(len(html))
        if html.startswith('<li class="change change--created"', i)
    ]
    assert "每年每家最高500万元奖励（科技型企业孵化器、加速器等）" in html
    assert "首次录入" in html
    for label in ("金额性质", "按每家计", "资助方式", "顺序", "段落序号"):
        assert label not in html
    assert created and all("change__fields" not in entry for entry in created)


@pytest.mark.usefixtures("empty_database")
def test_feed_entry_ids_are_absolute_and_stay_the_same_when_content_changes(client, edited_clause, editor):
    ids = [
        entry.find(f"{ATOM}id").text
        for entry in ET.fromstring(client.get("/changes/feed/").content).iter(f"{ATOM}entry")
    ]
    assert ids and all(i.startswith("tag:testserver,2025:change-") for i in ids)
    edit(Measure.objects.get(number=3), "标题补全", editor, title="科技成果转化与应用")
    later = [
        entry.find(f"{ATOM}id").text
        for entry in ET.fromstring(client.get("/changes/feed/").content).iter(f"{ATOM}entry")
    ]
    assert set(ids) <= set(later) and len(later) == len(ids) + 1
