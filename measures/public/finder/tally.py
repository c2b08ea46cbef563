"""How many awards a finder question matches, without counting awards one by one: the finder's tally.

Once per content revision the awards are counted by group (amount, pillar, frequency, nature) for all of
them, per recipient kind and per policy; each worker keeps those rows as a `Tally` for the current
revision, so a count or a facet is a lookup and two bisections. A question naming both a policy and a
kind is still counted by the database. See docs/architecture.md#the-award-finders-columns-and-tally.
"""

import bisect
import itertools
import threading
from collections import defaultdict
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef

from measures.domain.eligibility import AwardRecipientKind, RecipientKind
from measures.domain.models import Pillar, Policy
from measures.domain.revision import content_revision
from measures.public.finder.bands import BANDS_BY_SLUG
from measures.public.finder.filters import finder_awards
from measures.text import money
from xmpolicy.optional_cache import OptionalCache

# Raised when what _count() returns changes shape (the kinds gained their English name: 2), so that a
# shared cache never hands a new worker a tally of the old shape.
TALLY_SHAPE = 2
# Seconds a revision's counts stay in the shared cache: never stale (their key changes), and read only by
# workers that have not built that revision's tally yet; they are large (docs/benchmarks.md), so an edit's
# old counts go soon.
TALLY_TIMEOUT = 60 * 60

# A cache that fails is logged and bypassed (xmpolicy/optional_cache.py).
COUNTS = OptionalCache("award counts")

ALL = "all"  # the scope of every award; a kind's is ("kind", id), a policy's ("policy", id)
DIMENSIONS = ("pillar", "recurrence", "limit")  # the facets a group has one value of


def revision_key(request) -> str:
    """The content's revision, as measures/public/page_cache/middleware.py read it for this request (or read now)."""
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
            low, high = within(low, high, BANDS_BY_SLUG[cleaned["band"]])
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


def within(low, high, band):
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
    """The awards of one group: their amounts in order, and before[i], how many awards come before
    amounts[i] (one entry more: all of them)."""

    amounts: tuple[int, ...]
    before: tuple[int, ...]

    @classmethod
    def of(cls, pairs: list) -> "Amounts":
        """From (amount, awards) pairs. An amount may come more than once (from several groups): the
        bisections count the same with it repeated."""
        amounts, counts = zip(*sorted(pairs), strict=True)
        return cls(amounts, (0, *itertools.accumulate(counts)))

    def count(self, low, high) -> int:
        if low is None and high is None:
            return self.before[-1]
        start = 0 if low is None else bisect.bisect_left(self.amounts, low)
        stop = len(self.amounts) if high is None else bisect.bisect_right(self.amounts, high)
        return self.before[stop] - self.before[start] if stop > start else 0


def _broad_keys(values) -> list[tuple]:
    """The keys a group of these (pillar, recurrence, limit) values counts under that ask for one value at
    most: (None, None, None), then each value alone."""
    keys = [(None,) * len(values)]
    for index, value in enumerate(values):
        if value is not None:
            keys.append(tuple(value if i == index else None for i in range(len(values))))
    return keys


class Tally:
    """One revision's awards counted by scope (ALL, a kind, a policy) and group, with the labels the
    facets show."""

    def __init__(self, rows, pillar_titles, kinds, policies):
        grouped, broad = defaultdict(list), defaultdict(list)
        for scope, amount, *values, count in rows:
            grouped[scope, tuple(values)].append((amount, count))
            for key in _broad_keys(values):
                broad[scope, key].append((amount, count))
        self.groups = defaultdict(dict)  # scope -> {values: Amounts}
        for (scope, values), pairs in grouped.items():
            self.groups[scope][values] = Amounts.of(pairs)
        # Each scope's awards also counted under the keys that ask for one dimension's value at most (None:
        # any): most questions, and the policy facet's in each of hundreds of policies, are then one lookup
        # and two bisections, not a dozen.
        self.broad = defaultdict(dict)  # scope -> {key: Amounts}
        for (scope, key), pairs in broad.items():
            self.broad[scope][key] = Amounts.of(pairs)
        self.pillar_titles = pillar_titles  # {(policy id, number): title}, the pillars holding awards
        self.titles_by_number = defaultdict(set)
        for (_, number), title in pillar_titles.items():
            self.titles_by_number[number].add(title)
        self.kinds = kinds  # [(id, slug, name, English name)], in the kinds' order
        self.policies = policies  # {id: (slug, label)}
        # The policies, most awards first (ties by address): the policy facet stops early along it.
        self.policies_by_size = sorted(
            (-self.count(("policy", pk), Question()), slug, pk, name) for pk, (slug, name) in policies.items()
        )
        self.combinations = {values for groups in self.groups.values() for values in groups}
        self._wanted = {}  # question -> the combinations of values it accepts, for the questions of late

    def count(self, scope, question: Question) -> int:
        key = (question.pillar, question.recurrence, question.limit)
        if key.count(None) >= len(key) - 1:
            awards = self.broad.get(scope, {}).get(key)
            return awards.count(question.low, question.high) if awards is not None else 0
        # Asking for two or three values, it names a few groups: each looked up.
        groups = self.groups.get(scope, {})
        return sum(
            groups[values].count(question.low, question.high) for values in self.wanted(question) if values in groups
        )

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
        for values, amounts in self.groups[scope].items():
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


def cache_key(revision_key: str) -> str:
    """Where a revision's counts are kept in the shared cache (read by tally_check too)."""
    return f"award-tally:{TALLY_SHAPE}:{revision_key}"


def _tally(key: str) -> Tally:
    parts = COUNTS.get(cache_key(key))  # None too when the cache fails: counted afresh
    if parts is None:
        parts = _count()
        COUNTS.set(cache_key(key), parts, TALLY_TIMEOUT)
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
    kinds = list(RecipientKind.objects.public().in_order().values_list("pk", "slug", "name", "name_en"))
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
    scope = scope_of(cleaned)
    if scope is None:
        return finder.qs.count()
    return LATEST.get(revision_key).count(scope, Question.of(cleaned))


def scope_of(cleaned):
    """The tally's scope of a question: ALL, its kind's or its policy's; None when it names both (the
    tally does not count a kind within a policy)."""
    policy, kind = cleaned.get("policy"), cleaned.get("kind")
    if policy is not None and kind is not None:
        return None
    if policy is not None:
        return ("policy", policy.pk)
    return ("kind", kind.pk) if kind is not None else ALL


class KnownCountPaginator(Paginator):
    """Django's paginator (DRF's pages use it too), told the number of objects beforehand, so that it
    never runs the COUNT(*) it would otherwise: KnownCountPaginator(awards, 50, count=finder_count(…))."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.known_count = count

    @property
    def count(self) -> int:
        return self.known_count
