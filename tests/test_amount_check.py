"""Amount consistency: an award whose amount, limit or recurrence can no longer be read from its own
source phrase is warned about in the admin (never refused) and listed; `manage.py check_amounts` prints
such awards and exits 1 if there is any. The real policy: 8 of 8 consistent."""

import io
import re

import pytest
from django.core.management import CommandError, call_command

from measures.domain.models import Award
from measures.editing.consistency import disagreements
from measures.text import clause_reader

DISAGREES_LIST = "/admin/measures/award/?phrase=disagrees"


def check_amounts():
    out = io.StringIO()
    call_command("check_amounts", stdout=out)
    return out.getvalue()


def award_form(award, **changes):
    data = {
        "clause": award.clause_id,
        "position": award.position,
        "amount_yuan": str(award.amount_wan),
        "limit": award.limit,
        "recurrence": award.recurrence,
        "nature": award.nature,
        "recipient": award.recipient,
        "condition": award.condition,
        "basis": award.basis,
        "source_phrase": award.source_phrase,
        "status": award.status,
        "opened_version": award.version,
        "change_reason": "核对金额",
    }
    if award.per_recipient:
        data["per_recipient"] = "on"
    data.update(changes)
    return data


def test_the_real_policys_eight_awards_all_agree_with_their_phrases(real_policy):
    assert Award.objects.count() == 8
    assert disagreements() == []
    assert "8项奖补中8项与原文表述一致。" in check_amounts()


@pytest.mark.parametrize(
    ("phrase", "amount", "limit", "recurrence", "problem"),
    [
        ("给予最高200万元奖励", 2_500_000, "ceiling", "unspecified", "金额不符：原文表述读作最高200万元"),
        ("给予最高200万元奖励", 2_000_000, "exact", "unspecified", "金额性质或发放频次不符"),
        ("给予每年最高200万元奖励", 2_000_000, "ceiling", "unspecified", "金额性质或发放频次不符"),
        ("给予支持", 2_000_000, "ceiling", "unspecified", "原文表述中读不出金额"),
    ],
)
def test_a_phrase_that_does_not_say_the_awards_amount_is_a_disagreement(phrase, amount, limit, recurrence, problem):
    assert problem in clause_reader.phrase_disagreement(phrase, amount, limit, recurrence)


@pytest.mark.parametrize(
    ("phrase", "amount", "limit", "recurrence"),
    [
        ("给予叁佰万元奖励", 3_000_000, "exact", "unspecified"),  # written differently, the same amount
        ("考核评估优良的分别给予不超过100万元、50万元奖励", 500_000, "ceiling", "unspecified"),
        ("最高不超过0.3亿元", 30_000_000, "ceiling", "unspecified"),
        ("连续三年每年给予最高100万元补助", 1_000_000, "ceiling", "per_year"),
    ],
)
def test_a_phrase_that_says_the_amount_in_any_notation_agrees(phrase, amount, limit, recurrence):
    assert clause_reader.phrase_disagreement(phrase, amount, limit, recurrence) is None


def test_saving_an_award_whose_phrase_no_longer_says_its_amount_warns_lists_and_still_saves(editor_client, real_policy):
    award = Award.objects.get(source_phrase="对新入选基地给予一次性200万元奖励")
    response = editor_client.post(
        f"/admin/measures/award/{award.pk}/change/", award_form(award, amount_yuan="250"), follow=True
    )
    html = response.content.decode()
    assert "对不上" in html and "金额不符：原文表述读作一次性200万元" in html
    assert f'href="{DISAGREES_LIST}"' in html
    award.refresh_from_db()
    assert award.amount_yuan == 2_500_000  # saved: the newer figure may be the right one
    listed = editor_client.get(DISAGREES_LIST).content.decode()
    assert set(re.findall(r'href="/admin/measures/award/(\d+)/change/', listed)) == {str(award.pk)}


def test_saving_an_award_that_agrees_gives_no_warning(editor_client, real_policy):
    award = Award.objects.get(source_phrase="对新入选基地给予一次性200万元奖励")
    data = award_form(award, recipient="国家级国际科技合作基地、对台科技合作与交流基地（核对）")
    html = editor_client.post(f"/admin/measures/award/{award.pk}/change/", data, follow=True).content.decode()
    assert "对不上" not in html


