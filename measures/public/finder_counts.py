"""How many awards a finder question matches, without counting them one by one.

The finder says how many awards match ("共 N 项") and pages through them. Counting tens of thousands
of awards for each question costs more than finding the page of fifty itself, so the counts of every
combination of what the finder filters by — amount, pillar number, frequency, kind — are read once per
content revision (one grouped query: a few hundred groups, however many awards) and kept in the cache;
a question's count is then a sum over the groups it selects. A question about one policy is counted
by the database instead: that policy's awards are few and indexed; so is a question about one recipient
kind (申报主体), whose awards are read through the links' index.

The revision names the public content (measures/domain/revision.py), and the database's triggers
move it on every write of a public row, whatever the path: an edit simply leads to a new key.
"""

from django.core.paginator import Paginator
from django.db.models import Count

from measures.domain.revision import content_revision
from measures.public.bands import BANDS_BY_SLUG
from measures.text import money
from xmpolicy.optional_cache import OptionalCache

CUBE_TIMEOUT = 24 * 60 * 60  # seconds; entries are never stale (their key changes), this lets old ones go

# A cache that fails is logged and bypassed (xmpolicy/optional_cache.py).
COUNTS = OptionalCache("award counts")


def revision_key(request) -> str:
    """The content's revision, as measures/public/caching.py read it for this request (or read now)."""
    revision = getattr(request, "content_revision", None) or content_revision()
    return f"{revision.key}:{revision.last_modified.isoformat() if revision.last_modified else ''}"


def finder_count(finder, request) -> int:
    """The number of awards an AwardFilter (valid, bound) selects, for this request's content revision."""
    return award_count(finder, revision_key(request))


def award_count(finder, revision_key: str) -> int:
    """The number of awards an AwardFilter (valid, bound) selects."""
    cleaned = finder.form.cleaned_data
    if cleaned.get("policy") is not None or cleaned.get("kind") is not None:
        return finder.qs.count()
    low, high = cleaned.get("min"), cleaned.get("max")  # yuan, inclusive
    band = BANDS_BY_SLUG[cleaned["band"]] if cleaned.get("band") else None
    band_low = money.wan_to_yuan(band.low_wan) if band and band.low_wan is not None else None
    band_high = money.wan_to_yuan(band.high_wan) if band and band.high_wan is not None else None  # exclusive
    wanted = {name: cleaned.get(name) for name in ("pillar", "recurrence", "limit")}
    total = 0
    for amount, pillar, recurrence, limit, count in _counts_by_group(finder.queryset, revision_key):
        if (low is not None and amount < low) or (high is not None and amount > high):
            continue
        if (band_low is not None and amount < band_low) or (band_high is not None and amount >= band_high):
            continue
        if any(
            value not in (None, "") and value != actual
            for value, actual in zip(wanted.values(), (pillar, recurrence, limit), strict=True)
        ):
            continue
        total += count
    return total


def _counts_by_group(awards, revision_key: str) -> list[tuple]:
    key = f"award-counts:{revision_key}"
    groups = COUNTS.get(key)  # None too when the cache fails: counted afresh
    if groups is None:
        rows = (
            awards.order_by()
            .values_list("amount_yuan", "listed_pillar_number", "recurrence", "limit")
            .annotate(count=Count("pk"))
        )
        groups = [tuple(row) for row in rows]
        COUNTS.set(key, groups, CUBE_TIMEOUT)
    return groups


class KnownCountPaginator(Paginator):
    """Django's paginator (DRF's pages use it too), told the number of objects beforehand, so that it
    never runs the COUNT(*) it would otherwise: KnownCountPaginator(awards, 50, count=finder_count(…))."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.known_count = count

    @property
    def count(self) -> int:
        return self.known_count
