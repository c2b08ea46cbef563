"""Drafts: a new measure or a change to a clause, prepared by editors, unseen by the public until it
is published, and published with a recorded version."""

import pytest

from measures.domain.models import Award, Clause, Measure, PublicationStatus
from measures.editing.publishing import PublishingError, publish_clause_draft, publish_measure, start_draft_of_change
from tests.admin_forms import award_url, form_data, publish_in_admin
from tests.html import amount_html, between, page, text_of

DRAFT = PublicationStatus.DRAFT
SECRET = "草稿测试词"  # in the draft measure's title, clauses and award
NEW_WORDING = "修改后的新措辞"


@pytest.fixture
def draft_measure(real_policy):
    """Measure 7 of the real policy (pillar 3), prepared as a draft: a draft clause with a draft award
    of 一次性9999万元, and a second clause left at the default status."""
    measure = Measure.objects.create(
        policy=real_policy,
        pillar=real_policy.pillars.get(number=3),
        number=7,
        title=f"第七条{SECRET}",
        status=DRAFT,
    )
    clause = Clause.objects.create(
        measure=measure,
        position=1,
        text=f"支持{SECRET}项目，给予一次性9999万元奖励。",
        provenance=Clause.Provenance.POLICY_TEXT,
        source_url="https://example.org/measure-7",
        status=DRAFT,
    )
    Clause.objects.create(
        measure=measure,
        position=2,
        text=f"第二段也提到{SECRET}。",
        provenance=Clause.Provenance.POLICY_TEXT,
        source_url="https://example.org/measure-7",
    )
    Award.objects.create(
        clause=clause,
        amount_yuan=99_990_000,
        limit=Award.Limit.EXACT,
        recurrence=Award.Recurrence.ONCE,
        nature=Award.Nature.REWARD,
        recipient=f"{SECRET}企业",
        source_phrase="给予一次性9999万元奖励",
        status=DRAFT,
    )
    return measure


@pytest.fixture
def first_clause(real_policy):
    return Clause.objects.get(measure__policy=real_policy, measure__number=1, position=1)


def figures(html):
    return between(html, 'class="figures"', "</section>")


def chart(html):
    return between(html, 'class="award-chart"', "</section>")


def search_results(client, q):
    return between(page(client, f"/search/?q={q}"), 'id="search-count"', "</main>")


# A new measure as a draft


def test_a_draft_measure_is_not_on_the_home_page_tree_chart_or_headline_figures(client, draft_measure):
    html = page(client, "/")
    assert SECRET not in html
    assert "9999万元" not in html
    assert "6<small> / 12</small>" in figures(html)
    assert '<span class="figure__value">8</span>' in figures(html)  # awards recorded
    assert "9999万元" not in chart(html)
    assert "另有第7–12条措施待录入" in html


def test_a_draft_measure_is_not_on_its_pillars_page(client, draft_measure):
    html = page(client, "/policies/kjcx-2025/pillars/3/")
    assert SECRET not in html
    assert "本方面的措施待录入。" in html
    assert "已录入 6 / 12 条措施" in html


def test_a_draft_measures_page_is_the_pending_page(client, draft_measure):
    html = page(client, "/policies/kjcx-2025/measures/7/", status=404)
    assert "待录入" in html
    assert SECRET not in html


def test_the_measure_before_a_draft_does_not_link_to_it(client, draft_measure):
    html = page(client, "/policies/kjcx-2025/measures/6/")
    assert "/policies/kjcx-2025/measures/7/" not in html


def test_a_draft_measure_is_not_found_by_search(client, draft_measure):
    results = search_results(client, SECRET)
    assert "找到 0 段" in results
    assert "/measures/7/" not in results


def test_a_draft_measures_award_is_not_in_the_finder_or_its_export(client, draft_measure):
    assert "9999万元" not in page(client, "/awards/")
    assert "9999万元" not in page(client, "/awards/?min=9000")
    csv = page(client, "/awards/export.csv?min=9000")
    assert SECRET not in csv
    assert "99990000" not in csv
    assert SECRET not in page(client, "/awards/export.csv")


def test_a_draft_measure_is_not_in_the_sitemap(client, draft_measure):
    sitemap = page(client, "/sitemap.xml")
    assert "/policies/kjcx-2025/measures/6/" in sitemap
    assert "/policies/kjcx-2025/measures/7/" not in sitemap


