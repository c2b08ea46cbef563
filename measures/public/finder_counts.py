"""How many awards a finder question matches, and its facets' counts, without counting awards one by one.

The finder says how many awards match ("共 N 项") and, for each facet option, how many would match once
it is chosen. Counting tens of thousands of awards for each of those costs far more than finding the
page of fifty itself. So the awards are counted once per content revision, grouped by what the finder
filters by (amount, pillar number, frequency, nature): for all of them, for each recipient kind (申报主体)
and for each policy. That is three grouped queries, however many awards (on the bench's 52,000:
288, 7,000 and 38,000 groups). The rows are shared through the cache, so that a revision is counted
once for every worker. Each worker then keeps them, for the current revision only, as a `Tally`: per
group, its amounts in order with running counts, so that the awards of a range are two bisections.
A question is answered by adding up a few dozen groups, and a facet by one pass over them.

The database still counts the rare questions the tally does not cover: the kinds of one policy's
awards, the policies of one kind's awards, and a question naming both (a policy's awards are few and
indexed; a kind's are read through the links' index).

The revision names the public content (measures/domain/revision.py), and the database's triggers
move it on every write of a public row, whatever the path: an edit simply leads to a new key.
"""

import bisect
import dataclasses
import heapq
import threading
from collections import defaultdict
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef

from measures.domain.eligibility import AwardRecipientKind, RecipientKind
from measures.domain.models import Award, Pillar, Policy
from measures.domain.revision import content_revision
from measures.public.bands import AMOUNT_BANDS, BANDS_BY_SLUG
from measures.public.filters import Facet, FacetOption, finder_awards
from measures.text import money
from xmpolicy.optional_cache import OptionalCache

# Seconds a revision's counts stay in the shared cache: never stale (their key changes), and read only by
# workers that have not built that revision's tally yet; about 2 MB for 52,000 awards, so an edit's old
# counts go soon.
TALLY_TIMEOUT = 60 * 60
POLICIES_SHOWN = 8  # the policy facet lists the policies with the most awards; the rest are a click away

# A cache that fails is logged and bypassed (xmpolicy/optional_cache.py).
COUNTS = OptionalCache("award counts")

ALL = "all"  # the scope of every award; a kind's is ("kind", id), a policy's ("policy", id)
DIMENSIONS = ("pillar", "recurrence", "limit")  # the facets a group has one value of


def revision_key(request) -> str:
    """The content's revision, as measures/public/caching.py read it for this request (or read now)."""
    revision = getattr(request, "content_revision", None) or content_revision()
    return f"{revision.key}:{revision.last_modified.isoformat() if revision.last_modified else ''}"


@dataclass(frozen=True)
class Question:
    """What a finder question asks of the amounts and the groups: an amount range in yuan (inclusive,
    None: open) and, for each dimension, the value asked for (None: any)."""

    low: int | None = None
    high: int | None = None
    pillar: int | None = None
    recurrence: str | None = None
    limit: str | None = None

    @classmethod
    def of(cls, cleaned: dict, without: str = "") -> "Question":
        """The question of an AwardFilter's cleaned data, leaving out the facet `without`."""
        low, high = cleaned.get("min"), cleaned.get("max")
        if cleaned.get("band") and without != "band":
            low, high = _within(low, high, BANDS_BY_SLUG[cleaned["band"]])
        values = {name: cleaned.get(name) or None for name in DIMENSIONS if name != without}
        return cls(low, high, **values)

    def accepts(self, values: tuple) -> bool:
        """Whether a group of these (pillar, recurrence, limit) values is asked for."""
        pillar, recurrence, limit = values
        return (
            (self.pillar is None or self.pillar == pillar)
            and (self.recurrence is None or self.recurrence == recurrence)
            and (self.limit is None or self.limit == limit)
        )


def _within(low, high, band):
    """The range low..high (yuan, inclusive) narrowed to an amount band (万元, its high end exclusive)."""
    if band.low_wan is not None:
        band_low = money.wan_to_yuan(band.low_wan)
        low = band_low if low is None else max(low, band_low)
    if band.high_wan is not None:
        band_high = money.wan_to_yuan(band.high_wan) - 1  # amounts are whole yuan
        high = band_high if high is None else min(high, band_high)
    return low, high


