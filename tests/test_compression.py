"""Public pages, feeds, CSV and API answers are sent compressed (Brotli, or gzip) to clients that accept
it, compressed once per content revision; never a page holding a CSRF token, never the admin."""

import gzip

import brotli
import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from measures.public.page_cache import compression

URLS = ["/", "/policies/test-policy/measures/1/", "/awards/", "/changes/feed/", "/awards/export.csv", "/api/v1/awards/"]


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize(("accept", "decode"), [("br, gzip", brotli.decompress), ("gzip", gzip.decompress)])
def test_a_public_answer_comes_compressed_in_the_encoding_the_client_accepts(client, small_policy, url, accept, decode):
    plain = client.get(url).content
    for _ in range(2):  # rendered, then from the page cache
        response = client.get(url, HTTP_ACCEPT_ENCODING=accept)
        assert response["Content-Encoding"] == accept.split(",")[0]
        assert "Accept-Encoding" in response["Vary"]
        assert decode(response.content) == plain
        assert len(response.content) < len(plain)


def test_a_client_that_accepts_no_encoding_gets_the_plain_bytes(client, small_policy):
    response = client.get("/", HTTP_ACCEPT_ENCODING="br;q=0, gzip;q=0")
    assert not response.has_header("Content-Encoding")
    assert b"<!doctype html>" in response.content


def test_a_page_is_compressed_once_per_revision_not_once_per_request(client, small_policy, monkeypatch):
    calls = []
    real = compression.compress
    monkeypatch.setattr(
        compression, "compress", lambda content, encoding: calls.append(encoding) or real(content, encoding)
    )
    for _ in range(5):
        client.get("/", HTTP_ACCEPT_ENCODING="br")
        client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    assert sorted(calls) == ["br", "gzip"]


def test_the_admin_is_never_compressed(editor_client):
    response = editor_client.get("/admin/", HTTP_ACCEPT_ENCODING="br, gzip")
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")


def test_an_answer_holding_a_csrf_token_is_never_compressed():
    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING="gzip")
    response = HttpResponse("x" * 1000, content_type="text/html")
    assert compression.compressible(request, response)
    request.META["CSRF_COOKIE_USED"] = True
    assert not compression.compressible(request, response)
