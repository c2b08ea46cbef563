"""Nothing that was never public reaches a public surface, the change history included.

Each story makes changes the public must never see (a withdrawn clause's awards, a measure's text
while it was withdrawn, a draft's text before a move), then reads every public surface in both
languages — pages, history pages, /changes/, the feed, the API, the downloads, search, the sitemap
and ?as_of= — and looks for the secret strings. A random sequence of publish / withdraw / edit /
move / delete on a small policy checks the same after every step, and that replaying the history
gives the public history the site recorded as it went.
"""

import random
import re

import pytest
from django.utils import timezone

from measures.domain import public_history
from measures.domain.models import Award, Clause, Measure, Pillar, Policy, PublicationStatus
from measures.domain.public_history import PublicChange, PublicState
from measures.domain.questions import QuestionAnswer
from tests.html import between, page

DRAFT, PUBLISHED = PublicationStatus.DRAFT, PublicationStatus.PUBLISHED
SECRET = "机密"  # every string the public must never see contains it
SECRET_AMOUNT = 77_743_210  # 7774.321万元


def save(row, reason, **values):
    """Save `row` as an editor does: with a reason for the history."""
    for name, value in values.items():
        setattr(row, name, value)
    row._change_reason = reason
    row.save()
    return row


def public_urls(policies) -> list[str]:
    today = timezone.localdate().isoformat()
    urls = ["/", "/changes/", "/changes/feed/", "/awards/", "/awards/export.csv", "/sitemap.xml", "/downloads/"]
    urls += [f"/downloads/{name}.{fmt}" for name in ("awards", "clauses", "questions") for fmt in ("csv", "json")]
    urls += [f"/api/v1/{name}/" for name in ("policies", "pillars", "measures", "clauses", "awards", "questions")]
    urls += ["/search/?q=7774.321", "/awards/?min=7000&max=8000"]
    for policy in policies:
        base = f"/policies/{policy.slug}/"
        urls.append(base)
        urls += [f"{base}pillars/{n}/" for n in range(1, 5)]
        for number in measure_numbers(policy):
            urls += [f"{base}measures/{number}/", f"{base}measures/{number}/history/"]
            urls.append(f"{base}measures/{number}/?as_of={today}")
    return urls


def measure_numbers(policy) -> list[int]:
    """The numbers of the policy's measures that exist or ever existed. The page of a number that never
    had a measure (in any state) shows the policy's name and the number, and nothing a story wrote."""
    numbers = Measure.history.filter(policy_id=policy.pk).values_list("number", flat=True)
    return sorted(set(numbers) | set(policy.measures.values_list("number", flat=True)))


def public_text(client, policies=None) -> str:
    """Every public surface of these policies (all of them by default), in Chinese and in English."""
    policies = list(policies or Policy.objects.all())
    bodies = []
    for language in ("zh-hans", "en"):
        client.cookies["django_language"] = language
        for url in public_urls(policies):
            response = client.get(url)
            assert response.status_code < 500, url
            bodies.append(response.content.decode())
    client.cookies.pop("django_language")
    return "\n".join(bodies)


def assert_never_public(client, *secrets):
    text = public_text(client)
    for secret in (SECRET, str(SECRET_AMOUNT), *secrets):
        assert secret not in text, secret
    # Search says what it was asked: look at its results, not at the question repeated.
    for secret in (SECRET, *secrets):
        assert client.get("/api/v1/search/", {"q": secret}).json()["count"] == 0, secret
        assert "<mark>" not in page(client, f"/search/?q={secret}"), secret


@pytest.fixture
def second_clause(real_policy):
    """Measure 2's second paragraph, which holds the one-off 3000万元 award."""
    return Clause.objects.get(measure__policy=real_policy, measure__number=2, position=2)


def history(client, policy_slug, number):
    return page(client, f"/policies/{policy_slug}/measures/{number}/history/")


# A. Changes made on a withdrawn clause


def test_changes_to_a_withdrawn_clause_and_its_awards_are_never_published(client, second_clause):
    save(second_clause, "暂时撤回第2段", status=DRAFT)
    award = second_clause.awards.get()
    save(award, f"{SECRET}原因：改金额", amount_yuan=SECRET_AMOUNT, recipient=f"{SECRET}新的支持对象")
    Award.objects.create(
        clause=second_clause,
        position=2,
        amount_yuan=SECRET_AMOUNT,
        limit=Award.Limit.CEILING,
        recurrence=Award.Recurrence.ONCE,
        nature=Award.Nature.REWARD,
        recipient=f"{SECRET}另一支持对象",
        source_phrase=f"{SECRET}原文",
    )
    assert_never_public(client)
    withdrawn = between(history(client, "kjcx-2025", 2), 'class="change change--withdrawn"', "</li>")
    assert "暂时撤回第2段" in withdrawn


