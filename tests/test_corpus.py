"""The synthetic benchmark corpus, `generate_corpus` (bench/corpus/generate.py): the shape the options ask
for, the same content for the same seed however it was grown, never mixed with real policies or
another seed, awards worded in their clauses, searchable like hand-entered text, and with history."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from bench.corpus import generate as corpus
from measures.domain.eligibility import ApplicationInfo, AwardRecipientKind, WindowKind
from measures.domain.models import Award, Clause, Measure, Pillar, Policy, PolicySource, PublicationStatus
from measures.domain.revision import content_revision
from measures.search import query as search
from measures.search import table as search_table
from measures.text import money, tokens
from tests.data import naive_scan
from tests.kept_rows import KEPT, keepable

pytestmark = pytest.mark.django_db

POLICIES = 3
CLAUSES = 24  # two per measure on average


def generate(*args, stderr=None):
    """Run the command with small sizes unless told otherwise; returns what it printed on stdout."""
    out = io.StringIO()
    options = ["--policies", str(POLICIES), "--clauses-per-policy", str(CLAUSES), *args]
    call_command("generate_corpus", *options, stdout=out, stderr=stderr or io.StringIO())
    return out.getvalue()


def content():
    """Everything the corpus says, keyed by natural keys (slug, numbers, positions), without ids or
    timestamps: equal for two databases holding the same corpus."""
    return dict(
        policies=list(
            Policy.objects.order_by("slug").values_list(
                "slug",
                "title",
                "document_number",
                "issuing_bodies",
                "preamble",
                "issue_date",
                "effective_date",
                "validity_years",
                "declared_measure_count",
                "is_featured",
            )
        ),
        sources=list(PolicySource.objects.order_by("policy__slug").values_list("policy__slug", "label", "url")),
        pillars=list(Pillar.objects.order_by("policy__slug", "number").values_list("policy__slug", "number", "title")),
        measures=list(
            Measure.objects.order_by("policy__slug", "number").values_list(
                "policy__slug", "number", "pillar__number", "title"
            )
        ),
        clauses=list(
            Clause.objects.order_by("measure__policy__slug", "measure__number", "position").values_list(
                "measure__policy__slug", "measure__number", "position", "text", "search_tokens"
            )
        ),
        awards=list(
            Award.objects.order_by(
                "clause__measure__policy__slug", "clause__measure__number", "clause__position", "position"
            ).values_list(
                "clause__measure__policy__slug",
                "clause__measure__number",
                "clause__position",
                "position",
                "amount_yuan",
                "limit",
                "recurrence",
                "per_recipient",
                "nature",
                "recipient",
                "condition",
                "basis",
                "source_phrase",
            )
        ),
        windows=sorted(
            ApplicationInfo.objects.values_list(
                "measure__policy__slug",
                "measure__number",
                "award__source_phrase",
                "window_kind",
                "window_opens",
                "window_closes",
            ),
            key=str,
        ),
    )


@pytest.fixture
def generated_corpus(empty_database):
    """The corpus generate() makes, for tests that only read it: built once for the tests in a row
    that ask for it (tests/kept_rows.py)."""
    if KEPT.get("generated_corpus") is None:
        _generate_corpus()


@keepable("generated_corpus")
def _generate_corpus():
    generate()
    return True


def empty_the_database():
    """Delete the content (children first: the foreign keys protect their parents)."""
    for model in (Award, Clause, Measure, Pillar, PolicySource, Policy):
        model.objects.all().delete()


def search_index_exists():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [search_table.TOKENS_INDEX])
        row = cursor.fetchone()
    return row is not None and "fastupdate=off" in row[0]


# The shape of the corpus


@pytest.mark.usefixtures("empty_database")
def test_the_corpus_has_as_many_policies_and_clauses_as_asked_each_marked_synthetic():
    output = generate("--seed", "2025")

    assert Policy.objects.count() == POLICIES
    assert PolicySource.objects.count() == POLICIES
    assert Pillar.objects.count() == POLICIES * corpus.PILLARS_PER_POLICY
    assert Measure.objects.count() == POLICIES * corpus.MEASURES_PER_POLICY
    assert Clause.objects.count() == POLICIES * CLAUSES
    assert f"新增 {POLICIES} 项政策" in output
    assert f"{POLICIES * CLAUSES} 段条款" in output
    assert f"{Award.objects.count()} 项奖补金额" in output
    assert f"写入数据库：{connection.settings_dict['NAME']}" in output

    policies = list(Policy.objects.order_by("slug"))
    assert [p.slug for p in policies] == ["synthetic-2025-0001", "synthetic-2025-0002", "synthetic-2025-0003"]
    assert all(p.title.startswith("【合成测试数据】厦门市关于") for p in policies)
    assert policies[1].title.endswith("的若干措施（第0002号）")
    # The home page shows policy 1.
    assert [p.is_featured for p in policies] == [True, False, False]
    assert Policy.objects.featured().first() == policies[0]


@pytest.mark.usefixtures("empty_database", "generated_corpus")
def test_every_measure_has_clauses_numbered_from_one_and_every_clause_reads_like_policy_text():
    for measure in Measure.objects.prefetch_related("clauses"):
        assert [c.position for c in measure.clauses.all()] == list(range(1, measure.clauses.count() + 1))
        assert measure.pillar.policy_id == measure.policy_id
    for policy in Policy.objects.all():
        assert list(policy.measures.values_list("number", flat=True)) == list(range(1, 13))
        assert policy.pending_measure_numbers == []
    for clause in Clause.objects.select_related("measure__policy"):
        assert corpus.CLAUSE_MIN_CHARS <= len(clause.text) <= corpus.CLAUSE_MAX_CHARS
        assert clause.text.endswith("。")
        assert clause.source_url == f"https://example.invalid/synthetic/{clause.measure.policy.slug}"
        assert clause.provenance == Clause.Provenance.POLICY_TEXT
        assert clause.is_complete
        assert clause.search_tokens == tokens.clause_tokens(clause.measure.title, clause.text)
    assert Clause.objects.published().count() == POLICIES * CLAUSES


@pytest.mark.usefixtures("empty_database", "generated_corpus")
def test_each_award_is_open_to_the_kind_its_recipient_names_and_the_calculator_answers_for_three(client):
    links = list(AwardRecipientKind.objects.select_related("award", "kind"))
    assert len(links) == Award.objects.count()  # one kind per award
    for link in links:
        assert link.kind.slug.startswith("synthetic-kind-")
        assert link.award.recipient.endswith(link.kind.name.removeprefix(corpus.KIND_MARK))
    slugs = sorted({link.kind.slug for link in links})[:3]
    response = client.get("/calculator/?valid=0&" + "&".join(f"kind={slug}" for slug in slugs))
    assert response.status_code == 200
    assert response.content.decode().count('class="award calculator-award"') == sum(
        1 for link in links if link.kind.slug in slugs
    )


@pytest.mark.usefixtures("empty_database", "generated_corpus")
def test_measures_and_some_awards_have_windows_of_every_kind_and_the_calendar_and_its_feed_read_them(client):
    windows = list(ApplicationInfo.objects.all())
    assert {info.window_kind for info in windows if info.measure_id} == {
        WindowKind.DATES,
        WindowKind.YEAR_ROUND,
        WindowKind.ANNUAL_NOTICE,
    }
    assert any(info.award_id for info in windows)
    assert Measure.objects.exclude(application_info__isnull=False).exists()  # some 未公布
    dated = [info for info in windows if info.window_kind == WindowKind.DATES]
    assert all(info.window_opens or info.window_closes for info in dated)
    assert all(info.window_opens <= info.window_closes for info in dated if info.window_opens and info.window_closes)
    assert client.get("/calendar/").status_code == 200
    feed = client.get("/calendar.ics")
    assert feed.status_code == 200 and feed.content.count(b"BEGIN:VEVENT") > 0


@pytest.mark.usefixtures("empty_database")
def test_about_two_clauses_in_five_name_one_or_two_awards_each_worded_in_its_clause():
    generate("--clauses-per-policy", "100")

    awards = list(Award.objects.published().select_related("clause"))
    per_clause = {}
    for award in awards:
        per_clause.setdefault(award.clause_id, []).append(award.position)
        # The amount the finder shows is the one the text states, in the same words.
        assert award.source_phrase in award.clause.text
        assert award.display_text in award.source_phrase
        assert award.amount_yuan in {money.wan_to_yuan(wan) for wan in corpus.AMOUNTS_WAN}
    assert set(map(tuple, per_clause.values())) == {(1,), (1, 2)}
    assert 0.3 < len(per_clause) / Clause.objects.count() < 0.5
    assert {a.limit for a in awards} == set(Award.Limit.values)
    assert {a.recurrence for a in awards} == set(Award.Recurrence.values)
    assert {a.nature for a in awards} == set(Award.Nature.values)
    assert {a.per_recipient for a in awards} == {True, False}


@pytest.mark.usefixtures("empty_database", "generated_corpus")
def test_everything_is_published():
    for model in (Measure, Clause, Award):
        assert set(model.objects.values_list("status", flat=True)) == {PublicationStatus.PUBLISHED}


# Reproducible from the seed


@pytest.mark.usefixtures("empty_database")
def test_the_same_seed_gives_the_same_content_and_another_seed_other_content():
    generate("--seed", "2025")
    first = content()
    empty_the_database()
    generate("--seed", "2025")
    assert content() == first

    empty_the_database()
    generate("--seed", "2026")
    other = content()
    assert [row[3] for row in other["clauses"]] != [row[3] for row in first["clauses"]]


@pytest.mark.usefixtures("empty_database")
def test_a_corpus_grown_in_steps_equals_one_generated_at_once():
    generate("--policies", "3")
    at_once = content()
    empty_the_database()

    generate("--policies", "2")
    output = generate("--policies", "3")

    assert "新增 1 项政策" in output
    assert "保留已有的 2 项政策" in output
    assert content() == at_once


@pytest.mark.usefixtures("empty_database")
def test_asking_for_fewer_policies_than_the_corpus_holds_changes_nothing():
    generate()
    before, revision = content(), content_revision().key

    output = generate("--policies", "1")

    assert "新增 0 项政策" in output
    assert content() == before
    assert content_revision().key == revision


# Kept apart from real content


def test_a_database_holding_the_real_policy_is_refused_and_nothing_is_written(real_policy):
    before, revision = content(), content_revision().key

    with pytest.raises(CommandError, match="非合成政策（kjcx-2025）.*refusing to mix"):
        generate()

    assert content() == before
    assert content_revision().key == revision
    assert not Policy.objects.filter(slug__startswith=corpus.SLUG_PREFIX).exists()
    if connection.vendor == "postgresql":  # the index dropped for the insert came back with the rollback
        assert search_index_exists()


@pytest.mark.usefixtures("empty_database")
def test_another_seeds_corpus_is_refused():
    generate("--seed", "1")
    before = content()

    with pytest.raises(CommandError, match="另一份合成语料（synthetic-1-0001），不能混入种子 12"):
        generate("--seed", "12")

    assert content() == before


@pytest.mark.usefixtures("empty_database")
def test_a_different_number_of_clauses_per_policy_is_refused_when_growing():
    generate()

    with pytest.raises(CommandError, match=f"每项有 {CLAUSES} 段条款，与 --clauses-per-policy 36 不一致"):
        generate("--policies", "4", "--clauses-per-policy", "36")

    assert Policy.objects.count() == POLICIES


@pytest.mark.usefixtures("empty_database")
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--policies", "0"], "--policies 至少为 1"),
        (["--clauses-per-policy", "11"], "--clauses-per-policy 至少为 12"),
        (["--seed", "-1"], "--seed 不能为负数"),
    ],
)
def test_options_below_their_minimum_are_refused(args, message):
    with pytest.raises(CommandError, match=message):
        generate(*args)
    assert not Policy.objects.exists()


# Searchable, with history, indexed


@pytest.mark.usefixtures("empty_database", "generated_corpus")
@pytest.mark.parametrize("query", ["高新技术企业", "中试", "金砖", "专精特新“小巨人”", "人工智能 孵化器", "脑科学"])
def test_search_finds_vocabulary_terms_exactly_as_a_substring_scan_does(query):
    parsed = search.parse_query(query)

    results = search.find(parsed, limit=POLICIES * CLAUSES)

    expected = naive_scan(parsed.terms)
    assert [clause.pk for clause in results.clauses] == expected
    assert results.total == len(expected)


@pytest.mark.usefixtures("empty_database")
def test_the_common_terms_are_found_in_many_clauses_and_the_rare_ones_in_few():
    generate("--clauses-per-policy", "100")
    texts = list(Clause.objects.values_list("text", flat=True))

    def share(term):
        return sum(term in text for text in texts) / len(texts)

    # The first terms of each list are drawn most often (a Zipf-like skew), the last ones rarely.
    assert share(corpus.ENTITIES[0]) > 0.2
    assert share(corpus.FIELDS[0]) > 0.1
    assert share(corpus.FIELDS[-1]) < 0.02


@pytest.mark.usefixtures("empty_database")
def test_history_rows_are_written_and_the_content_revision_changes():
    before = content_revision().key

    generate()

    assert content_revision().key != before
    for model in (Policy, PolicySource, Pillar, Measure, Clause, Award):
        history = model.history.all()
        assert history.count() == model.objects.count()
        assert set(history.values_list("history_type", "history_change_reason")) == {("+", corpus.CHANGE_REASON)}


@pytest.mark.usefixtures("empty_database", "generated_corpus")
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index exists on PostgreSQL only")
def test_on_postgresql_the_search_index_is_there_after_generating():

    assert search_index_exists()


# Progress


class Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.usefixtures("empty_database")
def test_progress_is_a_line_per_tenth_in_a_log(monkeypatch):
    monkeypatch.setattr(corpus, "CLAUSES_PER_FLUSH", CLAUSES)  # a write, and a report, per policy
    log = io.StringIO()

    generate(stderr=log)

    lines = log.getvalue().splitlines()
    assert lines[:3] == [
        "生成合成语料 1/3 政策 [######..............] 33%",
        "生成合成语料 2/3 政策 [#############.......] 66%",
        "生成合成语料 3/3 政策 [####################] 100%",
    ]
    # Then, on PostgreSQL, the slow steps that follow, so a long wait after 100% is explained.
    if connection.vendor == "postgresql":
        assert lines[3:] == [
            f"重建检索索引 {search_table.TOKENS_INDEX}……",
            "重建公开修改记录……",
            "更新查询统计信息（ANALYZE）……",
        ]
    else:
        assert lines[3:] == ["重建公开修改记录……"]


@pytest.mark.usefixtures("empty_database")
def test_progress_is_redrawn_in_place_on_a_terminal(monkeypatch):
    monkeypatch.setattr(corpus, "CLAUSES_PER_FLUSH", CLAUSES)
    terminal = Terminal()

    generate(stderr=terminal)

    assert terminal.getvalue().count("\r生成合成语料") == POLICIES
    assert "\r生成合成语料 3/3 政策 [####################] 100%\n" in terminal.getvalue()
    assert "\x1b[" not in terminal.getvalue()  # not coloured as an error
