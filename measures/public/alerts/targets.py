"""What can be followed, and which public changes concern it. Five kinds of target, each reached from a
关注 link on its page:

- a policy (`kind=policy&policy=<slug>`): every public change of its measures, clauses and awards;
- a measure (`kind=measure&policy=<slug>&measure=<n>`): every public change of it, its clauses and
  their awards (those moved out of it included);
- the award finder's filters (`kind=awards&filters=<the finder's query string>`): a new, published or
  changed award that matches them, judged by the finder's own FilterSet (measures/public/finder/filters.py);
- a search (`kind=search&q=<terms>`): a new, published or changed clause, or award of a clause, that
  matches the query, judged by the search's own rule (measures/search/query.py);
- a calculator answer (`kind=calculator&kinds=<slug>,<slug>`, one kind or more): a new, published or
  changed award the calculator (measures/public/calculator.py) lists for them.
Changes are the public history's entries (measures/domain/public_history.py's PublicChange): public
values only, never a draft.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef, Q
from django.http import QueryDict
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from measures.domain.eligibility import AwardRecipientKind, RecipientKind
from measures.domain.models import Award, Clause, Measure, Policy, measure_path
from measures.domain.public_history import PublicChange, PublicState
from measures.domain.subscriptions import Delivery, Subscription
from measures.public import calculator
from measures.public.finder.filters import AMOUNT_BANDS, AwardFilter
from measures.search import query as finder
from measures.search.widening import widen
from measures.text import money

Kind = Subscription.Kind
# What a finder or search follower hears of: something that appeared or changed (not a withdrawal).
NEWS = (PublicChange.Kind.CREATED, PublicChange.Kind.PUBLISHED, PublicChange.Kind.CHANGED)
# The finder's parameters a follow keeps: its filters, not the order or the page it was on.
FINDER_FILTERS = ("min", "max", "band", "policy", "pillar", "kind", "recurrence", "limit")
# What may ask for reminders (申报提醒, reminders.py): what follows awards and their windows; a search
# follows clauses.
WITH_REMINDERS = (Kind.POLICY, Kind.MEASURE, Kind.AWARDS, Kind.CALCULATOR)
MAX_FILTERS_LENGTH = 500
MAX_SLUG_LENGTH = 50


class TargetError(Exception):
    """A follow link or form naming nothing that can be followed; the message is for the visitor."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Target:
    kind: str
    target_id: int = 0
    query: str = ""
    path: str = ""  # the page of what is followed
    params: dict = field(default_factory=dict)  # the follow link's parameters, as the form posts them again

    @property
    def offers_reminders(self) -> bool:
        return self.kind in WITH_REMINDERS


def follow_params(target: Target) -> str:
    """The follow form's query string for `target` (its 关注 link)."""
    return urlencode(target.params)


def from_params(data) -> Target:
    """The target a follow link or form names (a QueryDict or dict); TargetError if none. One query
    for a policy or a measure, one for a finder's filters naming a policy, none otherwise."""
    kind = _text(data, "kind")
    if kind == Kind.POLICY:
        policy = _policy(data)
        return Target(kind, policy.pk, "", policy.get_absolute_url(), {"kind": kind, "policy": policy.slug})
    if kind == Kind.MEASURE:
        slug, number = _text(data, "policy"), _text(data, "measure")
        measure = None
        if number.isdigit() and len(number) <= 4 and 0 < len(slug) <= MAX_SLUG_LENGTH:
            measure = (
                Measure.objects.published()
                .select_related("policy")
                .filter(policy__slug=slug, number=int(number))
                .first()
            )
        if measure is None:
            raise TargetError(_("没有这条措施（或它尚未发布），无法关注。"), 404)
        params = {"kind": kind, "policy": slug, "measure": str(measure.number)}
        return Target(kind, measure.pk, "", measure.get_absolute_url(), params)
    if kind == Kind.AWARDS:
        filters = awards_filters(_text(data, "filters"))
        query = urlencode(filters)
        if len(query) > MAX_FILTERS_LENGTH:  # what was given, written out, may be longer (escapes)
            raise TargetError(_("奖补查询的条件太长，无法关注。"))
        path = reverse("measures:awards") + (f"?{query}" if query else "")
        return Target(kind, 0, query, path, {"kind": kind, "filters": query})
    if kind == Kind.SEARCH:
        parsed = finder.parse_query(_text(data, "q"))
        if not parsed:
            raise TargetError(_("请写出要关注的搜索词。"))
        path = f"{reverse('measures:search')}?{urlencode({'q': parsed.text})}"
        return Target(kind, 0, parsed.text, path, {"kind": kind, "q": parsed.text})
    if kind == Kind.CALCULATOR:
        question = calculator_question(_text(data, "kinds"))
        path = f"{reverse('measures:calculator')}?{question}"
        slugs = ",".join(QueryDict(question).getlist("kind"))
        return Target(kind, 0, question, path, {"kind": kind, "kinds": slugs})
    raise TargetError(
        _("这个关注链接不完整：不知道要关注什么。请从政策、措施、奖补查询或搜索结果页面上的“关注”链接进入。")
    )


