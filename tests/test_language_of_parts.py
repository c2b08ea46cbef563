"""English pages mark every run of Chinese with lang="zh-Hans" (WCAG 3.1.2, language of parts), so that a
screen reader reads the policy's words, the kinds' names and a visitor's Chinese search with a Chinese
voice instead of spelling them out in an English one.

The check reads a page's <body> as a tree and finds each text node holding a Han character whose nearest
lang is not zh-Hans. What cannot mark a run is left out: the <head> (its <title> is plain text), <script>
(data, not read) and an SVG <title> or <desc>, plain text read as the chart's name; the chart's figures
are also in its table, which marks them."""

import re
from html.parser import HTMLParser

import pytest

from tests.html import between, page
from tests.public_pages import PAGES, edit_once, render

pytestmark = pytest.mark.django_db

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
UNREAD = {"script", "style", "template"}
PLAIN_TEXT = {"title", "desc"}  # inside an <svg>


class UnmarkedChinese(HTMLParser):
    """Each text node in <body> with Han characters whose nearest lang is not zh-Hans, with its path."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, str | None]] = []
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.open.append((tag, dict(attrs).get("lang")))

    def handle_endtag(self, tag):
        for depth in range(len(self.open) - 1, -1, -1):
            if self.open[depth][0] == tag:
                del self.open[depth:]
                return

    def handle_data(self, data):
        tags = [tag for tag, _lang in self.open]
        if not HAN.search(data) or "body" not in tags or UNREAD.intersection(tags):
            return
        if "svg" in tags and tags[-1] in PLAIN_TEXT:
            return
        lang = next((lang for _tag, lang in reversed(self.open) if lang is not None), None)
        if lang != "zh-Hans":
            self.found.append(f"{' > '.join(tags[-3:])}: {data.strip()[:60]}")


def unmarked_chinese(html):
    reader = UnmarkedChinese()
    reader.feed(html)
    return reader.found


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def test_the_check_finds_chinese_left_unmarked_and_accepts_it_marked():
    page = '<body><p lang="en">Chosen: 孵化器 <span lang="zh-Hans">加速器</span><br>金砖</p></body>'
    assert unmarked_chinese(page) == ["body > p: Chosen: 孵化器", "body > p: 金砖"]


def test_the_finders_chips_mark_the_kinds_and_pillars_chinese_names(english, real_policy):
    facets = between(page(english, "/awards/"), '<nav class="facets"', "</nav>")
    assert unmarked_chinese(f"<body>{facets}</body>") == []
    assert 'Pillar 1: <span lang="zh-Hans">提升科技与产业协同创新平台功能</span> (6)' in facets


def test_the_calculators_chosen_kinds_mark_their_chinese_names(english, real_policy):
    html = page(english, "/calculator/?kind=tech-business-incubator&kind=taiwan-cooperation-base")
    chosen = between(html, '<div class="chosen-kinds">', "</ul>")
    assert unmarked_chinese(f"<body>{chosen}</ul></div></body>") == []
    assert "对台科技合作与交流基地" in chosen


def test_a_change_summary_on_the_change_log_marks_its_chinese(english, real_policy):
    changes = between(page(english, "/changes/"), '<ol class="changes"', "</ol>")
    assert unmarked_chinese(f"<body>{changes}</body>") == []
    assert '<p class="change__summary">up to RMB 30 million subsidy (<span lang="zh-Hans">' in changes


def test_a_visitors_chinese_words_are_marked_where_search_repeats_them(english, real_policy):
    html = page(english, "/search/?q=无此词语")
    assert '“<span lang="zh-Hans">无此词语</span>”' in html
    assert unmarked_chinese(html) == []


@pytest.mark.validator  # every page: slow
def test_every_english_public_page_marks_every_run_of_chinese(real_policy):
    edit_once(real_policy)
    found = {}
    for listed in PAGES:
        unmarked = unmarked_chinese(render(listed, "en"))
        if unmarked:
            found[f"{listed.name} ({listed.url})"] = unmarked
    assert not found, "\n".join(f"{name}:\n  " + "\n  ".join(runs) for name, runs in found.items())