def test_an_award_changed_in_a_clauses_inline_is_checked_too(editor_client, small_policy):
    award = Award.objects.get(clause__measure__policy=small_policy)
    clause = award.clause
    data = {
        "measure": clause.measure_id,
        "position": clause.position,
        "text": clause.text,
        "provenance": clause.provenance,
        "source_url": clause.source_url,
        "is_complete": "on",
        "status": clause.status,
        "opened_version": clause.version,
        "change_reason": "核对金额",
        "awards-TOTAL_FORMS": "1",
        "awards-INITIAL_FORMS": "1",
        "awards-MIN_NUM_FORMS": "0",
        "awards-MAX_NUM_FORMS": "1000",
        **{f"awards-0-{name}": value for name, value in award_form(award, amount_yuan="600").items()},
        "awards-0-id": award.pk,
    }
    del data["awards-0-change_reason"]
    html = editor_client.post(f"/admin/measures/clause/{clause.pk}/change/", data, follow=True).content.decode()
    assert "金额不符：原文表述读作每年最高500万元" in html
    award.refresh_from_db()
    assert award.amount_yuan == 6_000_000


def test_check_amounts_prints_the_disagreeing_awards_and_exits_one(real_policy):
    award = Award.objects.get(source_phrase="给予最高1000万元支持")
    award.amount_yuan = 12_000_000
    award.save()
    out = io.StringIO()
    with pytest.raises(CommandError, match="1项奖补的金额与原文表述不符"):
        call_command("check_amounts", stdout=out)
    printed = out.getvalue()
    assert f"（id {award.pk}）：记录为最高1200万元，原文表述“给予最高1000万元支持”——金额不符" in printed
    assert "8项奖补中7项与原文表述一致。" in printed


# Issue 27: an award is checked against its clause's current text too


def clause_form(clause, **changes):
    awards = list(clause.awards.order_by("position"))
    data = {
        "measure": clause.measure_id,
        "position": clause.position,
        "text": clause.text,
        "provenance": clause.provenance,
        "source_url": clause.source_url,
        "status": clause.status,
        "opened_version": clause.version,
        "change_reason": "核对金额",
        "awards-TOTAL_FORMS": str(len(awards)),
        "awards-INITIAL_FORMS": str(len(awards)),
        "awards-MIN_NUM_FORMS": "0",
        "awards-MAX_NUM_FORMS": "1000",
    }
    if clause.is_complete:
        data["is_complete"] = "on"
    for number, award in enumerate(awards):
        fields = award_form(award)
        del fields["change_reason"]
        data.update({f"awards-{number}-{name}": value for name, value in fields.items()})
        data[f"awards-{number}-id"] = award.pk
    data.update(changes)
    return data


def test_check_amounts_catches_a_clause_changed_under_its_award(real_policy):
    award = Award.objects.get(source_phrase="考核评估优良的分别给予不超过100万元、50万元奖励", amount_yuan=1_000_000)
    clause = award.clause
    clause.text = clause.text.replace("不超过100万元", "不超过120万元")
    clause.save()
    out = io.StringIO()
    with pytest.raises(CommandError, match="1项奖补的金额与原文表述不符"):
        call_command("check_amounts", stdout=out)
    printed = out.getvalue()
    (line,) = [line for line in printed.splitlines() if f"（id {award.pk}）" in line]
    assert "记录为最高100万元" in line and "条款现在的文字读作" in line and "120万元" in line
    # The 50万元 of the same phrase is still what the clause says.
    assert "8项奖补中7项与原文表述一致。" in printed


def test_a_clause_reworded_around_an_unchanged_amount_is_no_disagreement(real_policy):
    award = Award.objects.get(source_phrase="对新入选基地给予一次性200万元奖励")
    clause = award.clause
    clause.text = clause.text.replace("对新入选基地给予", "对新入选的基地给予")
    clause.save()
    assert "8项奖补中8项与原文表述一致。" in check_amounts()


def test_saving_a_clause_whose_text_no_longer_says_its_awards_amount_warns(editor_client, real_policy):
    award = Award.objects.get(source_phrase="考核评估优良的分别给予不超过100万元、50万元奖励", amount_yuan=1_000_000)
    clause = award.clause
    data = clause_form(clause, text=clause.text.replace("不超过100万元", "不超过120万元"))
    response = editor_client.post(f"/admin/measures/clause/{clause.pk}/change/", data, follow=True)
    html = response.content.decode()
    assert "条款的文字与奖补“最高100万元”" in html and "条款现在的文字读作" in html
    assert "条款的文字与奖补“最高50万元”" not in html
    clause.refresh_from_db()
    assert "不超过120万元" in clause.text  # saved: the editor is told, not refused
