"""The interface in Chinese by default and in English by choice; the policy's own text stays Chinese.

The English comes from locale/en/LC_MESSAGES/django.po, compiled to django.mo by `make messages`
(Babel). Run `make messages` (or `make test`) after editing the .po, or these tests fail.
"""

import datetime
import gettext
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.formats import date_format

from measures.domain.eligibility import AwardRecipientKind, RecipientKind
from measures.domain.models import Award, Clause, Measure, Pillar, Policy, PolicySource, PublicationStatus
from measures.domain.questions import QuestionAnswer
from measures.public.formatting import html_lang, pillar_numeral
from measures.public.views.search import EXAMPLE_TERMS
from tests.html import amount_html, between, page, text_of
from tests.query_budgets import MEASURE_PAGE_QUERIES, PILLAR_PAGE_QUERIES, POLICY_PAGE_QUERIES

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")  # ideographs and CJK punctuation


@pytest.fixture(autouse=True)
def back_to_the_default_language():
    """A request activates its language in this thread; later tests must start from the default."""
    yield
    translation.deactivate()


@pytest.fixture
def english(client):
    """A client that chose English with the language switch."""
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


@pytest.fixture
def latin_policy(db):
    """A policy whose content has no Chinese, so that any Chinese left on its English pages is interface."""
    policy = Policy.objects.create(
        slug="latin",
        title="Latin policy",
        short_title="Latin",
        document_number="L-1",
        issuing_bodies="Latin bureau",
        issue_date=datetime.date(2025, 2, 17),
        validity_years=3,
        declared_measure_count=4,
        preamble="Preamble text.",
        is_featured=True,
    )
    PolicySource.objects.create(policy=policy, label="Latin news", url="https://example.org/news", note="Note")
    first = Pillar.objects.create(policy=policy, number=1, title="First pillar")
    second = Pillar.objects.create(policy=policy, number=2, title="Second pillar")
    Pillar.objects.create(policy=policy, number=3, title="Empty pillar")
    one = Measure.objects.create(policy=policy, pillar=first, number=1, title="Incubators")
    Measure.objects.create(policy=policy, pillar=second, number=2, title="Platforms")
    for position, provenance, complete in [(1, "news_summary", True), (2, "policy_text", False)]:
        clause = Clause.objects.create(
            measure=one,
            position=position,
            text=f"Clause {position}.",
            provenance=provenance,
            is_complete=complete,
            source_url="https://example.org/news",
        )
        Award.objects.create(
            clause=clause,
            amount_yuan=5_000_000 * position,
            limit=Award.Limit.CEILING if position == 1 else Award.Limit.EXACT,
            recurrence=Award.Recurrence.PER_YEAR if position == 1 else Award.Recurrence.ONCE,
            per_recipient=position == 1,
            nature=Award.Nature.REWARD,
            recipient="Incubators",
            condition="New",
            basis="By investment",
            source_phrase="Up to five million a year",
        )
    kind = RecipientKind.objects.create(slug="incubator", name="Incubators", group=RecipientKind.Group.INCUBATOR)
    AwardRecipientKind.objects.create(award=Award.objects.get(clause__measure=one, clause__position=1), kind=kind)
    # A published 政策问答 (its section, its date and its link to a paragraph), and its entry in the history.
    QuestionAnswer.objects.create(
        measure=one,
        clause=one.clauses.get(position=1),
        question="May a lab apply?",
        answer="Yes.",
        status=PublicationStatus.PUBLISHED,
    )
    return policy


def chinese_in_the_english_catalogue():
    """The Chinese that English translations quote on purpose, longest first: '孵化器建设', '万元', …"""
    with open(f"{CATALOGUE}.po", "rb") as po_file:
        strings = [m.string for m in read_po(po_file) if m.id]
    texts = [t for s in strings for t in (s if isinstance(s, tuple) else (s,))]
    return sorted({run for text in texts for run in re.findall(r"[\u3400-\u9fff]+", text)}, key=len, reverse=True)


# Which language


def test_the_interface_is_in_chinese_by_default(client, real_policy):
    html = page(client, "/")
    assert '<html lang="zh-Hans">' in html
    assert '<a href="/">首页</a>' in html
    assert "奖补查询" in html
    assert "Find awards" not in html


