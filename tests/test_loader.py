"""The real policy, loaded by `load_policy` from fixtures/kjcx-2025.json."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from measures.domain.models import Award, Clause, Measure, Pillar, Policy, PolicySource
from measures.editing.loader import PolicyLoader
from measures.editing.publishing import start_draft_of_change
from tests.data import REAL_POLICY_FILE

NEWS_URL = "https://tongan.xmnn.cn/jdgz/202502/t20250224_300022.htm"


def snapshot():
    """Every loaded row with every field, to compare the database before and after a load."""
    return [
        list(model.objects.order_by("pk").values()) for model in (Policy, PolicySource, Pillar, Measure, Clause, Award)
    ]


def load(*args):
    out = io.StringIO()
    call_command("load_policy", *args, stdout=out)
    return out.getvalue()


def load_an_earlier_file(change):
    """Load the policy file as it stood before a correction: `change` edits its data in place."""
    data = json.loads(REAL_POLICY_FILE.read_text(encoding="utf-8"))
    change(data)
    PolicyLoader().load(data)


def test_the_policy_is_loaded_with_its_metadata(real_policy):
    assert real_policy.title == "关于深化拓展科技创新引领工程 推动科技创新和产业创新深度融合的若干措施"
    assert real_policy.document_number == "厦委发〔2025〕1号"
    assert real_policy.issuing_bodies == "中共厦门市委、厦门市人民政府"
    assert real_policy.issue_date_confirmed is False
    assert str(real_policy.issue_date) == "2025-02-17"
    assert real_policy.validity_years == 3
    assert str(real_policy.expiry_date) == "2028-02-16"
    assert real_policy.declared_measure_count == 12


def test_four_pillars_and_measures_one_to_six_are_recorded_and_seven_to_twelve_are_pending(real_policy):
    assert list(real_policy.pillars.values_list("number", "title")) == [
        (1, "提升科技与产业协同创新平台功能"),
        (2, "深化科技管理服务创新"),
        (3, "夯实企业科技创新主体地位"),
        (4, "完善科技成果转移转化支撑体系"),
    ]
    assert list(real_policy.measures.values_list("number", "pillar__number")) == [
        (1, 1),
        (2, 1),
        (3, 1),
        (4, 2),
        (5, 2),
        (6, 2),
    ]
    assert real_policy.recorded_measure_numbers == [1, 2, 3, 4, 5, 6]
    assert real_policy.pending_measure_numbers == [7, 8, 9, 10, 11, 12]


def test_each_clause_says_where_its_text_comes_from(real_policy):
    clauses = {
        (c.measure.number, c.position): c
        for c in Clause.objects.select_related("measure").filter(measure__policy=real_policy)
    }
    assert sorted(clauses) == [(1, 1), (2, 1), (2, 2), (3, 1), (4, 1), (5, 1), (6, 1)]
    official_1, official_2 = clauses[1, 1], clauses[2, 1]
    assert official_1.provenance == official_2.provenance == Clause.Provenance.POLICY_TEXT
    assert official_1.is_complete and not official_2.is_complete
    assert official_1.text.startswith("培育研发产业")
    assert official_2.text.endswith("氢能与储能等优势领域，支")
    for key in [(2, 2), (3, 1), (4, 1), (5, 1), (6, 1)]:
        assert clauses[key].provenance == Clause.Provenance.NEWS_SUMMARY
        assert clauses[key].source_url == NEWS_URL
        assert clauses[key].is_complete


# (measure, amount in yuan, limit, recurrence, per recipient, nature, display, source phrase)
EXPECTED_AWARDS = [
    (2, 30_000_000, "exact", "once", False, "reward", "一次性3000万元", "给予一次性3000万元奖励"),
    (3, 2_000_000, "exact", "once", False, "reward", "一次性200万元", "对新入选基地给予一次性200万元奖励"),
    (
        3,
        1_000_000,
        "ceiling",
        "unspecified",
        False,
        "reward",
        "最高100万元",
        "考核评估优良的分别给予不超过100万元、50万元奖励",
    ),
    (
        3,
        500_000,
        "ceiling",
        "unspecified",
        False,
        "reward",
        "最高50万元",
        "考核评估优良的分别给予不超过100万元、50万元奖励",
    ),
    (3, 3_000_000, "ceiling", "unspecified", False, "support", "最高300万元", "对金砖创新合作项目给予最高300万元支持"),
    (3, 10_000_000, "ceiling", "unspecified", False, "support", "最高1000万元", "给予最高1000万元支持"),
    (6, 5_000_000, "ceiling", "per_year", True, "reward", "每年每家最高500万元", "给予每年每家最高500万元奖励"),
    (6, 30_000_000, "ceiling", "unspecified", False, "subsidy", "最高3000万元", "按设备投入情况给予最高3000万元补助"),
]


def test_the_eight_awards_have_their_exact_amounts_and_kinds(real_policy):
    awards = Award.objects.select_related("clause__measure").order_by("clause__measure__number", "position")
    assert [
        (
            a.clause.measure.number,
            a.amount_yuan,
            a.limit,
            a.recurrence,
            a.per_recipient,
            a.nature,
            a.display_text,
            a.source_phrase,
        )
        for a in awards
    ] == EXPECTED_AWARDS


def test_every_award_phrase_is_found_in_its_clause_text(real_policy):
    for award in Award.objects.select_related("clause"):
        assert award.source_phrase in award.clause.text


def test_recipients_and_conditions_follow_the_source(real_policy):
    platform = Award.objects.get(amount_yuan=30_000_000, nature=Award.Nature.REWARD)
    assert platform.recipient.startswith("全国重点实验室、国家工程研究中心")
    assert platform.condition == "新获批建设（含重组入列）"
    pilot = Award.objects.get(nature=Award.Nature.SUBSIDY)
    assert pilot.recipient == "企业自主建设的国家级制造业中试平台"
    assert pilot.basis == "按设备投入情况"


def test_loading_twice_changes_nothing(real_policy):
    before = snapshot()
    output = load()
    # 30 rows of the policy, 3 related documents, 1 link; 12 recipient kinds and 14 award tags; 2 rows of
    # search's synonyms
    assert "0 created, 0 updated, 62 unchanged" in output
    assert snapshot() == before


def test_a_fixture_correction_reaches_rows_no_editor_touched(real_policy):
    load_an_earlier_file(lambda data: data["measures"][3].update(title="旧标题"))
    output = load()
    assert "1 updated" in output
    assert Measure.objects.get(policy=real_policy, number=4).title == "优化科技计划体系"


def test_loading_again_keeps_an_editors_change_and_says_so(real_policy, editor):
    clause = Clause.objects.get(measure__number=4, position=1)
    clause.text = "编辑修订后的文字"
    clause.updated_by = editor
    clause.save()

    output = load()

    clause.refresh_from_db()
    assert clause.text == "编辑修订后的文字"
    assert "1 kept" in output
    assert "editor" in output and "--force" in output


def test_force_replaces_an_editors_change_with_the_file(real_policy, editor):
    award = Award.objects.get(recurrence=Award.Recurrence.PER_YEAR)
    award.amount_yuan = 1
    award.updated_by = editor
    award.save()

    load("--force")

    award.refresh_from_db()
    assert award.amount_yuan == 5_000_000
    assert award.updated_by is None


def test_a_measure_added_by_an_editor_survives_a_reload(real_policy, editor):
    Measure.objects.create(
        policy=real_policy, pillar=real_policy.pillars.get(number=3), number=7, title="编辑新增", updated_by=editor
    )
    load("--force")
    assert Measure.objects.filter(policy=real_policy, number=7, title="编辑新增").exists()


def test_a_missing_file_is_a_clear_error(db):
    with pytest.raises(CommandError, match="No such file"):
        call_command("load_policy", "fixtures/nope.json")


def test_a_reload_updates_the_clause_and_leaves_its_pending_draft_alone(real_policy, editor):
    clause = Clause.objects.get(measure__number=4, position=1)
    draft = start_draft_of_change(clause, editor)
    draft.text = "编辑起草中的新文字"
    draft.save()
    load_an_earlier_file(lambda data: data["measures"][3]["clauses"][0].update(text="旧文字"))
    load()
    clause.refresh_from_db()
    draft.refresh_from_db()
    assert clause.text.startswith("优化科技计划体系将坚持")
    assert draft.text == "编辑起草中的新文字"


def test_a_row_an_editor_only_published_or_saved_unchanged_stays_the_files(real_policy, editor):
    """Ownership is read from the history: only a change to what the file gives takes a row from it."""
    measure = Measure.objects.get(policy=real_policy, number=4)
    measure.updated_by = editor
    measure.status = "draft"
    measure.save()
    measure.status = "published"
    measure.save()
    load_an_earlier_file(lambda data: data["measures"][3].update(title="旧标题"))
    assert Measure.objects.get(pk=measure.pk).title == "旧标题"
    assert "1 updated" in load()
    assert Measure.objects.get(pk=measure.pk).title == "优化科技计划体系"
