"""Hostile content is shown as text, everywhere (GitHub issue 7, item 3).

A policy whose every editable text (titles, clause text, award fields, source label and note, change
reasons) carries `<script>alert(1)</script>` and `"><img src=x onerror=alert(1)>`, and whose source
addresses are `javascript:` URLs (which the admin and the loader refuse, but a restored backup or a
database edit does not), is read through every public page, the Atom feed, the sitemap, the admin
(lists, change pages, history and restore pages), the API and the CSV and JSON files. Each must show
the text as text: no markup of the payload reaches a browser, no `javascript:` address becomes a
link, no cell of a CSV starts a spreadsheet formula, and the API and JSON files give the strings back
exactly. Each check also asserts that the text is there, so that escaping is not passed by dropping it.
"""

import csv
import datetime
import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone

from measures.domain.models import Award, Clause, Measure, Pillar, Policy, PolicySource
from measures.editing.loader import PolicyLoader
from measures.public.formatting import web_url
from measures.search.query import highlight
from tests.admin_forms import clause_url, form_data
from tests.data import REAL_POLICY_FILE
from tests.kept_rows import KEPT, keepable

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
PAYLOAD = SCRIPT + IMG
JS_URL = "javascript:alert(1)"
MIXED_CASE_JS_URL = "JaVaScRiPt:alert(1)"

# Each text starts with a character a spreadsheet would run as a formula, for the CSV checks.
POLICY_TITLE = "=政策" + PAYLOAD
PILLAR_TITLE = "+方面" + PAYLOAD
OLD_MEASURE_TITLE = "-旧措施" + PAYLOAD
MEASURE_TITLE = "-措施" + PAYLOAD
OLD_CLAUSE_TEXT = "@旧条款孵化器" + PAYLOAD
CLAUSE_TEXT = "@条款孵化器" + PAYLOAD
SECOND_CLAUSE_TEXT = "第二段" + PAYLOAD
OLD_RECIPIENT = "=旧对象" + PAYLOAD
RECIPIENT = "=对象" + PAYLOAD
CONDITION = "+条件" + PAYLOAD
BASIS = "-依据" + PAYLOAD
SOURCE_PHRASE = "@原文" + PAYLOAD
SOURCE_LABEL = "来源" + PAYLOAD
SOURCE_NOTE = "说明" + PAYLOAD
REASON = "理由" + PAYLOAD
# Tab and carriage return before a formula: spreadsheets skip them and run what follows.
TAB_RECIPIENT = "\t=1+1"
CR_CONDITION = "\r=SUM(A1:A9)"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

SLUG = "hostile"
MEASURE_URL = f"/policies/{SLUG}/measures/1/"


def edit(row, editor, **values):
    """Save `row` as the admin does: a new version, with the editor and a (hostile) reason."""
    for name, value in values.items():
        setattr(row, name, value)
    row._change_reason = REASON
    row._history_user = editor
    row.save()


@pytest.fixture
def hostile(db):
    """A featured policy made of hostile text, then edited once (so that every history page, the
    change log and the feed show hostile text in reasons and diffs). Rows are created with the ORM,
    which, like a restored backup, does not validate: the source addresses are javascript: URLs.
    Built once for the tests in a row that ask for it (tests/kept_rows.py)."""
    kept = KEPT.get("hostile")
    return Policy.objects.get(pk=kept if kept is not None else _build_hostile())


