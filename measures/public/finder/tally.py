"""How many awards a finder question matches, without counting awards one by one: the finder's tally.

Each worker keeps a `Tally`: every public award's listing (policy, amount, pillar, frequency, nature and
kinds), and the awards counted by group (amount, pillar, frequency, nature) for all of them, per recipient
kind and per policy, so that a count or a facet is a lookup and two bisections. A question naming both a
policy and a kind is still counted by the database.

When the content revision moves, the tally catches up instead of counting again: it reads the awards the
log of the awards' changes names since its position (measures/domain/award_changes.py, kept by database
triggers) and moves each from its old groups to its new ones, sharing every group they left alone; the
labels (policies, pillars, kinds) are read anew. It counts everything afresh only when it has no tally yet
(nor the shared cache one) or the log no longer reaches back to it or holds too many changes. See
docs/architecture.md#the-award-finders-columns-and-tally.
"""

import bisect
import functools
import itertools
import threading
from collections import defaultdict
from dataclasses import dataclass

from django.core.paginator import Paginator

from measures.domain import award_changes
from measures.domain.eligibility import AwardRecipientKind, RecipientKind
from measures.domain.models import Pillar, Policy
from measures.domain.revision import content_revision
from measures.public.finder.bands import BANDS_BY_SLUG
from measures.public.finder.filters import finder_awards
from measures.text import money
from xmpolicy.optional_cache import OptionalCache

# Raised when what the shared cache holds changes shape (the awards' listings and the log's position: 3),
# so that it never hands a new worker a tally of the old shape.
TALLY_SHAPE = 3
# Seconds the latest full count stays in the shared cache, for the workers that start after it (they catch
# up from the log); it is large (docs/benchmarks.md), so it does not stay longer.
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
    def of(cls, awards_by_amount: dict) -> "Amounts":
        """From {amount: awards}."""
        amounts = tuple(sorted(awards_by_amount))
        return cls(amounts, (0, *itertools.accumulate(awards_by_amount[amount] for amount in amounts)))

    def awards_by_amount(self) -> dict:
        """{amount: awards}, as it was made of."""
        return {amount: self.before[i + 1] - self.before[i] for i, amount in enumerate(self.amounts)}

    def count(self, low, high) -> int:
        if low is None and high is None:
            return self.before[-1]
        start = 0 if low is None else bisect.bisect_left(self.amounts, low)
        stop = len(self.amounts) if high is None else bisect.bisect_right(self.amounts, high)
        return self.before[stop] - self.before[start] if stop > start else 0


@functools.cache  # the groups' values are a few dozen combinations, counted tens of thousands of times
def _broad_keys(values) -> tuple[tuple, ...]:
    """The keys a group of these (pillar, recurrence, limit) values counts under that ask for one value at
    most: (None, None, None), then each value alone."""
    keys = [(None,) * len(values)]
    for index, value in enumerate(values):
        if value is not None:
            keys.append(tuple(value if i == index else None for i in range(len(values))))
    return tuple(keys)


# A public award as the tally counts it: (policy id, amount in yuan, pillar number, recurrence, limit,
# the ids of its recipient kinds in order).
Listing = tuple


def _scopes(listing: Listing):
    """The scopes an award counts in: all awards, its policy's, each of its kinds'."""
    yield ALL
    yield ("policy", listing[0])
    for kind in listing[5]:
        yield ("kind", kind)


@dataclass(frozen=True)
class Labels:
    """What the facets show of the policies, pillars and kinds holding awards."""

    pillar_titles: dict  # {(policy id, number): title}, the pillars holding awards
    kinds: list  # [(id, slug, name, English name)], the public kinds in their order
    policies: dict  # {id: (slug, label)}, the policies holding awards


