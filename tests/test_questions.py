"""政策问答: a question and its answer, published on the measure page by the editors (measures/domain/questions.py),
with its history; shown only when published, in the public history, and never with anything about who asked."""

import datetime

import pytest

from measures.domain import public_history
from measures.domain.models import BULK_REASON, Clause, Measure, PublicationStatus
from measures.domain.public_history import PublicChange, PublicState
from measures.domain.questions import QuestionAnswer
from measures.domain.revision import content_revision
from measures.editing import backup
from measures.public.alerts.sender import send_due
from tests.data import assert_derived_data_kept
from tests.html import between, page

DRAFT, PUBLISHED = PublicationStatus.DRAFT, PublicationStatus.PUBLISHED
MEASURE_1 = "/policies/test-policy/measures/1/"
QUESTION = "省级实验室能否申报？"
ANSWER = "本条所列奖补面向在厦门设立的孵化器。"


def save(row, reason, **values):
    """Save `row` as an editor does: with a reason for the history."""
    for name, value in values.items():
        setattr(row, name, value)
    row._change_reason = reason
    row.save()
    return row


def new_question(measure, status=PUBLISHED, **values):
    question = QuestionAnswer(
        measure=measure, question=values.pop("question", QUESTION), answer=ANSWER, status=status, **values
    )
    return save(question, "新增问答")


@pytest.fixture
def measure(small_policy):
    return Measure.objects.get(policy=small_policy, number=1)


def test_a_published_question_is_on_its_measure_page_after_the_clauses_with_its_date(client, measure):
    new_question(measure, answered_on=datetime.date(2026, 3, 2), clause=measure.clauses.get())
    html = page(client, MEASURE_1)
    section = between(html, 'id="questions"', "</section>")
    assert QUESTION in section and ANSWER in section
    assert 'datetime="2026-03-02"' in section
    assert 'href="#clause-1"' in section  # the paragraph it concerns
    assert html.index('id="clause-1"') < html.index('id="questions"')
    assert 'id="qa-1"' in section


def test_a_draft_question_is_not_on_the_page_and_moves_no_etag(client, measure):
    before = content_revision()
    new_question(measure, status=DRAFT)
    assert content_revision() == before
    html = page(client, MEASURE_1)
    assert QUESTION not in html and 'id="questions"' not in html


def test_a_published_question_on_a_draft_measure_is_never_shown(client, measure):
    save(measure, "撤回", status=DRAFT)
    new_question(measure)
    save(measure, "改标题", title="孵化器建设（草稿）")
    page(client, MEASURE_1, status=404)
    assert QUESTION not in page(client, "/changes/")


def test_publishing_a_question_is_a_public_change_of_its_measure(client, measure):
    question = new_question(measure, status=DRAFT)
    save(question, "草稿里改一改", answer="草稿答复（机密）")
    save(question, "审核发布", status=PUBLISHED, answer=ANSWER)
    entry = PublicChange.objects.get(subject="qa")
    assert (entry.kind, entry.measure_id, entry.reason) == (PublicChange.Kind.PUBLISHED, measure.pk, "审核发布")
    history = page(client, f"{MEASURE_1}history/")
    assert "政策问答" in history and QUESTION in history and "审核发布" in history
    changes = page(client, "/changes/")
    assert "政策问答" in changes and "审核发布" in changes
    feed = client.get("/changes/feed/").content.decode()
    assert "审核发布" in feed
    assert "机密" not in history + changes + feed


def test_an_edited_answer_is_shown_as_a_change_from_the_public_text(client, measure):
    question = new_question(measure)
    save(question, "补充答复", answer="本条所列奖补面向在厦门设立的孵化器和加速器。")
    entry = PublicChange.objects.filter(subject="qa").first()
    assert entry.kind == PublicChange.Kind.CHANGED
    assert entry.old_values["answer"] == ANSWER
    history = page(client, f"{MEASURE_1}history/")
    assert "补充答复" in history and "<ins" in between(history, "补充答复", "</li>") or "加速器" in history


def test_withdrawing_a_question_removes_it_and_says_so_without_its_text(client, measure):
    question = new_question(measure)
    save(question, "撤回问答", status=DRAFT, answer="新的答复（机密）")
    assert QUESTION not in page(client, MEASURE_1)
    entry = PublicChange.objects.filter(subject="qa").first()
    assert (entry.kind, entry.new_values) == (PublicChange.Kind.WITHDRAWN, {})
    assert "机密" not in page(client, f"{MEASURE_1}history/")


def test_questions_go_and_come_back_with_their_measure_folded_into_its_entry(measure):
    new_question(measure)
    save(measure, "撤回措施", status=DRAFT)
    state = PublicState.objects.get(subject="qa")
    assert not state.visible
    save(measure, "重新发布", status=PUBLISHED)
    assert PublicState.objects.get(subject="qa").visible
    assert list(PublicChange.objects.filter(subject="qa").values_list("kind", flat=True)) == ["created"]