def test_a_reviewer_publishes_a_draft_measure_and_it_appears_everywhere(client, reviewer_client, draft_measure):
    response = publish_in_admin(reviewer_client, "measure", draft_measure, reason="第七条原文已公布")
    assert "已发布：“第7条 第七条草稿测试词”（连同其1段草稿条款、1项草稿奖补）" in response.content.decode()
    client.logout()

    home = page(client, "/")
    assert SECRET in home
    assert "7<small> / 12</small>" in figures(home)
    assert '<span class="figure__value">9</span>' in figures(home)
    assert "一次性9999万元" in text_of(between(figures(home), 'class="top-awards"', "</ol>"))
    assert "一次性9999万元" in text_of(chart(home))
    assert SECRET in page(client, "/policies/kjcx-2025/pillars/3/")
    measure_page = page(client, "/policies/kjcx-2025/measures/7/")
    assert 'id="clause-1"' in measure_page and 'id="clause-2"' in measure_page
    assert "一次性9999万元" in measure_page
    assert "/policies/kjcx-2025/measures/7/" in page(client, "/policies/kjcx-2025/measures/6/")
    assert "找到 2 段" in search_results(client, SECRET)
    assert "一次性9999万元" in text_of(page(client, "/awards/?min=9000"))
    assert SECRET in page(client, "/awards/export.csv?min=9000")
    assert "/policies/kjcx-2025/measures/7/" in page(client, "/sitemap.xml")


def test_publishing_a_measure_is_recorded_with_the_editor_and_the_reason(editor, draft_measure):
    counts = publish_measure(draft_measure, editor, "第七条原文已公布")

    assert counts == {"measures": 1, "clauses": 1, "awards": 1}
    record = draft_measure.history.first()
    assert record.status == PublicationStatus.PUBLISHED
    assert record.history_change_reason == "第七条原文已公布"
    assert record.history_user == editor
    award_record = Award.objects.get(clause__measure=draft_measure).history.first()
    assert (award_record.status, award_record.history_user) == (PublicationStatus.PUBLISHED, editor)
    # Its clauses and awards are published in one statement each, and recorded as saves would be.
    for row in (
        Clause.objects.get(measure=draft_measure, position=1),
        Award.objects.get(clause__measure=draft_measure),
    ):
        first, latest = row.history.last(), row.history.first()
        assert (latest.history_user, latest.history_change_reason) == (editor, "第七条原文已公布")
        assert (row.version, row.updated_by) == (first.version + 1, editor)


def test_a_published_measure_is_left_alone_by_the_publish_action(reviewer_client, real_policy):
    measure = Measure.objects.get(policy=real_policy, number=1)
    versions = measure.history.count()

    response = publish_in_admin(reviewer_client, "measure", measure)

    assert "1项已是发布状态，未作改动。" in response.content.decode()
    assert measure.history.count() == versions


# A change to a published clause as a draft


def test_a_draft_of_a_change_is_invisible_until_published(client, editor, first_clause):
    old_text = first_clause.text
    draft = start_draft_of_change(first_clause, editor)
    draft.text = f"{NEW_WORDING}：{old_text}"
    draft.save()

    measure_page = page(client, "/policies/kjcx-2025/measures/1/")
    assert NEW_WORDING not in measure_page
    assert old_text[:20] in measure_page
    assert measure_page.count('id="clause-1"') == 1
    assert "找到 0 段" in search_results(client, NEW_WORDING)
    # The old wording is found once, not a second time through its draft.
    assert search_results(client, old_text[:12]).count("/policies/kjcx-2025/measures/1/#clause-1") == 1


def test_publishing_a_draft_of_a_change_replaces_the_clauses_text(
    client, reviewer_client, reviewer, editor, first_clause
):
    draft = start_draft_of_change(first_clause, editor)
    draft.text = f"{NEW_WORDING}。"
    draft.save()

    response = publish_in_admin(reviewer_client, "clause", draft, reason="按正式文本更新")

    assert "已发布：“第1条第1段”的修改" in response.content.decode()
    assert not Clause.objects.filter(pk=draft.pk).exists()
    clause = Clause.objects.get(pk=first_clause.pk)
    assert (clause.position, clause.text) == (1, f"{NEW_WORDING}。")
    record = clause.history.first()
    assert record.history_change_reason == "按正式文本更新"
    assert record.history_user == reviewer
    assert record.text == f"{NEW_WORDING}。"
    measure_page = page(client, "/policies/kjcx-2025/measures/1/")
    assert NEW_WORDING in between(measure_page, 'id="clause-1"', "</section>")
    assert "/policies/kjcx-2025/measures/1/#clause-1" in search_results(client, NEW_WORDING)