def test_a_chinese_browser_gets_the_chinese_interface(client, real_policy):
    html = page(client, "/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9,en;q=0.8")
    assert '<html lang="zh-Hans">' in html
    assert '<a href="/">首页</a>' in html


def test_a_browser_asking_for_a_language_the_site_lacks_gets_chinese(client, real_policy):
    assert '<html lang="zh-Hans">' in page(client, "/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")


def test_a_browser_set_to_english_still_gets_chinese_until_the_visitor_chooses(client, real_policy):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert '<html lang="zh-Hans">' in response.content.decode()
    assert response["Content-Language"] == "zh-hans"
    assert "Accept-Language" not in response["Vary"]


def test_an_unknown_language_in_the_cookie_falls_back_to_chinese(client, real_policy):
    client.cookies["django_language"] = "xx"
    assert '<html lang="zh-Hans">' in page(client, "/")


def test_the_choice_made_with_the_switch_beats_the_browsers_language(english, real_policy):
    assert '<html lang="en">' in page(english, "/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    english.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert '<html lang="zh-Hans">' in page(english, "/", HTTP_ACCEPT_LANGUAGE="en")


# The switch


def test_every_page_has_a_language_switch_that_returns_to_the_same_page(client, real_policy):
    html = page(client, "/policies/kjcx-2025/measures/3/?as_of=2025-03-01")
    switch = between(html, '<form class="language-switch"', "</form>")
    assert 'action="/i18n/setlang/" method="post"' in switch
    assert 'name="csrfmiddlewaretoken"' not in switch  # no token: the page sets no cookie, so a CDN may cache it
    assert '<input type="hidden" name="next" value="/policies/kjcx-2025/measures/3/?as_of=2025-03-01">' in switch
    assert 'name="language" value="zh-hans" lang="zh-Hans" aria-current="true">中文</button>' in switch
    assert 'name="language" value="en" lang="en">English</button>' in switch


def test_the_switch_works_with_csrf_protection_on_and_needs_no_token(real_policy):
    browser = Client(enforce_csrf_checks=True)
    page(browser, "/policies/kjcx-2025/pillars/2/")
    assert "csrftoken" not in browser.cookies
    response = browser.post("/i18n/setlang/", {"language": "en", "next": "/policies/kjcx-2025/pillars/2/"})
    assert response.status_code == 302
    assert response["Location"] == "/policies/kjcx-2025/pillars/2/"
    assert '<html lang="en">' in page(browser, "/policies/kjcx-2025/pillars/2/")


def test_choosing_english_translates_the_interface_and_keeps_the_policy_in_chinese(client, real_policy):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    html = page(client, "/")
    assert '<html lang="en">' in html
    nav = between(html, '<nav class="site-nav"', "</nav>")
    for label in ("Home", "Find awards", "Search"):
        assert f">{label}</a>" in nav
    assert not CJK.search(nav)
    assert '<a class="site-name" href="/">Xiamen Sci-Tech Innovation Policy Library</a>' in html
    # The title is marked as Chinese, for screen readers (language of parts).
    title = "关于深化拓展科技创新引领工程 推动科技创新和产业创新深度融合的若干措施"
    assert f'<h1>《<span lang="zh-Hans">{title}</span>》</h1>' in html
    assert "中共厦门市委、厦门市人民政府" in html
    assert "提升科技与产业协同创新平台功能" in html

    measure = page(client, "/policies/kjcx-2025/measures/1/")
    assert '<html lang="en">' in measure
    assert "培育研发产业" in measure
    assert "Paragraph 1" in measure


def test_choosing_chinese_again_brings_the_chinese_interface_back(english, real_policy):
    response = english.post("/i18n/setlang/", {"language": "zh-hans", "next": "/policies/kjcx-2025/"})
    assert response["Location"] == "/policies/kjcx-2025/"
    html = page(english, "/policies/kjcx-2025/")
    assert '<html lang="zh-Hans">' in html
    assert '<a href="/">首页</a>' in html


def test_the_switch_does_not_send_the_visitor_to_another_site(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


# The pages in English


def test_measure_3_in_english_shows_its_amounts_in_millions(english, real_policy):
    html = page(english, "/policies/kjcx-2025/measures/3/")
    for text in ["one-off RMB 2 million", "up to RMB 1 million", "up to RMB 500,000", "up to RMB 10 million"]:
        assert amount_html(text) in html
    award = between(html, f"{amount_html('up to RMB 10 million')}", "</li>")
    assert '<span class="award__nature">support</span>' in award
    assert "<dt>Recipient</dt>" in award
    assert "国家重点研发计划“政府间国际科技创新合作”项目成果" in award
    assert "1000万元" in award  # the source's wording is quoted as it is


def test_measure_2_in_english_shows_the_one_off_award_and_keeps_the_clause_chinese(english, real_policy):
    html = page(english, "/policies/kjcx-2025/measures/2/")
    second = between(html, 'id="clause-2"', "</section>")
    assert amount_html("one-off RMB 30 million") in second
    assert '<span class="award__nature">reward</span>' in second
    assert "News summary" in second
    assert "给予一次性3000万元奖励" in second
    assert "Incomplete" in between(html, 'id="clause-1"', 'id="clause-2"')


def test_measure_6_in_english_shows_a_yearly_award_per_organisation(english, real_policy):
    html = page(english, "/policies/kjcx-2025/measures/6/")
    assert amount_html("up to RMB 5 million per year per organisation") in html
    assert amount_html("up to RMB 30 million") in html
    assert "每年每家最高500万元" in html  # in the clause text and the quoted source phrase


def test_the_home_page_in_english_gives_dates_figures_and_status_in_english(english, real_policy, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: datetime.date(2026, 6, 1))
    html = page(english, "/")
    assert "No later than 17 February 2025" in between(html, "<dt>Issue date</dt>", "</dd>")
    assert "3 years, until 16 February 2028" in between(html, "<dt>Period of validity</dt>", "</dd>")
    assert ">In force</span>" in between(html, "<dt>Status</dt>", "</dd>")
    assert "6 of 12 measures recorded" in html
    assert "Measures yet to be recorded: 7–12." in html
    largest = between(html, 'class="top-awards"', "</ol>")
    assert text_of(largest).index("one-off RMB 30 million") < text_of(largest).index("up to RMB 30 million")
    assert "2025年" not in between(html, '<dl class="meta">', "</dl>").replace(real_policy.issue_date_note, "")


def test_the_pillar_page_in_english_numbers_the_pillar_in_figures(english, real_policy):
    html = page(english, "/policies/kjcx-2025/pillars/2/")
    assert '<h1>Pillar 2: <span lang="zh-Hans">深化科技管理服务创新</span></h1>' in html
    assert "<title>Pillar 2: 深化科技管理服务创新 · 《若干措施》" in html
    assert 'rel="next" href="/policies/kjcx-2025/pillars/3/"><span class="pager__label">Next pillar</span>' in html


def test_the_pending_and_not_found_pages_are_in_english_too(english, real_policy, settings):
    settings.DEBUG = False
    pending = page(english, "/policies/kjcx-2025/measures/7/", status=404)
    assert "This policy has 12 measures. The text of measure 7 is yet to be recorded" in pending
    missing = page(english, "/no/such/page/", status=404)
    assert '<html lang="en">' in missing
    assert "<h1>Page not found</h1>" in missing
    assert 'href="/">Back to the home page</a>' in missing


@pytest.mark.usefixtures("empty_database")
@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/policies/latin/",
        "/policies/latin/pillars/1/",
        "/policies/latin/pillars/3/",
        "/policies/latin/measures/1/",
        "/policies/latin/measures/2/",
        "/policies/latin/measures/4/",
        "/awards/",
        "/awards/?min=500&recurrence=per_year",
        "/awards/?min=abc&max=1",
        "/awards/?min=100000",
        "/calculator/",
        "/calculator/?kind=incubator",
        "/calculator/?kind=nope",
        "/calendar/",
        "/calendar/?section=unpublished",
        "/calendar/?month=2026-13",
        "/search/",
        "/search/?q=Incubators",
        "/search/?q=lab",
        "/search/?q=nothing+here",
        "/no/such/page/",
        "/policies/latin/measures/1/history/",
        "/changes/",
        "/follow/?kind=measure&policy=latin&measure=1",
        "/follow/?kind=awards&filters=min%3D100%26recurrence%3Donce",
        "/follow/?kind=nothing",
        "/follow/sent/",
        "/follow/confirm/not-a-token/",
    ],
)
def test_no_chinese_interface_text_is_left_on_an_english_page(english, latin_policy, url):
    response = english.get(url)
    assert response.status_code in (200, 400, 404)
    html = response.content.decode()
    # The switch names Chinese in Chinese, as language switches do; 《》 mark the policy's (Chinese) titles;
    # and the English catalogue and the search page's examples quote some Chinese on purpose (万元, 孵化器).
    html = html.replace(">中文</button>", ">…</button>").replace("《", "").replace("》", "")
    for words in [*chinese_in_the_english_catalogue(), *EXAMPLE_TERMS]:
        html = html.replace(words, "…")
    leftover = CJK.search(html)
    assert not leftover, (url, html[leftover.start() - 100 : leftover.end() + 100])


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/", POLICY_PAGE_QUERIES),
        ("/policies/kjcx-2025/pillars/1/", PILLAR_PAGE_QUERIES),
        ("/policies/kjcx-2025/measures/3/", MEASURE_PAGE_QUERIES),
    ],
)
def test_english_pages_need_no_more_queries_than_chinese_ones(
    english, real_policy, django_assert_max_num_queries, url, queries
):
    with django_assert_max_num_queries(queries):
        page(english, url)