def test_a_republished_clause_appears_with_its_awards_as_they_are_then(client, second_clause):
    save(second_clause, "暂时撤回第2段", status=DRAFT)
    save(second_clause.awards.get(), f"{SECRET}的中间修改", recipient=f"{SECRET}中间的支持对象")
    save(second_clause.awards.get(), "定稿", recipient="国家级创新平台（定稿）")
    save(second_clause, "重新发布第2段", status=PUBLISHED)
    assert_never_public(client)
    html = history(client, "kjcx-2025", 2)
    assert "重新发布第2段" in between(html, 'class="change change--published"', "</li>")
    assert "国家级创新平台（定稿）" in page(client, "/policies/kjcx-2025/measures/2/")


# B. Edits made while a measure was withdrawn


def test_edits_made_while_a_measure_was_withdrawn_stay_unpublished_when_it_is_republished(client, real_policy):
    measure = Measure.objects.get(policy=real_policy, number=5)
    clause = measure.clauses.get()
    save(measure, "撤回第5条", status=DRAFT)
    save(clause, f"{SECRET}中间原因", text=f"{SECRET}中间文本")
    save(clause, "定稿原因不公开也无妨", text="重新发布时的公开文本")
    save(measure, "重新发布第5条", status=PUBLISHED)
    assert_never_public(client, "定稿原因不公开也无妨")
    html = history(client, "kjcx-2025", 5)
    assert "撤回第5条" in between(html, 'class="change change--withdrawn"', "</li>")
    assert "重新发布第5条" in between(html, 'class="change change--published"', "</li>")
    assert "重新发布时的公开文本" in page(client, "/policies/kjcx-2025/measures/5/")


def test_a_later_edit_is_compared_with_what_the_public_saw_not_with_a_withdrawn_draft(client, real_policy):
    measure = Measure.objects.get(policy=real_policy, number=5)
    clause = measure.clauses.get()
    save(measure, "撤回第5条", status=DRAFT)
    save(clause, "撤回期间", text="甲乙丙丁")
    save(measure, "重新发布第5条", status=PUBLISHED)
    save(clause, "公开修改", text="甲乙丙丁戊")
    change = between(history(client, "kjcx-2025", 5), "公开修改", "</li>")
    assert "甲乙丙丁<ins>戊</ins>" in change


# C. Moving a row out of a draft context


@pytest.fixture
def draft_measure(real_policy):
    """A new measure 7 being prepared as a draft, with a clause and an award."""
    measure = Measure.objects.create(
        policy=real_policy,
        pillar=Pillar.objects.get(policy=real_policy, number=3),
        number=7,
        title="草稿措施",
        status=DRAFT,
    )
    clause = Clause.objects.create(
        measure=measure,
        position=1,
        text=f"草稿措施条款{SECRET}文本",
        provenance=Clause.Provenance.POLICY_TEXT,
        source_url="https://example.org/7",
    )
    Award.objects.create(
        clause=clause,
        amount_yuan=SECRET_AMOUNT,
        limit=Award.Limit.EXACT,
        recurrence=Award.Recurrence.ONCE,
        nature=Award.Nature.REWARD,
        recipient=f"{SECRET}草稿中的支持对象",
        source_phrase=f"{SECRET}草稿原文",
    )
    return measure


def test_a_clause_moved_out_of_a_draft_measure_appears_with_its_new_text_only(client, real_policy, draft_measure):
    clause = draft_measure.clauses.get()
    target = Measure.objects.get(policy=real_policy, number=4)
    with public_history.batch():
        save(clause, "移入第4条", measure=target, position=2, text="移动后公开文本")
        save(
            clause.awards.get(), "随条款移动", amount_yuan=1_000_000, recipient="移动后的支持对象", source_phrase="原文"
        )
    assert_never_public(client)
    html = history(client, "kjcx-2025", 4)
    entry = html[html.rindex("<li", 0, html.index("移入第4条")) :]
    assert entry.startswith('<li class="change change--published"')
    assert "移动后公开文本" in between(between(entry, "<li", "</li>"), "change__summary", "</p>")


