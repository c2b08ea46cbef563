"""政策计算器 (issue 13): who can apply for which award, as records tagged from each award's own recipient
words; the calculator page, its CSV and its API answer with every award open to the chosen kinds, the sums
with their terms, and 待录入 for every application fact no source gives; questions that cannot be answered
whole are refused with a message."""

import csv
import io

import pytest

from measures.domain import public_history
from measures.domain.eligibility import ApplicationInfo, AwardRecipientKind, Department, RecipientKind
from measures.domain.models import Award, PublicationStatus
from measures.domain.public_history import PublicChange
from measures.editing.loader import PolicyLoader
from measures.public import calculator
from measures.public.calculator import totals
from tests.data import REAL_POLICY_FILE
from tests.html import between, page, text_of

INCUBATOR = "tech-business-incubator"
CHINA_TAIWAN_BASE = "taiwan-cooperation-base"
INTERNATIONAL_BASE = "national-international-cooperation-base"


def kinds_of(source_phrase, amount_wan=None):
    awards = Award.objects.filter(source_phrase=source_phrase)
    if amount_wan is not None:
        awards = awards.filter(amount_yuan=amount_wan * 10_000)
    (award,) = awards
    return sorted(award.recipient_kinds.values_list("name", flat=True))


# --- the tagging of the real policy -------------------------------------------------------------------


def test_every_award_of_the_real_policy_is_tagged_with_the_kinds_its_recipient_names(real_policy):
    assert kinds_of("给予一次性3000万元奖励") == sorted(
        ["全国重点实验室", "国家工程研究中心", "国家技术创新中心", "国家制造业创新中心", "其他国家级创新平台"]
    )
    assert kinds_of("对新入选基地给予一次性200万元奖励") == sorted(["国家级国际科技合作基地", "对台科技合作与交流基地"])
    assert kinds_of("考核评估优良的分别给予不超过100万元、50万元奖励", 100) == ["国家级国际科技合作基地"]
    assert kinds_of("考核评估优良的分别给予不超过100万元、50万元奖励", 50) == ["对台科技合作与交流基地"]
    assert kinds_of("对金砖创新合作项目给予最高300万元支持") == ["金砖创新合作项目"]
    assert kinds_of("给予最高1000万元支持") == ["国家重点研发计划“政府间国际科技创新合作”项目成果"]
    assert kinds_of("给予每年每家最高500万元奖励") == sorted(["科技型企业孵化器", "加速器"])
    assert kinds_of("按设备投入情况给予最高3000万元补助") == ["企业自主建设的国家级制造业中试平台"]
    assert not Award.objects.filter(kind_links__isnull=True).exists()


def test_each_kind_is_named_in_its_awards_own_recipient_words(real_policy):
    """A structuring of the words already there: every kind's name (but the 等 of a list) is in the recipient."""
    for link in AwardRecipientKind.objects.select_related("award", "kind"):
        if link.kind.slug == "other-national-innovation-platform":
            assert link.award.recipient.endswith("等国家级创新平台")
        else:
            assert link.kind.name in link.award.recipient, (link.kind.name, link.award.recipient)


def test_the_kinds_and_their_links_are_in_history(real_policy):
    kind = RecipientKind.objects.get(slug=INCUBATOR)
    assert kind.history.filter(history_type="+", history_change_reason="导入政策数据文件").exists()
    assert AwardRecipientKind.history.filter(kind_id=kind.pk, history_type="+").count() == 1


def test_the_loader_keeps_a_tag_an_editor_removed_unless_forced(real_policy):
    link = AwardRecipientKind.objects.get(kind__slug="accelerator")
    link._change_reason = "原文“加速器”另有措施"
    link.delete()
    report = PolicyLoader().load_file(REAL_POLICY_FILE)
    assert not AwardRecipientKind.objects.filter(kind__slug="accelerator").exists()
    assert any("加速器" in line for line in report.kept)
    PolicyLoader(force=True).load_file(REAL_POLICY_FILE)
    assert AwardRecipientKind.objects.filter(kind__slug="accelerator").exists()