class Tally:
    """The awards counted by scope (ALL, a kind, a policy) and group, as of a position in the log of the
    awards' changes (measures/domain/award_changes.py), with the labels the facets show. Never changed once
    made: `caught_up` makes the next one, sharing what the changes left alone."""

    def __init__(self, position: int, listings: dict, labels: Labels, counted=None):
        self.position = position
        self.listings = listings  # {award id: Listing}, the public awards
        # Per scope: {values: Amounts} and {broad key: Amounts}.
        self.groups, self.broad = _counted(listings) if counted is None else counted
        self.pillar_titles = labels.pillar_titles
        self.titles_by_number = defaultdict(set)
        for (_, number), title in labels.pillar_titles.items():
            self.titles_by_number[number].add(title)
        self.kinds = labels.kinds
        self.policies = labels.policies
        # The policies, most awards first (ties by address): the policy facet stops early along it.
        self.policies_by_size = sorted(
            (-self.broad[("policy", pk)][(None, None, None)].before[-1], slug, pk, name)
            for pk, (slug, name) in self.policies.items()
        )
        # Every award counts in ALL: its groups are every group of every scope.
        self.combinations = set(self.groups.get(ALL, {}))
        self._wanted = {}  # question -> the combinations of values it accepts, for the questions of late

    def caught_up(self, position: int, changed: dict, read_labels) -> "Tally":
        """The tally once the awards in `changed` ({award id: Listing, or None when no longer public}) are
        as given; read_labels(broad) reads the labels of the policies and pillars holding awards then
        (those with a count in `broad`)."""
        listings, moves = dict(self.listings), defaultdict(int)  # (scope, values, amount) -> awards gained
        for award, listing in changed.items():
            before = listings.get(award)
            if before == listing:
                continue
            for counted, sign in ((before, -1), (listing, 1)):
                if counted is not None:
                    for scope in _scopes(counted):
                        moves[scope, counted[2:5], counted[1]] += sign
            if listing is None:
                del listings[award]
            else:
                listings[award] = listing
        counted = _moved(self.groups, self.broad, moves)
        return Tally(position, listings, read_labels(counted[1]), counted)

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
        for values, amounts in self.groups.get(scope, {}).items():
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


def _counted(listings: dict) -> tuple[dict, dict]:
    """The awards counted per scope by group and by broad key: ({scope: {values: Amounts}}, {scope: {broad
    key: Amounts}})."""
    by_policy, by_kind = defaultdict(int), defaultdict(int)  # awards alike counted once: fewer rows below
    for policy, amount, pillar, recurrence, limit, kinds in listings.values():
        values = (pillar, recurrence, limit)
        by_policy[policy, amount, values] += 1
        for kind in kinds:
            by_kind[kind, amount, values] += 1
    by_group, by_broad_key = defaultdict(dict), defaultdict(dict)  # per scope: {key: {amount: awards}}

    def add(scope, values, amount, awards):
        group = by_group[scope].setdefault(values, {})
        group[amount] = group.get(amount, 0) + awards
        # Each scope's awards also counted under the keys that ask for one dimension's value at most (None:
        # any): most questions, and the policy facet's in each of hundreds of policies, are then one
        # lookup and two bisections, not a dozen.
        for key in _broad_keys(values):
            broad = by_broad_key[scope].setdefault(key, {})
            broad[amount] = broad.get(amount, 0) + awards

    for (policy, amount, values), awards in by_policy.items():
        add(ALL, values, amount, awards)
        add(("policy", policy), values, amount, awards)
    for (kind, amount, values), awards in by_kind.items():
        add(("kind", kind), values, amount, awards)
    groups = {scope: {values: Amounts.of(g) for values, g in kept.items()} for scope, kept in by_group.items()}
    broad = {scope: {key: Amounts.of(b) for key, b in kept.items()} for scope, kept in by_broad_key.items()}
    return groups, broad


def _moved(groups: dict, broad: dict, moves: dict) -> tuple[dict, dict]:
    """`groups` and `broad` (as _counted returns them) with the awards gained or lost in `moves` ({(scope,
    values, amount): awards}): the scopes and keys they touch are copied and counted again, the rest
    shared."""
    groups, broad = dict(groups), dict(broad)
    changing = {}  # (is a group, scope, key) -> {amount: awards}, to be made Amounts again

    def move(kept, scope, key, amount, awards):
        where = (kept is groups, scope, key)
        if where not in changing:
            old = kept[scope].get(key)
            changing[where] = old.awards_by_amount() if old is not None else {}
        counts = changing[where]
        counts[amount] = counts.get(amount, 0) + awards
        if not counts[amount]:
            del counts[amount]

    copied = set()
    for (scope, values, amount), awards in moves.items():
        if not awards:
            continue
        if scope not in copied:
            copied.add(scope)
            groups[scope], broad[scope] = dict(groups.get(scope, {})), dict(broad.get(scope, {}))
        move(groups, scope, values, amount, awards)
        for key in _broad_keys(values):
            move(broad, scope, key, amount, awards)
    for (is_group, scope, key), counts in changing.items():
        kept = groups if is_group else broad
        if counts:
            kept[scope][key] = Amounts.of(counts)
        else:
            kept[scope].pop(key, None)
    for scope in [scope for scope in copied if not groups[scope]]:
        del groups[scope], broad[scope]
    return groups, broad


