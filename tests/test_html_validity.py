"""Every public page, in Chinese and in English, is valid HTML by the Nu HTML Checker (vnu), the
checker behind validator.w3.org/nu, run here offline from the npm registry's vnu-jar (package.json)
on Debian's Java (scripts/install-system-packages); `make test` installs both.

The pages are rendered with Django's test client, written to a folder and checked in one run of the
checker (one Java start for all of them). Any error it reports fails the test, listed page by page.
A page that a new feature adds goes into PAGES below.
"""

import contextlib
import datetime
import json
import shutil
import subprocess
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import OperationalError, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client, override_settings
from django.utils import timezone

from measures.domain.documents import RelatedDocument
from measures.domain.eligibility import ApplicationInfo
from measures.domain.models import Award, Clause, Measure, Pillar, Policy, PolicySource, PublicationStatus
from measures.domain.review import DraftReview, ReviewState

pytestmark = [pytest.mark.django_db, pytest.mark.validator]

ROOT = Path(__file__).resolve().parent.parent
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# For one short run: the quick compiler only, and the simple garbage collector, take half the CPU time of
# Java's defaults; the checker's schema needs a deeper stack than the quick compiler leaves it.
JAVA_OPTIONS = ["-Xss4m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]
LANGUAGES = ("zh-hans", "en")
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


@contextlib.contextmanager
def checked_expiring_and_scheduled():
    """The measure checked against its sources, a change scheduled on it (已知的后续变化) and its policy
    in its last months (将于…失效), undone afterwards."""
    try:
        with transaction.atomic():
            today = timezone.localdate()
            measure = Measure.objects.get(policy__slug="kjcx-2025", number=2)
            Measure.objects.filter(pk=measure.pk).update(checked_on=today)
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
    Page("policy", "/policies/kjcx-2025/"),
    Page("pillar", "/policies/kjcx-2025/pillars/1/"),
    Page("measure", MEASURE),
    Page("measure as of a date", f"{MEASURE}?as_of=2025-03-01"),
    Page("measure as of today", f"{MEASURE}?as_of={TODAY}"),
    Page("measure as of a future date", f"{MEASURE}?as_of=2999-01-01"),
    Page("measure as of a bad date", f"{MEASURE}?as_of=yesterday", 400),
    Page("measure history", f"{MEASURE}history/"),
    Page("measure checked, expiring, a change scheduled", MEASURE, situation=checked_expiring_and_scheduled),
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


@pytest.fixture
def edited_policy(real_policy):
    """The real policy with one edit of a clause and of an award, so that the history pages and
    /changes/ show changes as well as first versions."""
    clause = Clause.objects.get(measure__policy=real_policy, measure__number=2, position=2)
    clause.text = clause.text.replace("。", "；", 1) + "（校对）"
    clause._change_reason = "校对条款文字"
    clause.save()
    award = Award.objects.filter(clause__measure__policy=real_policy, status=PublicationStatus.PUBLISHED).first()
    award.recipient += "（校对）"
    award._change_reason = "补充支持对象"
    award.save()
    # A 去办理 link and an expected window (预计), the test's own: no source gives either for the policy.
    ApplicationInfo.objects.create(
        measure=Measure.objects.get(policy=real_policy, number=2),
        entry_name="测试办理系统",
        entry_url="https://apply.example.gov.cn/start",
        entry_online=True,
        expected_opens=datetime.date(2027, 3, 1),
        expected_closes=datetime.date(2027, 3, 31),
        expected_basis="以往年度通知于3月发布",
    )
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


def nu_errors(files: list[Path]) -> dict[str, list[str]]:
    """The checker's errors for each file (by name), as "line:column: message"."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is missing: run `bash scripts/install-system-packages` (or `make test`)")
    if not VNU_JAR.exists():
        pytest.fail(f"{VNU_JAR} is missing: run `npm ci` (or `make test`, which runs it)")
    completed = subprocess.run(
        [java, *JAVA_OPTIONS, "-jar", str(VNU_JAR), "--format", "json", "--errors-only", "--exit-zero-always"]
        + [str(file) for file in files],
        capture_output=True,
        text=True,
        timeout=120,
    )
    try:
        report = json.loads(completed.stderr)  # the checker writes its report to stderr
    except json.JSONDecodeError:
        pytest.fail(f"the Nu HTML Checker did not report (exit {completed.returncode}):\n{completed.stderr[-2000:]}")
    errors = {}
    for message in report["messages"]:
        name = Path(message.get("url", "unknown")).name
        where = f"{message.get('lastLine', '?')}:{message.get('firstColumn', message.get('lastColumn', '?'))}"
        extract = " ".join(message.get("extract", "").split())
        errors.setdefault(name, []).append(f"{where}: {message['message']} [{extract}]")
    return errors


# Checked with the pages, to show that the checker read the files and reports what it finds: a page
# whose one error is a time with microseconds, as the change history once wrote them.
CONTROL = (
    '<!doctype html><html lang="en"><title>control</title>'
    '<time datetime="2025-03-01T09:30:00.123456+08:00">1 March</time></html>'
)


def test_every_public_page_in_both_languages_passes_the_nu_html_checker(edited_policy, tmp_path):
    files = {}
    for language in LANGUAGES:
        for number, page in enumerate(PAGES):
            path = tmp_path / f"{language}-{number:02d}.html"
            path.write_text(render(page, language), encoding="utf-8")
            files[path.name] = f"{page.name} ({language}, {page.url})"
    (tmp_path / "control.html").write_text(CONTROL, encoding="utf-8")

    errors = nu_errors([tmp_path / name for name in [*files, "control.html"]])

    control = errors.pop("control.html", [])
    assert len(control) == 1 and "fraction of a second" in control[0], control
    if errors:
        report = [f"{files.get(name, name)}: {len(found)}\n  " + "\n  ".join(found) for name, found in errors.items()]
        total = sum(map(len, errors.values()))
        pytest.fail(
            f"{total} errors from the Nu HTML Checker on {len(errors)} pages:\n" + "\n".join(report), pytrace=False
        )
