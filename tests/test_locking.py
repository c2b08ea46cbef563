"""No lost updates: two editors, each in their own logged-in session, open the same clause or
award; the first save wins, the second is refused with what the first changed, and nothing the
second typed is lost."""

import html

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from measures.domain.models import Award, Clause, Measure, Pillar, Policy
from measures.editing.editors import EDITORS_GROUP
from tests.admin_forms import award_url, clause_url, form_data

REFUSED = "保存失败：在您打开此页之后"
OVERWRITE_HINT = "再次保存将以您的内容覆盖"


def submittable(response, model_name):
    """Everything the rendered form would submit; a required change reason left blank is filled in."""
    data = form_data(response, model_name)
    for name, value in data.items():
        if "reason" in name and value == "":
            data[name] = "测试"
    return data


def logged_in(username, full_name):
    user = User.objects.create_user(username, first_name=full_name, is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def wang(db):
    return logged_in("wangfang", "王芳")


@pytest.fixture
def li(db):
    return logged_in("liqiang", "李强")


@pytest.fixture
def clause(small_policy):
    return Clause.objects.get(measure__policy=small_policy)


@pytest.fixture
def platform_award(real_policy):
    """一次性3000万元 for new national innovation platforms (measure 1)."""
    return Award.objects.get(clause__measure__policy=real_policy, source_phrase="给予一次性3000万元奖励")


def page_text(response):
    return html.unescape(response.content.decode())


# --- a clause --------------------------------------------------------------------------------

WANG_TEXT = "支持孵化器建设，给予每年每家最高800万元奖励。"
LI_TEXT = "支持孵化器和加速器建设，给予每年每家最高500万元奖励。"


def test_the_second_editor_to_save_a_clause_is_refused_and_shown_the_first_editors_change(wang, li, clause):
    wang_form = submittable(wang.get(clause_url(clause)), "clause")
    li_form = submittable(li.get(clause_url(clause)), "clause")
    wang_form["text"] = WANG_TEXT
    assert wang.post(clause_url(clause), wang_form).status_code == 302

    li_form["text"] = LI_TEXT
    response = li.post(clause_url(clause), li_form)

    assert response.status_code == 200
    page = response.content.decode()
    assert REFUSED in page
    assert "王芳" in page
    assert "（第2版）" in page
    assert OVERWRITE_HINT in page
    # Wang replaced 500万元 by 800万元: the amount is marked whole.
    assert "<del>500万元</del><ins>800万元</ins>" in page
    # Li's typing is still in the text box, and the database still holds Wang's text.
    assert form_data(response, "clause")["text"] == LI_TEXT
    clause.refresh_from_db()
    assert clause.text == WANG_TEXT
    assert clause.version == 2


def test_after_reading_the_other_change_the_second_editor_can_save_on_top(wang, li, clause):
    wang_form = submittable(wang.get(clause_url(clause)), "clause")
    li_form = submittable(li.get(clause_url(clause)), "clause")
    wang_form["text"] = WANG_TEXT
    assert wang.post(clause_url(clause), wang_form).status_code == 302
    li_form["text"] = LI_TEXT
    refused = li.post(clause_url(clause), li_form)
    assert REFUSED in refused.content.decode()

    response = li.post(clause_url(clause), submittable(refused, "clause"))

    assert response.status_code == 302
    clause.refresh_from_db()
    assert clause.text == LI_TEXT
    assert clause.version == 3
    assert clause.updated_by.username == "liqiang"


def test_a_third_save_in_between_refuses_the_second_editor_again(wang, li, clause):
    wang_form = submittable(wang.get(clause_url(clause)), "clause")
    li_form = submittable(li.get(clause_url(clause)), "clause")
    wang_form["text"] = WANG_TEXT
    assert wang.post(clause_url(clause), wang_form).status_code == 302
    li_form["text"] = LI_TEXT
    refused = li.post(clause_url(clause), li_form)

    wang_again = submittable(wang.get(clause_url(clause)), "clause")
    wang_again["text"] = "支持孵化器建设，给予每年每家最高900万元奖励。"
    assert wang.post(clause_url(clause), wang_again).status_code == 302
    response = li.post(clause_url(clause), submittable(refused, "clause"))

    assert response.status_code == 200
    assert "（第3版）" in response.content.decode()
    assert "<del>800万元</del><ins>900万元</ins>" in response.content.decode()
    clause.refresh_from_db()
    assert clause.text == "支持孵化器建设，给予每年每家最高900万元奖励。"


def test_one_editor_saving_twice_in_a_row_is_never_refused(wang, clause):
    for text in (WANG_TEXT, LI_TEXT):
        data = submittable(wang.get(clause_url(clause)), "clause")
        data["text"] = text
        response = wang.post(clause_url(clause), data)
        assert response.status_code == 302, REFUSED in response.content.decode()

    clause.refresh_from_db()
    assert clause.text == LI_TEXT
    assert clause.version == 3


def test_the_other_editors_change_is_shown_escaped(wang, li, clause):
    wang_form = submittable(wang.get(clause_url(clause)), "clause")
    li_form = submittable(li.get(clause_url(clause)), "clause")
    wang_form["text"] = "支持孵化器建设<script>alert(1)</script>，给予每年每家最高500万元奖励。"
    assert wang.post(clause_url(clause), wang_form).status_code == 302

    li_form["text"] = LI_TEXT
    response = li.post(clause_url(clause), li_form)

    page = response.content.decode()
    assert REFUSED in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_tampered_version_is_refused_with_a_message_not_an_error_page(wang, clause):
    data = submittable(wang.get(clause_url(clause)), "clause")
    data["opened_version"] = "abc"
    data["text"] = WANG_TEXT

    response = wang.post(clause_url(clause), data)

    assert response.status_code == 200
    assert "表单已失效" in response.content.decode()
    clause.refresh_from_db()
    assert clause.text != WANG_TEXT


# --- an award on its own page ----------------------------------------------------------------


def test_the_second_editor_to_save_an_award_is_refused_with_the_amount_change_in_wan(wang, li, platform_award):
    url = award_url(platform_award)
    wang_form = submittable(wang.get(url), "award")
    li_form = submittable(li.get(url), "award")
    assert wang_form["amount_yuan"] == li_form["amount_yuan"] == "3000"
    wang_form["amount_yuan"] = "2000"
    assert wang.post(url, wang_form).status_code == 302

    li_form["amount_yuan"] = "2500"
    response = li.post(url, li_form)

    assert response.status_code == 200
    text = page_text(response)
    assert REFUSED in text
    assert "王芳" in text
    assert "3000万元 → 2000万元" in text
    assert form_data(response, "award")["amount_yuan"] == "2500"
    platform_award.refresh_from_db()
    assert platform_award.amount_yuan == 20_000_000

    again = li.post(url, submittable(response, "award"))

    assert again.status_code == 302
    platform_award.refresh_from_db()
    assert platform_award.amount_yuan == 25_000_000
    assert platform_award.version == 3


# --- an award in the clause page's inline ----------------------------------------------------


def test_the_award_inline_on_the_clause_page_refuses_a_stale_amount(wang, li, platform_award):
    url = clause_url(platform_award.clause)
    wang_form = submittable(wang.get(url), "clause")
    li_form = submittable(li.get(url), "clause")
    assert li_form["awards-0-amount_yuan"] == "3000"
    wang_form["awards-0-amount_yuan"] = "2000"
    assert wang.post(url, wang_form).status_code == 302

    li_form["awards-0-amount_yuan"] = "2500"
    response = li.post(url, li_form)

    assert response.status_code == 200
    text = page_text(response)
    assert REFUSED in text
    assert "3000万元 → 2000万元" in text
    assert form_data(response, "clause")["awards-0-amount_yuan"] == "2500"
    platform_award.refresh_from_db()
    assert platform_award.amount_yuan == 20_000_000

    again = li.post(url, submittable(response, "clause"))

    assert again.status_code == 302
    platform_award.refresh_from_db()
    assert platform_award.amount_yuan == 25_000_000


def test_a_clause_page_opened_before_an_award_change_cannot_revert_that_award(wang, li, platform_award):
    """Li only edits the clause text, but the page would post back the award as Li saw it."""
    clause = platform_award.clause
    li_form = submittable(li.get(clause_url(clause)), "clause")
    wang_form = submittable(wang.get(award_url(platform_award)), "award")
    wang_form["amount_yuan"] = "2000"
    assert wang.post(award_url(platform_award), wang_form).status_code == 302

    li_form["text"] = clause.text + "（李强核对）"
    response = li.post(clause_url(clause), li_form)

    assert response.status_code == 200
    assert "3000万元 → 2000万元" in page_text(response)
    platform_award.refresh_from_db()
    assert platform_award.amount_yuan == 20_000_000
    clause.refresh_from_db()
    assert "李强核对" not in clause.text


# --- every change page ------------------------------------------------------------------------


@pytest.mark.parametrize("model", [Policy, Pillar, Measure, Clause, Award])
def test_every_change_page_carries_the_version_it_was_opened_at(wang, small_policy, model):
    row = model.objects.order_by("pk").first()
    row.save()  # version 2
    name = model._meta.model_name

    data = form_data(wang.get(f"/admin/measures/{name}/{row.pk}/change/"), name)

    assert data["opened_version"] == "2"


def test_a_stale_measure_title_is_refused_too(wang, li, small_policy):
    measure = Measure.objects.get(policy=small_policy, number=1)
    url = f"/admin/measures/measure/{measure.pk}/change/"
    wang_form = submittable(wang.get(url), "measure")
    li_form = submittable(li.get(url), "measure")
    wang_form["title"] = "孵化器与加速器建设"
    assert wang.post(url, wang_form).status_code == 302

    li_form["title"] = "孵化载体建设"
    response = li.post(url, li_form)

    assert response.status_code == 200
    assert "孵化器建设 → 孵化器与加速器建设" in page_text(response)
    measure.refresh_from_db()
    assert measure.title == "孵化器与加速器建设"


def test_saving_locks_the_row_being_changed_where_the_database_can(wang, clause):
    data = submittable(wang.get(clause_url(clause)), "clause")
    data["text"] = WANG_TEXT

    with CaptureQueriesContext(connection) as queries:
        assert wang.post(clause_url(clause), data).status_code == 302

    locking = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    # SQLite locks the whole database for a write and has no row locks to ask for.
    assert bool(locking) == connection.features.has_select_for_update


def test_a_refused_award_save_says_at_the_top_who_saved_what_and_shows_only_the_saved_amount(wang, li, platform_award):
    url = award_url(platform_award)
    wang_form = submittable(wang.get(url), "award")
    li_form = submittable(li.get(url), "award")
    wang_form["amount_yuan"] = "2000"
    assert wang.post(url, wang_form).status_code == 302
    li_form["amount_yuan"] = "2500"
    text = page_text(li.post(url, li_form))

    top = text[text.index('class="messagelist"') : text.index('id="content-main"')]
    assert REFUSED in top and "王芳" in top
    assert "金额：3000万元 → 2000万元" in top
    for internal in ("listed", "公开可见", "（元）"):
        assert internal not in text
    # The refused 2500 is only in the field the editor typed it into, never in a heading.
    assert "2500万元" not in text
    assert form_data_value(text, "amount_yuan") == "2500"


def form_data_value(text, name):
    start = text.index(f'name="{name}"')
    tag = text[text.rindex("<", 0, start) : text.index(">", start)]
    return tag.split('value="')[1].split('"')[0]
