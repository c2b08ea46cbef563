"""The policy calculator (政策计算器): which published awards a kind of organisation can apply for, and what
they add up to, with the working shown. Shared by the page, its CSV (measures/public/views/calculator.py)
and the API (measures/public/api/views.py), so that all three read the same parameters, refuse the same
questions with the same messages and list the same awards.

- `CalculatorQuery` reads the GET parameters: `kind` (repeated, one per recipient kind's slug) and `valid`
  (1: only policies in force today, the default; 0: every policy). A question it cannot answer whole
  (an unknown or empty kind, too many kinds, a NUL, a kind none of whose awards is in the policies asked
  about) gets messages and no awards: a partial list would look like an answer.
- `answer` gives the awards counted and summed, listed a page at a time (the CSV takes them all).
- `totals` is a pure function of the awards: never one sum. Amounts are added up only with amounts of the
  same nature (one-time fixed amounts, one-time ceilings, yearly ceilings…; amounts computed from an input
  such as 按设备投入情况 apart), each sum listing its terms. The policy does not say whether awards can be
  combined, so NOTES always says so.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from measures.domain.documents import RelatedDocumentMeasure
from measures.domain.eligibility import AwardRecipientKind, RecipientKind, attach_eligibility
from measures.domain.models import LISTING_ORDER, Award, Policy
from measures.text import money
from measures.text.vocabulary import CEILING, EXACT, ONCE, PER_YEAR, UNSPECIFIED
from xmpolicy.locale import is_english
from xmpolicy.nul import has_nul

# More kinds than any organisation is; also caps the work a single URL can ask for.
MAX_KINDS = 50
# A parameter value longer than any slug is not one; it is cut in messages.
MAX_SHOWN = 60
# Awards listed a page at a time, as in the award finder: a kind may be open to a city-wide library's
# worth of awards. The totals and the CSV take them all.
RESULTS_PER_PAGE = 50

NOTES = [_("原文未说明能否同时享受：各项金额分别列出，合计只说明同类金额加起来是多少，不代表可以全部获得。")]


@dataclass
class CalculatorQuery:
    """The parameters of a calculator question, checked. `errors` is a list of (parameter, message)."""

    kinds: list[RecipientKind] = field(default_factory=list)
    valid_only: bool = True
    errors: list[tuple[str, str]] = field(default_factory=list)
    asked: bool = False  # whether any kind was given (the page shows only its form otherwise)

    @classmethod
    def from_params(cls, params, *, require_kind: bool = False) -> "CalculatorQuery":
        """One query for the kinds named (none when the parameters are refused before)."""
        query = cls()
        if any(has_nul(key, *values) for key, values in params.lists()):
            query.errors.append(("kind", str(_("查询条件中有无效字符（NUL），请重新选择。"))))
            return query
        # The form sends one value (two radio buttons). Until issue 28 it sent a hidden valid=0 before a
        # checkbox's valid=1, so shared links may repeat it: the last value wins ("" is not given).
        valid = (params.getlist("valid") or [""])[-1]
        if valid not in ("", "0", "1"):
            query.errors.append(("valid", str(_("“只看有效政策”的值只能是 1 或 0。"))))
        query.valid_only = valid != "0"
        slugs = params.getlist("kind")
        query.asked = bool(slugs)
        if len(slugs) > MAX_KINDS:
            query.errors.append(
                (
                    "kind",
                    str(
                        _("一次最多选择 %(max)d 类申报主体（这次有 %(count)d 个）。")
                        % {"max": MAX_KINDS, "count": len(slugs)}
                    ),
                )
            )
            return query
        if not slugs and require_kind:
            query.errors.append(("kind", str(_("请至少选择一类申报主体。"))))
        wanted = list(dict.fromkeys(slug.strip() for slug in slugs))
        if "" in wanted:
            query.errors.append(("kind", str(_("申报主体类别不能为空。"))))
            wanted.remove("")
        if wanted:
            found = {kind.slug: kind for kind in RecipientKind.objects.public().filter(slug__in=wanted)}
            for slug in wanted:
                if slug not in found:
                    shown = slug if len(slug) <= MAX_SHOWN else slug[:MAX_SHOWN] + "…"
                    query.errors.append(("kind", str(_("没有这类申报主体：“%(kind)s”。") % {"kind": shown})))
            query.kinds = sorted(found.values(), key=lambda kind: (kind.order, kind.slug))
        return query

    @property
    def is_valid(self) -> bool:
        return not self.errors


def policies_in_force(today=None) -> list[int]:
    """The ids of the policies in force today (one query: there are few policies)."""
    today = today or timezone.localdate()
    policies = Policy.objects.only("id", "issue_date", "effective_date", "validity_years")
    return [p.pk for p in policies if p.validity_status(today) == Policy.ValidityStatus.IN_FORCE]


def open_awards(valid_only: bool):
    """The published awards the calculator may list: those of policies in force when `valid_only`."""
    awards = Award.objects.published()
    if valid_only:
        awards = awards.filter(listed_policy_id__in=policies_in_force())
    return awards


def kinds_with_counts(valid_only: bool) -> list[RecipientKind]:
    """Every public kind, each with `award_count`: its published awards (in policies in force when `valid_only`).
    Two queries."""
    counts = dict(
        AwardRecipientKind.objects.filter(award__in=open_awards(valid_only))
        .values("kind_id")
        .annotate(n=models.Count("award_id", distinct=True))
        .values_list("kind_id", "n")
    )
    kinds = list(RecipientKind.objects.public().in_order())
    for kind in kinds:
        kind.award_count = counts.get(kind.pk, 0)
    return kinds


def answer(query: CalculatorQuery) -> "Answer | None":
    """The answer to the question: every published award open to any of its kinds, counted and summed
    (three queries, however many awards), to be listed a page at a time (their ids, in order, are read
    with the sums). A kind none of whose awards is listed makes the question unanswerable: its message
    is added and there is no answer (None)."""
    awards = answered_awards(query)
    if awards is None:
        return None
    amounts = [Amount(*row) for row in awards.values_list(*Amount.__dataclass_fields__)]
    return Answer(awards, AwardsInOrder([amount.pk for amount in amounts]), totals(amounts))


def answered_awards(query: CalculatorQuery) -> "models.QuerySet | None":
    """The awards the answer lists, a QuerySet in their policies' order not yet read, or None when the
    question cannot be answered (its messages added, as `answer` does): for those that list the awards
    without their sums (the answer's calendar feed). Two queries, however many awards."""
    if not query.is_valid or not query.kinds:
        return None
    links = AwardRecipientKind.objects.filter(kind__in=query.kinds)
    listable = open_awards(query.valid_only)
    awards = listable.filter(pk__in=links.values("award_id")).order_by(*LISTING_ORDER)
    listed = set(links.filter(award__in=listable).order_by().values_list("kind_id", flat=True).distinct())
    for kind in query.kinds:
        if kind.pk not in listed:
            if query.valid_only and open_awards(False).filter(pk__in=kind.award_links.values("award_id")).exists():
                message = _(
                    "“%(kind)s”的奖补都属于已失效或尚未施行的政策；如需查看，请在“政策范围”中选择“也看已失效和尚未施行的政策”。"
                )
            else:  # public when the question was read, its last award withdrawn since
                message = _("“%(kind)s”还没有已发布的奖补。")
            query.errors.append(("kind", str(message % {"kind": kind.name})))
    return None if query.errors else awards


@dataclass(frozen=True)
class Amount:
    """What the totals read of an award: a row, not an Award (a kind may be open to thousands)."""

    pk: int
    amount_yuan: int
    recurrence: str
    limit: str
    basis: str


class AwardsInOrder(Sequence):
    """The awards of these ids, in this order, read a slice at a time (for_finder: one query by primary
    key): what the page and the API paginate. Paging the ordered QuerySet instead would have PostgreSQL
    walk the whole library in policy order looking for a rare kind's fifty awards."""

    def __init__(self, ids: list[int]):
        self.ids = ids

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        ids = self.ids[index]
        found = Award.objects.published().for_finder().in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]  # an award unpublished since the sums were read: left out


