"""Every error under /api/ is JSON, 500 included, whoever answers it; the pages' errors stay pages
(xmpolicy/api_errors.py; GitHub issue 25, item 8). The clients here do not raise the view's exception,
so each test sees what a client of the API gets in production (DEBUG off)."""

from unittest import mock

import pytest
from django.test import Client

from measures.public.api import views

pytestmark = pytest.mark.django_db


@pytest.fixture
def production(settings):
    settings.DEBUG = False


def visitor(**options):
    return Client(raise_request_exception=False, **options)


def a_bug(*args, **kwargs):
    raise RuntimeError("a bug")


def test_an_uncaught_exception_in_an_api_view_is_a_json_500(production, real_policy):
    with mock.patch.object(views.SearchView, "get_queryset", a_bug):
        response = visitor().get("/api/v1/search/", {"q": "孵化器"})
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "服务器出现了错误。"}
    assert "a bug" not in response.content.decode() and "Traceback" not in response.content.decode()


def test_the_json_500_speaks_the_chosen_language(production, real_policy):
    client = visitor()
    client.cookies["django_language"] = "en"
    with mock.patch.object(views.PolicyViewSet, "list", a_bug):
        response = client.get("/api/v1/policies/")
    assert response.status_code == 500
    assert response.json() == {"detail": "A server error occurred."}


def test_a_pages_500_is_still_the_html_page(production, real_policy):
    with mock.patch("measures.public.page_cache.middleware.content_revision", side_effect=RuntimeError("a bug")):
        response = visitor().get("/search/", {"q": "孵化器"})
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")


def test_with_debug_on_the_developer_still_gets_the_technical_page(settings, real_policy):
    settings.DEBUG = True
    with mock.patch.object(views.PolicyViewSet, "list", a_bug):
        response = visitor().get("/api/v1/policies/")
    assert response.status_code == 500
    assert "a bug" in response.content.decode()


@pytest.mark.parametrize(
    ("request_kwargs", "status", "detail"),
    [
        # The Swagger page's renderer is HTML, and would answer a POST's 405 as a page.
        ({"path": "/api/docs/", "method": "post"}, 405, "方法 “POST” 不被允许。"),
        # Django's 400 for a Host it does not serve.
        ({"path": "/api/v1/awards/", "HTTP_HOST": "evil.example"}, 400, "错误的请求。"),
        # The OpenAPI document's renderer would write its error in YAML.
        ({"path": "/api/schema/", "data": {"format": "xml"}}, 404, "未找到。"),
    ],
)
def test_errors_answered_outside_the_api_views_are_json_too(production, real_policy, request_kwargs, status, detail):
    request_kwargs = dict(request_kwargs)
    method = request_kwargs.pop("method", "get")
    response = getattr(visitor(enforce_csrf_checks=True), method)(**request_kwargs)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": detail}


def test_a_pages_refusal_is_still_a_page(production, real_policy):
    response = visitor(enforce_csrf_checks=True).post("/awards/")
    assert response.status_code >= 400
    assert response["Content-Type"].startswith("text/html")


def test_the_headers_of_an_error_are_kept_in_its_json(production, real_policy):
    with mock.patch.object(views.PolicyViewSet, "list", a_bug):
        response = visitor().get("/api/v1/policies/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in response


def test_every_operation_documents_its_500_as_json(client, real_policy):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for path, item in schema["paths"].items():
        body = item["get"]["responses"]["500"]["content"]["application/json"]["schema"]
        assert body == {"$ref": "#/components/schemas/Detail"}, path
