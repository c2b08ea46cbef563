from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from xmpolicy.api_errors import API_PREFIX
from xmpolicy.elder import choose_elder_mode
from xmpolicy.health import healthz
from xmpolicy.locale import choose_language
from xmpolicy.read_only import read_only

# A database that is down is a 503 page (or JSON under /api/); any other uncaught exception Django's 500.
handler500 = "xmpolicy.faults.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    # For load balancers and monitors: 200 when the database answers, else 503 (xmpolicy/health.py).
    path("healthz", healthz, name="healthz"),
    # The language switch in base.html posts here (the choice is kept in a cookie; no CSRF token).
    path("i18n/setlang/", choose_language, name="set_language"),
    # The 长辈版 switch beside it (xmpolicy/elder.py), kept the same way.
    path("elder/", choose_elder_mode, name="set_elder_mode"),
    path(
        "robots.txt",
        read_only(TemplateView.as_view(template_name="robots.txt", content_type="text/plain")),
        name="robots",
    ),
    # The site's address for print.css, which writes it before the targets of the site's own links.
    path(
        "site-address.css",
        read_only(TemplateView.as_view(template_name="site-address.css", content_type="text/css")),
        name="site_address_css",
    ),
    path(API_PREFIX.removeprefix("/"), include("measures.public.api.urls")),
    # 关注: e-mail alerts (sign-up, confirmation, managing, one-click unsubscribe); never cached.
    path("follow/", include("measures.public.alerts.urls")),
    # 纠错 and 提问: the form, its reference number page and the figures (/feedback/); never cached.
    path("feedback/", include("measures.public.feedback.urls")),
    # Editors' previews of drafts: private, never cached or indexed (measures/public/views/preview.py).
    path("preview/", include("measures.public.views.preview")),
    path("", include("measures.public.urls")),
]