@dataclass
class Answer:
    """The awards (a QuerySet in their policies' order, not yet read; `listed`, the same by id), and
    their totals."""

    awards: models.QuerySet
    listed: AwardsInOrder
    totals: list

    @property
    def count(self) -> int:
        return len(self.listed)

    def page(self, number) -> Page:
        """Page `number` of the awards, each with its clause, measure, policy, `kinds` and `facts` (five
        queries). As the finder's pages: not a number is the first page, past the end the last."""
        page = Paginator(self.listed, RESULTS_PER_PAGE).get_page(number)
        page.object_list = attach_eligibility(page.object_list)
        return page

    def every_award(self) -> list[Award]:
        """Every award, each with its clause, measure, policy, `kinds` and `facts` (the CSV: five queries)."""
        return attach_eligibility(self.awards.for_finder())


@dataclass(frozen=True)
class Term:
    award_id: int
    amount_yuan: int


@dataclass(frozen=True)
class Total:
    """A sum of amounts of one nature: `recurrence` and `limit` as the awards', `on_input` for amounts
    computed from an input (an award's `basis`), whatever their recurrence and limit."""

    recurrence: str
    limit: str
    on_input: bool
    terms: tuple[Term, ...]

    @property
    def amount_yuan(self) -> int:
        return sum(term.amount_yuan for term in self.terms)

    @property
    def award_ids(self) -> list[int]:
        return [term.award_id for term in self.terms]

    @property
    def label(self) -> str:
        if self.on_input:
            return str(_("按投入等计算的金额合计最高"))
        return str(LABELS[(self.recurrence, self.limit)])

    @property
    def expression(self) -> str:
        """'3000 + 200 = 3200万元': the terms in 万元, then the sum; in English 'RMB 30 million + RMB 2 million
        = RMB 32 million'."""
        if is_english(translation.get_language()):
            terms = " + ".join(money.format_amount_en(term.amount_yuan) for term in self.terms)
            return f"{terms} = {money.format_amount_en(self.amount_yuan)}"
        terms = " + ".join(str(money.yuan_to_wan(term.amount_yuan)) for term in self.terms)
        return f"{terms} = {money.yuan_to_wan(self.amount_yuan)}万元"


