"""纠错 and 提问, under /feedback/ (xmpolicy/urls.py): never in the page cache."""

from django.urls import path, re_path

from measures.public.feedback import views

app_name = "feedback"

urlpatterns = [
    path("", views.figures_page, name="figures"),
    path("new/", views.new, name="new"),
    re_path(r"^received/(?P<reference>FK-[0-9]{4}-[0-9]{6,9})/$", views.received, name="received"),
]