def _text(data, name) -> str:
    value = data.get(name, "")
    return value.replace("\x00", "").strip() if isinstance(value, str) else ""


def _policy(data) -> Policy:
    slug = _text(data, "policy")
    policy = Policy.objects.filter(slug=slug).first() if 0 < len(slug) <= MAX_SLUG_LENGTH else None
    if policy is None:
        raise TargetError(_("没有这项政策，无法关注。"), 404)
    return policy


def awards_filters(text: str) -> dict:
    """The finder's filters in a query string, checked by the finder's own FilterSet and kept in a
    fixed order; TargetError naming what is wrong."""
    if len(text) > MAX_FILTERS_LENGTH:
        raise TargetError(_("奖补查询的条件太长，无法关注。"))
    given = QueryDict(text)
    filters = {name: given.get(name, "").strip() for name in FINDER_FILTERS if given.get(name, "").strip()}
    checked = AwardFilter(filters)
    if not checked.is_valid():
        messages = "；".join(message for _name, message in checked.error_messages())
        raise TargetError(_("奖补查询的条件有误，无法关注：%(errors)s") % {"errors": messages})
    return filters


def calculator_question(slugs: str) -> str:
    """The calculator's question for the kinds named ("incubator,lab"), checked by the calculator's own
    reading and kept in its order ("kind=incubator&kind=lab"); TargetError naming what is wrong. One query."""
    if len(slugs) > MAX_FILTERS_LENGTH:
        raise TargetError(_("政策计算器的条件太长，无法关注。"))
    params = QueryDict(mutable=True)
    params.setlist("kind", [slug for slug in slugs.split(",") if slug.strip()])
    question = calculator.CalculatorQuery.from_params(params, require_kind=True)
    if not question.is_valid:
        messages = "；".join(message for _name, message in question.errors)
        raise TargetError(_("政策计算器的条件有误，无法关注：%(errors)s") % {"errors": messages})
    return urlencode([("kind", kind.slug) for kind in question.kinds])


# --- in words ---------------------------------------------------------------------------------


def describe(subscription: Subscription) -> str:
    """What a subscription follows, in the active language, in public words only: 《若干措施》第3条
    拓展科技交流合作平台, 奖补查询：最低金额 100万元, 搜索：孵化器. A measure is named as the public last
    saw it (its public state), never by a draft's title; the words saved at sign-up (then public) stand
    in when what is followed is gone or no longer public. Two queries for a measure, one for a policy."""
    return _described(subscription, _followed_row(subscription))


def followed(subscription: Subscription) -> tuple[str, str]:
    """describe(subscription), and the path of the page of what it follows (the policy, the measure, the
    finder with its filters, the search), or the site's list of changes if that page is gone: the
    queries describe() runs for a policy or a measure serve both."""
    row = _followed_row(subscription)
    return _described(subscription, row), _page_of(subscription, row) or reverse("measures:changes")


@dataclass(frozen=True)
class PublicMeasure:
    """A followed measure as the public last saw it (measures/domain/public_history.py's PublicState)."""

    policy: Policy
    number: int
    title: str
    visible: bool  # shown now; else withdrawn or deleted since