def test_an_award_moved_from_a_draft_clause_appears_with_its_values_then(client, real_policy, draft_measure):
    award = draft_measure.clauses.get().awards.get()
    target = Clause.objects.get(measure__policy=real_policy, measure__number=6, position=1)
    values = dict(amount_yuan=2_000_000, recipient="公开的支持对象", source_phrase="公开的原文")
    save(award, "移入第6条", clause=target, position=9, **values)
    assert_never_public(client)
    entry = between(history(client, "kjcx-2025", 6), 'class="change change--published"', "</li>")
    assert "公开的支持对象" in entry


def test_an_award_created_while_its_clause_sat_in_a_draft_measure_is_not_dated_then(client, real_policy, draft_measure):
    clause = draft_measure.clauses.get()
    save(clause, "定稿", text="第7条公开的条款")
    save(clause.awards.get(), "定稿", amount_yuan=1_000_000, recipient="第7条的支持对象", source_phrase="原文")
    assert not PublicChange.objects.filter(measure_id=draft_measure.pk).exists()
    save(draft_measure, "发布第7条", status=PUBLISHED)
    assert_never_public(client)
    entries = PublicChange.objects.filter(measure_id=draft_measure.pk)
    assert [(e.subject, e.kind) for e in entries] == [("measure", PublicChange.Kind.PUBLISHED)]


# Withdrawal, deletion and moves between public places


def test_a_withdrawal_shows_no_content_saved_with_it(client, real_policy):
    measure = Measure.objects.get(policy=real_policy, number=3)
    save(measure, "撤回第3条", status=DRAFT, title=f"{SECRET}的新标题")
    assert_never_public(client)
    html = history(client, "kjcx-2025", 3)
    assert "撤回第3条" in between(html, 'class="change change--withdrawn"', "</li>")
    assert "拓展科技交流合作平台" in html  # the title the public knew


def test_a_deleted_clause_is_listed_with_its_last_public_text_and_a_deleted_draft_not_at_all(client, draft_measure):
    public = Clause.objects.get(measure__policy=draft_measure.policy, measure__number=1, position=1)
    public_text_before = public.text
    public._change_reason = "删除第1条第1段"
    public.delete()
    draft_clause = draft_measure.clauses.get()
    draft_clause.awards.get().delete()
    draft_clause.delete()
    assert_never_public(client)
    entry = between(history(client, "kjcx-2025", 1), 'class="change change--deleted"', "</li>")
    assert "删除第1条第1段" in entry
    assert public_text_before[:20] in entry


def test_a_clause_moved_between_published_measures_is_listed_on_both_with_where_it_went(client, real_policy):
    clause = Clause.objects.get(measure__policy=real_policy, measure__number=5, position=1)
    save(clause, "调整归属", measure=Measure.objects.get(policy=real_policy, number=4), position=2)
    for number in (4, 5):
        entry = between(history(client, "kjcx-2025", number), "调整归属", "</li>")
        assert "第<del>5</del><ins>4</ins>条" in entry


def test_a_clause_moved_to_another_policy_through_a_draft_shows_only_public_text(client, real_policy, small_policy):
    clause = Clause.objects.get(measure__policy=real_policy, measure__number=5, position=1)
    hidden = Measure.objects.get(policy=small_policy, number=3)
    save(hidden, "撤回", status=DRAFT)
    save(clause, "移到另一政策的草稿措施", measure=hidden, position=1)
    save(clause, f"{SECRET}修改", text=f"{SECRET}在草稿中改写")
    save(
        clause, "移入公开措施", measure=Measure.objects.get(policy=small_policy, number=2), position=1, text="公开文本"
    )
    assert_never_public(client)
    assert "移到另一政策的草稿措施" in between(history(client, "kjcx-2025", 5), 'change--withdrawn"', "</li>")
    assert "公开文本" in between(history(client, "test-policy", 2), 'change--published"', "</li>")


def test_a_form_that_publishes_a_measure_and_edits_its_clause_never_shows_the_old_text(client, draft_measure):
    clause = draft_measure.clauses.get()
    with public_history.batch():
        save(draft_measure, "发布第7条", status=PUBLISHED)
        save(clause, "定稿", text="第7条的公开文本")
        save(clause.awards.get(), "定稿", amount_yuan=1_000_000, recipient="公开对象", source_phrase="原文")
    assert_never_public(client)
    assert "第7条的公开文本" in history(client, "kjcx-2025", 7)