LABELS = {
    (ONCE, EXACT): _("一次性奖励合计"),
    (ONCE, CEILING): _("一次性奖励合计最高"),
    (PER_YEAR, EXACT): _("每年合计"),
    (PER_YEAR, CEILING): _("每年合计最高"),
    (UNSPECIFIED, EXACT): _("未注明频次的金额合计"),
    (UNSPECIFIED, CEILING): _("未注明频次的金额合计最高"),
}
# The order in which the sums are listed: one-time, yearly, unspecified, then those computed from an input.
ORDER = [*LABELS, "on_input"]


def totals(awards) -> list[Total]:
    """The awards' amounts summed by nature, each sum with its terms (in the awards' order). Pure: reads
    only each award's id, amount, recurrence, limit and basis. An award is counted once however many
    chosen kinds it is open to."""
    groups: dict = {}
    seen = set()
    for award in awards:
        if award.pk in seen:
            continue
        seen.add(award.pk)
        key = "on_input" if award.basis else (award.recurrence, award.limit)
        groups.setdefault(key, []).append(Term(award.pk, award.amount_yuan))
    result = []
    for key in ORDER:
        if key in groups:
            recurrence, limit = ("", "") if key == "on_input" else key
            result.append(Total(recurrence, limit, key == "on_input", tuple(groups[key])))
    return result


@dataclass
class MeasureGroup:
    measure: object
    awards: list
    documents: list = field(default_factory=list)  # its related documents (相关文件), in their policy's order


@dataclass
class PolicyGroup:
    policy: object
    measures: list


def grouped(awards) -> list[PolicyGroup]:
    """The awards (in their policies' order) grouped by policy, then by measure."""
    policies: list[PolicyGroup] = []
    for award in awards:
        measure = award.clause.measure
        if not policies or policies[-1].policy.pk != measure.policy_id:
            policies.append(PolicyGroup(measure.policy, []))
        measures = policies[-1].measures
        if not measures or measures[-1].measure.pk != measure.pk:
            measures.append(MeasureGroup(measure, []))
        measures[-1].awards.append(award)
    return policies


def with_documents(policies: list[PolicyGroup]) -> list[PolicyGroup]:
    """The groups, each measure with the related documents that concern it (a draft implementing rule
    beside the awards it will govern): one query, none without measures."""
    groups = [group for policy in policies for group in policy.measures]
    if groups:
        links = (
            RelatedDocumentMeasure.objects.filter(measure_id__in=[group.measure.pk for group in groups])
            .select_related("document")
            .order_by("document__position", "document_id")
        )
        by_measure: dict[int, list] = {}
        for link in links:
            by_measure.setdefault(link.measure_id, []).append(link.document)
        for group in groups:
            group.documents = by_measure.get(group.measure.pk, [])
    return policies