def test_the_recorded_history_of_questions_is_the_same_when_replayed(measure):
    question = new_question(measure, status=DRAFT)
    save(question, "发布", status=PUBLISHED)
    save(question, "改答复", answer="另一答复")
    with public_history.batch():
        save(measure, "撤回", status=DRAFT)
        save(question, "撤回时改", answer="机密")
    save(measure, "重新发布", status=PUBLISHED)
    question.delete()

    def snapshot():
        entries = PublicChange.objects.order_by("date", "id").values_list(
            "kind", "subject", "object_id", "old_values", "new_values", "reason"
        )
        states = PublicState.objects.order_by("subject", "object_id").values_list(
            "subject", "object_id", "visible", "values"
        )
        return list(entries), list(states)

    recorded = snapshot()
    public_history.rebuild()
    assert snapshot() == recorded


def test_the_measure_as_it_stood_shows_the_questions_public_that_day(client, measure):
    question = new_question(measure)
    today = datetime.date.today().isoformat()
    assert QUESTION in page(client, f"{MEASURE_1}?as_of={today}")
    save(question, "撤回", status=DRAFT)
    assert QUESTION not in page(client, f"{MEASURE_1}?as_of={today}")


def test_a_visitors_question_becomes_a_draft_with_the_next_position_and_no_one_named(measure):
    new_question(measure)
    clause = measure.clauses.get()
    draft = QuestionAnswer.draft_from(measure=measure, question="是否适用于省级实验室？", clause=clause)
    assert (draft.pk, draft.status, draft.position, draft.answer, draft.clause) == (None, DRAFT, 2, "", clause)
    personal = {"email", "name", "address", "phone"}
    assert not personal & {field.name for field in QuestionAnswer._meta.get_fields()}


def test_a_question_may_only_concern_a_paragraph_of_its_own_measure(measure, small_policy):
    other = Clause.objects.create(
        measure=Measure.objects.get(policy=small_policy, number=2), position=1, text="平台", source_url="https://e.org"
    )
    question = QuestionAnswer(measure=measure, clause=other, question="问", answer="答")
    with pytest.raises(Exception, match="所属措施"):
        question.full_clean()


# The admin


def add_form(measure, **values):
    return {
        "measure": measure.pk,
        "clause": "",
        "position": 1,
        "question": QUESTION,
        "answer": ANSWER,
        "answered_on": "2026-03-02",
        "status": PUBLISHED,
        "change_reason": "新增问答",
        **values,
    }


def test_an_editor_adds_a_question_as_a_draft_with_a_reason(editor_client, measure):
    url = "/admin/measures/questionanswer/add/"
    response = editor_client.post(url, add_form(measure, change_reason=""))
    assert response.status_code == 200 and not QuestionAnswer.objects.exists()  # the reason is required
    editor_client.post(url, add_form(measure))
    question = QuestionAnswer.objects.get()
    assert question.status == DRAFT  # only a reviewer publishes
    assert question.history.get().history_change_reason == "新增问答"


def test_the_add_form_can_be_prefilled_from_a_visitors_question(editor_client, measure):
    new_question(measure)
    html = page(editor_client, f"/admin/measures/questionanswer/add/?measure={measure.pk}&question=能否申报")
    assert "能否申报" in html
    assert 'name="position" value="2"' in html  # the next free place in the measure's list
    page(editor_client, "/admin/measures/questionanswer/add/?measure=abc")  # not a measure: no prefill, no error


def test_a_reviewer_finds_the_draft_questions_on_the_start_page_and_publishes_one(reviewer_client, measure):
    question = new_question(measure, status=DRAFT)
    new_question(measure, position=2, question="已发布的问答不在待发布之列？")
    url = f"/admin/measures/questionanswer/{question.pk}/change/"
    waiting = between(page(reviewer_client, "/admin/"), 'id="start-questions"', "</div>")
    assert "待发布的政策问答（草稿）（1）" in waiting
    assert f'<a href="{url}">问答1：{QUESTION}</a>' in waiting
    assert "已发布的问答" not in waiting
    form = add_form(measure, change_reason="审核通过", opened_version=question.version)
    response = reviewer_client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    question.refresh_from_db()
    assert question.status == PUBLISHED
    assert PublicChange.objects.filter(subject="qa").order_by("-id").first().reason == "审核通过"
    assert "没有待发布的问答。" in page(reviewer_client, "/admin/")


# The API and the downloads


def test_the_api_lists_published_questions_only_with_no_one_named(client, measure):
    new_question(measure, clause=measure.clauses.get())
    new_question(measure, status=DRAFT, question="草稿问题？", position=2)
    body = client.get("/api/v1/questions/", {"policy": "test-policy", "measure": 1}).json()
    assert body["count"] == 1
    (item,) = body["results"]
    assert (item["question"], item["answer"], item["clause"], item["measure"]) == (QUESTION, ANSWER, 1, 1)
    assert item["url"].endswith(f"{MEASURE_1}#qa-1")
    assert not {"email", "name", "status", "history"} & set(item)
    draft = QuestionAnswer.objects.get(status=DRAFT)
    assert client.get(f"/api/v1/questions/{draft.pk}/").status_code == 404


