from django.http import JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from rest_framework.exceptions import NotFound
from rest_framework.routers import APIRootView, DefaultRouter

from measures.public.api import views
from measures.public.api.docs import ApiDocsView
from measures.public.api.schema import SchemaView
from measures.public.formatting import on_site

app_name = "api"


class RootView(APIRootView):
    """/api/v1/: the lists' addresses, on the site's own address (DRF's are on the request's host)."""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response.data = {name: on_site(link) for name, link in response.data.items()}
        return response


class Router(DefaultRouter):
    APIRootView = RootView


router = Router()
router.register("policies", views.PolicyViewSet, basename="policy")
router.register("pillars", views.PillarViewSet, basename="pillar")
router.register("measures", views.MeasureViewSet, basename="measure")
router.register("clauses", views.ClauseViewSet, basename="clause")
router.register("awards", views.AwardViewSet, basename="award")
router.register("questions", views.QuestionViewSet, basename="question")
router.register("related-documents", views.RelatedDocumentViewSet, basename="related-document")
router.register("recipient-kinds", views.RecipientKindViewSet, basename="recipient-kind")


@csrf_exempt  # whatever the method: a 404, not the CSRF middleware's 403 page
def not_found(request, path):
    """Any other address under /api/ is a 404 in JSON too, like an unknown id."""
    return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)


urlpatterns = [
    path("v1/search/", views.SearchView.as_view(), name="search"),
    path("v1/calculator/", views.CalculatorView.as_view(), name="calculator"),
    path("v1/", include(router.urls)),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", ApiDocsView.as_view(url_name="api:schema"), name="docs"),
    # Only paths ending in "/": one without gets CommonMiddleware's redirect to the slashed address.
    re_path(r"^(?P<path>(?:.*/)?)$", not_found),
]