def test_no_application_fact_is_loaded_for_the_real_policy(real_policy):
    assert not ApplicationInfo.objects.exists()
    assert not Department.objects.exists()


# --- the page -----------------------------------------------------------------------------------------


def test_the_calculator_lists_the_kinds_in_their_groups_with_their_counts(client, real_policy):
    html = page(client, "/calculator/")
    assert "孵化载体" in html and "合作基地" in html
    incubators = between(html, f'value="{INCUBATOR}"', "</li>")
    assert "科技型企业孵化器" in incubators and "（1 项）" in incubators
    bases = between(html, f'value="{INTERNATIONAL_BASE}"', "</li>")
    assert "（2 项）" in bases
    assert 'id="calculator-answer"' not in html


def test_search_finds_a_kind_by_its_name_and_leads_to_the_calculator_with_it_chosen(client, real_policy):
    html = page(client, "/search/?q=孵化器")
    kinds = between(html, '<section class="search-kinds"', "</section>")
    assert f'href="/calculator/?kind={INCUBATOR}"' in kinds and "科技型企业孵化器" in kinds
    assert "加速器" not in kinds  # every word of the query is in the name
    two_words = between(page(client, "/search/?q=国家级 基地"), '<section class="search-kinds"', "</section>")
    assert "国家级国际科技合作基地" in two_words and "对台科技合作与交流基地" not in two_words
    assert '<section class="search-kinds"' not in page(client, "/search/?q=苏颂")


def test_an_incubator_sees_its_yearly_award_its_source_phrase_and_pending_facts(client, real_policy):
    html = page(client, f"/calculator/?kind={INCUBATOR}")
    answer = between(html, 'id="calculator-answer"', "</article>")
    assert "每年每家最高500万元" in answer
    assert "<q>给予每年每家最高500万元奖励</q>" in answer
    assert "/policies/kjcx-2025/measures/6/#clause-1" in answer
    # No source gives any of the six facts: one line, and a 关注 of the measure instead of six 待录入.
    assert "待录入" not in answer and "申报信息尚未公布" in answer
    assert 'href="/follow/?kind=measure&amp;policy=kjcx-2025&amp;measure=6">录入后通知我' in answer
    assert "每年合计最高 500 = 500万元" in answer
    assert "原文未说明能否同时享受" in answer
    assert "3000万元" not in answer


def test_two_kinds_get_every_award_open_to_either_once_with_sums_by_nature(client, real_policy):
    html = page(client, f"/calculator/?kind={INTERNATIONAL_BASE}&kind={CHINA_TAIWAN_BASE}")
    answer = between(html, 'id="calculator-answer"', "</article>")
    assert "共 3 项" in answer
    assert answer.count('class="award calculator-award"') == 3
    assert "一次性奖励合计 200 = 200万元" in answer
    assert "未注明频次的金额合计最高 100 + 50 = 150万元" in answer


def test_the_form_leads_to_the_answer_sending_one_policy_scope_and_each_chosen_kind_is_a_chip_removing_it(
    client, real_policy
):
    html = page(client, f"/calculator/?kind={INTERNATIONAL_BASE}&kind={CHINA_TAIWAN_BASE}&valid=0")
    assert 'action="/calculator/#calculator-answer"' in html
    assert html.count('name="valid"') == 2 and 'type="hidden" name="valid"' not in html
    assert 'name="valid" value="0" checked' in html
    chips = between(html, 'class="chosen-kinds__list"', "</ul>")
    # Removing one kind keeps the other and the scope asked for, and comes back to the answer.
    assert f'href="/calculator/?kind={CHINA_TAIWAN_BASE}&amp;valid=0#calculator-answer"' in chips
    assert f'href="/calculator/?kind={INTERNATIONAL_BASE}&amp;valid=0#calculator-answer"' in chips
    assert 'href="#calculator-form"' in between(html, 'class="chosen-kinds"', "</div>")
    # The last kind removed leaves the form, where a new one is chosen.
    only = between(page(client, f"/calculator/?kind={INCUBATOR}"), 'class="chosen-kinds__list"', "</ul>")
    assert 'href="/calculator/#calculator-form"' in only