# The catalogue and the helpers


def test_the_compiled_catalogue_matches_the_committed_translations():
    """Fails when the .mo is missing or older than the .po: run `make messages`."""
    with open(f"{CATALOGUE}.po", "rb") as po_file:
        catalogue = read_po(po_file)
    assert Path(f"{CATALOGUE}.mo").exists(), "run `make messages`"
    with open(f"{CATALOGUE}.mo", "rb") as mo_file:
        compiled = gettext.GNUTranslations(mo_file)
    messages = [message for message in catalogue if message.id]
    assert len(messages) > 100
    for message in messages:
        context = message.context
        if message.pluralizable:
            singular, plural = message.id
            for n, string in ((1, message.string[0]), (2, message.string[1])):
                found = (
                    compiled.npgettext(context, singular, plural, n)
                    if context
                    else compiled.ngettext(singular, plural, n)
                )
                assert found == string, singular
        else:
            found = compiled.pgettext(context, message.id) if context else compiled.gettext(message.id)
            assert found == message.string, message.id


def test_every_interface_text_has_an_english_translation():
    with open(f"{CATALOGUE}.po", "rb") as po_file:
        catalogue = read_po(po_file)
    assert not catalogue.fuzzy
    for message in catalogue:
        if message.id:
            strings = message.string if message.pluralizable else (message.string,)
            assert all(strings), message.id
            assert not message.fuzzy, message.id


