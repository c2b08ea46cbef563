"""English glosses: the policy, its pillars and measures carry English titles and the recipient kinds
English names, this site's own translations, shown on English pages beside the Chinese and marked as
unofficial; editors change them in the admin, with history."""

import pytest
from django.urls import reverse

from measures.domain.eligibility import RecipientKind
from measures.domain.models import Measure, Pillar
from tests.admin_forms import form_data
from tests.html import between, page

pytestmark = pytest.mark.django_db

MEASURE_2 = "/policies/kjcx-2025/measures/2/"


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def test_an_english_measure_page_glosses_its_title_as_an_unofficial_translation(english, real_policy):
    header = between(page(english, MEASURE_2), "<h1>", "</header>")
    assert '<h1>Measure 2 <span lang="zh-Hans">加强高能级创新平台建设</span></h1>' in header
    assert (
        '<span class="gloss__label">Unofficial translation:</span> Building high-level innovation platforms' in header
    )


def test_the_chinese_pages_show_no_gloss(client, real_policy):
    assert "gloss" not in page(client, MEASURE_2)
    assert "Tech business incubator" not in page(client, "/calculator/?kind=tech-business-incubator")


def test_the_home_pages_pillars_and_measures_are_glossed(english, real_policy):
    html = page(english, "/")
    assert "Unofficial translation:</span> Deepening innovation in sci-tech management and services" in html
    assert "Unofficial translation:</span> Fostering high-end sci-tech services" in html


def test_a_kind_is_named_in_english_with_its_chinese_name_marked_in_the_finder_and_calculator(english, real_policy):
    name = 'Tech business incubator (<span lang="zh-Hans">科技型企业孵化器</span>)'
    assert f'<a class="chip" href="/awards/?kind=tech-business-incubator">{name} (1)</a>' in page(english, "/awards/")
    chosen = between(page(english, "/calculator/?kind=tech-business-incubator"), '<div class="chosen-kinds">', "</ul>")
    assert f"<span>{name}</span>" in chosen


def test_a_kind_without_an_english_name_keeps_its_chinese_one(english, real_policy):
    RecipientKind.objects.filter(slug="accelerator").update(name_en="")
    chosen = between(page(english, "/calculator/?kind=accelerator"), '<div class="chosen-kinds">', "</ul>")
    assert '<span><span lang="zh-Hans">加速器</span></span>' in chosen


def test_an_editor_changes_a_gloss_in_the_admin_and_its_history_keeps_who_and_why(editor_client, editor, real_policy):
    pillar = Pillar.objects.get(policy=real_policy, number=2)
    url = reverse("admin:measures_pillar_change", args=[pillar.pk])
    data = form_data(editor_client.get(url), "pillar")
    assert data["title_en"] == "Deepening innovation in sci-tech management and services"
    data["title_en"] = "Deepening the reform of sci-tech management and services"
    data["change_reason"] = "改进英文译名"

    assert editor_client.post(url, data).status_code == 302

    latest = pillar.history.latest()
    assert latest.title_en == "Deepening the reform of sci-tech management and services"
    assert (latest.history_user, latest.history_change_reason) == (editor, "改进英文译名")
    english = page(editor_client, "/policies/kjcx-2025/pillars/2/", HTTP_COOKIE="django_language=en")
    assert "Deepening the reform of sci-tech management and services" in english


def test_a_gloss_changed_shows_in_the_measures_history_labelled_and_marked_english(client, real_policy):
    measure = Measure.objects.get(policy=real_policy, number=2)
    measure.title_en = "Building top-level innovation platforms"
    measure._change_reason = "改进英文译名"
    measure.save()
    chinese = between(page(client, f"{MEASURE_2}history/"), '<dl class="change__fields">', "</dl>")
    diff = 'lang="en">Building <del>high</del><ins>top</ins>-level'
    assert f'<dt>英文译名（非官方）</dt><dd class="diff" {diff}' in chinese
    client.cookies["django_language"] = "en"
    english = between(page(client, f"{MEASURE_2}history/"), '<dl class="change__fields">', "</dl>")
    assert '<dt>English title (unofficial translation)</dt><dd class="diff" lang="en">Building' in english