@dataclass(frozen=True)
class Amounts:
    """The awards of one group: their distinct amounts in order, and before[i], how many awards come
    before amounts[i] (one entry more: all of them)."""

    amounts: tuple[int, ...]
    before: tuple[int, ...]

    def count(self, low, high) -> int:
        if low is None and high is None:
            return self.before[-1]
        start = 0 if low is None else bisect.bisect_left(self.amounts, low)
        stop = len(self.amounts) if high is None else bisect.bisect_right(self.amounts, high)
        return self.before[stop] - self.before[start] if stop > start else 0


class Tally:
    """One revision's awards counted by scope (ALL, a kind, a policy) and group, with the labels the
    facets show."""

    def __init__(self, rows, pillar_titles, kinds, policies):
        grouped = defaultdict(list)
        for scope, amount, *values, count in rows:
            grouped[scope, tuple(values)].append((amount, count))
        self.groups = defaultdict(list)  # scope -> [(values, Amounts)]
        for (scope, values), amounts in grouped.items():
            amounts.sort()
            before = [0]
            for _, count in amounts:
                before.append(before[-1] + count)
            self.groups[scope].append((values, Amounts(tuple(a for a, _ in amounts), tuple(before))))
        self.pillar_titles = pillar_titles  # {(policy id, number): title}, the pillars holding awards
        self.titles_by_number = defaultdict(set)
        for (_, number), title in pillar_titles.items():
            self.titles_by_number[number].add(title)
        self.kinds = kinds  # [(id, slug, name)], in the kinds' order
        self.policies = policies  # {id: (slug, label)}
        # The policies, most awards first (ties by address): the policy facet stops early along it.
        totals = {pk: sum(amounts.before[-1] for _, amounts in self.groups["policy", pk]) for pk in policies}
        self.policies_by_size = sorted((-totals[pk], slug, pk, name) for pk, (slug, name) in policies.items())
        self.combinations = {values for groups in self.groups.values() for values, _ in groups}
        self._wanted = {}  # question -> the combinations of values it accepts, for the questions of late

    def count(self, scope, question: Question) -> int:
        wanted, low, high = self.wanted(question), question.low, question.high
        total = 0
        for values, amounts in self.groups[scope]:
            if values in wanted:
                total += amounts.count(low, high)
        return total

    def wanted(self, question: Question) -> frozenset:
        """The groups' (pillar, recurrence, limit) values the question accepts: found once per question, as
        a facet counts the same question in each of hundreds of policies."""
        wanted = self._wanted.get(question)
        if wanted is None:
            if len(self._wanted) > 1000:
                self._wanted.clear()
            wanted = self._wanted[question] = frozenset(v for v in self.combinations if question.accepts(v))
        return wanted

    def by(self, scope, question: Question, dimension: str) -> dict:
        """The awards of `scope` matching `question` (which leaves `dimension` out), counted per value of
        `dimension`."""
        index = DIMENSIONS.index(dimension)
        counts, wanted = defaultdict(int), self.wanted(question)
        for values, amounts in self.groups[scope]:
            if values in wanted:
                counts[values[index]] += amounts.count(question.low, question.high)
        return counts

    def pillar_label(self, number, policy_id=None) -> str:
        """A pillar number's title: its policy's, or the one all policies give it; "" when they differ
        (the option then reads 一, 二…: listing dozens of titles would say less)."""
        if policy_id is not None:
            return self.pillar_titles.get((policy_id, number), "")
        titles = self.titles_by_number.get(number, set())
        return next(iter(titles)) if len(titles) == 1 else ""


class _Latest:
    """The tally of the latest revision this worker has seen (one: an edit makes the last one useless)."""

    def __init__(self):
        self.key, self.tally = None, None
        self.lock = threading.Lock()

    def get(self, key: str) -> Tally:
        with self.lock:
            if self.key != key:
                self.key, self.tally = key, _tally(key)
            return self.tally

    def clear(self) -> None:
        with self.lock:
            self.key, self.tally = None, None


LATEST = _Latest()


def _tally(key: str) -> Tally:
    cache_key = f"award-tally:{key}"
    parts = COUNTS.get(cache_key)  # None too when the cache fails: counted afresh
    if parts is None:
        parts = _count()
        COUNTS.set(cache_key, parts, TALLY_TIMEOUT)
    return Tally(*parts)


