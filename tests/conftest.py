"""The shared cast of the test suite: the real policy loaded from fixtures/, a small policy
built in code, and logged-in editors."""

import datetime
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache

from measures.domain.models import Award, Clause, Measure, Pillar, Policy
from measures.editing.editors import EDITORS_GROUP
from measures.editing.loader import PolicyLoader

REAL_POLICY_FILE = Path(__file__).resolve().parent.parent / "fixtures" / "kjcx-2025.json"


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Each test starts with no rendered page kept from another (measures/public/caching.py)."""
    cache.clear()


@pytest.fixture
def real_policy(db):
    """The real policy, loaded the way `make run` loads it."""
    PolicyLoader().load_file(REAL_POLICY_FILE)
    return Policy.objects.get(slug="kjcx-2025")


@pytest.fixture
def small_policy(db):
    """A two-pillar, three-measure policy with one award, for tests that need no real data."""
    policy = Policy.objects.create(
        slug="test-policy",
        title="测试政策",
        issuing_bodies="测试机关",
        issue_date=datetime.date(2025, 1, 10),
        issue_date_confirmed=True,
        validity_years=2,
        declared_measure_count=5,
    )
    first = Pillar.objects.create(policy=policy, number=1, title="第一方面")
    second = Pillar.objects.create(policy=policy, number=2, title="第二方面")
    measure = Measure.objects.create(policy=policy, pillar=first, number=1, title="孵化器建设")
    Measure.objects.create(policy=policy, pillar=first, number=2, title="平台建设")
    Measure.objects.create(policy=policy, pillar=second, number=3, title="成果转化")
    clause = Clause.objects.create(
        measure=measure,
        position=1,
        text="支持孵化器建设，给予每年每家最高500万元奖励。",
        provenance=Clause.Provenance.NEWS_SUMMARY,
        source_url="https://example.org/news",
    )
    Award.objects.create(
        clause=clause,
        amount_yuan=5_000_000,
        limit=Award.Limit.CEILING,
        recurrence=Award.Recurrence.PER_YEAR,
        per_recipient=True,
        nature=Award.Nature.REWARD,
        recipient="孵化器",
        source_phrase="给予每年每家最高500万元奖励",
    )
    return policy


@pytest.fixture
def editor(db):
    user = User.objects.create_user("editor", password="editor-password-1", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
