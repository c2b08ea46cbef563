from django.contrib.sitemaps.views import sitemap
from django.urls import path, re_path
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from measures.public.sitemaps import SITEMAPS
from measures.public.views import awards, browse, calculator, downloads, history, search

app_name = "measures"

# Every public page is read-only: any method but GET and HEAD (POST, TRACE, OPTIONS…) is a 405 naming
# the two (require_safe, applied to each view below).
urlpatterns = [
    path("", require_safe(browse.home), name="home"),
    path("policies/<slug:slug>/", require_safe(browse.policy_detail), name="policy"),
    path("policies/<slug:slug>/pillars/<int:number>/", require_safe(browse.pillar_detail), name="pillar"),
    path("policies/<slug:slug>/measures/<int:number>/", require_safe(browse.measure_detail), name="measure"),
    path(
        "policies/<slug:slug>/measures/<int:number>/history/",
        require_safe(history.measure_history),
        name="measure_history",
    ),
    path("awards/", require_safe(awards.award_finder), name="awards"),
    path("awards/policies/", require_safe(awards.award_policies), name="award_policies"),
    path("awards/export.csv", require_safe(awards.award_export_csv), name="awards_csv"),
    path("calculator/", require_safe(calculator.calculator_page), name="calculator"),
    path("calculator/export.csv", require_safe(calculator.calculator_export_csv), name="calculator_csv"),
    path("search/", require_safe(search.search), name="search"),
    path("changes/", require_safe(history.changes), name="changes"),
    path("sitemap.xml", require_safe(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("changes/feed/", require_safe(history.ChangesFeed()), name="changes_feed"),
    path("downloads/", require_safe(downloads.downloads), name="downloads"),
    # 无障碍声明: fixed text, linked from every footer.
    path(
        "accessibility/",
        require_safe(TemplateView.as_view(template_name="measures/accessibility.html")),
        name="accessibility",
    ),
    re_path(
        r"^downloads/(?P<dataset>awards|clauses|documents)\.(?P<fmt>csv|json)$",
        require_safe(downloads.download),
        name="download",
    ),
]
