"""The public pages: the policy (home), a pillar, a measure, a pending measure and the 404 page."""

import datetime

import pytest
from django.contrib.staticfiles import finders

from measures.domain.models import Clause, Measure, Policy
from measures.public.formatting import zh_numeral
from measures.public.views.browse import number_ranges
from tests.data import add_more_data
from tests.html import amount_html, between, page, text_of
from tests.query_budgets import CONTENT_REVISION_QUERIES, MEASURE_PAGE_QUERIES, PILLAR_PAGE_QUERIES, POLICY_PAGE_QUERIES


@pytest.fixture
def on_day(monkeypatch):
    """Pretend today is another day in Xiamen (the pages ask timezone.localdate())."""

    def set_today(day):
        monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: day)

    return set_today


# The policy page (home)


def test_the_home_page_shows_the_featured_policy_and_its_document_details(client, real_policy):
    html = page(client, "/")
    assert "《关于深化拓展科技创新引领工程 推动科技创新和产业创新深度融合的若干措施》" in html
    assert "厦委发〔2025〕1号" in html
    assert "中共厦门市委、厦门市人民政府" in html
    assert "自印发之日起实施" in html


def test_the_home_page_marks_the_issue_date_as_unconfirmed_and_says_why(client, real_policy):
    html = page(client, "/")
    issue_date = between(html, "<dt>印发日期</dt>", "</dd>")
    assert "不晚于2025年2月17日" in issue_date
    assert "待确认" in issue_date
    assert real_policy.issue_date_note in html


def test_the_home_page_shows_the_validity_period_and_its_provisional_end_date(client, real_policy):
    validity = between(page(client, "/"), "<dt>有效期</dt>", "</dd>")
    assert "3年，至2028年2月16日" in validity
    assert "暂定" in validity


def test_the_home_page_opens_with_who_may_apply_the_largest_award_and_until_when_before_the_progress(
    client, real_policy
):
    html = page(client, "/")
    summary = between(html, 'class="policy-summary"', "</section>")
    assert html.index('class="policy-summary"') < html.index('class="meta"') < html.index('class="figures"')
    who = between(summary, "<dt>谁可以申请</dt>", "</dd>")
    assert "创新平台、合作基地、孵化载体、项目" in who and "据已录入的 6 / 12 条措施" in who
    largest = between(summary, "<dt>最高奖补</dt>", "</dd>")
    assert "一次性3000万元" in largest and 'href="/policies/kjcx-2025/measures/2/#clause-2"' in largest
    # The end date follows from an issue date the sources do not confirm: said so, as in the details.
    until = between(summary, "<dt>有效期</dt>", "</dd>")
    assert "3年，至2028年2月16日" in until and "暂定" in until and "印发日期确认后可能变化" in until


def test_the_policy_page_has_a_contents_list_leading_to_its_measures(client, real_policy):
    contents = between(page(client, "/"), 'class="contents"', "</nav>")
    assert '<a href="#pillars-heading">措施（按方面）</a>' in contents
    assert '<a href="#figures-heading">要点</a>' in contents


def test_a_confirmed_issue_date_is_shown_plainly_with_a_firm_end_date(client, small_policy):
    html = page(client, "/policies/test-policy/")
    assert "2025年1月10日" in between(html, "<dt>印发日期</dt>", "</dd>")
    assert "不晚于" not in html
    assert "待确认" not in html
    validity = between(html, "<dt>有效期</dt>", "</dd>")
    assert "2年，至2027年1月9日" in validity
    assert "暂定" not in validity


@pytest.mark.parametrize(
    ("today", "label"),
    [
        (datetime.date(2025, 1, 9), "尚未施行"),
        (datetime.date(2025, 1, 10), "有效"),
        (datetime.date(2027, 1, 9), "有效"),
        (datetime.date(2027, 1, 10), "已失效"),
    ],
)
def test_the_policy_page_shows_its_validity_status_on_the_day(client, small_policy, on_day, today, label):
    on_day(today)
    status = between(page(client, "/policies/test-policy/"), "<dt>状态</dt>", "</dd>")
    assert f">{label}</span>" in status


def test_the_real_policy_is_in_force_in_2026(client, real_policy, on_day):
    on_day(datetime.date(2026, 6, 1))
    assert ">有效</span>" in between(page(client, "/"), "<dt>状态</dt>", "</dd>")


def test_the_home_page_says_six_of_twelve_measures_are_recorded_and_seven_to_twelve_are_pending(client, real_policy):
    html = page(client, "/")
    assert "已录入 6 / 12 条措施" in html
    assert "第7–12条待录入" in html


