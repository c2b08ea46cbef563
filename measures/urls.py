from django.urls import path, re_path

from measures.views import awards, browse, downloads, history, search

app_name = "measures"

urlpatterns = [
    path("", browse.home, name="home"),
    path("policies/<slug:slug>/", browse.policy_detail, name="policy"),
    path("policies/<slug:slug>/pillars/<int:number>/", browse.pillar_detail, name="pillar"),
    path("policies/<slug:slug>/measures/<int:number>/", browse.measure_detail, name="measure"),
    path("policies/<slug:slug>/measures/<int:number>/history/", history.measure_history, name="measure_history"),
    path("awards/", awards.award_finder, name="awards"),
    path("awards/export.csv", awards.award_export_csv, name="awards_csv"),
    path("search/", search.search, name="search"),
    path("changes/", history.changes, name="changes"),
    path("changes/feed/", history.ChangesFeed(), name="changes_feed"),
    path("downloads/", downloads.downloads, name="downloads"),
    re_path(r"^downloads/(?P<dataset>awards|clauses)\.(?P<fmt>csv|json)$", downloads.download, name="download"),
]
