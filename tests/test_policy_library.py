"""The policy library (/policies/): every policy with its 文号, issuer, dates, validity, measures, awards and
citing documents; filters with facet counts, `q`, sorting, paging; its CSV and the API's same filters; the
home page's link, the header and the breadcrumbs that lead to it; a fixed number of queries."""

import csv
import datetime
import io

import pytest
from django.core.cache import cache
from django.utils import timezone

from measures.domain.models import Measure, Pillar, Policy
from measures.public.library import catalogue
from measures.public.library.filters import LibraryFilter
from measures.public.views.library import POLICIES_PER_PAGE
from tests.html import between, page, text_of
from tests.query_budgets import CONTENT_REVISION_QUERIES, LIBRARY_CATALOGUE_QUERIES

LIBRARY_QUERIES = CONTENT_REVISION_QUERIES + LIBRARY_CATALOGUE_QUERIES


def add_policy(slug, title, *, issuer="厦门市科学技术局", number="", issued=datetime.date(2020, 5, 1), **fields):
    return Policy.objects.create(
        slug=slug,
        title=title,
        document_number=number,
        issuing_bodies=issuer,
        issue_date=issued,
        issue_date_confirmed=True,
        declared_measure_count=fields.pop("declared_measure_count", 3),
        **fields,
    )


def entries(html):
    """The library's entries, each as the text of its <li>."""
    if '<ol class="finder-results library-results"' not in html:
        return []
    listing = between(html, '<ol class="finder-results library-results"', "</ol>")
    return [text_of(item) for item in listing.split('<li class="library-entry">')[1:]]


def titles(html):
    return [entry.split("》")[0].split("《")[-1] for entry in entries(html)]


def facet(html, name):
    """A facet's options as {label: count}, or None when the page leaves it out."""
    start = f'<details class="facet facet--{name}"'
    if start not in html:
        return None
    options = between(html, start, "</details>").split("<li>")[1:]
    found = {}
    for option in options:
        label, count = text_of(option).strip().rsplit(" (", 1)
        found[label] = int(count.split(")")[0])
    return found


@pytest.fixture
def library(real_policy):
    """The real policy and three more: one of another issuer, expired; one not yet in force; one in its last
    months in force, issued by two bodies, one of them the real policy's."""
    today = timezone.localdate()
    add_policy(
        "old-rules",
        "厦门市科技计划项目管理办法",
        number="厦科〔2015〕3号",
        issued=datetime.date(2015, 3, 1),
        validity_years=5,
    )
    add_policy(
        "next-year",
        "厦门市关于支持新型研发机构的若干措施",
        short_title="研发机构十条",
        issuer="厦门市人民政府",
        number="厦府〔2025〕9号",
        issued=datetime.date(2025, 6, 1),
        effective_date=today + datetime.timedelta(days=40),
    )
    add_policy(
        "ending",
        "厦门市孵化器管理办法",
        issuer="厦门市人民政府、厦门市科学技术局",
        number="厦府〔2023〕7号",
        issued=today - datetime.timedelta(days=400),
        effective_date=today.replace(year=today.year - 2) + datetime.timedelta(days=60),
        validity_years=2,
    )
    return real_policy


# What each entry shows


def test_the_library_lists_every_policy_newest_first_each_linking_to_it(client, library):
    html = page(client, "/policies/")
    issued = dict(Policy.objects.values_list("title", "issue_date"))
    listed = [issued[title] for title in titles(html)]
    assert len(listed) == 4 and listed == sorted(listed, reverse=True)
    assert "共 4 项政策" in html
    for slug in ("kjcx-2025", "old-rules", "next-year", "ending"):
        assert f'href="/policies/{slug}/"' in html


def test_an_entry_shows_the_number_issuer_dates_validity_measures_awards_and_citing_documents(client, library):
    real = entries(page(client, "/policies/?q=厦委发"))[0]
    assert "简称《若干措施》" in real
    assert "文号厦委发〔2025〕1号" in real
    assert "发文机关中共厦门市委、厦门市人民政府" in real
    assert "不晚于2025年2月17日待确认" in real  # the fixture's date is unconfirmed
    assert "有效" in real and "有效期至2028年2月16日" in real
    assert "已录入 6 / 12 条措施" in real
    assert "8 项奖补，最大一项3000万元" in real
    assert "被3个文件引用" in real
    old = entries(page(client, "/policies/?q=管理办法&validity=expired"))[0]
    assert "已失效" in old and "未录入奖补" in old and "引用" not in old
    assert "待确认" not in old


def test_validity_tells_not_yet_in_force_in_force_expiring_and_expired_apart(client, library):
    html = page(client, "/policies/")
    assert facet(html, "validity") == {"不限": 4, "尚未施行": 1, "有效": 1, "即将失效": 1, "已失效": 1}
    assert titles(page(client, "/policies/?validity=expiring")) == ["厦门市孵化器管理办法"]
    assert titles(page(client, "/policies/?validity=not_yet")) == ["厦门市关于支持新型研发机构的若干措施"]
    assert "即将失效" in entries(page(client, "/policies/?validity=expiring"))[0]


