"""The 关注 pages, under /follow/ (xmpolicy/urls.py). The tokens are django.core.signing's (links.py)."""

from django.urls import path

from measures.public.alerts import views

app_name = "alerts"

urlpatterns = [
    path("", views.follow, name="follow"),
    path("sent/", views.sent, name="sent"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
