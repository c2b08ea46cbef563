"""An editor's preview of a draft: the measure page as it will be once the draft is published, for
editors only, never cached, never indexed."""

import pytest
from django.contrib.auth.models import User

from measures.domain.models import Award, Clause, Measure, PublicationStatus
from measures.editing.publishing import start_draft_of_change
from tests.html import amount_html, between


@pytest.fixture
def clause(real_policy):
    return Clause.objects.get(measure__policy=real_policy, measure__number=3, position=1)


@pytest.fixture
def draft(clause, editor):
    """A draft of measure 3's first clause: new wording, its 100万元 award raised to 120万元."""
    draft = start_draft_of_change(clause, editor)
    draft.text = "预览中的新措辞。" + draft.text
    draft.save()
    copy = draft.awards.get(draft_of__position=2)
    copy.amount_yuan = 1_200_000
    copy.save()
    return draft


def preview(client, draft):
    return client.get(f"/preview/{type(draft)._meta.model_name}s/{draft.pk}/")


def test_an_editor_sees_a_draft_of_a_change_as_its_measure_page_will_be(editor_client, draft):
    response = preview(editor_client, draft)

    assert response.status_code == 200
    html = response.content.decode()
    section = between(html, 'id="clause-1"', "</section>")
    assert "预览中的新措辞。" in section
    assert amount_html("最高120万元") in section and amount_html("最高100万元") not in section
    assert html.count('id="clause-1"') == 1
    assert "草稿预览" in html
    # Laid out as the public page: the same template, from the breadcrumb to the links to the next measures.
    public = editor_client.get("/policies/kjcx-2025/measures/3/").content.decode()
    for start, end in (('<nav class="breadcrumb"', "</nav>"), ('<nav class="pager"', "</nav>")):
        assert between(public, start, end) == between(html, start, end)


def test_a_preview_is_never_cached_nor_indexed(editor_client, draft):
    response = preview(editor_client, draft)

    cache_control = response.headers["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control
    assert "noindex" in response.headers["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
    assert "ETag" not in response.headers
    # A draft saved again moves no public revision: a page kept under it would show the old draft.
    copy = draft.awards.get(draft_of__position=2)
    copy.amount_yuan = 1_300_000
    copy.save()
    assert amount_html("最高130万元") in preview(editor_client, draft).content.decode()


def test_a_draft_measure_is_previewed_with_its_draft_clauses_and_awards(editor_client, real_policy):
    measure = Measure.objects.create(
        policy=real_policy, pillar=real_policy.pillars.get(number=3), number=7, title="预览措施", status="draft"
    )
    clause = Clause.objects.create(
        measure=measure,
        position=1,
        text="预览措施的第一段。",
        provenance=Clause.Provenance.POLICY_TEXT,
        source_url="https://example.org/7",
        status=PublicationStatus.DRAFT,
    )
    Award.objects.create(
        clause=clause,
        amount_yuan=7_770_000,
        limit=Award.Limit.EXACT,
        recurrence=Award.Recurrence.ONCE,
        nature=Award.Nature.REWARD,
        recipient="企业",
        source_phrase="给予一次性777万元奖励",
        status=PublicationStatus.DRAFT,
    )

    html = preview(editor_client, measure).content.decode()

    assert "预览措施" in html and "预览措施的第一段。" in html and amount_html("一次性777万元") in html
    assert editor_client.get("/policies/kjcx-2025/measures/7/").status_code == 404  # still pending to the public


def test_a_draft_award_is_previewed_on_its_clause(editor_client, clause):
    award = Award.objects.create(
        clause=clause,
        position=9,
        amount_yuan=8_880_000,
        limit=Award.Limit.CEILING,
        recurrence=Award.Recurrence.UNSPECIFIED,
        nature=Award.Nature.SUPPORT,
        recipient="草稿奖补对象",
        source_phrase="最高888万元",
        status=PublicationStatus.DRAFT,
    )

    html = preview(editor_client, award).content.decode()

    assert amount_html("最高888万元") in between(html, 'id="clause-1"', "</section>")


def test_a_visitor_is_sent_to_the_login_page(client, draft):
    response = preview(client, draft)

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login/?next=/preview/clauses/")


def test_staff_without_the_permission_to_view_clauses_are_refused(client, draft):
    client.force_login(User.objects.create_user("clerk", password="clerk-password-1", is_staff=True))

    assert preview(client, draft).status_code == 403


def test_a_published_row_has_no_preview(editor_client, clause):
    assert preview(editor_client, clause).status_code == 404
    assert editor_client.get("/preview/clauses/999999/").status_code == 404


def test_a_drafts_admin_page_links_to_its_preview(editor_client, draft):
    html = editor_client.get(f"/admin/measures/clause/{draft.pk}/change/").content.decode()

    assert f'href="/preview/clauses/{draft.pk}/"' in html