def test_the_home_page_lists_all_four_pillars_with_links(client, real_policy):
    html = page(client, "/")
    for number, title in [
        (1, "提升科技与产业协同创新平台功能"),
        (2, "深化科技管理服务创新"),
        (3, "夯实企业科技创新主体地位"),
        (4, "完善科技成果转移转化支撑体系"),
    ]:
        assert title in html
        assert f'href="/policies/kjcx-2025/pillars/{number}/"' in html


def test_the_home_page_links_every_recorded_measure(client, real_policy):
    html = page(client, "/")
    for number in range(1, 7):
        assert f'href="/policies/kjcx-2025/measures/{number}/"' in html
    link = between(html, '<a href="/policies/kjcx-2025/measures/3/">', "</a>")
    assert "第3条" in link
    assert "拓展科技交流合作平台" in link
    assert 'href="/policies/kjcx-2025/measures/7/"' not in html


def test_pillars_without_recorded_measures_say_their_measures_are_pending(client, real_policy):
    html = page(client, "/")
    assert "本方面的措施待录入" in between(html, "夯实企业科技创新主体地位", "</section>")
    assert "本方面的措施待录入" in between(html, "完善科技成果转移转化支撑体系", "</section>")
    assert "本方面的措施待录入" not in between(html, "深化科技管理服务创新", "</section>")


def test_the_home_page_shows_the_preamble_as_policy_text(client, real_policy):
    preamble = between(page(client, "/"), 'class="preamble"', "</section>")
    assert "政策原文" in preamble
    assert "制定如下措施。" in preamble


def test_the_home_page_lists_the_sources_with_links(client, real_policy):
    html = page(client, "/")
    for source in real_policy.sources.all():
        assert f'href="{source.url}"' in html
        assert source.label in html


def test_the_home_page_shows_headline_figures_with_the_largest_award_first(client, real_policy):
    figures = between(page(client, "/"), 'class="figures"', "</section>")
    assert '<span class="figure__value">8</span><span class="figure__label">已录入奖补金额（项）' in figures
    largest = between(figures, 'class="top-awards"', "</ol>")
    read = text_of(largest)
    assert read.index("一次性3000万元") < read.index("最高3000万元") < read.index("最高1000万元")
    assert 'href="/policies/kjcx-2025/measures/2/#clause-2"' in largest


def test_the_policy_page_shows_the_same_policy_as_the_home_page(client, real_policy):
    html = page(client, "/policies/kjcx-2025/")
    assert "厦委发〔2025〕1号" in html
    assert "已录入 6 / 12 条措施" in html
    assert "<title>《关于深化拓展科技创新引领工程" in html


def test_pending_numbers_with_gaps_are_listed_as_ranges(client, small_policy):
    Measure.objects.filter(policy=small_policy, number=2).delete()
    assert "第2、4–5条待录入" in page(client, "/policies/test-policy/")


@pytest.mark.usefixtures("empty_database")
def test_the_home_page_without_any_policy_says_content_is_coming(client, db):
    assert "暂时没有可以浏览的政策" in page(client, "/")


def test_an_unknown_policy_is_not_found(client, real_policy):
    assert "页面不存在" in page(client, "/policies/no-such-policy/", status=404)


# The pillar page


def test_the_pillar_page_shows_its_title_measures_and_a_breadcrumb(client, real_policy):
    html = page(client, "/policies/kjcx-2025/pillars/2/")
    assert "<h1>二、深化科技管理服务创新</h1>" in html
    for number in (4, 5, 6):
        assert f'href="/policies/kjcx-2025/measures/{number}/"' in html
    assert 'href="/policies/kjcx-2025/measures/1/"' not in html
    breadcrumb = between(html, 'class="breadcrumb"', "</nav>")
    assert 'href="/policies/kjcx-2025/"' in breadcrumb
    assert 'aria-current="page">二、深化科技管理服务创新' in breadcrumb


def test_the_pillar_page_links_the_neighbouring_pillars(client, real_policy):
    html = page(client, "/policies/kjcx-2025/pillars/2/")
    assert 'rel="prev" href="/policies/kjcx-2025/pillars/1/"' in html
    assert 'rel="next" href="/policies/kjcx-2025/pillars/3/"' in html


def test_a_pillar_without_recorded_measures_says_they_are_pending(client, real_policy):
    html = page(client, "/policies/kjcx-2025/pillars/3/")
    assert "夯实企业科技创新主体地位" in html
    assert "本方面的措施待录入" in html


@pytest.mark.parametrize("url", ["/policies/kjcx-2025/pillars/9/", "/policies/no-such-policy/pillars/1/"])
def test_an_unknown_pillar_is_not_found(client, real_policy, url):
    assert "页面不存在" in page(client, url, status=404)


