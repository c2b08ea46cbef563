"""Every model in the editors' admin can be changed and deleted through its own pages, on both databases.

The models are read from the admin site itself, so a model registered tomorrow is covered by the same
two tests: its change form, posted back with the values it shows (one text field edited), saves; its
delete confirmation deletes the row, or refuses clearly (rows still protected by others, or no
permission), and never answers 500. Found on PostgreSQL, where the recipient kinds' list count met the
edit lock in one query that PostgreSQL refuses (FOR UPDATE with GROUP BY).
"""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin
from django.contrib.auth.models import User

from measures.domain.eligibility import ApplicationGuide, ApplicationInfo, Department
from measures.domain.feedback import Feedback
from measures.domain.models import Award, Clause, Measure, PublicationStatus
from measures.domain.questions import QuestionAnswer
from measures.domain.subscriptions import Subscription
from measures.editing import review
from tests.admin_forms import form_data

EDITED = "（已核）"

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def _department(policy):
    return Department.objects.create(name="厦门市科学技术局", phone="0592-1234567", address="厦门市思明区")


def _application_info(policy):
    """A measure's application facts with a department and a guide, so that both inlines have a row."""
    info = ApplicationInfo.objects.create(measure=Measure.objects.filter(policy=policy).first(), hotline="12345")
    info.department_links.create(department=_department(policy))
    ApplicationGuide.objects.create(info=info, title="申报指南", url="https://example.org/guide")
    return info


def _review(policy):
    """A draft award on the policy's first clause, submitted for review by an editor."""
    clause = Clause.objects.filter(measure__policy=policy).order_by("pk").first()
    award = Award.objects.create(
        clause=clause,
        position=clause.awards.count() + 1,
        amount_yuan=1_000_000,
        nature=Award.Nature.REWARD,
        recipient="测试企业",
        source_phrase="给予100万元奖励",
        status=PublicationStatus.DRAFT,
    )
    author = User.objects.create_user("author", password="author-password-1", is_staff=True)
    return review.submit(award, author, "补录奖补")


def _subscription(policy):
    return Subscription.objects.create(
        email="wang@example.cn", kind=Subscription.Kind.POLICY, target_id=policy.pk, label=policy.title
    )


def _login_record(model, **fields):
    """What django-axes writes on a login attempt (its admin shows every field read-only)."""

    def make(policy):
        return model.objects.create(
            user_agent="Mozilla/5.0",
            ip_address="203.0.113.9",
            username="editor",
            http_accept="text/html",
            path_info="/admin/login/",
            **fields,
        )

    return make


# The models whose rows the real policy does not bring; every other model's first row is taken.
MAKERS = {
    "auth.User": lambda policy: User.objects.create_user("lin", password="lin-password-1", is_staff=True),
    "axes.AccessAttempt": _login_record(
        AccessAttempt, get_data="", post_data="username=editor", failures_since_start=1
    ),
    "axes.AccessLog": _login_record(AccessLog),
    "axes.AccessFailureLog": _login_record(AccessFailureLog),
    "measures.Department": _department,
    "measures.ApplicationInfo": _application_info,
    "measures.Subscription": _subscription,
    "measures.Feedback": lambda policy: Feedback.receive(
        kind=Feedback.Kind.REPORT, text="金额有误", concerns="第1条", measure=policy.measures.first()
    ),
    "measures.DraftReview": _review,
    "measures.ReviewEvent": lambda policy: _review(policy).events.get(),
    "measures.QuestionAnswer": lambda policy: QuestionAnswer.objects.create(
        measure=policy.measures.get(number=3), question="问题", answer="答复"
    ),
}


def instance_of(model, policy):
    label = model._meta.label
    if label in MAKERS:
        return MAKERS[label](policy)
    row = model._default_manager.order_by("pk").first()
    assert row is not None, f"{label} has no row in the real policy: add a maker for it to MAKERS"
    return row


@pytest.fixture
def chief(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("chief", password="chief-password-1"))
    return client


def admin_url(obj, view):
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/{view}/"


def editable_text_field(form, data):
    """A plain text field of the row the form shows, which the test can append to and still save."""
    model_fields = {field.name: field for field in form._meta.model._meta.concrete_fields}
    for name, field in form.fields.items():
        model_field = model_fields.get(name)
        if type(field) is not forms.CharField or field.disabled or model_field is None or model_field.choices:
            continue
        if isinstance(data.get(name), str) and len(data[name]) + len(EDITED) <= (field.max_length or 1000):
            return name
    return None


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_every_admin_model_saves_its_own_change_form(chief, real_policy, model):
    obj = instance_of(model, real_policy)
    page = chief.get(admin_url(obj, "change"))
    assert page.status_code == 200
    model_admin = admin.site._registry[model]
    data = form_data(page, obj._meta.model_name)

    if not model_admin.has_change_permission(page.wsgi_request, obj):
        # A read-only page (subscriptions are their subscribers' to change): a POST is refused, not saved.
        assert chief.post(admin_url(obj, "change"), data).status_code == 403
        return
    edited = editable_text_field(page.context["adminform"].form, data)
    if edited:
        data[edited] += EDITED
    response = chief.post(admin_url(obj, "change"), data)

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    saved = model._default_manager.get(pk=obj.pk)
    if edited:
        assert getattr(saved, edited).endswith(EDITED)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_every_admin_model_deletes_or_refuses_clearly(chief, real_policy, model):
    obj = instance_of(model, real_policy)
    page = chief.get(admin_url(obj, "delete"))
    response = chief.post(admin_url(obj, "delete"), {"post": "yes"})

    still_there = model._default_manager.filter(pk=obj.pk).exists()
    if response.status_code == 403:
        # No permission (only those who may see subscribers' addresses delete a subscription): refused alike.
        assert page.status_code == 403
        assert not admin.site._registry[model].has_delete_permission(response.wsgi_request, obj)
        assert still_there
        return
    assert page.status_code == 200
    if response.status_code == 200:
        # Rows that protect this one are listed by name, and nothing is deleted.
        assert response.context["protected"]
        assert still_there
    else:
        assert response.status_code == 302
        assert not still_there