def test_the_downloads_hold_published_questions_in_csv_and_json(client, measure):
    new_question(measure, answered_on=datetime.date(2026, 3, 2))
    new_question(measure, status=DRAFT, question="草稿问题？", position=2)
    rows = client.get("/downloads/questions.json").json()["rows"]
    assert [(r["question"], r["answered_on"], r["measure_number"]) for r in rows] == [(QUESTION, "2026-03-02", 1)]
    text = client.get("/downloads/questions.csv").content.decode("utf-8-sig")
    assert QUESTION in text and "草稿问题" not in text and "答复日期" in text.splitlines()[0]
    package = client.get("/downloads/datapackage.json").json()
    assert {"questions-csv", "questions-json"} <= {r["name"] for r in package["resources"]}
    assert "政策问答" in page(client, "/downloads/")


# Search


def test_search_finds_a_published_questions_words_and_links_to_it_on_the_measure_page(client, measure):
    new_question(measure)
    new_question(measure, status=DRAFT, question="草稿里的机密问题？", position=2)
    html = page(client, "/search/?q=省级实验室")
    section = between(html, 'id="search-questions"', "</section>")
    assert f'href="{MEASURE_1}#qa-1"' in section
    assert "<mark>省级实验室</mark>" in section
    assert 'id="search-questions"' not in page(client, "/search/?q=机密")
    # A 问答 has no awards: an amount is looked for in its text as written.
    assert 'id="search-questions"' not in page(client, "/search/?q=省级实验室+500万")


def test_search_finds_a_question_by_a_word_in_its_answer_only_when_every_term_is_held(client, measure):
    new_question(measure)
    assert "qa-1" in page(client, "/search/?q=厦门+孵化器")
    assert "qa-1" not in page(client, "/search/?q=厦门+金砖")


# E-mail alerts


def test_a_measures_followers_are_mailed_a_published_question_and_never_a_draft(measure, follower, mailoutbox):
    follower(measure)
    question = new_question(measure, status=DRAFT, question="草稿问题（机密）？")
    assert send_due().mails == 0
    save(question, "审核发布", status=PUBLISHED, question=QUESTION)
    assert send_due().mails == 1
    (message,) = mailoutbox
    assert "发布" in message.subject and QUESTION in message.subject
    assert "政策问答" in message.body and "机密" not in message.subject + message.body


# Every way of writing a 问答 reaches the next page and is recorded


def test_a_queryset_update_of_a_question_reaches_the_cached_page_and_its_history(client, measure):
    question = new_question(measure)
    assert ANSWER in page(client, MEASURE_1)  # now in the page cache
    QuestionAnswer.objects.filter(pk=question.pk).update(answer="批量改过的答复。")
    assert "批量改过的答复。" in page(client, MEASURE_1)
    assert question.history.first().history_change_reason == BULK_REASON
    assert PublicChange.objects.filter(subject="qa", kind=PublicChange.Kind.CHANGED, reason=BULK_REASON).exists()
    assert_derived_data_kept()


def test_a_questions_bulk_create_is_recorded_and_public_at_once(client, measure):
    page(client, MEASURE_1)
    QuestionAnswer.objects.bulk_create(
        [QuestionAnswer(measure=measure, question=QUESTION, answer=ANSWER, status=PUBLISHED)]
    )
    assert QUESTION in page(client, MEASURE_1)
    assert PublicChange.objects.filter(subject="qa", kind=PublicChange.Kind.CREATED).exists()
    assert_derived_data_kept()


def test_a_draft_measures_preview_shows_the_questions_that_will_go_public_with_it(editor_client, measure):
    save(measure, "撤回", status=DRAFT)
    new_question(measure)
    new_question(measure, status=DRAFT, question="仍是草稿的问题？", position=2)
    html = page(editor_client, f"/preview/measures/{measure.pk}/")
    assert QUESTION in html and "仍是草稿的问题？" not in html


def test_a_backup_keeps_the_questions_and_their_history(measure):
    question = new_question(measure)
    save(question, "补充答复", answer="补充后的答复。")
    models = backup.backed_up_models()
    assert {QuestionAnswer, QuestionAnswer.history.model} <= set(models)
    saved = backup.export_content()
    assert "补充后的答复。" in saved and "补充答复" in saved


def test_the_admin_history_page_shows_each_version_with_its_reason(editor_client, measure):
    question = new_question(measure)
    save(question, "补充答复", answer="补充后的答复。")
    html = page(editor_client, f"/admin/measures/questionanswer/{question.pk}/history/")
    assert "补充答复" in html and "新增问答" in html and "<ins>充后</ins>" in html