@keepable("hostile")
def _build_hostile():
    editor = User.objects.create_user("hostile-editor", is_staff=True)
    policy = Policy.objects.create(
        slug=SLUG,
        title=POLICY_TITLE,
        document_number="文号" + SCRIPT,
        issuing_bodies="机关" + PAYLOAD,
        preamble="序言" + PAYLOAD,
        issue_date=datetime.date(2025, 1, 10),
        issue_date_note="日期" + PAYLOAD,
        declared_measure_count=3,
        is_featured=True,
    )
    PolicySource.objects.create(policy=policy, position=1, label=SOURCE_LABEL, url=JS_URL, note=SOURCE_NOTE)
    pillar = Pillar.objects.create(policy=policy, number=1, title=PILLAR_TITLE)
    measure = Measure.objects.create(policy=policy, pillar=pillar, number=1, title=OLD_MEASURE_TITLE)
    clause = Clause.objects.create(
        measure=measure, position=1, text=OLD_CLAUSE_TEXT, provenance=Clause.Provenance.POLICY_TEXT, source_url=JS_URL
    )
    Clause.objects.create(
        measure=measure,
        position=2,
        text=SECOND_CLAUSE_TEXT,
        provenance=Clause.Provenance.NEWS_SUMMARY,
        source_url=MIXED_CASE_JS_URL,  # no source has it: the page shows the address itself
    )
    award = Award.objects.create(
        clause=clause,
        position=1,
        amount_yuan=5_000_000,
        limit=Award.Limit.CEILING,
        recurrence=Award.Recurrence.PER_YEAR,
        per_recipient=True,
        nature=Award.Nature.REWARD,
        recipient=OLD_RECIPIENT,
        condition=CONDITION,
        basis=BASIS,
        source_phrase=SOURCE_PHRASE,
    )
    Award.objects.create(
        clause=clause,
        position=2,
        amount_yuan=1_000_000,
        limit=Award.Limit.EXACT,
        recurrence=Award.Recurrence.ONCE,
        nature=Award.Nature.SUBSIDY,
        recipient=TAB_RECIPIENT,
        condition=CR_CONDITION,
        source_phrase="给予100万元补助",
    )
    edit(measure, editor, title=MEASURE_TITLE)
    edit(clause, editor, text=CLAUSE_TEXT)
    edit(award, editor, recipient=RECIPIENT)
    return policy.pk


# --- reading HTML ------------------------------------------------------------------------------


