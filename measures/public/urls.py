from django.contrib.sitemaps.views import sitemap
from django.urls import path, re_path
from django.views.generic import TemplateView

from measures.public.sitemaps import SITEMAPS
from measures.public.views import awards, browse, calculator, calendar, downloads, history, library, search
from xmpolicy.read_only import read_only

app_name = "measures"

# Every public page is read-only: any method but GET and HEAD (POST, PUT, TRACE, OPTIONS…) is a 405
# naming the two (read_only, applied to each view below).
urlpatterns = [
    path("", read_only(browse.home), name="home"),
    # 政策库: every policy, with filters, facet counts and a CSV of the same question.
    path("policies/", read_only(library.policy_library), name="policies"),
    path("policies/export.csv", read_only(library.policy_library_csv), name="policies_csv"),
    path("policies/<slug:slug>/", read_only(browse.policy_detail), name="policy"),
    path("policies/<slug:slug>/pillars/<int:number>/", read_only(browse.pillar_detail), name="pillar"),
    path("policies/<slug:slug>/measures/<int:number>/", read_only(browse.measure_detail), name="measure"),
    path(
        "policies/<slug:slug>/measures/<int:number>/history/",
        read_only(history.measure_history),
        name="measure_history",
    ),
    path(
        "policies/<slug:slug>/measures/<int:number>/feed/",
        read_only(history.MeasureChangesFeed()),
        name="measure_feed",
    ),
    path("awards/", read_only(awards.award_finder), name="awards"),
    path("awards/policies/", read_only(awards.award_policies), name="award_policies"),
    path("awards/export.csv", read_only(awards.award_export_csv), name="awards_csv"),
    path("calculator/", read_only(calculator.calculator_page), name="calculator"),
    path("calculator/export.csv", read_only(calculator.calculator_export_csv), name="calculator_csv"),
    # 申报日历 and its iCalendar feeds (the whole calendar, a measure's, a calculator answer's).
    path("calendar/", read_only(calendar.calendar_page), name="calendar"),
    path("calendar.ics", read_only(calendar.calendar_ics), name="calendar_ics"),
    path(
        "policies/<slug:slug>/measures/<int:number>/calendar.ics",
        read_only(calendar.measure_ics),
        name="measure_ics",
    ),
    path("calculator/calendar.ics", read_only(calendar.calculator_ics), name="calculator_ics"),
    path("search/", read_only(search.search), name="search"),
    path("changes/", read_only(history.changes), name="changes"),
    path("sitemap.xml", read_only(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("changes/feed/", read_only(history.ChangesFeed()), name="changes_feed"),
    path("downloads/", read_only(downloads.downloads), name="downloads"),
    path("downloads/datapackage.json", read_only(downloads.package), name="data_package"),
    # 无障碍声明: fixed text, linked from every footer.
    path(
        "accessibility/",
        read_only(TemplateView.as_view(template_name="measures/accessibility.html")),
        name="accessibility",
    ),
    re_path(
        r"^downloads/(?P<dataset>awards|clauses|questions|documents)\.(?P<fmt>csv|json)$",
        read_only(downloads.download),
        name="download",
    ),
]
