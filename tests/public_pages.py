"""Every public page the site answers with, and the state each needs, in the order a reader meets them:
read by the checks that go over every page (tests/test_html_validity.py, tests/test_language_of_parts.py).
A page that a new feature adds goes into PAGES below."""

import contextlib
import datetime
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from unittest import mock

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import OperationalError, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client, override_settings
from django.utils import timezone

from measures.domain.documents import RelatedDocument
from measures.domain.models import Award, Clause, Measure, Pillar, Policy, PolicySource, PublicationStatus
from measures.domain.questions import QuestionAnswer
from measures.domain.review import DraftReview, ReviewState

MEASURE = "/policies/kjcx-2025/measures/2/"


@contextlib.contextmanager
def rate_limited():
    """A search allowance of one a minute: the second search is the 429 page."""
    cache.clear()  # no count left from an earlier search
    with override_settings(SEARCH_RATE_LIMIT=(1, 60)):
        yield


@contextlib.contextmanager
def database_down():
    """Every use of the database fails as it does when the server is down: the 503 page."""
    error = OperationalError("connection failed: Connection refused")
    with mock.patch.object(BaseDatabaseWrapper, "ensure_connection", side_effect=error):
        yield


class _Undo(Exception):
    pass


@contextlib.contextmanager
def nothing_published_yet():
    """No policy at all, as on a new site (the home page says so), undone afterwards."""
    try:
        with transaction.atomic():
            for model in (RelatedDocument, Award, Clause, Measure, Pillar, PolicySource, Policy):
                model.objects.all().delete()
            cache.clear()
            yield
            raise _Undo
    except _Undo:
        cache.clear()  # nothing rendered from the empty site is served afterwards


def check_expire_and_schedule(measure, checked_on):
    """The measure checked against its sources on `checked_on`, its policy in its last months in force
    and a reviewed change scheduled on its first clause (tomorrow)."""
    today = timezone.localdate()
    Measure.objects.filter(pk=measure.pk).update(checked_on=checked_on)
    Policy.objects.filter(pk=measure.policy_id).update(
        validity_years=1, effective_date=today.replace(year=today.year - 1) + datetime.timedelta(days=30)
    )
    DraftReview.objects.create(
        content_type=ContentType.objects.get_for_model(Clause),
        object_id=measure.clauses.first().pk,
        subject="修改草稿",
        state=ReviewState.SCHEDULED,
        reason="校对",
        fingerprint="-",
        publish_at=timezone.now() + datetime.timedelta(days=1),
    )


@contextlib.contextmanager
def checked_expiring_and_scheduled():
    """The measure checked against its sources, a change scheduled on it (已知的后续变化) and its policy
    in its last months (将于…失效), undone afterwards."""
    try:
        with transaction.atomic():
            measure = Measure.objects.get(policy__slug="kjcx-2025", number=2)
            check_expire_and_schedule(measure, checked_on=timezone.localdate())
            cache.clear()
            yield
            raise _Undo
    except _Undo:
        cache.clear()


@contextlib.contextmanager
def with_a_question():
    """A published 政策问答 on the measure, concerning its first paragraph, published as a draft and then
    edited (the page's 政策问答 section, and its entries in the history), undone afterwards. Test wording,
    marked as such: it is never a page of the real site."""
    try:
        with transaction.atomic():
            measure = Measure.objects.get(policy__slug="kjcx-2025", number=2)
            question = QuestionAnswer(
                measure=measure,
                clause=measure.clauses.order_by("position").first(),
                question="（测试问题）本条的申报时间在哪里公布？",
                answer="（测试答复）第一行。\n第二行。",
                status=PublicationStatus.DRAFT,
            )
            for reason, status in (("新增问答", PublicationStatus.DRAFT), ("审核发布", PublicationStatus.PUBLISHED)):
                question.status = status
                question._change_reason = reason
                question.save()
            question.answer += "（补充）"
            question._change_reason = "补充答复"
            question.save()
            cache.clear()
            yield
            raise _Undo
    except _Undo:
        cache.clear()


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    status: int = 200
    # What puts the site in the state the page needs (a function returning a context manager); the
    # page is the answer to the last of `requests` GETs of `url` made inside it.
    situation: Callable[[], AbstractContextManager] = contextlib.nullcontext
    requests: int = 1
    # Cookies the visitor has besides the language's (the 长辈版's: xmpolicy/elder.py).
    cookies: tuple[tuple[str, str], ...] = ()


TODAY = "{today}"  # replaced by today's date in Xiamen