class Markup(HTMLParser):
    """What a browser would make of a page: its elements with their attributes, its text (the
    character data outside scripts, joined, so that text split by <mark> reads whole), the
    content of its inline scripts and that of its data blocks (JSON-LD), which no browser runs."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.elements = []  # (tag, {attribute: value})
        self.chunks = []
        self.scripts = []
        self.data_blocks = []
        self.in_script = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}))
        self.in_script = tag == "script"
        self.in_data_block = self.in_script and ("type", "application/ld+json") in attrs

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script:
            (self.data_blocks if self.in_data_block else self.scripts).append(data)
        else:
            self.chunks.append(data)

    @property
    def text(self):
        return "".join(self.chunks)

    @property
    def attribute_values(self):
        return [value for _tag, attrs in self.elements for value in attrs.values()]


LINK_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data"}
JAVASCRIPT_HREF = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def is_script_url(value):
    # Browsers ignore white space and control characters around and inside a scheme.
    return re.sub(r"[\x00-\x20]", "", value).lower().startswith(("javascript:", "vbscript:", "data:"))


def assert_inert(html, *, inline_scripts_allowed=False):
    """Nothing of the payload is markup: no script or img of it, no event handler, no script link."""
    assert SCRIPT not in html
    assert "<img src=x" not in html.lower()
    assert not JAVASCRIPT_HREF.search(html)
    markup = Markup(html)
    for tag, attrs in markup.elements:
        assert tag != "img" or "onerror" not in attrs, attrs
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        for name in LINK_ATTRIBUTES & attrs.keys():
            assert not is_script_url(attrs[name]), (tag, attrs)
        # The site's own script files are fine (static/js/page-tools.js on every content page), and so is
        # the JSON-LD data block, which no browser runs (its text is checked by the SCRIPT test above):
        # what the payload must never become is a script of its own.
        own = attrs.get("src", "").startswith("/static/js/") or attrs.get("type") == "application/ld+json"
        if tag == "script" and not inline_scripts_allowed and not own:
            pytest.fail(f"a <script> element on a public page: {attrs}")
    assert not any("alert(1)" in script for script in markup.scripts)
    for block in markup.data_blocks:
        json.loads(block)  # the payload stayed inside the data's strings: the block is still whole JSON
    return markup


def assert_shown(markup, texts):
    """Each text is on the page as text (the content is escaped, not dropped)."""
    for text in texts:
        assert text in markup.text, text


# --- the public pages ----------------------------------------------------------------------------

EVERYTHING_ON_THE_POLICY = [POLICY_TITLE, PILLAR_TITLE, MEASURE_TITLE, RECIPIENT, SOURCE_LABEL, SOURCE_NOTE]
EVERYTHING_ON_THE_MEASURE = [
    POLICY_TITLE,
    PILLAR_TITLE,
    MEASURE_TITLE,
    CLAUSE_TEXT,
    SECOND_CLAUSE_TEXT,
    RECIPIENT,
    CONDITION,
    BASIS,
    SOURCE_PHRASE,
    SOURCE_LABEL,
    MIXED_CASE_JS_URL,
]
TODAY = "{today}"  # replaced by today's date in Xiamen when the test runs

PUBLIC_PAGES = [
    ("home", "/", 200, EVERYTHING_ON_THE_POLICY),
    ("policy", f"/policies/{SLUG}/", 200, EVERYTHING_ON_THE_POLICY),
    ("pillar", f"/policies/{SLUG}/pillars/1/", 200, [POLICY_TITLE, PILLAR_TITLE, MEASURE_TITLE]),
    ("measure", MEASURE_URL, 200, EVERYTHING_ON_THE_MEASURE),
    ("pending measure", f"/policies/{SLUG}/measures/2/", 404, [POLICY_TITLE]),
    ("measure history", f"{MEASURE_URL}history/", 200, [POLICY_TITLE, MEASURE_TITLE, REASON]),
    ("measure as of today", f"{MEASURE_URL}?as_of={TODAY}", 200, EVERYTHING_ON_THE_MEASURE),
    ("measure as of a hostile date", f"{MEASURE_URL}?as_of={quote(PAYLOAD)}", 400, [PAYLOAD, MEASURE_TITLE]),
    ("changes", "/changes/", 200, [MEASURE_TITLE, REASON]),
    ("finder", "/awards/", 200, [POLICY_TITLE, PILLAR_TITLE, MEASURE_TITLE, RECIPIENT, CONDITION, BASIS]),
    ("finder of the policy", f"/awards/?policy={SLUG}&sort=amount", 200, [POLICY_TITLE, RECIPIENT]),
    ("finder with hostile filters", f"/awards/?band={quote(PAYLOAD)}&min={quote(PAYLOAD)}", 200, [PAYLOAD]),
    ("search", "/search/?q=孵化器", 200, [POLICY_TITLE, MEASURE_TITLE, CLAUSE_TEXT]),
    ("search highlighting inside the payload", "/search/?q=script+onerror", 200, [MEASURE_TITLE, CLAUSE_TEXT]),
    ("search for the payload", f"/search/?q={quote(SCRIPT)}", 200, [SCRIPT, CLAUSE_TEXT]),
    ("search for the attribute breaker", f"/search/?q={quote(IMG)}", 200, [CLAUSE_TEXT]),
    ("downloads", "/downloads/", 200, []),
]


@pytest.mark.usefixtures("empty_database")
@pytest.mark.parametrize(("url", "status", "shown"), [p[1:] for p in PUBLIC_PAGES], ids=[p[0] for p in PUBLIC_PAGES])
def test_hostile_content_is_text_on_every_public_page(client, hostile, url, status, shown):
    response = client.get(url.replace(TODAY, timezone.localdate().isoformat()))
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    markup = assert_inert(response.content.decode())
    assert_shown(markup, shown)


def test_search_marks_terms_inside_escaped_markup(client, hostile):
    html = client.get("/search/?q=script").content.decode()
    assert_inert(html)
    # The term is found inside the payload, and marked there, with the payload's brackets escaped.
    assert "&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt;" in html


@pytest.mark.parametrize(
    ("text", "terms", "expected"),
    [
        (SCRIPT, ("script",), "&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt;"),
        (SCRIPT, ("<script>",), "<mark>&lt;script&gt;</mark>alert(1)&lt;/script&gt;"),
        (IMG, ('">',), "<mark>&quot;&gt;</mark>&lt;img src=x onerror=alert(1)&gt;"),
        (IMG, ("mark",), "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"),
        ("<mark>x</mark>", ("mark",), "&lt;<mark>mark</mark>&gt;x&lt;/<mark>mark</mark>&gt;"),
        ("a & b &amp; c", ("&",), "a <mark>&amp;</mark> b <mark>&amp;</mark>amp; c"),
        (SCRIPT, (), "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ],
)
def test_highlight_escapes_the_text_around_and_inside_every_mark(text, terms, expected):
    assert str(highlight(text, terms, width=None)) == expected


def test_a_javascript_source_is_shown_as_text_not_as_a_link(client, hostile):
    markup = assert_inert(client.get(MEASURE_URL).content.decode())
    links = [attrs.get("href", "") for tag, attrs in markup.elements if tag == "a"]
    assert not any("alert" in href for href in links)
    assert f"来源：{SOURCE_LABEL}" in markup.text  # the source's label, unlinked
    assert f"来源：{MIXED_CASE_JS_URL}" in markup.text  # an address no source has: itself, unlinked
    sources = assert_inert(client.get(f"/policies/{SLUG}/").content.decode())
    assert SOURCE_LABEL in sources.text
    assert not any(attrs.get("href") == JS_URL for _tag, attrs in sources.elements)


def test_a_web_source_is_still_a_link(client, hostile):
    PolicySource.objects.update(url="https://example.org/news?a=1&b=2")
    Clause.objects.update(source_url="https://example.org/news?a=1&b=2")
    html = client.get(MEASURE_URL).content.decode()
    assert '<a href="https://example.org/news?a=1&amp;b=2" rel="noopener noreferrer">' in html
    html = client.get(f"/policies/{SLUG}/").content.decode()
    assert '<a href="https://example.org/news?a=1&amp;b=2" rel="noopener noreferrer">' in html


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "javascript://example.org/%0Aalert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
        "//evil.example/",
        "/relative/path",
        "",
        None,
    ],
)
def test_web_url_refuses_every_address_that_is_not_a_web_link(url):
    assert web_url(url) == ""


@pytest.mark.parametrize("url", ["https://example.org/news", "http://www.xm.gov.cn/a?b=1&c=2#d", "ftp://example.org/f"])
def test_web_url_keeps_web_addresses(url):
    assert web_url(url) == url


# --- how a javascript: address could get in ------------------------------------------------------


@pytest.mark.usefixtures("empty_database")
def test_the_loader_refuses_a_javascript_source(db):
    data = json.loads(REAL_POLICY_FILE.read_text(encoding="utf-8"))
    data["sources"][0]["url"] = JS_URL
    with pytest.raises(ValidationError) as refused:
        PolicyLoader().load(data)
    assert "url" in refused.value.message_dict
    assert not Policy.objects.exists()


def test_the_admin_refuses_a_javascript_source(editor_client, small_policy):
    clause = Clause.objects.get(measure__policy=small_policy)
    data = form_data(editor_client.get(clause_url(clause)), "clause")
    data["source_url"] = JS_URL
    response = editor_client.post(clause_url(clause), data)
    assert response.status_code == 200  # the form again, with the error
    assert_inert(response.content.decode(), inline_scripts_allowed=True)
    clause.refresh_from_db()
    assert clause.source_url == "https://example.org/news"


# --- the feed and the sitemap -------------------------------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.mark.usefixtures("empty_database")
def test_hostile_content_is_text_in_the_atom_feed(client, hostile):
    response = client.get("/changes/feed/")
    assert response.status_code == 200
    xml = response.content.decode()
    assert "<script" not in xml
    assert "<img" not in xml
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) >= 3  # at least the edits of the measure's title, the clause's text, the award's recipient
    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert any(MEASURE_TITLE in title for title in titles)  # a text element: the payload as text
    for entry in entries:
        for link in entry.findall(f"{ATOM}link"):
            assert link.get("href").startswith("http://testserver/policies/hostile/measures/1/history/#")
        summary = entry.find(f"{ATOM}summary")
        assert summary.get("type") == "html"
        # A reader renders the summary as HTML: it must hold the hostile text escaped.
        markup = assert_inert(summary.text)
        assert {tag for tag, _attrs in markup.elements} <= {"p", "ul", "li"}
    shown = "".join(Markup(entry.find(f"{ATOM}summary").text).text for entry in entries)
    assert shown.count(REASON) == 3
    for text in (OLD_MEASURE_TITLE, MEASURE_TITLE, OLD_CLAUSE_TEXT, CLAUSE_TEXT, OLD_RECIPIENT, RECIPIENT):
        assert text in shown


def test_the_sitemap_lists_the_hostile_policy_by_its_slug_only(client, hostile):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    assert "<script" not in xml and "alert(1)" not in xml
    locations = [
        loc.text for loc in ET.fromstring(response.content).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    ]
    assert "http://testserver/policies/hostile/measures/1/" in locations
    assert all(loc.startswith("http://testserver/") for loc in locations)


# --- the admin ------------------------------------------------------------------------------------


def admin_url(policy, model, kind):
    """An admin page showing one of the hostile rows: its list, change page, history, or old version."""
    measure = policy.measures.get()
    clause = measure.clauses.get(position=1)
    obj = {
        "policy": policy,
        "pillar": policy.pillars.get(),
        "measure": measure,
        "clause": clause,
        "award": clause.awards.get(position=1),
    }[model]
    return {
        "list": f"/admin/measures/{model}/",
        "change": f"/admin/measures/{model}/{obj.pk}/change/",
        "history": f"/admin/measures/{model}/{obj.pk}/history/",
        "old version": f"/admin/measures/{model}/{obj.pk}/history/{obj.history.earliest().history_id}/",
    }[kind]


@pytest.mark.parametrize("model", ["policy", "pillar", "measure", "clause", "award"])
@pytest.mark.parametrize("kind", ["list", "change", "history", "old version"])
def test_hostile_content_is_text_in_the_admin(editor_client, hostile, model, kind):
    url = admin_url(hostile, model, kind)
    response = editor_client.get(url)
    assert response.status_code == 200, url
    # The admin loads its own scripts (src=…); none may contain the payload.
    markup = assert_inert(response.content.decode(), inline_scripts_allowed=True)
    # Shown as text, or as the value of a form field on the change pages.
    # (The clause list shows the first 40 characters of a clause: the <script> part only.)
    for text in (SCRIPT,) if (model, kind) == ("clause", "list") else (SCRIPT, IMG):
        assert text in markup.text or any(text in value for value in markup.attribute_values), (url, text)
    if kind == "history" and model in ("measure", "clause", "award"):
        assert REASON in markup.text


@pytest.mark.parametrize("model", ["policy", "pillar", "measure", "clause", "award"])
def test_an_admin_search_for_the_payload_is_escaped(editor_client, hostile, model):
    response = editor_client.get(f"/admin/measures/{model}/?q={quote(SCRIPT)}")
    assert response.status_code == 200
    markup = assert_inert(response.content.decode(), inline_scripts_allowed=True)
    assert SCRIPT in markup.attribute_values  # the search box keeps the query


def test_the_admin_shows_a_javascript_source_without_a_link(editor_client, hostile):
    response = editor_client.get(f"/admin/measures/policy/{hostile.pk}/change/")
    markup = assert_inert(response.content.decode(), inline_scripts_allowed=True)
    assert JS_URL in markup.attribute_values  # in the source's address box, to be corrected
    assert not any(attrs.get("href") == JS_URL for _tag, attrs in markup.elements)


# --- the API --------------------------------------------------------------------------------------

API_PAGES = [
    ("/api/v1/policies/", [POLICY_TITLE, SOURCE_LABEL, SOURCE_NOTE, JS_URL, "机关" + PAYLOAD]),
    (f"/api/v1/policies/{SLUG}/", [POLICY_TITLE, SOURCE_LABEL, JS_URL]),
    ("/api/v1/pillars/", [PILLAR_TITLE]),
    ("/api/v1/measures/", [MEASURE_TITLE]),
    ("/api/v1/clauses/", [CLAUSE_TEXT, SECOND_CLAUSE_TEXT, JS_URL, MIXED_CASE_JS_URL]),
    ("/api/v1/awards/", [RECIPIENT, CONDITION, BASIS, SOURCE_PHRASE, TAB_RECIPIENT, CR_CONDITION]),
    ("/api/v1/search/?q=孵化器", [MEASURE_TITLE, CLAUSE_TEXT]),
    (f"/api/v1/search/?q={quote(SCRIPT)}", [MEASURE_TITLE, CLAUSE_TEXT, SECOND_CLAUSE_TEXT]),
    (f"/api/v1/awards/?band={quote(PAYLOAD)}", []),
]


def strings(value):
    """Every string in a JSON document."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