def test_django_reads_the_english_catalogue(db):
    with translation.override("en"):
        assert translation.gettext("奖补查询") == "Find awards"
        assert str(Award.Nature.SUBSIDY.label) == "subsidy"
        assert str(Policy.ValidityStatus.EXPIRED.label) == "Expired"
    with translation.override("zh-hans"):
        assert translation.gettext("奖补查询") == "奖补查询"
        assert str(Award.Nature.SUBSIDY.label) == "补助"


def test_an_awards_display_text_stays_chinese_and_its_localized_text_follows_the_language():
    award = Award(
        amount_yuan=5_000_000,
        limit=Award.Limit.CEILING,
        recurrence=Award.Recurrence.PER_YEAR,
        per_recipient=True,
    )
    with translation.override("en"):
        assert award.display_text == "每年每家最高500万元"
        assert award.localized_display_text == "up to RMB 5 million per year per organisation"
    with translation.override("zh-hans"):
        assert award.localized_display_text == "每年每家最高500万元"


def test_dates_read_naturally_in_each_language():
    """Django's date filter, with its DATE_FORMAT for Chinese and ours for English (xmpolicy/formats/)."""
    day = datetime.date(2025, 2, 17)
    with translation.override("zh-hans"):
        assert date_format(day) == "2025年2月17日"
    with translation.override("en"):
        assert date_format(day) == "17 February 2025"


def test_pillars_are_numbered_in_chinese_numerals_only_in_chinese():
    with translation.override("zh-hans"):
        assert pillar_numeral(4) == "四"
    with translation.override("en"):
        assert pillar_numeral(4) == "4"


def test_language_codes_become_bcp47_tags_for_the_html_element():
    assert [html_lang(code) for code in ("zh-hans", "en", "en-gb", "zh-hant-tw")] == [
        "zh-Hans",
        "en",
        "en-GB",
        "zh-Hant-TW",
    ]