# Finding a policy


@pytest.mark.parametrize(
    "words",
    ["厦府〔2025〕9号", "厦府[2025]9号", "厦府（2025）9号", "厦府 〔2025〕 9号", "研发机构十条", "新型研发机构"],
)
def test_q_finds_a_policy_by_its_document_number_however_bracketed_its_title_or_short_title(client, library, words):
    assert titles(page(client, f"/policies/?q={words}")) == ["厦门市关于支持新型研发机构的若干措施"]


def test_an_issuer_of_a_joint_policy_finds_it_and_its_own(client, library):
    html = page(client, "/policies/")
    issuers = facet(html, "issuer")
    assert issuers["厦门市科学技术局"] == 2  # old-rules, ending
    assert issuers["厦门市人民政府"] == 3  # with 中共厦门市委 (the real policy), alone, with 厦门市科学技术局
    assert set(titles(page(client, "/policies/?issuer=厦门市科学技术局"))) == {
        "厦门市孵化器管理办法",
        "厦门市科技计划项目管理办法",
    }


def test_each_facet_counts_as_if_chosen_with_the_other_filters_kept(client, library):
    html = page(client, "/policies/?issuer=厦门市人民政府")
    assert set(titles(html)) == {library.title, "厦门市关于支持新型研发机构的若干措施", "厦门市孵化器管理办法"}
    # The validity facet within the issuer; the issuer facet without it (every issuer still offered).
    assert facet(html, "validity") == {"不限": 3, "尚未施行": 1, "有效": 1, "即将失效": 1}
    assert facet(html, "issuer")["厦门市科学技术局"] == 2
    assert facet(html, "has_awards") == {"不限": 3, "已录入奖补": 1, "未录入奖补": 2}
    # A link keeps the rest of the question.
    assert (
        'href="/policies/?issuer=%E5%8E%A6%E9%97%A8%E5%B8%82%E4%BA%BA%E6%B0%91%E6%94%BF%E5%BA%9C&amp;validity=expiring"'
        in html
    )


def test_has_awards_year_and_kind_narrow_the_list(client, library):
    assert titles(page(client, "/policies/?has_awards=yes")) == [library.title]
    assert len(titles(page(client, "/policies/?has_awards=no"))) == 3
    assert titles(page(client, "/policies/?year=2015")) == ["厦门市科技计划项目管理办法"]
    assert titles(page(client, "/policies/?kind=accelerator")) == [library.title]
    assert facet(page(client, "/policies/"), "kind")["加速器"] == 1


def test_the_library_sorts_by_date_either_way_or_by_title(client, library):
    newest = titles(page(client, "/policies/"))
    assert titles(page(client, "/policies/?sort=date")) == newest[::-1]
    assert titles(page(client, "/policies/?sort=title")) == sorted(newest)


def test_nothing_found_says_so_and_links_to_every_policy(client, library):
    html = page(client, "/policies/?q=没有这个文号")
    assert entries(html) == []
    assert "没有符合条件的政策" in html and 'href="/policies/">查看全部政策' in html


def test_bad_filters_are_each_explained_and_nothing_is_listed(client, library):
    html = page(client, "/policies/?validity=soon&year=twenty&kind=nobody&issuer=某某局&has_awards=maybe&sort=x", 400)
    errors = text_of(between(html, '<div class="finder-errors"', "</div>"))
    for message in (
        "有效性无效：“soon”不是可选的值。",
        "印发年份无效：请填写四位数的年份，如 2025。",
        "申报主体无效：没有网址标识为“nobody”的申报主体类别。",
        "发文机关无效：没有发文机关为“某某局”的政策。",
        "奖补无效：“maybe”不是可选的值，只能是 yes 或 no。",
        "排序无效：“x”不是可选的值，只能按印发日期或标题排序。",
    ):
        assert message in errors
    assert entries(html) == []
    assert client.get("/policies/export.csv?year=twenty").status_code == 400


def test_a_nul_in_the_words_or_an_issuer_is_no_error(client, library):
    assert titles(page(client, "/policies/?q=厦府%00〔2025〕9号")) == ["厦门市关于支持新型研发机构的若干措施"]
    assert client.get("/policies/?issuer=%00").status_code in (200, 400)


# Small and large libraries


def test_with_one_policy_the_page_offers_no_choice_that_changes_nothing(client, real_policy):
    html = page(client, "/policies/")
    assert len(entries(html)) == 1
    assert '<details class="facet' not in html  # one issuer, one year, one validity: nothing to narrow
    assert 'name="q"' in html  # the search box stays


@pytest.mark.usefixtures("empty_database")
def test_a_large_library_is_paged_and_its_pages_hold_every_policy_once(client):
    for n in range(POLICIES_PER_PAGE + 5):
        add_policy(f"p-{n:03d}", f"政策{n:03d}", issued=datetime.date(2020, 1, 1) + datetime.timedelta(days=n))
    first, second = page(client, "/policies/"), page(client, "/policies/?page=2")
    assert len(entries(first)) == POLICIES_PER_PAGE and len(entries(second)) == 5
    assert set(titles(first)) | set(titles(second)) == {f"政策{n:03d}" for n in range(POLICIES_PER_PAGE + 5)}
    assert 'rel="next" href="/policies/?page=2"' in first