def _page_of(subscription: Subscription, row: Policy | PublicMeasure | None) -> str | None:
    if subscription.kind == Kind.POLICY:
        return row.get_absolute_url() if row else None
    if subscription.kind == Kind.MEASURE:
        return measure_path(row.policy.slug, row.number) if row and row.visible else None
    words = subscription.query
    if subscription.kind == Kind.CALCULATOR:
        words = ",".join(QueryDict(words).getlist("kind"))
    try:
        return from_params({"kind": subscription.kind, _QUERY_PARAMETER[subscription.kind]: words}).path
    except TargetError:
        return None


# Where a finder, search or calculator subscription keeps its words, as the follow link names them.
_QUERY_PARAMETER = {Kind.AWARDS: "filters", Kind.SEARCH: "q", Kind.CALCULATOR: "kinds"}


def _followed_row(subscription: Subscription) -> Policy | PublicMeasure | None:
    """The policy a subscription follows (policies have no drafts: their row is public), or the measure
    as the public last saw it: None if it is gone or was never public, or for a finder's filters or a
    search."""
    if subscription.kind == Kind.POLICY:
        return Policy.objects.filter(pk=subscription.target_id).first()
    if subscription.kind == Kind.MEASURE:
        state = PublicState.objects.filter(
            subject=PublicChange.Subject.MEASURE, object_id=subscription.target_id
        ).first()
        policy = state and Policy.objects.filter(pk=state.values.get("policy_id")).first()
        if not policy:
            return None
        return PublicMeasure(policy, state.values["number"], state.values["title"], state.visible)
    return None


def _described(subscription: Subscription, row: Policy | PublicMeasure | None) -> str:
    kind = subscription.kind
    if kind in (Kind.POLICY, Kind.MEASURE):
        if row is None:
            return subscription.label
        return f"《{row.title}》" if kind == Kind.POLICY else describe_measure(row)
    if kind == Kind.AWARDS:
        return describe_filters(QueryDict(subscription.query)) or subscription.label
    if kind == Kind.CALCULATOR:
        return describe_kinds(QueryDict(subscription.query).getlist("kind")) or subscription.label
    return _("搜索：%(terms)s") % {"terms": subscription.query}


def describe_target(target: Target) -> str:
    """describe(), for a target not yet saved (the sign-up form). Two queries for a measure, one for a
    policy, one or two for the finder's filters naming a policy or a recipient kind."""
    return describe(Subscription(kind=target.kind, target_id=target.target_id, query=target.query, label=""))


def describe_measure(measure: PublicMeasure) -> str:
    policy = measure.policy
    return _("《%(policy)s》第%(number)s条 %(title)s") % {
        "policy": policy.short_title or policy.title,
        "number": measure.number,
        "title": measure.title,
    }


def describe_filters(filters) -> str:
    """'奖补查询：最低金额 100万元；方面 1', or '奖补查询：全部奖补' without filters; empty if the filters no
    longer hold. A policy and a recipient kind are named as the finder offers them (its own FilterSet,
    which knows what the public may choose): one query for each named."""
    checked = AwardFilter(filters)
    if not checked.is_valid():
        return ""
    chosen = checked.form.cleaned_data
    parts = []
    if filters.get("min"):
        parts.append(_("最低金额 %(amount)s") % {"amount": _amount(filters["min"])})
    if filters.get("max"):
        parts.append(_("最高金额 %(amount)s") % {"amount": _amount(filters["max"])})
    band = {b.slug: b.label for b in AMOUNT_BANDS}.get(filters.get("band", ""))
    if band:
        parts.append(_("金额区间 %(band)s") % {"band": band})
    if chosen.get("policy"):
        policy = chosen["policy"]
        parts.append(_("政策《%(title)s》") % {"title": policy.short_title or policy.title})
    if filters.get("pillar"):
        parts.append(_("第%(number)s个方面") % {"number": filters["pillar"]})
    if chosen.get("kind"):
        parts.append(_("申报主体 %(kind)s") % {"kind": chosen["kind"].name})
    recurrence = dict(Award.Recurrence.choices).get(filters.get("recurrence", ""))
    if recurrence:
        parts.append(_("发放频次 %(value)s") % {"value": recurrence})
    limit = dict(Award.Limit.choices).get(filters.get("limit", ""))
    if limit:
        parts.append(_("金额性质 %(value)s") % {"value": limit})
    separator = _("；")  # between two filters: a semicolon, full-width in Chinese
    return _("奖补查询：%(filters)s") % {"filters": separator.join(str(p) for p in parts) if parts else _("全部奖补")}