def test_the_public_history_is_the_same_when_replayed(client, second_clause, draft_measure):
    save(second_clause, "撤回", status=DRAFT)
    save(second_clause.awards.get(), f"{SECRET}", recipient=f"{SECRET}对象")
    with public_history.batch():
        save(draft_measure, "发布第7条", status=PUBLISHED)
        save(draft_measure.clauses.get(), "定稿", text="公开")
    recorded = snapshot()
    public_history.rebuild()
    assert snapshot() == recorded


def snapshot():
    entries = PublicChange.objects.order_by("date", "subject", "object_id").values_list(
        "kind", "subject", "object_id", "measure_id", "clause_position", "old_values", "new_values", "reason"
    )
    states = PublicState.objects.order_by("subject", "object_id").values_list(
        "subject", "object_id", "visible", "values", "measure_id", "clause_position"
    )
    return list(entries), list(states)


# F. 政策问答


def test_a_draft_question_and_edits_to_a_withdrawn_one_are_never_published(client, real_policy):
    measure = Measure.objects.get(policy=real_policy, number=3)
    save(QuestionAnswer.draft_from(measure=measure, question=f"{SECRET}问题？"), "草稿", answer=f"{SECRET}答复")
    published = QuestionAnswer.draft_from(measure=measure, question="公开的问题？")
    save(published, "发布", answer="公开的答复。", status=PUBLISHED)
    save(published, "撤回", status=DRAFT)
    save(published, "撤回后改", answer=f"{SECRET}新答复")
    assert_never_public(client)
    assert "公开的问题？" in history(client, "kjcx-2025", 3)  # what was public stays in the history


# Random sequences


TOKEN = re.compile(r"令牌\d{4}")