# The measure page


def test_measure_3_shows_its_five_awards(client, real_policy):
    html = page(client, "/policies/kjcx-2025/measures/3/")
    assert "<h1>第3条 拓展科技交流合作平台</h1>" in html
    for text in ["一次性200万元", "最高100万元", "最高50万元", "最高300万元", "最高1000万元"]:
        assert amount_html(text) in html
    assert html.count('class="award"') == 5


def test_measure_3_shows_each_awards_nature_recipient_condition_and_source_phrase(client, real_policy):
    award = between(page(client, "/policies/kjcx-2025/measures/3/"), amount_html("一次性200万元"), "</li>")
    assert "奖励" in award
    assert "国家级国际科技合作基地、对台科技合作与交流基地" in award
    assert "新入选" in award
    assert "<q>对新入选基地给予一次性200万元奖励</q>" in award


def test_measure_3_gives_each_clause_an_anchor_and_a_visible_link_to_it(client, real_policy):
    html = page(client, "/policies/kjcx-2025/measures/3/")
    assert 'id="clause-1"' in html
    assert 'href="#clause-1"' in html
    assert '<a class="clause__anchor" href="#clause-1" title="本段的链接">#<span' in html


def test_a_news_summary_is_labelled_as_a_journalists_summary_with_its_source(client, real_policy):
    clause = between(page(client, "/policies/kjcx-2025/measures/3/"), 'id="clause-1"', "</section>")
    assert "新闻摘要" in clause
    assert "记者对政策的概述" in clause
    assert "不是政策的正式文字" in clause
    assert 'href="https://tongan.xmnn.cn/jdgz/202502/t20250224_300022.htm"' in clause
    assert "厦门网 2025-02-17" in clause


def test_measure_2_shows_both_clauses_the_first_as_incomplete_policy_text(client, real_policy):
    html = page(client, "/policies/kjcx-2025/measures/2/")
    first = between(html, 'id="clause-1"', 'id="clause-2"')
    second = between(html, 'id="clause-2"', "</section>")
    assert "政策原文" in first
    assert "内容不完整，待录入" in first
    assert "强化有组织科研和重大科技攻关" in first
    assert "新闻摘要" in second
    assert "内容不完整" not in second
    assert "一次性3000万元" in second


def test_measure_6_shows_a_yearly_award_per_recipient_and_the_basis_of_another(client, real_policy):
    html = page(client, "/policies/kjcx-2025/measures/6/")
    assert amount_html("每年每家最高500万元") in html
    assert "按设备投入情况" in between(html, amount_html("最高3000万元"), "</li>")


def test_the_measure_page_has_a_breadcrumb_from_policy_to_pillar_to_measure(client, real_policy):
    breadcrumb = between(page(client, "/policies/kjcx-2025/measures/3/"), 'class="breadcrumb"', "</nav>")
    assert breadcrumb.index('href="/policies/kjcx-2025/"') < breadcrumb.index('href="/policies/kjcx-2025/pillars/1/"')
    assert "一、提升科技与产业协同创新平台功能" in breadcrumb
    assert 'aria-current="page">第3条' in breadcrumb


def test_the_measure_page_links_the_previous_and_next_measures(client, real_policy):
    html = page(client, "/policies/kjcx-2025/measures/3/")
    assert 'rel="prev" href="/policies/kjcx-2025/measures/2/"' in html
    assert 'rel="next" href="/policies/kjcx-2025/measures/4/"' in html
    assert 'rel="next"' not in page(client, "/policies/kjcx-2025/measures/6/")


def test_a_declared_but_unrecorded_measure_says_it_is_pending(client, real_policy):
    html = page(client, "/policies/kjcx-2025/measures/7/", status=404)
    assert "第7条" in html
    assert "待录入" in html
    assert 'href="/policies/kjcx-2025/"' in html


@pytest.mark.parametrize(
    "url", ["/policies/kjcx-2025/measures/13/", "/policies/kjcx-2025/measures/0/", "/policies/nope/measures/1/"]
)
def test_a_measure_beyond_the_policy_or_of_an_unknown_policy_is_not_found(client, real_policy, url):
    html = page(client, url, status=404)
    assert "页面不存在" in html
    assert "待录入" not in html


def test_the_not_found_page_is_in_chinese_and_links_home_with_debug_off(client, settings, real_policy):
    settings.DEBUG = False
    html = page(client, "/no/such/page/", status=404)
    assert '<html lang="zh-Hans">' in html
    assert "页面不存在" in html
    assert 'href="/">返回首页</a>' in html


# Escaping