def test_a_long_answer_is_listed_a_page_at_a_time_summed_whole_and_exported_whole(client, real_policy, monkeypatch):
    monkeypatch.setattr(calculator, "RESULTS_PER_PAGE", 2)
    question = f"kind={INTERNATIONAL_BASE}&kind={CHINA_TAIWAN_BASE}"
    first = between(page(client, f"/calculator/?{question}"), 'id="calculator-answer"', "</article>")
    assert "共 3 项" in first and "本页列出第 1–2 项" in first
    assert first.count('class="award calculator-award"') == 2
    assert "合计包括所有页上的奖补，不只本页。" in first
    assert "一次性奖励合计 200 = 200万元" in first
    assert "未注明频次的金额合计最高 100 + 50 = 150万元" in first
    assert f'rel="next" href="/calculator/?{question.replace("&", "&amp;")}&amp;page=2"' in first
    second = between(page(client, f"/calculator/?{question}&page=2"), 'id="calculator-answer"', "</article>")
    assert second.count('class="award calculator-award"') == 1 and "本页列出第 3–3 项" in second
    assert "一次性奖励合计 200 = 200万元" in second and 'rel="prev"' in second
    assert f'href="/calculator/export.csv?{question.replace("&", "&amp;")}"' in second  # every award, not a page
    assert len(list(csv.DictReader(io.StringIO(client.get(f"/calculator/export.csv?{question}").text)))) == 3

    answer = client.get(f"/api/v1/calculator/?{question}").json()
    assert answer["count"] == 3 and len(answer["awards"]) == 2 and answer["previous"] is None
    assert answer["next"].endswith(f"/api/v1/calculator/?{question}&page=2")
    last = client.get(answer["next"]).json()
    assert len(last["awards"]) == 1 and last["next"] is None and last["totals"] == answer["totals"]
    assert {award["id"] for award in answer["awards"] + last["awards"]} == set(answer["totals"][0]["award_ids"]) | set(
        answer["totals"][1]["award_ids"]
    )
    assert client.get(f"/api/v1/calculator/?{question}&page=3").status_code == 404


def test_a_recorded_fact_replaces_its_pending_mark_and_an_award_overrides_its_measure(client, real_policy):
    award = Award.objects.get(source_phrase="给予每年每家最高500万元奖励")
    measure_info = ApplicationInfo.objects.create(measure=award.clause.measure, hotline="0592-0000000")
    measure_info.departments.add(Department.objects.create(name="测试责任单位"))
    ApplicationInfo.objects.create(award=award, delivery_mode="on_application", hotline="0592-1111111")
    html = page(client, f"/calculator/?kind={INCUBATOR}")
    answer = between(html, 'id="calculator-answer"', "</article>")
    assert "0592-1111111" in answer and "0592-0000000" not in answer
    assert "依申请" in answer and "测试责任单位" in answer
    assert answer.count("待录入") == 4  # 办理入口, 申报时间, 申兑指南, 所需材料


@pytest.mark.parametrize(
    "query,message",
    [
        ("kind=no-such-kind", "没有这类申报主体：“no-such-kind”"),
        ("kind=", "申报主体类别不能为空"),
        ("kind=a%00b", "无效字符"),
        ("&".join(["kind=accelerator"] * 1000), "一次最多选择 50 类"),
        ("kind=tech-business-incubator&valid=maybe", "只看有效政策"),
        (f"kind={INCUBATOR}&kind=no-such-kind", "没有这类申报主体"),
    ],
)
def test_a_question_that_cannot_be_answered_whole_is_a_400_with_its_message_and_no_list(
    client, real_policy, query, message
):
    html = page(client, f"/calculator/?{query}", status=400)
    assert message in between(html, 'role="alert"', "</div>")
    assert 'id="calculator-answer"' not in html and "calculator-award" not in html


def test_a_kind_whose_awards_are_all_in_an_expired_policy_is_refused_unless_expired_ones_are_asked_for(
    client, real_policy
):
    real_policy.validity_years = 1
    real_policy.save()
    html = page(client, f"/calculator/?kind={INCUBATOR}", status=400)
    assert "已失效或尚未施行" in html and "calculator-award" not in html
    html = page(client, f"/calculator/?kind={INCUBATOR}&valid=0")
    assert "每年每家最高500万元" in html


