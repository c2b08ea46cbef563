"""The editors' admin shows no English to a Chinese editor: every page an editor opens (the index, each
model's list, add, change and history pages, 从原文导入, the login page) and the admin's JavaScript
catalogue, read for English words, allowing names and codes (ALLOWED_WORDS). Also the error summary."""

import html as html_entities
import json
import re

import pytest
from django.contrib import admin
from django.test import Client

from measures.domain.eligibility import ApplicationInfo, Department, RecipientKind
from measures.domain.models import Measure, Pillar, Policy

# English an editor may see in a Chinese admin: the site's name, file types and encodings in the import
# form, units, and the values of the records themselves (addresses are removed before reading).
ALLOWED_WORDS = {"xmpolicy", "txt", "docx", "Word", "UTF", "GB", "GBK", "MB", "editor"}
# What is not text on the screen (scripts, styles, icons, comments) or is code (a list's 网址标识 column).
NOT_SHOWN = re.compile(r"<(script|style|svg|template)\b.*?</\1>|<!--.*?-->|<td class=\"field-slug\">[^<]*", re.S)
SHOWN_ATTRIBUTES = re.compile(
    r'\b(?:title|placeholder|aria-label|alt)="([^"]*)"|<input[^>]*type="submit"[^>]*value="([^"]*)"'
)
TAG = re.compile(r"<[^>]+>")
# Code, not words: addresses, paths and anchors (/calculator/?kind=, #clause-1), slugs (kjcx-2025).
CODE = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|[/#][\w./?=&#-]+|\b[a-z0-9]+(?:-[a-z0-9]+)+\b")
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")


def english_words(html: str) -> set[str]:
    """The English words a reader sees on a page: its text and the attributes read aloud or shown."""
    html = NOT_SHOWN.sub(" ", html)
    shown = [value for pair in SHOWN_ATTRIBUTES.findall(html) for value in pair if value]
    text = " ".join([TAG.sub(" ", html), *shown])
    text = CODE.sub(" ", html_entities.unescape(text))
    return set(ENGLISH_WORD.findall(text)) - ALLOWED_WORDS


def model_pages(client, model) -> list[str]:
    """The list, add, change and history pages of a model that the editor may open."""
    opts = model._meta
    base = f"/admin/{opts.app_label}/{opts.model_name}/"
    if client.get(base).status_code == 403:
        return []
    urls = [base, f"{base}?q=孵化", f"{base}add/"]
    row = model._default_manager.order_by("pk").first()
    if row is not None:
        urls += [f"{base}{row.pk}/change/", f"{base}{row.pk}/history/"]
    return urls


@pytest.fixture
def every_kind_of_row(real_policy):
    """A row for the models the real policy leaves empty, so that their change pages are read too."""
    info = ApplicationInfo.objects.create(measure=Measure.objects.filter(policy=real_policy).first(), hotline="12345")
    info.department_links.create(department=Department.objects.create(name="厦门市科学技术局", phone="0592-1234567"))
    return real_policy


def english_glosses() -> set[str]:
    """The words of the English glosses: content editors write in English (英文译名), not the interface."""
    glosses = [
        *Policy.objects.values_list("title_en", flat=True),
        *Pillar.objects.values_list("title_en", flat=True),
        *Measure.objects.values_list("title_en", flat=True),
        *RecipientKind.objects.values_list("name_en", flat=True),
    ]
    return {word for gloss in glosses for word in ENGLISH_WORD.findall(gloss)}


def test_every_admin_page_an_editor_opens_is_in_chinese(editor_client, every_kind_of_row):
    urls = ["/admin/", "/admin/measures/", "/admin/measures/policy/import/"]
    english_content = english_glosses()
    for model in sorted(admin.site._registry, key=lambda model: model._meta.label):
        urls += model_pages(editor_client, model)
    found = {}
    for url in urls:
        response = editor_client.get(url)
        if response.status_code == 403:
            continue  # an add page of what editors may not add: not a page they see
        assert response.status_code == 200, url
        words = english_words(response.content.decode()) - english_content
        if words:
            found[url] = sorted(words)
    assert found == {}
    assert len(urls) > 30


def test_the_login_page_and_its_refusals_are_in_chinese(db, editor):
    client = Client()
    page = client.get("/admin/login/").content.decode()
    assert english_words(page) == set()

    refused = client.post("/admin/login/", {"username": "editor", "password": "wrong"}).content.decode()

    assert "用户名或密码不正确（区分大小写），或者这不是编辑账号。请重新输入。" in refused
    assert english_words(refused) == set()


def test_the_admins_javascript_catalogue_translates_every_string_of_the_kinds_selector(editor_client):
    """The two-box selector's script (SelectFilter2.js) asks the catalogue for these; a missing one
    shows in English ("Choose all 申报主体类别")."""
    source = editor_client.get("/admin/jsi18n/").content.decode()
    catalogue = json.loads(re.search(r"const newcatalog = (\{.*?\});", source, re.S).group(1))
    selector = [
        "Available %s",
        "Chosen %s",
        'Choose %s by selecting them and then select the "Choose" arrow button.',
        'Remove %s by selecting them and then select the "Remove" arrow button.',
        "Choose all %s",
        "Remove all %s",
        "Choose selected %s",
        "Remove selected %s",
        "Type into this box to filter down the list of available %s.",
        "Type into this box to filter down the list of selected %s.",
        "Filter",
        "(click to clear)",
    ]
    untranslated = [message for message in selector if not re.search(r"[\u4e00-\u9fff]", str(catalogue.get(message)))]
    assert untranslated == []
    assert catalogue["Choose all %s"] == "全选%s"
