"""The editors group: what its members may and may not do, and the command that creates them."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from pytest_django.asserts import assertContains, assertNotContains

from measures.editing.editors import EDITORS_GROUP

GOOD_PASSWORD = "kejichuangxin-2025-xm"


@pytest.fixture
def typed_passwords(monkeypatch):
    """Answers the command's two getpass prompts with the given passwords, in order."""
    monkeypatch.delenv("XMPOLICY_EDITOR_PASSWORD", raising=False)

    def answer(*passwords):
        answers = iter(passwords)
        monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))

    return answer


# --- the group's permissions -----------------------------------------------------------------


def test_the_editors_group_has_no_permission_on_users_or_groups(db):
    permissions = Group.objects.get(name=EDITORS_GROUP).permissions
    assert permissions.exists()
    assert not permissions.filter(content_type__app_label="auth").exists()
    assert set(permissions.values_list("content_type__app_label", flat=True)) == {"measures"}


@pytest.mark.parametrize("url", ["/admin/auth/user/", "/admin/auth/group/", "/admin/auth/user/add/"])
def test_an_editor_is_refused_the_user_and_group_pages(editor_client, url):
    assert editor_client.get(url).status_code == 403


def test_an_editor_cannot_add_a_user(editor_client):
    response = editor_client.post(
        "/admin/auth/user/add/",
        {"username": "intruder", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD, "usable_password": "true"},
    )

    assert response.status_code == 403
    assert not User.objects.filter(username="intruder").exists()


def test_an_editor_cannot_delete_a_policy(editor_client, small_policy):
    assert editor_client.get(f"/admin/measures/policy/{small_policy.pk}/delete/").status_code == 403


def test_the_admin_index_offers_an_editor_the_content_but_not_the_users(editor_client):
    response = editor_client.get("/admin/")

    assertContains(response, 'href="/admin/measures/measure/"')
    assertNotContains(response, 'href="/admin/auth/user/"')


# --- create_editor ---------------------------------------------------------------------------


def test_create_editor_makes_a_staff_editor_who_can_log_in_to_the_admin(db, client, typed_passwords):
    typed_passwords(GOOD_PASSWORD, GOOD_PASSWORD)

    call_command("create_editor", "lin", email="lin@example.org")

    user = User.objects.get(username="lin")
    assert (user.is_staff, user.is_superuser, user.email) == (True, False, "lin@example.org")
    assert list(user.groups.values_list("name", flat=True)) == [EDITORS_GROUP]
    response = client.post("/admin/login/?next=/admin/", {"username": "lin", "password": GOOD_PASSWORD})
    assert response.status_code == 302
    assertContains(client.get("/admin/"), 'href="/admin/measures/clause/"')


def test_create_editor_reads_the_password_from_the_environment(db, client, monkeypatch):
    monkeypatch.setenv("XMPOLICY_EDITOR_PASSWORD", GOOD_PASSWORD)

    def no_prompt(prompt=""):
        raise AssertionError("asked for a password although the environment gives one")

    monkeypatch.setattr("getpass.getpass", no_prompt)

    call_command("create_editor", "chen")

    assert client.login(username="chen", password=GOOD_PASSWORD)


def test_create_editor_refuses_passwords_that_differ(db, typed_passwords):
    typed_passwords(GOOD_PASSWORD, GOOD_PASSWORD + "x")

    with pytest.raises(CommandError, match="两次输入的密码不一致"):
        call_command("create_editor", "lin")

    assert not User.objects.filter(username="lin").exists()


def test_create_editor_refuses_a_password_the_validators_reject(db, typed_passwords):
    typed_passwords("12345", "12345")

    with pytest.raises(CommandError, match="密码不符合要求") as refused:
        call_command("create_editor", "lin")
    # Django's own reasons, in Chinese: too short, too common, all digits.
    assert "太短" in str(refused.value) and "Password" not in str(refused.value)

    assert not User.objects.filter(username="lin").exists()


def test_create_editor_run_again_resets_the_password_of_the_same_editor(db, client, editor, typed_passwords):
    typed_passwords(GOOD_PASSWORD, GOOD_PASSWORD)

    call_command("create_editor", "editor", email="editor@example.org")

    assert User.objects.filter(username="editor").count() == 1
    assert client.login(username="editor", password=GOOD_PASSWORD)
    editor.refresh_from_db()
    assert editor.email == "editor@example.org"


def test_create_editor_leaves_a_superuser_alone(db, typed_passwords):
    User.objects.create_superuser("root", password="root-password-1")
    typed_passwords(GOOD_PASSWORD, GOOD_PASSWORD)

    with pytest.raises(CommandError, match="superuser"):
        call_command("create_editor", "root")

    assert User.objects.get(username="root").check_password("root-password-1")