def describe_kinds(slugs: list[str]) -> str:
    """'政策计算器：科技型企业孵化器、新型研发机构', the kinds as the public sees them now; empty if none is
    public any more. One query."""
    kinds = list(RecipientKind.objects.public().filter(slug__in=slugs).in_order())
    if not kinds:
        return ""
    separator = pgettext("between the items of a list", "、")
    return _("政策计算器：%(kinds)s") % {"kinds": separator.join(kind.name for kind in kinds)}


def _amount(wan_text: str) -> str:
    try:
        return money.format_amount_in(money.wan_to_yuan(wan_text), translation.get_language())
    except (money.AmountError, ValueError, ArithmeticError):
        return wan_text


# --- the changes that concern a subscription ----------------------------------------------------


def candidates(subscription: Subscription):
    """The public history's entries made since the subscription was confirmed that concern what it
    follows and are not yet settled for it (mailed or passed over), oldest first. For the finder and
    search these are every new or changed award (and clause) still to be judged by `matching`."""
    settled = Delivery.objects.filter(
        subscription=subscription, subject=OuterRef("subject"), history_id=OuterRef("history_id")
    )
    entries = PublicChange.objects.filter(date__gte=subscription.confirmed_at).filter(~Exists(settled))
    kind, target = subscription.kind, subscription.target_id
    if kind == Kind.MEASURE:
        entries = entries.filter(Q(measure_id=target) | Q(moved_from_measure_id=target))
    elif kind == Kind.POLICY:
        # The policy's measures as the public saw them (a measure deleted since included).
        measures = PublicState.objects.filter(subject=PublicChange.Subject.MEASURE, values__policy_id=target)
        ids = measures.values("object_id")
        entries = entries.filter(Q(measure_id__in=ids) | Q(moved_from_measure_id__in=ids))
    elif kind in (Kind.AWARDS, Kind.CALCULATOR):
        # An award's kinds too: tagging it changes which kind filters list it.
        entries = entries.filter(subject__in=(PublicChange.Subject.AWARD, PublicChange.Subject.KINDS), kind__in=NEWS)
    else:
        entries = entries.filter(subject__in=(PublicChange.Subject.AWARD, PublicChange.Subject.CLAUSE), kind__in=NEWS)
    return entries.order_by("date", "id")


def matching(subscription: Subscription, entries: list) -> list:
    """Those of `entries` (from `candidates`) that match what the subscription follows. A policy or a
    measure: all of them. The finder's filters: awards the public sees that the finder, with those
    filters, lists now. A search: clauses the public sees (or awards of such clauses) that the search
    finds now. One query for the finder or search."""
    if subscription.kind in (Kind.POLICY, Kind.MEASURE) or not entries:
        return list(entries)
    if subscription.kind == Kind.AWARDS:
        ids = {entry.object_id for entry in entries}
        listed = AwardFilter(QueryDict(subscription.query), queryset=Award.objects.published().filter(pk__in=ids))
        if not listed.is_valid():  # a filter that no longer holds (a policy renamed): nothing matches
            return []
        found = set(listed.qs.values_list("pk", flat=True))
        return [entry for entry in entries if entry.object_id in found]
    if subscription.kind == Kind.CALCULATOR:
        ids = {entry.object_id for entry in entries}
        slugs = QueryDict(subscription.query).getlist("kind")
        links = AwardRecipientKind.objects.filter(kind__in=RecipientKind.objects.public().filter(slug__in=slugs))
        listed = calculator.open_awards(valid_only=True).filter(pk__in=ids).filter(pk__in=links.values("award_id"))
        found = set(listed.values_list("pk", flat=True))
        return [entry for entry in entries if entry.object_id in found]
    clause_of = {entry.pk: _clause_id(entry) for entry in entries}
    query = widen(finder.parse_query(subscription.query))  # what the search page finds for it
    published = Clause.objects.published().filter(pk__in={c for c in clause_of.values() if c is not None})
    found = set(finder.search_clauses(published, query).values_list("pk", flat=True))
    return [entry for entry in entries if clause_of[entry.pk] in found]


def _clause_id(entry: PublicChange) -> int | None:
    if entry.subject == PublicChange.Subject.CLAUSE:
        return entry.object_id
    return entry.new_values.get("clause_id")