def test_publish_clause_draft_records_the_given_reason(editor, first_clause):
    draft = start_draft_of_change(first_clause, editor)
    publish_clause_draft(draft, editor, "更正错字")
    assert first_clause.history.first().history_change_reason == "更正错字"


def test_an_editor_starts_a_draft_of_a_change_from_the_clause_list(editor_client, first_clause):
    response = editor_client.post(
        "/admin/measures/clause/",
        {"action": "start_drafts_of_change", "_selected_action": [first_clause.pk]},
        follow=True,
    )

    draft = Clause.objects.get(draft_of=first_clause)
    assert (draft.status, draft.position, draft.text) == (DRAFT, 1, first_clause.text)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/admin/measures/clause/{draft.pk}/change/"
    assert "修改草稿所对应的条款" in html
    assert f'href="/admin/measures/clause/{first_clause.pk}/change/"' in html
    assert "发布前公众仍只看到原条款" in html


def test_a_second_draft_of_the_same_clause_is_refused(editor_client, editor, first_clause):
    start_draft_of_change(first_clause, editor)

    with pytest.raises(PublishingError, match="已有一份待发布的修改草稿"):
        start_draft_of_change(first_clause, editor)
    response = editor_client.post(
        "/admin/measures/clause/",
        {"action": "start_drafts_of_change", "_selected_action": [first_clause.pk]},
        follow=True,
    )
    assert "未创建：“第1条第1段”已有一份待发布的修改草稿" in response.content.decode()
    assert Clause.objects.filter(draft_of=first_clause).count() == 1


# A new award as a draft


def test_a_draft_award_on_a_published_clause_is_hidden_until_published(client, reviewer_client, first_clause):
    award = Award.objects.create(
        clause=first_clause,
        position=first_clause.awards.count() + 1,
        amount_yuan=88_880_000,
        limit=Award.Limit.CEILING,
        recurrence=Award.Recurrence.ONCE,
        nature=Award.Nature.SUPPORT,
        recipient="草稿奖补对象",
        source_phrase="最高8888万元",
        status=DRAFT,
    )
    for url in ("/awards/", "/awards/export.csv", "/policies/kjcx-2025/measures/1/", "/"):
        assert "8888万元" not in page(client, url) and "88880000" not in page(client, url), url

    response = publish_in_admin(reviewer_client, "award", award, reason="新增奖补")
    assert "已发布" in response.content.decode()
    client.logout()

    assert "最高8888万元" in text_of(page(client, "/awards/"))
    assert "88880000" in page(client, "/awards/export.csv")
    assert "最高8888万元" in between(page(client, "/policies/kjcx-2025/measures/1/"), 'id="clause-1"', "</section>")


def test_a_draft_is_not_published_over_a_change_made_to_its_clause_since(editor, first_clause):
    draft = start_draft_of_change(first_clause, editor)
    draft.text = f"{NEW_WORDING}。"
    draft.save()
    first_clause.refresh_from_db()
    first_clause.text = "另一位编辑随后做的更正"
    first_clause.save()

    with pytest.raises(PublishingError, match="直接发布会覆盖那次修改"):
        publish_clause_draft(draft, editor, "发布")
    first_clause.refresh_from_db()
    assert first_clause.text == "另一位编辑随后做的更正"

    draft.refresh_from_db()
    draft.save()  # the editor has read the draft again and saved it: now it may go out
    assert publish_clause_draft(draft, editor, "发布").text == f"{NEW_WORDING}。"


def test_a_reviewer_sets_an_award_to_draft_in_the_admin_and_it_leaves_the_finder(client, reviewer_client, real_policy):
    award = Award.objects.get(recurrence=Award.Recurrence.PER_YEAR)
    shown = amount_html("每年每家最高500万元")
    assert shown in page(client, "/policies/kjcx-2025/measures/6/")
    data = form_data(reviewer_client.get(award_url(award)), "award")
    data["status"] = PublicationStatus.DRAFT
    assert reviewer_client.post(award_url(award), data).status_code == 302
    assert "每年每家最高500万元" not in page(client, "/awards/")
    assert shown not in page(client, "/policies/kjcx-2025/measures/6/")
