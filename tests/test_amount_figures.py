"""An amount's figure and its unit stay on one line: each page writes them in one <span class="amount-figure">,
which the stylesheet never wraps, so a narrow line (the 长辈版 at 200%) breaks "一次性 / 3000万元", never
"一次性3000 / 万元". tests/browser/test_large_print_and_paper.py measures it in Chromium."""

import pytest

from tests.html import between, page

pytestmark = pytest.mark.django_db


def test_award_cards_keep_the_figure_and_its_unit_together_in_both_languages(client, real_policy):
    measure = page(client, "/policies/kjcx-2025/measures/6/")
    assert '<strong class="award__amount">每年每家最高<span class="amount-figure">500万元</span></strong>' in measure
    client.cookies["django_language"] = "en"
    english = page(client, "/policies/kjcx-2025/measures/6/")
    assert 'up to <span class="amount-figure">RMB 5 million</span> per year per organisation</strong>' in english


def test_the_charts_table_in_the_elder_mode_keeps_the_figure_together(client, real_policy):
    client.cookies["elder"] = "on"
    table = between(page(client, "/"), '<table class="award-chart__table">', "</table>")
    assert '#clause-2">一次性<span class="amount-figure">3000万元</span></a>' in table