# The changed awards beyond which a tally is counted afresh rather than caught up: reading that many
# awards by id approaches counting them all.
MOST_CHANGES = 2_000


class _Latest:
    """The tally of the latest revision this worker has seen. When the revision moves, the tally catches up
    from the log of the awards' changes (measures/domain/award_changes.py): an edit anywhere, in any
    process, is in the log once committed, and the revision moves with it."""

    def __init__(self):
        self.key, self.tally = None, None
        self.lock = threading.Lock()

    def get(self, key: str) -> Tally:
        with self.lock:
            if self.key != key:
                self.tally, self.key = caught_up(self.tally or _shared()), key
            return self.tally

    def clear(self) -> None:
        with self.lock:
            self.key, self.tally = None, None


LATEST = _Latest()


def cache_key() -> str:
    """Where the shared cache keeps the latest count of every award (read by tally_check too)."""
    return f"award-tally:{TALLY_SHAPE}"


def _shared() -> Tally | None:
    """The tally of the shared cache's count, without labels (caught_up reads them): None when the cache
    holds none (or fails)."""
    kept = COUNTS.get(cache_key())
    if kept is None:
        return None
    position, listings = kept
    return Tally(position, listings, Labels({}, [], {}))


def caught_up(tally: Tally | None) -> Tally:
    """`tally` with the awards changed since its position read anew, and its labels: four queries, six
    when awards changed. Counted afresh when there is none, or the log no longer reaches back to it or
    holds too many changes after it."""
    if tally is not None:
        changes = award_changes.changed_since(tally.position, MOST_CHANGES)
        if changes is not None:
            position, awards = changes
            listings = _listings(finder_awards().filter(pk__in=awards)) if awards else {}
            return tally.caught_up(position, {pk: listings.get(pk) for pk in awards}, _labels)
    return counted()


def counted() -> Tally:
    """Every public award counted afresh, and kept in the shared cache for the workers to come: six
    queries."""
    tally = fresh()
    COUNTS.set(cache_key(), (tally.position, tally.listings), TALLY_TIMEOUT)
    return tally


def fresh() -> Tally:
    """Every public award counted afresh: six queries."""
    # The log's position first: a change committed while the awards are read is read again after.
    position = award_changes.log_position()
    listings = _listings(finder_awards())
    return Tally(position, listings, Labels({}, [], {})).caught_up(position, {}, _labels)


def _listings(awards) -> dict:
    """{award id: Listing} of these public awards: two queries."""
    kinds = defaultdict(list)
    links = AwardRecipientKind.objects.filter(award__in=awards.values("pk")).order_by("award_id", "kind_id")
    for award, kind in links.values_list("award_id", "kind_id"):
        kinds[award].append(kind)
    # Equal values kept once: tens of thousands of awards share a few thousand amounts, kinds and listings,
    # which every worker holds.
    shared, listings = {}, {}
    columns = ("pk", "listed_policy_id", "amount_yuan", "listed_pillar_number", "recurrence", "limit")
    for pk, *values in awards.order_by().values_list(*columns):
        listing = (*(shared.setdefault(value, value) for value in values), tuple(kinds.get(pk, ())))
        listings[pk] = shared.setdefault(listing, listing)
    return listings


def _labels(broad: dict) -> Labels:
    """The labels of the policies and pillars holding awards (counted in `broad`), and the public kinds:
    three queries, each reading a table of hundreds of rows whole rather than asking which rows hold
    awards."""
    everything = (None, None, None)
    pillar_titles = {
        (policy, number): title
        for policy, number, title in Pillar.objects.order_by().values_list("policy", "number", "title")
        if (number, None, None) in broad.get(("policy", policy), ())
    }
    kinds = list(RecipientKind.objects.public().in_order().values_list("pk", "slug", "name", "name_en"))
    listed = {
        pk: (slug, short or title)
        for pk, slug, short, title in Policy.objects.values_list("pk", "slug", "short_title", "title")
        if everything in broad.get(("policy", pk), ())
    }
    return Labels(pillar_titles, kinds, listed)


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