@pytest.mark.usefixtures("empty_database")
def test_the_page_csv_and_api_run_as_many_queries_for_five_policies_as_for_fifty(client, django_assert_num_queries):
    def add(count, start):
        for n in range(start, start + count):
            policy = add_policy(f"q-{n:03d}", f"政策{n:03d}", number=f"厦科〔2020〕{n}号")
            pillar = Pillar.objects.create(policy=policy, number=1, title="方面")
            Measure.objects.create(policy=policy, pillar=pillar, number=1, title="措施")

    add(5, 0)
    urls = {
        "/policies/": 0,
        "/policies/?issuer=厦门市科学技术局&validity=in_force&year=2020&q=厦科&sort=title": 0,
        "/policies/export.csv?has_awards=no": 0,
        # the page's rows, their sources, published measures, related documents (none: so not their measures)
        "/api/v1/policies/?has_awards=no": 4,
    }

    def assert_queries():
        for url, own in urls.items():
            cache.clear()  # no page kept by the page cache: each answer is rendered
            catalogue.LATEST_CATALOGUE.clear()  # the first question of a revision reads the catalogue
            with django_assert_num_queries(LIBRARY_QUERIES + own):
                assert client.get(url).status_code == 200
            cache.clear()
            with django_assert_num_queries(CONTENT_REVISION_QUERIES + own):  # the next ones do not
                assert client.get(url).status_code == 200

    assert_queries()
    add(45, 5)
    assert_queries()
    assert "共 50 项政策" in page(client, "/policies/")


# The CSV and the API ask the same question


def test_the_csv_lists_the_pages_policies_in_its_order(client, library):
    query = "?issuer=厦门市人民政府&sort=title"
    response = client.get(f"/policies/export.csv{query}")
    assert response["Content-Disposition"] == 'attachment; filename="xmpolicy-policies.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["政策"] for row in rows] == titles(page(client, f"/policies/{query}"))
    real = next(row for row in rows if row["政策标识"] == "kjcx-2025")
    assert real["文号"] == "厦委发〔2025〕1号" and real["印发日期已确认"] == "否"
    assert real["有效性"] == "有效" and real["有效期至"] == "2028-02-16"
    assert (real["奖补数"], real["最大奖补（元）"], real["最大奖补（万元）"], real["相关文件数"]) == (
        "8",
        "30000000",
        "3000",
        "3",
    )
    assert real["网址"].endswith("/policies/kjcx-2025/")


def test_the_api_takes_the_same_filters_and_order(client, library):
    query = "?issuer=厦门市人民政府&sort=date"
    body = client.get(f"/api/v1/policies/{query}").json()
    assert [policy["title"] for policy in body["results"]] == titles(page(client, f"/policies/{query}"))
    assert body["count"] == 3
    assert client.get("/api/v1/policies/?validity=expiring").json()["results"][0]["slug"] == "ending"
    bad = client.get("/api/v1/policies/?validity=soon")
    assert bad.status_code == 400 and "validity" in bad.json()["errors"]


def test_the_filterset_is_the_one_rule_for_all_three(library, rf):
    request = rf.get("/policies/", {"q": "厦府[2023]7号"})
    found = LibraryFilter(request.GET, request=request)
    assert found.is_valid()
    assert [row.entry.policy.slug for row in found.listed()] == ["ending"]
    assert found.qs.get().slug == "ending"


# The ways in


def test_the_home_page_links_to_the_library_with_its_size(client, library):
    html = page(client, "/")
    assert '<a href="/policies/">全部政策（4）</a>' in html


def test_the_header_links_to_the_library_and_every_policy_page_breadcrumb_starts_there(client, real_policy):
    for url in (
        "/policies/kjcx-2025/",
        "/policies/kjcx-2025/pillars/1/",
        "/policies/kjcx-2025/measures/2/",
        "/policies/kjcx-2025/measures/2/history/",
    ):
        html = page(client, url)
        assert '<li><a href="/policies/">政策库</a></li>' in between(html, 'class="site-nav"', "</nav>")
        crumb = between(html, '<nav class="breadcrumb"', "</nav>")
        assert crumb.index('<a href="/policies/">政策库</a>') < crumb.index("《若干措施》"), url
    pending = page(client, "/policies/kjcx-2025/measures/9/", 404)
    assert '<a href="/policies/">政策库</a>' in between(pending, '<nav class="breadcrumb"', "</nav>")


def test_the_library_reads_in_english(client, library):
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    html = page(client, "/policies/?issuer=厦门市人民政府")
    assert "Policy library" in html and "Expiring soon" in html
    assert "8 awards, the largest RMB 30 million" in html
    assert "Cited by 3 documents" in html


@pytest.mark.usefixtures("empty_database")
def test_an_empty_library_says_it_holds_no_policy_yet(client):
    html = page(client, "/policies/")
    assert "本站还没有收录政策。" in html and "共 0 项政策" in html
    assert "没有符合条件的政策" not in html
