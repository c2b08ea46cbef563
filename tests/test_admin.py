"""The editors' admin, driven through its real views: the change pages are fetched, their forms
read back as a browser would submit them, edited, and posted."""

from decimal import Decimal

import pytest
from django import forms
from pytest_django.asserts import assertContains, assertNotContains

from measures.domain.models import Award, Clause, Measure
from measures.editing.forms import WanAmountField
from measures.editing.loader import PolicyLoader
from tests.admin_forms import award_url, clause_url, form_data, measure_url
from tests.data import REAL_POLICY_FILE


def clause_row(index, **fields):
    """A new row for the clause inline of a measure page."""
    row = {"id": "", "measure": "", "provenance": Clause.Provenance.POLICY_TEXT, "is_complete": "on"}
    row.update(fields)
    return {f"clauses-{index}-{name}": value for name, value in row.items()}


@pytest.fixture
def incubator_award(small_policy):
    """The small policy's one award: 每年每家最高500万元, stored as 5,000,000 yuan."""
    return Award.objects.get(clause__measure__policy=small_policy)


# --- the 万元 field ---------------------------------------------------------------------------


def test_the_amount_field_turns_typed_wan_into_whole_yuan():
    field = WanAmountField()
    assert field.clean("3000") == 30_000_000
    assert field.clean("0.5") == 5_000
    assert field.clean("0.0001") == 1


def test_the_amount_field_shows_stored_yuan_in_wan_and_leaves_typed_text_alone():
    field = WanAmountField()
    assert field.prepare_value(30_000_000) == Decimal("3000")
    assert field.prepare_value("30000000") == "30000000"
    assert field.label == "金额（万元）"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-1", "金额不能为负数。"),
        ("0.00001", "金额最多保留四位小数（精确到元）。"),
        ("三千", "请按万元填写数字，如 3000。"),
        ("1e30", "金额过大，请检查单位：这里按万元录入。"),
    ],
)
def test_the_amount_field_refuses_what_cannot_be_stored_in_chinese(typed, message):
    with pytest.raises(forms.ValidationError) as refused:
        WanAmountField().clean(typed)
    assert refused.value.messages == [message]


# --- editing through the change pages --------------------------------------------------------


def test_an_editor_can_change_a_clause_text_and_becomes_its_last_editor(editor_client, editor, small_policy):
    clause = Clause.objects.get(measure__policy=small_policy)
    data = form_data(editor_client.get(clause_url(clause)), "clause")
    data["text"] = "支持孵化器建设，给予每年每家最高600万元奖励。"

    response = editor_client.post(clause_url(clause), data)

    assert response.status_code == 302
    clause.refresh_from_db()
    assert clause.text == "支持孵化器建设，给予每年每家最高600万元奖励。"
    assert clause.updated_by == editor


def test_a_clause_changed_in_the_admin_is_kept_when_the_policy_is_loaded_again(editor_client, editor, real_policy):
    clause = Clause.objects.get(measure__policy=real_policy, measure__number=1, position=1)
    data = form_data(editor_client.get(clause_url(clause)), "clause")
    data["text"] = "编辑核对后的条款内容。"
    assert editor_client.post(clause_url(clause), data).status_code == 302

    report = PolicyLoader().load_file(REAL_POLICY_FILE)

    clause.refresh_from_db()
    assert clause.text == "编辑核对后的条款内容。"
    assert len(report.kept) == 1


def test_the_award_page_shows_the_stored_amount_in_wan(editor_client, real_policy):
    award = Award.objects.get(clause__measure__policy=real_policy, source_phrase="给予一次性3000万元奖励")
    assert award.amount_yuan == 30_000_000

    response = editor_client.get(award_url(award))

    assert form_data(response, "award")["amount_yuan"] == "3000"
    assertContains(response, "金额（万元）")


def test_an_editor_can_change_an_award_amount_in_wan_on_the_award_page(editor_client, editor, incubator_award):
    data = form_data(editor_client.get(award_url(incubator_award)), "award")
    assert data["amount_yuan"] == "500"
    data["amount_yuan"] = "3000"

    response = editor_client.post(award_url(incubator_award), data)

    assert response.status_code == 302
    incubator_award.refresh_from_db()
    assert incubator_award.amount_yuan == 30_000_000
    assert incubator_award.updated_by == editor


