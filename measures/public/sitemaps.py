"""sitemap.xml: every policy, pillar and measure page, each measure's history, and the pages that list
across them (home, the policy library, finder and its list of policies, calculator, calendar, search,
changes, downloads), and the 无障碍声明.

Each section is read in one query (its items' policy joined), so the sitemap costs four queries
whatever the amount of data. `items()` returns a list rather than a QuerySet: the paginator of a
Sitemap would otherwise run a COUNT before reading the rows. URLs are made absolute with the site's own
scheme and host (SITE_URL), never the request's.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.db.models import Max, Q
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse

from measures.domain.models import Measure, Pillar, Policy, PublicationStatus, public_clause

PUBLISHED = PublicationStatus.PUBLISHED


class Sitemap(DjangoSitemap):
    """Django's Sitemap on SITE_URL: the view would give it the request's scheme and host."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class PolicySitemap(Sitemap):
    def items(self):
        return list(Policy.objects.order_by("slug").only("slug", "updated_at"))

    def lastmod(self, policy):
        return policy.updated_at


class PillarSitemap(Sitemap):
    def items(self):
        return list(
            Pillar.objects.select_related("policy")
            .order_by("policy__slug", "number")
            .only("number", "updated_at", "policy__slug")
        )

    def lastmod(self, pillar):
        return pillar.updated_at


class MeasureSitemap(Sitemap):
    """A measure page shows its clauses and awards too: its lastmod is the latest of the three.
    Drafts are left out, and a draft clause or award does not move the page's lastmod."""

    def items(self):
        public = public_clause("clauses__")
        return list(
            Measure.objects.published()
            .select_related("policy")
            .order_by("policy__slug", "number")
            .only("number", "updated_at", "policy__slug")
            .annotate(
                page_updated_at=Greatest(
                    "updated_at",
                    # Coalesce: SQLite's GREATEST (max()) is NULL when any argument is.
                    Coalesce(Max("clauses__updated_at", filter=public), "updated_at"),
                    Coalesce(
                        Max("clauses__awards__updated_at", filter=public & Q(clauses__awards__status=PUBLISHED)),
                        "updated_at",
                    ),
                )
            )
        )

    def lastmod(self, measure):
        return measure.page_updated_at


class MeasureHistorySitemap(MeasureSitemap):
    """Each published measure's 修改记录 page, dated like the measure's page (its changes are the page's)."""

    def location(self, measure):
        return reverse("measures:measure_history", args=[measure.policy.slug, measure.number])


class StaticSitemap(Sitemap):
    """The pages that list across policies; they change with the data, so no lastmod of their own."""

    def items(self):
        return [
            "measures:home",
            "measures:policies",
            "measures:awards",
            "measures:award_policies",
            "measures:calculator",
            "measures:calendar",
            "measures:search",
            "measures:changes",
            "measures:downloads",
            "measures:accessibility",
            "feedback:figures",
        ]

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "policies": PolicySitemap,
    "pillars": PillarSitemap,
    "measures": MeasureSitemap,
    "history": MeasureHistorySitemap,
    "pages": StaticSitemap,
}
