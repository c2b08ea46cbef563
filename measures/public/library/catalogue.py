"""The library's catalogue: every policy with what the library shows and filters by, read once per content
revision (six queries, whatever the number of policies), kept by each worker as the finder keeps its
tally (measures/public/finder/tally.py). A page, a CSV or an API list then filters, counts its facets,
sorts and pages in Python: with a city's library (hundreds of policies) that is a fraction of a
millisecond, and the page's queries stay fixed whatever the number of policies.

A policy's validity (measures.domain.models.Policy.validity_status and validity_warning) depends on the
day: it is read per request from the policies kept here, never kept itself.
"""

import datetime
import threading
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Count, Max
from django.utils.translation import gettext_lazy as _

from measures.domain.documents import RelatedDocument
from measures.domain.eligibility import AwardRecipientKind, RecipientKind
from measures.domain.models import Award, Measure, Policy
from measures.public.finder.tally import revision_key

# What the library lists of a policy: everything but the preamble and the audit columns.
POLICY_FIELDS = (
    "id",
    "slug",
    "title",
    "short_title",
    "title_en",
    "document_number",
    "issuing_bodies",
    "issue_date",
    "issue_date_confirmed",
    "effective_date",
    "validity_years",
    "declared_measure_count",
)
ISSUER_SEPARATOR = "、"  # the editors' rule for several issuing bodies (Policy.issuing_bodies)


class Validity(models.TextChoices):
    """A policy's validity as the library shows and filters it: Policy.ValidityStatus, with its last six
    months in force (Policy.validity_warning, EXPIRY_WARNING_MONTHS) told apart as 即将失效."""

    NOT_YET = "not_yet", _("尚未施行")
    IN_FORCE = "in_force", _("有效")
    EXPIRING = "expiring", _("即将失效")
    EXPIRED = "expired", _("已失效")


def validity_of(policy: Policy, today: datetime.date) -> Validity:
    status = policy.validity_status(today)
    if status == Policy.ValidityStatus.IN_FORCE:
        warning = policy.validity_warning(today)
        return Validity.EXPIRING if warning is not None and not warning.expired else Validity.IN_FORCE
    return Validity(status.value)


@dataclass
class LibraryEntry:
    """One policy in the library."""

    policy: Policy
    issuers: tuple[str, ...]
    recorded_measures: int = 0
    award_count: int = 0
    largest_award_yuan: int | None = None
    kind_ids: frozenset = frozenset()
    cited_by: int = 0  # related documents (相关文件) that implement, explain or cite it
    search_text: str = field(default="", repr=False)


@dataclass(frozen=True)
class Kind:
    pk: int
    slug: str
    name: str
    name_en: str


class Catalogue:
    def __init__(self, entries: list[LibraryEntry], kinds: list[Kind]):
        self.entries = entries  # newest first (-issue_date, slug): the library's default order
        self.kinds = kinds  # the public kinds, in their order
        self.kinds_by_slug = {kind.slug: kind for kind in kinds}
        counts = defaultdict(int)
        for entry in entries:
            for issuer in entry.issuers:
                counts[issuer] += 1
        # Most policies first, then by name: the issuer facet's order.
        self.issuers = sorted(counts, key=lambda name: (-counts[name], name))
        self.years = sorted({entry.policy.issue_date.year for entry in entries}, reverse=True)
        self._validity = (None, {})

    def validity(self, today: datetime.date) -> dict[int, Validity]:
        """Each policy's validity today, by policy id (worked out once a day)."""
        day, statuses = self._validity
        if day != today:
            statuses = {entry.policy.pk: validity_of(entry.policy, today) for entry in self.entries}
            self._validity = (today, statuses)
        return statuses


def issuers_of(issuing_bodies: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in issuing_bodies.split(ISSUER_SEPARATOR) if name.strip())


# Brackets a 文号 may be typed with, read as the 六角括号 the editors record (厦委发[2025]1号).
BRACKETS = str.maketrans({"[": "〔", "]": "〕", "【": "〔", "】": "〕", "(": "〔", ")": "〕", "（": "〔", "）": "〕"})


def searchable(text: str) -> str:
    """Text as `q` is matched against it: without spaces, in lower case, brackets as 〔〕."""
    return "".join(text.split()).casefold().translate(BRACKETS)


def build() -> Catalogue:
    """The catalogue of the policies as they are now: six queries."""
    policies = list(Policy.objects.only(*POLICY_FIELDS).order_by("-issue_date", "slug"))
    awards = {
        row["listed_policy"]: row
        for row in Award.objects.published()
        .order_by()
        .values("listed_policy")
        .annotate(count=Count("pk"), largest=Max("amount_yuan"))
    }
    kinds_of = defaultdict(set)
    links = AwardRecipientKind.objects.filter(award__is_public=True).order_by()
    for policy_id, kind_id in links.values_list("award__listed_policy", "kind").distinct():
        kinds_of[policy_id].add(kind_id)
    measures = dict(
        Measure.objects.published()
        .order_by()
        .values("policy")
        .annotate(count=Count("pk"))
        .values_list("policy", "count")
    )
    cited = dict(
        RelatedDocument.objects.order_by().values("policy").annotate(count=Count("pk")).values_list("policy", "count")
    )
    kinds = [
        Kind(*row) for row in RecipientKind.objects.public().in_order().values_list("pk", "slug", "name", "name_en")
    ]
    entries = []
    for policy in policies:
        award = awards.get(policy.pk, {})
        entries.append(
            LibraryEntry(
                policy=policy,
                issuers=issuers_of(policy.issuing_bodies),
                recorded_measures=measures.get(policy.pk, 0),
                award_count=award.get("count", 0),
                largest_award_yuan=award.get("largest"),
                kind_ids=frozenset(kinds_of.get(policy.pk, ())),
                cited_by=cited.get(policy.pk, 0),
                search_text="\n".join(
                    searchable(text) for text in (policy.title, policy.short_title, policy.document_number) if text
                ),
            )
        )
    return Catalogue(entries, kinds)


class _Latest:
    """The catalogue of the latest revision this worker has seen."""

    def __init__(self):
        self.key, self.catalogue = None, None
        self.lock = threading.Lock()

    def get(self, key: str) -> Catalogue:
        with self.lock:
            if self.key != key:
                self.key, self.catalogue = key, build()
            return self.catalogue

    def clear(self) -> None:
        with self.lock:
            self.key, self.catalogue = None, None


LATEST_CATALOGUE = _Latest()


def catalogue_for(request=None) -> Catalogue:
    """The catalogue of this request's content revision (measures/public/finder/tally.py's revision_key)."""
    return LATEST_CATALOGUE.get(revision_key(request))