def test_an_editor_can_change_an_award_amount_in_wan_in_the_clause_page_inline(editor_client, editor, incubator_award):
    clause = incubator_award.clause
    data = form_data(editor_client.get(clause_url(clause)), "clause")
    assert data["awards-0-amount_yuan"] == "500"
    data["awards-0-amount_yuan"] = "3000"

    response = editor_client.post(clause_url(clause), data)

    assert response.status_code == 302
    incubator_award.refresh_from_db()
    assert incubator_award.amount_yuan == 30_000_000
    assert incubator_award.updated_by == editor
    # The clause itself was submitted unchanged: it stays the loader's to update.
    clause.refresh_from_db()
    assert clause.updated_by is None


def test_a_negative_amount_is_refused_in_chinese_and_nothing_is_saved(editor_client, incubator_award):
    data = form_data(editor_client.get(award_url(incubator_award)), "award")
    data["amount_yuan"] = "-300"
    data["recipient"] = "众创空间"

    response = editor_client.post(award_url(incubator_award), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["amount_yuan"] == ["金额不能为负数。"]
    assertContains(response, "金额不能为负数。")
    # The form comes back with what the editor typed, in 万元, not converted.
    assert form_data(response, "award")["amount_yuan"] == "-300"
    incubator_award.refresh_from_db()
    assert (incubator_award.amount_yuan, incubator_award.recipient) == (5_000_000, "孵化器")
    assert incubator_award.updated_by is None


def test_a_negative_amount_in_the_clause_page_inline_is_refused_in_chinese(editor_client, incubator_award):
    clause = incubator_award.clause
    data = form_data(editor_client.get(clause_url(clause)), "clause")
    data["awards-0-amount_yuan"] = "-1"
    data["text"] = "不应保存的文字。"

    response = editor_client.post(clause_url(clause), data)

    assert response.status_code == 200
    assertContains(response, "金额不能为负数。")
    incubator_award.refresh_from_db()
    clause.refresh_from_db()
    assert incubator_award.amount_yuan == 5_000_000
    assert clause.text != "不应保存的文字。"


def test_a_clause_position_below_one_is_refused_with_the_constraint_message(editor_client, small_policy):
    clause = Clause.objects.get(measure__policy=small_policy)
    data = form_data(editor_client.get(clause_url(clause)), "clause")
    data["position"] = "0"

    response = editor_client.post(clause_url(clause), data)

    assertContains(response, "段落序号从1开始。")
    clause.refresh_from_db()
    assert clause.position == 1


# --- measures: numbers and clause inlines -----------------------------------------------------


def test_a_duplicate_measure_number_is_refused_in_chinese(editor_client, small_policy):
    measure = Measure.objects.get(policy=small_policy, number=2)
    data = form_data(editor_client.get(measure_url(measure)), "measure")
    data["number"] = "1"

    response = editor_client.post(measure_url(measure), data)

    assertContains(response, "该政策中已有相同编号的措施，请换一个编号。")
    measure.refresh_from_db()
    assert measure.number == 2


def test_a_measure_number_beyond_the_declared_count_is_refused_naming_the_count(editor_client, real_policy):
    data = form_data(editor_client.get("/admin/measures/measure/add/"), "measure")
    data.update(policy=real_policy.pk, pillar=real_policy.pillars.get(number=3).pk, number="13", title="第十三条")

    response = editor_client.post("/admin/measures/measure/add/", data)

    assert response.context["adminform"].form.errors["number"] == ["本政策共12条措施，编号应在1到12之间，不能是13。"]
    assertContains(response, "本政策共12条措施")
    assert not real_policy.measures.filter(number=13).exists()


def test_an_editor_can_add_a_pending_measure_with_its_first_clause(editor_client, editor, real_policy):
    data = form_data(editor_client.get("/admin/measures/measure/add/"), "measure")
    data.update(policy=real_policy.pk, pillar=real_policy.pillars.get(number=3).pk, number="7", title="第七条措施")
    data["clauses-TOTAL_FORMS"] = "1"
    data.update(clause_row(0, position="1", text="第七条的原文。", source_url="https://example.org/7"))

    response = editor_client.post("/admin/measures/measure/add/", data)

    assert response.status_code == 302
    measure = real_policy.measures.get(number=7)
    clause = measure.clauses.get()
    assert (measure.updated_by, clause.updated_by) == (editor, editor)
    assert clause.text == "第七条的原文。"
    # A new measure starts as a draft: still pending for the public until an editor publishes it.
    assert measure.status == "draft"
    assert editor_client.get("/policies/kjcx-2025/measures/7/").status_code == 404


def test_two_new_clauses_with_the_same_position_are_refused_in_chinese(editor_client, small_policy):
    measure = Measure.objects.get(policy=small_policy, number=1)
    data = form_data(editor_client.get(measure_url(measure)), "measure")
    assert data["clauses-TOTAL_FORMS"] == "1"
    data["clauses-TOTAL_FORMS"] = "3"
    for index in (1, 2):
        data.update(clause_row(index, position="2", text=f"新段落{index}", source_url="https://example.org/"))

    response = editor_client.post(measure_url(measure), data)

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.non_form_errors() == ["该措施中已有相同序号的段落，请换一个序号。"]
    assertContains(response, "该措施中已有相同序号的段落，请换一个序号。")
    # Django's own messages: "请修改position的重复数据", "请修正重复的数据."
    assertNotContains(response, "重复数据")
    assertNotContains(response, "重复的数据")
    assert measure.clauses.count() == 1


def test_a_new_clause_taking_an_existing_position_is_refused_in_chinese(editor_client, small_policy):
    measure = Measure.objects.get(policy=small_policy, number=1)
    data = form_data(editor_client.get(measure_url(measure)), "measure")
    data["clauses-TOTAL_FORMS"] = "2"
    data.update(clause_row(1, position="1", text="重复的段落", source_url="https://example.org/"))

    response = editor_client.post(measure_url(measure), data)

    assertContains(response, "该措施中已有相同序号的段落，请换一个序号。")
    assert measure.clauses.count() == 1


def test_the_measure_page_links_each_clause_to_its_own_page(editor_client, small_policy):
    measure = Measure.objects.get(policy=small_policy, number=1)

    response = editor_client.get(measure_url(measure))

    assertContains(response, clause_url(measure.clauses.get()))


# --- lists and search ------------------------------------------------------------------------


def test_the_measure_search_finds_a_measure_by_a_word_in_its_clause_text(editor_client, real_policy):
    # 苏颂 appears only in the text of measure 5 (苏颂创新研究院), in no title.
    assert not Measure.objects.filter(title__contains="苏颂").exists()

    response = editor_client.get("/admin/measures/measure/", {"q": "苏颂"})

    assert [measure.number for measure in response.context["cl"].result_list] == [5]


def test_the_award_list_shows_the_display_text_and_the_amount_in_wan(editor_client, incubator_award):
    response = editor_client.get("/admin/measures/award/")

    assertContains(response, '<td class="field-amount_in_wan">500</td>', html=True)
    assertContains(response, "每年每家最高500万元")


@pytest.mark.parametrize("model", ["policy", "pillar", "measure", "clause", "award"])
def test_every_list_and_change_page_opens_for_an_editor(editor_client, real_policy, model):
    response = editor_client.get(f"/admin/measures/{model}/")
    assert response.status_code == 200
    first = response.context["cl"].result_list[0]
    assert editor_client.get(f"/admin/measures/{model}/{first.pk}/change/").status_code == 200


def test_the_admin_index_lists_the_content_in_the_order_the_policy_is_built(editor_client):
    html = editor_client.get("/admin/").content.decode()
    places = [
        html.index(f'href="/admin/measures/{name}/"') for name in ("policy", "pillar", "measure", "clause", "award")
    ]
    assert places == sorted(places)
    assert "厦门科技创新政策库 · 编辑后台" in html