# The content revision; the kinds asked; policies in force, the kinds listed, the amounts (count and totals);
# the page's awards, their kinds, application facts, the facts' departments and guides, the measures' related
# documents; the form's policies in force, counts and kinds.
CALCULATOR_QUERIES = 1 + 1 + 3 + 6 + 3


@pytest.mark.parametrize("facts", [False, True])
def test_the_answer_takes_the_same_queries_for_one_kind_or_all_with_or_without_facts(
    client, real_policy, django_assert_num_queries, facts
):
    if facts:
        info = ApplicationInfo.objects.create(measure=Award.objects.first().clause.measure, hotline="0592-0000000")
        info.departments.add(Department.objects.create(name="测试责任单位"))
    every_kind = "&".join(f"kind={slug}" for slug in RecipientKind.objects.values_list("slug", flat=True))
    for query in (f"kind={INCUBATOR}", every_kind):
        with django_assert_num_queries(CALCULATOR_QUERIES):
            page(client, f"/calculator/?{query}")


def test_a_measure_page_says_who_can_apply_linking_to_the_calculator_and_how_or_pending(client, real_policy):
    html = page(client, "/policies/kjcx-2025/measures/6/")
    award = between(html, "每年每家最高500万元", "</li>")
    assert f'<a href="/calculator/?kind={INCUBATOR}">科技型企业孵化器</a>' in award
    assert '<a href="/calculator/?kind=accelerator">加速器</a>' in award
    assert "谁可以申请" in award and "申报信息尚未公布 · " in award and "待录入" not in award


def test_the_page_is_cached_by_revision_and_follows_an_edit(client, real_policy):
    assert "每年每家最高500万元" in text_of(page(client, f"/calculator/?kind={INCUBATOR}"))
    Award.objects.filter(source_phrase="给予每年每家最高500万元奖励").update(amount_yuan=4_000_000)
    assert "每年每家最高400万元" in text_of(page(client, f"/calculator/?kind={INCUBATOR}"))
    AwardRecipientKind.objects.filter(kind__slug=INCUBATOR).delete()
    assert "没有这类申报主体" in page(client, f"/calculator/?kind={INCUBATOR}", status=400)


# --- the CSV ------------------------------------------------------------------------------------------


def test_the_csv_holds_the_same_awards_with_kinds_and_empty_facts(client, real_policy):
    response = client.get(f"/calculator/export.csv?kind={INTERNATIONAL_BASE}&kind={CHINA_TAIWAN_BASE}")
    assert response.status_code == 200
    text = response.content.decode()
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert [row["金额（元）"] for row in rows] == ["2000000", "1000000", "500000"]
    assert rows[0]["申报主体类别"] == "国家级国际科技合作基地、对台科技合作与交流基地"
    assert rows[0]["责任单位"] == "" and rows[0]["咨询电话"] == ""


def test_the_csv_refuses_what_the_page_refuses(client, real_policy):
    response = client.get("/calculator/export.csv?kind=no-such-kind")
    assert response.status_code == 400 and "no-such-kind" in response.content.decode()
    assert client.get("/calculator/export.csv").status_code == 400


# --- the totals ---------------------------------------------------------------------------------------


def test_totals_sum_only_amounts_of_one_nature_and_list_their_terms():
    awards = [
        Award(pk=1, amount_yuan=30_000_000, limit="exact", recurrence="once"),
        Award(pk=2, amount_yuan=2_000_000, limit="exact", recurrence="once"),
        Award(pk=3, amount_yuan=5_000_000, limit="ceiling", recurrence="per_year"),
        Award(pk=4, amount_yuan=30_000_000, limit="ceiling", recurrence="unspecified", basis="按设备投入情况"),
        Award(pk=5, amount_yuan=1_000_000, limit="ceiling", recurrence="once"),
        Award(pk=2, amount_yuan=2_000_000, limit="exact", recurrence="once"),  # open to two chosen kinds
    ]
    result = [(t.label, t.expression, t.award_ids, t.amount_yuan) for t in totals(awards)]
    assert result == [
        ("一次性奖励合计", "3000 + 200 = 3200万元", [1, 2], 32_000_000),
        ("一次性奖励合计最高", "100 = 100万元", [5], 1_000_000),
        ("每年合计最高", "500 = 500万元", [3], 5_000_000),
        ("按投入等计算的金额合计最高", "3000 = 3000万元", [4], 30_000_000),
    ]
    assert totals([]) == []