class Editor:
    """Random publish / withdraw / edit / move / delete steps on the small policy, each step's new
    strings made unique ('令牌0007') so that the public surfaces can be searched for them."""

    def __init__(self, policy, seed):
        self.policy = policy
        self.random = random.Random(seed)
        self.count = 0

    def token(self):
        self.count += 1
        return f"令牌{self.count:04d}"

    def reason(self):
        self.count += 1
        return f"说明{self.count:04d}"

    def pick(self, queryset):
        rows = list(queryset.order_by("pk"))
        return self.random.choice(rows) if rows else None

    def step(self):
        action = self.random.choice(
            [self.edit_text, self.edit_title, self.edit_award, self.toggle, self.toggle, self.move_clause]
            + [self.move_award, self.add_clause, self.add_award, self.delete_award, self.delete_clause, self.batch]
            + [self.add_question, self.edit_question, self.move_question, self.delete_question]
        )
        action()

    def measures(self):
        return Measure.objects.filter(policy=self.policy)

    def clauses(self):
        return Clause.objects.filter(measure__policy=self.policy)

    def awards(self):
        return Award.objects.filter(clause__measure__policy=self.policy)

    def questions(self):
        return QuestionAnswer.objects.filter(measure__policy=self.policy)

    def edit_text(self):
        if clause := self.pick(self.clauses()):
            save(clause, self.reason(), text=f"条款{self.token()}")

    def edit_title(self):
        measure = self.pick(self.measures())
        save(measure, self.reason(), title=f"措施{self.token()}")

    def edit_award(self):
        if award := self.pick(self.awards()):
            save(award, self.reason(), recipient=f"对象{self.token()}")

    def toggle(self):
        model = self.random.choice([Measure, Clause, Award, QuestionAnswer])
        rows = {
            Measure: self.measures(),
            Clause: self.clauses(),
            Award: self.awards(),
            QuestionAnswer: self.questions(),
        }
        row = self.pick(rows[model])
        if row is not None:
            save(row, self.reason(), status=DRAFT if row.status == PUBLISHED else PUBLISHED)

    def move_clause(self):
        clause, measure = self.pick(self.clauses()), self.pick(self.measures())
        if clause and measure != clause.measure:
            position = max([0, *measure.clauses.values_list("position", flat=True)]) + 1
            save(clause, self.reason(), measure=measure, position=position, text=f"移动{self.token()}")

    def move_award(self):
        award, clause = self.pick(self.awards()), self.pick(self.clauses())
        if award and clause and clause != award.clause:
            position = max([0, *clause.awards.values_list("position", flat=True)]) + 1
            save(award, self.reason(), clause=clause, position=position, recipient=f"移动{self.token()}")

    def add_clause(self):
        measure = self.pick(self.measures())
        save(
            Clause(
                measure=measure,
                position=max([0, *measure.clauses.values_list("position", flat=True)]) + 1,
                text=f"新条款{self.token()}",
                provenance=Clause.Provenance.POLICY_TEXT,
                source_url="https://example.org/",
                status=self.random.choice([DRAFT, PUBLISHED]),
            ),
            self.reason(),
        )

    def add_award(self):
        if clause := self.pick(self.clauses()):
            save(
                Award(
                    clause=clause,
                    position=max([0, *clause.awards.values_list("position", flat=True)]) + 1,
                    amount_yuan=self.random.randrange(1, 1000) * 10_000,
                    limit=Award.Limit.CEILING,
                    recurrence=Award.Recurrence.ONCE,
                    nature=Award.Nature.REWARD,
                    recipient=f"新对象{self.token()}",
                    source_phrase="原文",
                    status=self.random.choice([DRAFT, PUBLISHED]),
                ),
                self.reason(),
            )

    def delete_award(self):
        if award := self.pick(self.awards()):
            award._change_reason = self.reason()
            award.delete()

    def delete_clause(self):
        if clause := self.pick(self.clauses().filter(awards__isnull=True)):
            clause._change_reason = self.reason()
            clause.delete()

    def add_question(self):
        measure = self.pick(self.measures())
        question = QuestionAnswer.draft_from(measure=measure, question=f"问题{self.token()}")
        question.answer = f"答复{self.token()}"
        question.status = self.random.choice([DRAFT, PUBLISHED])
        save(question, self.reason())

    def edit_question(self):
        if question := self.pick(self.questions()):
            save(question, self.reason(), answer=f"答复{self.token()}")

    def move_question(self):
        question, measure = self.pick(self.questions()), self.pick(self.measures())
        if question and measure != question.measure:
            position = QuestionAnswer.draft_from(measure=measure, question="").position
            save(question, self.reason(), measure=measure, position=position, question=f"移动{self.token()}")

    def delete_question(self):
        if question := self.pick(self.questions()):
            question._change_reason = self.reason()
            question.delete()

    def batch(self):
        """One form: a measure's status flipped and one of its clauses rewritten."""
        measure = self.pick(self.measures())
        with public_history.batch():
            save(measure, self.reason(), status=DRAFT if measure.status == PUBLISHED else PUBLISHED)
            if clause := self.pick(measure.clauses.all()):
                save(clause, self.reason(), text=f"同批{self.token()}")


def visible_tokens() -> set[str]:
    """What the public sees now, by the QuerySets the public pages use (an oracle apart from the
    public history's own rule)."""
    texts = [m.title for m in Measure.objects.published()]
    texts += [c.text for c in Clause.objects.published()]
    texts += [a.recipient for a in Award.objects.published()]
    texts += [f"{q.question} {q.answer}" for q in QuestionAnswer.objects.published()]
    return {token for text in texts for token in TOKEN.findall(text)}


def history_surfaces(client, policy) -> str:
    urls = ["/changes/", "/changes/feed/", "/api/v1/clauses/", "/api/v1/awards/", "/api/v1/questions/"]
    today = timezone.localdate().isoformat()
    for number in range(1, policy.declared_measure_count + 1):
        base = f"/policies/{policy.slug}/measures/{number}/"
        urls += [base, f"{base}history/", f"{base}?as_of={today}"]
    return "\n".join(client.get(url).content.decode() for url in urls)


# A property test, as Hypothesis's are: seeded random edits, the invariant checked after each.
@pytest.mark.property
@pytest.mark.parametrize("seed", [1, 2])
def test_random_edits_never_show_what_was_not_public_at_the_time(client, small_policy, seed):
    editor = Editor(small_policy, seed)
    ever_public = visible_tokens()
    for _ in range(25):
        editor.step()
        ever_public |= visible_tokens()
        shown = set(TOKEN.findall(history_surfaces(client, small_policy)))
        assert shown <= ever_public, editor.count
    recorded = snapshot()
    public_history.rebuild()
    assert snapshot() == recorded