@pytest.mark.usefixtures("empty_database")
def test_html_in_content_is_escaped_on_every_page(client, small_policy):
    Measure.objects.filter(policy=small_policy, number=1).update(title="<script>alert(1)</script>")
    Clause.objects.filter(measure__policy=small_policy).update(text="<b>粗体</b>")
    for url in ["/", "/policies/test-policy/pillars/1/", "/policies/test-policy/measures/1/"]:
        html = page(client, url)
        assert "<script>alert(1)</script>" not in html, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url
    measure_page = page(client, "/policies/test-policy/measures/1/")
    assert "<b>粗体</b>" not in measure_page
    assert "&lt;b&gt;粗体&lt;/b&gt;" in measure_page


# The page frame


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/", "<title>厦门科技创新政策库 · 《若干措施》</title>"),
        ("/policies/kjcx-2025/pillars/1/", "<title>一、提升科技与产业协同创新平台功能 · 《若干措施》"),
        ("/policies/kjcx-2025/measures/3/", "<title>第3条 拓展科技交流合作平台 · 《若干措施》"),
    ],
)
def test_every_page_has_its_own_title_and_description_and_the_site_landmarks(client, real_policy, url, title):
    html = page(client, url)
    assert '<html lang="zh-Hans">' in html
    assert title in html
    assert '<meta name="description" content="' in html
    assert 'name="viewport"' in html
    assert '<a class="skip-link" href="#main">' in html
    for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
        assert landmark in html
    assert 'href="/static/css/site.css"' in html


def test_the_measure_description_quotes_the_start_of_its_first_clause(client, real_policy):
    html = page(client, "/policies/kjcx-2025/measures/1/")
    assert between(html, '<meta name="description"', ">").count("培育研发产业") == 1


def test_the_stylesheet_is_served_by_the_app_and_loads_no_web_fonts():
    path = finders.find("css/site.css")
    assert path
    with open(path, encoding="utf-8") as css:
        text = css.read()
    assert "@import" not in text
    assert "@font-face" not in text
    assert "http" not in text


# Query budgets


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/", POLICY_PAGE_QUERIES),
        ("/policies/kjcx-2025/", POLICY_PAGE_QUERIES),
        ("/policies/kjcx-2025/pillars/1/", PILLAR_PAGE_QUERIES),
        ("/policies/kjcx-2025/measures/3/", MEASURE_PAGE_QUERIES),
    ],
)
def test_the_real_policys_pages_stay_within_their_query_budget(
    client, real_policy, django_assert_max_num_queries, url, queries
):
    with django_assert_max_num_queries(queries):
        page(client, url)


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/", POLICY_PAGE_QUERIES),
        ("/policies/test-policy/", POLICY_PAGE_QUERIES),
        ("/policies/test-policy/pillars/1/", PILLAR_PAGE_QUERIES),
        ("/policies/test-policy/measures/1/", MEASURE_PAGE_QUERIES),
    ],
)
def test_the_number_of_queries_does_not_grow_with_the_data(
    client, small_policy, django_assert_num_queries, url, queries
):
    with django_assert_num_queries(queries):
        page(client, url)
    add_more_data(small_policy)
    with django_assert_num_queries(queries):
        html = page(client, url)
    if url.endswith("measures/1/"):
        assert 'id="clause-4"' in html
        assert html.count('class="award"') == 7


def test_the_pending_page_and_the_not_found_page_need_at_most_two_queries_besides_the_fingerprint(
    client, real_policy, django_assert_max_num_queries
):
    with django_assert_max_num_queries(CONTENT_REVISION_QUERIES + 2):
        page(client, "/policies/kjcx-2025/measures/7/", status=404)
    with django_assert_max_num_queries(CONTENT_REVISION_QUERIES + 2):
        page(client, "/policies/kjcx-2025/measures/13/", status=404)


# Helpers


def test_numbers_are_written_as_ranges():
    assert number_ranges([7, 8, 9, 10, 11, 12]) == "7–12"
    assert number_ranges([9, 2, 3, 5, 10]) == "2–3、5、9–10"
    assert number_ranges([4]) == "4"
    assert number_ranges([]) == ""


def test_pillar_numbers_are_written_in_chinese_numerals():
    assert [zh_numeral(n) for n in (1, 4, 10, 12, 20, 99)] == ["一", "四", "十", "十二", "二十", "九十九"]
    assert zh_numeral(100) == "100"


def test_a_second_policy_does_not_replace_the_featured_one_on_the_home_page(client, real_policy, small_policy):
    assert Policy.objects.featured().first() == real_policy
    assert "厦委发〔2025〕1号" in page(client, "/")