# --- the admin ----------------------------------------------------------------------------------------


def change_form_data(response, **changes):
    """What the award's change page would post back, with `changes`."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or value is False:
            continue
        if isinstance(value, list | tuple):
            data[name] = [getattr(v, "pk", v) for v in value]
        else:
            data[name] = field.prepare_value(value) if name == "amount_yuan" else value
    data["change_reason"] = "标注申报主体"
    data.update(changes)
    return data


def test_an_editor_tags_an_award_with_kinds_on_its_page_and_the_links_keep_who_and_why(editor_client, real_policy):
    award = Award.objects.get(source_phrase="对金砖创新合作项目给予最高300万元支持")
    url = f"/admin/measures/award/{award.pk}/change/"
    response = editor_client.get(url)
    form = response.content.decode()
    assert '<select name="recipient_kinds"' in form and 'class="selectfilter"' in form  # the two-box selector
    enterprise = RecipientKind.objects.create(slug="enterprise", name="企业", group="enterprise")
    brics = RecipientKind.objects.get(slug="brics-innovation-project")
    response = editor_client.post(url, change_form_data(response, recipient_kinds=[brics.pk, enterprise.pk]))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert sorted(award.recipient_kinds.values_list("slug", flat=True)) == ["brics-innovation-project", "enterprise"]
    record = AwardRecipientKind.history.get(kind_id=enterprise.pk, history_type="+")
    assert record.history_change_reason == "标注申报主体" and record.history_user.username == "editor"
    award.refresh_from_db()
    assert award.updated_by is None  # only the links changed: the award itself stays the loader's


def test_the_award_list_finds_awards_without_any_kind_and_tags_them_in_bulk(editor_client, real_policy):
    untagged = Award.objects.get(source_phrase="给予最高1000万元支持")
    untagged.kind_links.all().delete()
    response = editor_client.get("/admin/measures/award/?kinds=none")
    assert response.context["cl"].result_count == 1
    kind = RecipientKind.objects.get(slug="brics-innovation-project")
    selected = [untagged.pk, Award.objects.get(source_phrase="对金砖创新合作项目给予最高300万元支持").pk]
    asked = editor_client.post("/admin/measures/award/", {"action": "assign_kind", "_selected_action": selected})
    assert asked.status_code == 200 and "为所选奖补标注申报主体" in asked.content.decode()
    done = editor_client.post(
        "/admin/measures/award/",
        {"action": "assign_kind", "_selected_action": selected, "apply": "1", "kind": kind.pk},
    )
    assert done.status_code == 302
    assert list(untagged.recipient_kinds.values_list("slug", flat=True)) == ["brics-innovation-project"]
    assert AwardRecipientKind.objects.filter(kind=kind).count() == 2
    assert editor_client.get("/admin/measures/award/?kinds=none").context["cl"].result_count == 0


@pytest.mark.parametrize(
    "page_url",
    ["/admin/measures/recipientkind/", "/admin/measures/department/add/", "/admin/measures/applicationinfo/add/"],
)
def test_kinds_departments_and_application_facts_have_editors_pages(editor_client, real_policy, page_url):
    assert editor_client.get(page_url).status_code == 200


# --- the award finder's 申报主体 facet ------------------------------------------------------------------


def test_the_finder_has_a_kind_facet_with_counts_and_filters_by_kind(client, real_policy):
    html = page(client, "/awards/")
    facet = between(html, 'class="facet facet--kind"', "</details>")
    assert "申报主体" in facet
    assert "不限 (8)" in facet  # every award once, though several are open to more than one kind
    assert "国家级国际科技合作基地 (2)" in facet and "科技型企业孵化器 (1)" in facet
    html = page(client, "/awards/?kind=national-international-cooperation-base")
    assert "共 2 项" in html
    shown = text_of(html)
    assert "一次性200万元" in shown and "最高100万元" in shown and "最高50万元" not in shown


def test_the_finder_refuses_an_unknown_kind(client, real_policy):
    html = page(client, "/awards/?kind=no-such-kind")
    assert "申报主体无效" in html and "no-such-kind" in html


# --- the API ------------------------------------------------------------------------------------------


def test_the_api_lists_the_kinds_with_their_groups_and_award_counts(client, real_policy):
    kinds = {kind["slug"]: kind for kind in client.get("/api/v1/recipient-kinds/").json()["results"]}
    assert len(kinds) == 12
    incubator = kinds[INCUBATOR]
    assert (incubator["name"], incubator["group"], incubator["award_count"]) == ("科技型企业孵化器", "incubator", 1)
    assert kinds[INTERNATIONAL_BASE]["award_count"] == 2
    assert incubator["calculator_url"].endswith(f"/calculator/?kind={INCUBATOR}")
    # The site's own English gloss and the common names search also knows, each marked as not the policy's.
    lab = client.get("/api/v1/recipient-kinds/national-key-laboratory/").json()
    assert (lab["name_en"], lab["aliases"]) == ("National key laboratory", ["国家重点实验室"])
    assert incubator["aliases"] == ["科技企业孵化器"]


def test_the_calculator_api_answers_with_awards_as_the_award_list_gives_them_and_totals(client, real_policy):
    answer = client.get(f"/api/v1/calculator/?kind={INTERNATIONAL_BASE}&kind={CHINA_TAIWAN_BASE}").json()
    assert [kind["slug"] for kind in answer["kinds"]] == [INTERNATIONAL_BASE, CHINA_TAIWAN_BASE]
    listed = {award["id"]: award for award in client.get("/api/v1/awards/").json()["results"]}
    assert [award["amount_yuan"] for award in answer["awards"]] == [2_000_000, 1_000_000, 500_000]
    assert all(award == listed[award["id"]] for award in answer["awards"])
    once, unspecified = answer["totals"]
    assert (once["recurrence"], once["limit"], once["amount_yuan"]) == ("once", "exact", 2_000_000)
    assert (unspecified["recurrence"], unspecified["limit"], unspecified["amount_yuan"]) == (
        "unspecified",
        "ceiling",
        1_500_000,
    )
    assert unspecified["award_ids"] == [award["id"] for award in answer["awards"][1:]]
    assert unspecified["expression"] == "100 + 50 = 150万元"
    assert "原文未说明能否同时享受" in answer["notes"][0]


def test_an_award_in_the_api_says_who_can_apply_and_which_facts_are_pending(client, real_policy):
    (award,) = client.get(f"/api/v1/calculator/?kind={INCUBATOR}").json()["awards"]
    assert [kind["slug"] for kind in award["recipient_kinds"]] == [INCUBATOR, "accelerator"]
    facts = award["application"]
    assert facts["departments"] == [] and facts["delivery_mode"] is None and facts["window"] is None
    assert facts["pending"] == ["departments", "delivery_mode", "window", "guides", "materials", "hotline", "entry"]
    assert facts["entry"] is None and facts["expected_window"] is None
    measure = client.get("/api/v1/measures/?measure=6").json()["results"][0]
    assert measure["application"]["pending"] == facts["pending"]


@pytest.mark.parametrize(
    "query,named",
    [
        ("kind=no-such-kind", "no-such-kind"),
        ("kind=", "不能为空"),
        ("", "至少选择一类"),
        ("&".join(["kind=accelerator"] * 51), "最多选择 50 类"),
        ("kind=a%00b", "NUL"),
    ],
)
def test_the_calculator_api_refuses_what_it_cannot_answer_whole_with_a_400_naming_it(client, real_policy, query, named):
    response = client.get(f"/api/v1/calculator/?{query}")
    assert response.status_code == 400
    assert named in " ".join(response.json()["errors"]["kind"])


def test_an_awards_tags_have_a_history_page_with_who_and_why(editor_client, real_policy):
    link = AwardRecipientKind.objects.get(kind__slug="accelerator")
    assert editor_client.get("/admin/measures/awardrecipientkind/?kind__group=incubator").status_code == 200
    history = editor_client.get(f"/admin/measures/awardrecipientkind/{link.pk}/history/")
    assert history.status_code == 200 and "导入政策数据文件" in history.content.decode()


def test_the_kind_facets_any_count_follows_the_other_filters_once_a_kind_is_chosen(client, real_policy):
    facet = between(page(client, "/awards/?kind=accelerator&min=200"), 'class="facet facet--kind"', "</details>")
    assert "不限 (6)" in facet  # 3000, 200, 300, 1000, 500 and 3000万元: the awards of ≥ 200万元, whatever their kinds


def test_the_finders_follow_link_keeps_the_kind_and_names_it(client, real_policy):
    html = page(client, "/awards/?kind=accelerator")
    assert "/follow/?kind=awards&amp;filters=kind%3Daccelerator" in html
    assert "申报主体 加速器" in page(client, "/follow/?kind=awards&filters=kind%3Daccelerator")


def test_in_english_the_totals_are_written_in_yuan_and_the_policy_stays_chinese(client, real_policy):
    client.cookies["django_language"] = "en"
    html = page(client, f"/calculator/?kind={INTERNATIONAL_BASE}&kind={CHINA_TAIWAN_BASE}")
    assert "One-off amounts, total RMB 2 million = RMB 2 million" in html
    assert "up to a total of RMB 1 million + RMB 500,000 = RMB 1.5 million" in html
    assert '<q lang="zh-Hans">对新入选基地给予一次性200万元奖励</q>' in html and "Who can apply" in html


# --- a kind is public once a published award is tagged with it ------------------------------------------

DRAFT_KIND, MISSING_KIND = "draft-kind", "other-kind"  # of one length: their answers compare byte for byte
DRAFT_KIND_NAME = "草稿主体平台"
# Every face that answers for one kind named in its address.
ONE_KIND_URLS = [
    "/calculator/?kind={}",
    "/calculator/?kind={}&kind=" + INCUBATOR,
    "/calculator/export.csv?kind={}",
    "/api/v1/calculator/?kind={}",
    "/api/v1/recipient-kinds/{}/",
    "/awards/?kind={}",
    "/awards/export.csv?kind={}",
    "/api/v1/awards/?kind={}",
]


@pytest.fixture
def draft_kind(real_policy):
    """A kind made for draft work: tagged on a draft award of measure 6 only."""
    kind = RecipientKind.objects.create(slug=DRAFT_KIND, name=DRAFT_KIND_NAME, group=RecipientKind.Group.INCUBATOR)
    public_award = Award.objects.get(source_phrase="给予每年每家最高500万元奖励")
    draft_award = Award.objects.create(
        clause=public_award.clause,
        position=9,
        amount_yuan=1_000_000,
        limit=Award.Limit.CEILING,
        recurrence=Award.Recurrence.ONCE,
        nature=Award.Nature.REWARD,
        recipient=DRAFT_KIND_NAME,
        source_phrase="最高100万元",
        status=PublicationStatus.DRAFT,
    )
    AwardRecipientKind.objects.create(award=draft_award, kind=kind)
    return kind


def kind_slugs_in_schema(client) -> list[list[str]]:
    """The slugs each `kind` parameter of the OpenAPI document accepts."""
    document = client.get("/api/schema/?format=json").json()
    found = []
    for operation in document["paths"].values():
        for parameter in operation.get("get", {}).get("parameters", []):
            if parameter["name"] == "kind":
                schema = parameter["schema"]
                found.append(schema.get("enum") or schema.get("items", {}).get("enum"))
    return found


def assert_kind_is_not_public(client):
    assert DRAFT_KIND_NAME not in page(client, "/calculator/")
    assert '<section class="search-kinds"' not in page(client, "/search/?q=草稿主体")
    slugs = [kind["slug"] for kind in client.get("/api/v1/recipient-kinds/").json()["results"]]
    assert DRAFT_KIND not in slugs and INCUBATOR in slugs
    enums = kind_slugs_in_schema(client)
    assert len(enums) >= 2 and all(INCUBATOR in enum and DRAFT_KIND not in enum for enum in enums)
    for url in ONE_KIND_URLS:
        draft, missing = client.get(url.format(DRAFT_KIND)), client.get(url.format(MISSING_KIND))
        assert draft.status_code == missing.status_code, url
        assert draft.content.replace(DRAFT_KIND.encode(), MISSING_KIND.encode()) == missing.content, url


def test_a_kind_made_for_draft_work_answers_everywhere_as_a_missing_one(client, draft_kind):
    assert_kind_is_not_public(client)


def test_a_kind_is_public_once_a_published_award_carries_it_and_gone_once_none_does(client, draft_kind):
    link = AwardRecipientKind.objects.create(
        award=Award.objects.get(source_phrase="给予每年每家最高500万元奖励"), kind=draft_kind
    )
    assert f'{DRAFT_KIND_NAME}</span> <span class="calculator-form__count">（1 项）' in page(client, "/calculator/")
    kinds = between(page(client, "/search/?q=草稿主体"), '<section class="search-kinds"', "</section>")
    assert f'href="/calculator/?kind={DRAFT_KIND}"' in kinds
    assert "每年每家最高500万元" in page(client, f"/calculator/?kind={DRAFT_KIND}")
    assert client.get(f"/api/v1/recipient-kinds/{DRAFT_KIND}/").json()["award_count"] == 1
    assert all(DRAFT_KIND in enum for enum in kind_slugs_in_schema(client))
    link.delete()
    assert_kind_is_not_public(client)


# --- a published award's kinds change in the public history --------------------------------------------

BRICS_AWARD = "对金砖创新合作项目给予最高300万元支持"


def public_record():
    """The public history as it could be replayed: each entry's identity and what it shows."""
    fields = ("subject", "object_id", "history_id", "kind", "old_values", "new_values", "reason")
    return sorted(PublicChange.objects.values_list(*fields), key=repr)


