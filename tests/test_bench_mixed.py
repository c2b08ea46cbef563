"""The mixed load's readers (bench/mixed.py) ask for bench/load.py's 28 URLs laid on the synthetic corpus:
every one a page of that corpus, none a 404 of the real policy's addresses or an empty search."""

import io

import pytest
from django.core.management import call_command

from bench.load import PATHS
from bench.mixed import reader_paths
from measures.domain.models import Policy

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("empty_database")
def test_the_readers_urls_are_the_load_benchs_each_a_page_of_the_synthetic_corpus(client):
    call_command("generate_corpus", "--policies", "2", "--clauses-per-policy", "24", stdout=io.StringIO())
    slug = Policy.objects.get(is_featured=True).slug

    paths = reader_paths(slug)

    assert len(paths) == len(PATHS) == 28
    assert not any("kjcx-2025" in path for path in paths)
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
    for path in (p for p in paths if "/search/?q=" in p and not p.startswith("/api/")):
        assert "没有找到" not in client.get(path).content.decode(), path
