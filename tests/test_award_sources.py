"""Sources beside every amount: the finder's and the calculator's award cards say where each amount comes
from (政策原文 or 新闻摘要, and the clause, linked) and the calculator each award's condition; a measure's
related documents appear beside its awards in the calculator, and search finds them by name."""

from measures.domain.models import Clause
from tests.html import amount_html, between, page

INCUBATOR = "tech-business-incubator"
INCUBATOR_RULES = "《厦门市科技型企业孵化器管理办法(征求意见稿)》"


def card(html, amount):
    """The award card holding `amount` (a display text), from its list item to its end."""
    shown = html.index(amount_html(amount))
    return html[html.rindex("<li", 0, shown) : html.index("</li>", shown)]


def test_a_finder_card_says_its_amount_is_a_news_summary_and_links_the_paragraph(client, real_policy):
    html = page(client, "/awards/")
    award = card(html, "每年每家最高500万元")
    source = between(award, '<p class="award-source">', "</p>")
    assert '<span class="badge badge--news_summary">新闻摘要</span>' in source
    assert '<a href="/policies/kjcx-2025/measures/6/#clause-1">第6条第1段</a>' in source
    assert "记者对政策的概述" in source


def test_a_card_follows_its_clause_when_the_clause_is_official_text(client, real_policy):
    Clause.objects.filter(measure__number=6, measure__policy=real_policy).update(
        provenance=Clause.Provenance.POLICY_TEXT
    )
    for url in ("/awards/", f"/calculator/?kind={INCUBATOR}"):
        source = between(card(page(client, url), "每年每家最高500万元"), '<p class="award-source">', "</p>")
        assert '<span class="badge badge--policy_text">政策原文</span>' in source, url
        assert "记者" not in source, url


def test_the_calculator_says_what_may_apply_and_each_awards_condition_first(client, real_policy):
    html = page(client, "/calculator/?kind=national-key-laboratory")
    assert '<h2 id="calculator-answer" tabindex="-1" data-focus-on-arrival>可能适用的奖补</h2>' in html
    assert "可以申请的奖补" not in html
    award = card(html, "一次性3000万元")
    condition = between(award, '<p class="award__condition">', "</p>")
    assert "适用条件：" in condition and "新获批建设（含重组入列）" in condition
    # Stated before the facts list, and the source line links the clause with its provenance.
    assert award.index("award__condition") < award.index("award__facts")
    assert 'href="/policies/kjcx-2025/measures/2/#clause-2">第2条第2段</a>' in award
    assert "新闻摘要" in between(award, '<p class="award-source">', "</p>")


def test_an_award_whose_source_states_no_condition_says_so(client, real_policy):
    award = card(page(client, "/calculator/?kind=brics-innovation-project"), "最高300万元")
    assert "适用条件：</span>来源未写明" in award


def test_an_incubator_sees_the_draft_incubator_rules_beside_its_awards(client, real_policy):
    html = page(client, f"/calculator/?kind={INCUBATOR}")
    measure = between(html, "第6条", "</ul>")
    documents = between(measure, '<p class="measure-documents">', "</p>")
    assert INCUBATOR_RULES in documents and "征求意见稿" in documents
    assert 'href="http://sti.xm.gov.cn/xxgk/tzgg/202509/t20250905_2954194.htm"' in documents
    # Measure 3's awards concern no document: no line there.
    assert "measure-documents" not in page(client, "/calculator/?kind=brics-innovation-project")


def test_the_calculator_in_english_keeps_document_titles_marked_chinese(client, real_policy):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = page(client, f"/calculator/?kind={INCUBATOR}")
    assert "Awards that may apply" in html and "Condition: " in html and "Amount from: " in html
    assert f'lang="zh-Hans">{INCUBATOR_RULES}</a>' in between(html, '<p class="measure-documents">', "</p>")


def test_search_lists_the_related_documents_its_words_name(client, real_policy):
    html = page(client, "/search/?q=孵化器")
    documents = between(html, '<section class="search-documents"', "</section>")
    assert INCUBATOR_RULES in documents and "征求意见稿" in documents
    assert 'href="/policies/kjcx-2025/#related-docs-heading"' in documents
    research = between(page(client, "/search/?q=新型研发机构"), '<section class="search-documents"', "</section>")
    assert "《厦门市新型研发机构管理办法》" in research and "孵化器" not in research
    # By its 文号 too; and nothing when no document is named.
    assert "《厦门市新型研发机构管理办法》" in page(client, "/search/?q=厦科规")
    assert "search-documents" not in page(client, "/search/?q=金砖")