def _count() -> tuple:
    """The grouped counts and labels of the published awards: five queries."""
    awards = finder_awards().order_by()
    grouped = ("amount_yuan", "listed_pillar_number", "recurrence", "limit")
    rows = [(ALL, *row) for row in awards.values_list(*grouped).annotate(Count("pk"))]
    rows += [
        (("policy", policy), *row)
        for policy, *row in awards.values_list("listed_policy_id", *grouped).annotate(Count("pk"))
    ]
    links = AwardRecipientKind.objects.filter(award__in=awards.values("pk")).order_by()
    rows += [
        (("kind", kind), *row)
        for kind, *row in links.values_list("kind_id", *(f"award__{field}" for field in grouped)).annotate(
            Count("award_id")
        )
    ]
    holding = awards.filter(listed_policy=OuterRef("policy"), listed_pillar_number=OuterRef("number"))
    pillar_titles = {
        (policy, number): title
        for policy, number, title in Pillar.objects.filter(Exists(holding)).values_list("policy", "number", "title")
    }
    kinds = list(RecipientKind.objects.in_order().values_list("pk", "slug", "name"))
    listed = Policy.objects.filter(pk__in=awards.values("listed_policy"))
    policies = {
        pk: (slug, short or title)
        for pk, slug, short, title in listed.values_list("pk", "slug", "short_title", "title")
    }
    return rows, pillar_titles, kinds, policies


def finder_count(finder, request) -> int:
    """The number of awards an AwardFilter (valid, bound) selects, for this request's content revision."""
    return award_count(finder, revision_key(request))


def award_count(finder, revision_key: str) -> int:
    """The number of awards an AwardFilter (valid, bound) selects."""
    cleaned = finder.form.cleaned_data
    scope = _scope(cleaned)
    if scope is None:
        return finder.qs.count()
    return LATEST.get(revision_key).count(scope, Question.of(cleaned))


def _scope(cleaned):
    """The tally's scope of a question: ALL, its kind's or its policy's; None when it names both (the
    tally does not count a kind within a policy)."""
    policy, kind = cleaned.get("policy"), cleaned.get("kind")
    if policy is not None and kind is not None:
        return None
    if policy is not None:
        return ("policy", policy.pk)
    return ("kind", kind.pk) if kind is not None else ALL


def finder_facets(finder, request) -> list[Facet]:
    """The finder's facets (measures.public.filters.AwardFilter.FACETS), each option counted with every
    filter applied but the facet's own: what the results would be once it is chosen."""
    cleaned = finder.form.cleaned_data
    tally = LATEST.get(revision_key(request))
    policy, kind = cleaned.get("policy"), cleaned.get("kind")
    scope = _scope(cleaned)
    label = {name: finder.filters[name].label for name in finder.FACETS}
    if scope is None:  # a kind within a policy: its few awards counted by the database
        facets = {facet.name: facet for facet in finder.facets()}
        facets["policy"] = _shortened(facets["policy"], policy)
    else:
        facets = {
            "band": _band_facet(tally, scope, cleaned, label["band"]),
            "pillar": _pillar_facet(tally, scope, cleaned, label["pillar"], policy),
            "recurrence": _choice_facet(tally, scope, cleaned, "recurrence", Award.Recurrence.choices, label),
            "limit": _choice_facet(tally, scope, cleaned, "limit", Award.Limit.choices, label),
            # Each without its own filter: the kinds within the policy, the policies within the kind.
            "kind": _kind_facet(tally, cleaned, label["kind"]) if policy is None else finder.kind_facet(),
            "policy": (
                _policy_facet(tally, cleaned, label["policy"])
                if kind is None
                else _shortened(finder.policy_facet(), policy)
            ),
        }
    # The 不限 counts that are not the sum of the options: an award open to two kinds counts in both, and
    # the policy facet lists only a few policies.
    question = Question.of(cleaned)
    without_kind = tally.count(("policy", policy.pk) if policy else ALL, question)
    without_policy = tally.count(("kind", kind.pk) if kind else ALL, question)
    facets["kind"] = dataclasses.replace(facets["kind"], total=without_kind)
    facets["policy"] = dataclasses.replace(facets["policy"], total=without_policy)
    return [facets[name] for name in finder.FACETS]


def policy_choices(finder, request) -> list[FacetOption]:
    """Every policy with an award the question would find without its `policy`, with their counts, in
    the order of their addresses: the policy facet's full list (the finder's page shows the first few)."""
    cleaned = finder.form.cleaned_data
    if cleaned.get("kind") is not None:
        options = finder.policy_facet().options
    else:
        options = _policy_options(LATEST.get(revision_key(request)), cleaned)
    return [option for option in options if option.count]