@pytest.mark.parametrize("accept", ["application/json", "text/html", "*/*"])
@pytest.mark.parametrize(("url", "verbatim"), API_PAGES, ids=[url for url, _ in API_PAGES])
def test_the_api_gives_hostile_content_back_verbatim_as_json(client, hostile, url, verbatim, accept):
    response = client.get(url, HTTP_ACCEPT=accept)
    # JSON is data: whatever the client accepts, never HTML, and browsers must not sniff it as HTML.
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    assert response["X-Content-Type-Options"] == "nosniff"
    document = json.loads(response.content)
    if accept == "text/html":
        assert response.status_code in (200, 400, 406)
        return
    found = set(strings(document))
    for text in verbatim:
        assert text in found, text
    if "band=" in url:
        assert response.status_code == 400
        assert any(PAYLOAD in message for message in found)  # named in the message, as data


def test_api_search_snippets_are_plain_text(client, hostile):
    document = client.get(f"/api/v1/search/?q={quote(SCRIPT)}").json()
    snippets = {result["snippet"] for result in document["results"]}
    assert snippets == {CLAUSE_TEXT, SECOND_CLAUSE_TEXT}  # the text itself: no <mark>, no &lt;


# --- CSV and JSON files ---------------------------------------------------------------------------

CSV_FILES = [
    ("/awards/export.csv", [POLICY_TITLE, MEASURE_TITLE, RECIPIENT, CONDITION, BASIS, SOURCE_PHRASE]),
    (f"/awards/export.csv?policy={SLUG}&sort=amount", [RECIPIENT, TAB_RECIPIENT, CR_CONDITION]),
    ("/downloads/awards.csv", [POLICY_TITLE, MEASURE_TITLE, RECIPIENT, CONDITION, BASIS, SOURCE_PHRASE]),
    ("/downloads/clauses.csv", [POLICY_TITLE, MEASURE_TITLE, CLAUSE_TEXT, SECOND_CLAUSE_TEXT, JS_URL]),
]