PAGES = [
    Page("home", "/"),
    Page("home before any policy", "/", situation=nothing_published_yet),
    Page("policy library", "/policies/"),
    Page("policy library, filtered", "/policies/?validity=in_force&year=2025&q=厦委发[2025]1号&sort=title"),
    Page("policy library, nothing found", "/policies/?q=没有这个文号"),
    Page("policy library, bad filters", "/policies/?validity=soon&year=twenty&kind=nobody", 400),
    Page("policy library before any policy", "/policies/", situation=nothing_published_yet),
    Page("policy", "/policies/kjcx-2025/"),
    Page("pillar", "/policies/kjcx-2025/pillars/1/"),
    Page("measure", MEASURE),
    Page("measure as of a date", f"{MEASURE}?as_of=2025-03-01"),
    Page("measure as of today", f"{MEASURE}?as_of={TODAY}"),
    Page("measure as of a future date", f"{MEASURE}?as_of=2999-01-01"),
    Page("measure as of a bad date", f"{MEASURE}?as_of=yesterday", 400),
    Page("measure history", f"{MEASURE}history/"),
    Page("measure checked, expiring, a change scheduled", MEASURE, situation=checked_expiring_and_scheduled),
    Page("measure with a 问答", MEASURE, situation=with_a_question),
    Page("measure history with a 问答", f"{MEASURE}history/", situation=with_a_question),
    Page("measure with a 问答 as of today", f"{MEASURE}?as_of={TODAY}", situation=with_a_question),
    Page("changes with a 问答", "/changes/", situation=with_a_question),
    Page("search finding a 问答", "/search/?q=测试问题", situation=with_a_question),
    Page("measure with a 问答, 长辈版", MEASURE, situation=with_a_question, cookies=(("elder", "on"),)),
    Page("pending measure", "/policies/kjcx-2025/measures/9/", 404),
    Page("award finder", "/awards/"),
    Page("award finder with filters", "/awards/?min=100&max=3000&pillar=1&sort=amount"),
    Page("award finder with nothing found", "/awards/?min=99999"),
    Page("award finder with errors", "/awards/?min=abc&band=nope&policy=nope"),
    Page("award finder's policies", "/awards/policies/?min=1&q=若干"),
    Page("award finder's policies, none found", "/awards/policies/?q=nothing"),
    Page("award finder's policies with errors", "/awards/policies/?min=abc", status=400),
    Page("calculator", "/calculator/"),
    Page("calculator with an answer", "/calculator/?kind=tech-business-incubator&kind=taiwan-cooperation-base"),
    Page("calculator with errors", "/calculator/?kind=no-such-kind&valid=2", 400),
    Page("calendar", "/calendar/"),
    Page("calendar's unpublished awards", "/calendar/?section=unpublished"),
    Page("calendar of a month", "/calendar/?month=2026-03&kind=tech-business-incubator"),
    Page("calendar with errors", "/calendar/?month=2026-13&section=nowhere", 400),
    Page("calendar, 长辈版", "/calendar/", cookies=(("elder", "on"),)),
    Page("search", "/search/"),
    Page("search with results", "/search/?q=孵化"),
    Page("search with no results", "/search/?q=无此词语"),
    Page("search by amount", "/search/?q=三千万"),
    Page("search by a range of amounts", "/search/?q=孵化器+500万以上"),
    Page("search widened by synonyms", "/search/?q=补贴"),
    Page("search by a kind's common name", "/search/?q=国家重点实验室"),
    Page("search with suggestions", "/search/?q=孵化器建设方案"),
    Page("follow a measure", "/follow/?kind=measure&policy=kjcx-2025&measure=3"),
    Page("follow the finder's filters", "/follow/?kind=awards&filters=min%3D1000"),
    Page("follow a calculator answer", "/follow/?kind=calculator&kinds=tech-business-incubator,accelerator"),
    Page("follow: confirmation sent", "/follow/sent/"),
    Page("follow: a tampered link", "/follow/confirm/not-a-token/", 400),
    Page("report a problem with a paragraph", "/feedback/new/?kind=report&policy=kjcx-2025&measure=3&clause=1"),
    Page("ask a question about a measure", "/feedback/new/?kind=question&policy=kjcx-2025&measure=3"),
    Page("feedback: a link to nothing", "/feedback/new/?policy=kjcx-2025&measure=99", 404),
    Page("feedback: received", "/feedback/received/FK-0000-000000/"),
    Page("feedback figures", "/feedback/"),
    Page("changes", "/changes/"),
    Page("downloads", "/downloads/"),
    Page("accessibility statement", "/accessibility/"),
    Page("home, 长辈版", "/", cookies=(("elder", "on"),)),
    Page("measure, 长辈版", MEASURE, cookies=(("elder", "on"),)),
    Page("API docs", "/api/docs/"),
    Page("not found", "/no/such/page/", 404),
    Page("too many requests", "/search/?q=孵化", 429, rate_limited, requests=2),
    Page("temporarily unavailable", "/", 503, database_down),
]


def edit_once(real_policy):
    """One edit of a clause and of an award of the real policy, so that the history pages and /changes/
    show changes as well as first versions."""
    clause = Clause.objects.get(measure__policy=real_policy, measure__number=2, position=2)
    clause.text = clause.text.replace("。", "；", 1) + "（校对）"
    clause._change_reason = "校对条款文字"
    clause.save()
    award = Award.objects.filter(clause__measure__policy=real_policy, status=PublicationStatus.PUBLISHED).first()
    award.recipient += "（校对）"
    award._change_reason = "补充支持对象"
    award.save()
    return real_policy


def render(page: Page, language: str) -> str:
    client = Client(raise_request_exception=False)  # a 503 is an answer here, not an error of the test
    client.cookies["django_language"] = language
    for name, value in page.cookies:
        client.cookies[name] = value
    url = page.url.replace(TODAY, timezone.localdate().isoformat())
    with page.situation():
        for _ in range(page.requests):
            response = client.get(url)
    assert response.status_code == page.status, (page.name, language, response.status_code)
    assert response["Content-Type"].startswith("text/html"), (page.name, language)
    return response.content.decode()