def _band_facet(tally, scope, cleaned, label):
    question = Question.of(cleaned, without="band")
    options = []
    for band in AMOUNT_BANDS:
        low, high = _within(question.low, question.high, band)
        count = tally.count(scope, Question(low, high, question.pillar, question.recurrence, question.limit))
        options.append(FacetOption(band.slug, band.label, count))
    return Facet("band", label, options)


def _choice_facet(tally, scope, cleaned, name, choices, labels):
    counts = tally.by(scope, Question.of(cleaned, without=name), name)
    return Facet(name, labels[name], [FacetOption(value, text, counts.get(value, 0)) for value, text in choices])


def _pillar_facet(tally, scope, cleaned, label, policy):
    """The pillar numbers holding matching awards, in order; the chosen one even when none match."""
    counts = tally.by(scope, Question.of(cleaned, without="pillar"), "pillar")
    chosen = cleaned.get("pillar")
    numbers = sorted({number for number, count in counts.items() if count} | ({chosen} if chosen else set()))
    policy_id = policy.pk if policy else None
    options = [FacetOption(str(n), tally.pillar_label(n, policy_id), counts.get(n, 0)) for n in numbers]
    return Facet("pillar", label, options)


def _kind_facet(tally, cleaned, label):
    """The kinds the matching awards are open to, in the kinds' order; the chosen one even when none are."""
    question = Question.of(cleaned, without="kind")
    chosen = cleaned.get("kind")
    options = []
    for pk, slug, name in tally.kinds:
        count = tally.count(("kind", pk), question)
        if count or (chosen is not None and chosen.pk == pk):
            options.append(FacetOption(slug, name, count))
    return Facet("kind", label, options)


def _policy_facet(tally, cleaned, label):
    """The POLICIES_SHOWN policies with the most matching awards (ties in the order of their addresses),
    and the chosen one. The policies are visited largest first, so the visit stops at the first that
    has fewer awards in all than the last one listed has matching."""
    question = Question.of(cleaned, without="policy")
    shown = []  # (-count, slug, option), in the facet's order
    for negative_total, slug, pk, name in tally.policies_by_size:
        if len(shown) == POLICIES_SHOWN and -negative_total < -shown[-1][0]:
            break
        count = tally.count(("policy", pk), question)
        if count:
            bisect.insort(shown, (-count, slug, FacetOption(slug, name, count)))
            del shown[POLICIES_SHOWN:]
    options = [option for *_, option in shown]
    chosen = cleaned.get("policy")
    if chosen is not None and chosen.slug not in {option.value for option in options}:
        name = tally.policies.get(chosen.pk, (chosen.slug, chosen.short_title or chosen.title))[1]
        options.append(FacetOption(chosen.slug, name, tally.count(("policy", chosen.pk), question)))
    return Facet("policy", label, options, more=len(tally.policies) - len(shown))


def _policy_options(tally, cleaned):
    question = Question.of(cleaned, without="policy")
    options = []
    for pk, (slug, name) in tally.policies.items():
        count = tally.count(("policy", pk), question)
        if count:
            options.append(FacetOption(slug, name, count))
    return sorted(options, key=lambda option: option.value)


def _shortened(facet, chosen):
    """The policy facet as the page lists it: the POLICIES_SHOWN policies with the most matching awards
    (ties in the order of their addresses), the chosen one among them even when it has none; `more` says
    how many policies with awards are left to the full list."""
    shown = heapq.nsmallest(POLICIES_SHOWN, facet.options, key=lambda option: (-option.count, option.value))
    if chosen is not None and chosen.slug not in {option.value for option in shown}:
        found = next((option for option in facet.options if option.value == chosen.slug), None)
        shown.append(found or FacetOption(chosen.slug, chosen.short_title or chosen.title, 0))
    more = sum(1 for option in facet.options if option.count) - sum(1 for option in shown if option.count)
    return dataclasses.replace(facet, options=shown, more=more)


class KnownCountPaginator(Paginator):
    """Django's paginator (DRF's pages use it too), told the number of objects beforehand, so that it
    never runs the COUNT(*) it would otherwise: KnownCountPaginator(awards, 50, count=finder_count(…))."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.known_count = count

    @property
    def count(self) -> int:
        return self.known_count