@pytest.mark.parametrize(("url", "values"), CSV_FILES, ids=[url for url, _ in CSV_FILES])
def test_no_csv_cell_starts_a_formula_and_every_value_is_kept(client, hostile, url, values):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    cells = [cell for row in rows[1:] for cell in row]
    assert rows[1:], "no rows"
    for cell in cells:
        assert not cell.startswith(FORMULA_PREFIXES), repr(cell)
    for value in values:
        expected = "'" + value if value.startswith(FORMULA_PREFIXES) else value
        assert expected in cells, repr(expected)


@pytest.mark.parametrize(
    ("url", "values"),
    [
        ("/downloads/awards.json", [POLICY_TITLE, MEASURE_TITLE, RECIPIENT, TAB_RECIPIENT, CR_CONDITION]),
        ("/downloads/clauses.json", [CLAUSE_TEXT, SECOND_CLAUSE_TEXT, JS_URL, MIXED_CASE_JS_URL]),
    ],
)
def test_the_json_downloads_keep_hostile_text_verbatim(client, hostile, url, values):
    response = client.get(url)
    assert response["Content-Type"].startswith("application/json")
    found = set(strings(json.loads(response.content)))
    for value in values:
        assert value in found, repr(value)
        assert "'" + value not in found  # no quote added: JSON is not a spreadsheet