def tag_in_admin(editor_client, award, kinds, reason):
    url = f"/admin/measures/award/{award.pk}/change/"
    data = change_form_data(editor_client.get(url), recipient_kinds=[kind.pk for kind in kinds], change_reason=reason)
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_tagging_a_published_award_is_a_public_change_with_its_reason_everywhere(editor_client, client, real_policy):
    award = Award.objects.get(source_phrase=BRICS_AWARD)
    brics, incubator = (
        RecipientKind.objects.get(slug="brics-innovation-project"),
        RecipientKind.objects.get(slug=INCUBATOR),
    )
    before = PublicChange.objects.count()
    tag_in_admin(editor_client, award, [brics, incubator], "金砖项目也可由孵化器申报")
    (entry,) = PublicChange.objects.all()[: PublicChange.objects.count() - before]
    assert (entry.subject, entry.object_id, entry.kind) == ("kinds", award.pk, "changed")
    assert entry.reason == "金砖项目也可由孵化器申报"
    measure = award.clause.measure
    for url in ("/changes/", f"/policies/kjcx-2025/measures/{measure.number}/history/"):
        change = between(page(client, url), f'id="change-kinds-{entry.history_id}"', "</li>")
        assert f"第{award.clause.position}段奖补的申报主体" in change and "金砖项目也可由孵化器申报" in change
        assert "<ins>" in change and "科技型企业孵化器" in between(change, "<ins>", "</ins>")
    feed = page(client, "/changes/feed/")
    assert f"第{measure.number}条 第{award.clause.position}段奖补的申报主体 修改" in feed
    # Untagging is one too; tagging a draft award is none; a replay writes the same history.
    tag_in_admin(editor_client, award, [brics], "撤销孵化器")
    assert PublicChange.objects.count() == before + 2 and PublicChange.objects.first().reason == "撤销孵化器"
    award.status = PublicationStatus.DRAFT
    award.save()
    withdrawn = PublicChange.objects.count()
    tag_in_admin(editor_client, award, [brics, incubator], "草稿中标注")
    assert PublicChange.objects.count() == withdrawn
    recorded = public_record()
    public_history.rebuild()
    assert public_record() == recorded
