from django.urls import path

from measures import views

app_name = "measures"

urlpatterns = [
    path("", views.home, name="home"),
    path("policies/<slug:slug>/", views.policy_detail, name="policy"),
    path("policies/<slug:slug>/pillars/<int:number>/", views.pillar_detail, name="pillar"),
    path("policies/<slug:slug>/measures/<int:number>/", views.measure_detail, name="measure"),
]
