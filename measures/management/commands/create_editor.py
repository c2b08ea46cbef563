import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation

from measures.editing.editors import EDITORS_GROUP, sync_editors_group
from measures.editing.review import REVIEWERS_GROUP, sync_reviewers_group

PASSWORD_ENV = "XMPOLICY_EDITOR_PASSWORD"


class Command(BaseCommand):
    help = (
        f"Create an editor: a staff user (never a superuser) in the '{EDITORS_GROUP}' group, who can "
        "edit the policy content in /admin/ but not users or groups. Run it again to reset an editor's "
        "password or e-mail. The password is asked for twice; for scripts, set it in the environment "
        f"variable {PASSWORD_ENV} instead. Either way it must pass the site's password validators. "
        f"--reviewer also puts them in the '{REVIEWERS_GROUP}' group (审核): they may publish or return "
        "other editors' drafts; without it, an existing editor leaves that group."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default=None, help="the editor's e-mail address")
        parser.add_argument(
            "--reviewer", action="store_true", help="a reviewer (审核): may publish or return others' drafts"
        )

    @transaction.atomic
    def handle(self, *args, username, email, reviewer, **options):
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        created = user is None
        if created:
            user = User(username=username)
        elif user.is_superuser:
            # Turning an administrator into an editor would silently take their rights away.
            raise CommandError(f"{username} 是超级用户（superuser）：create_editor 不修改超级用户。")
        if email is not None:
            user.email = email

        password = self.read_password()
        if not password:
            raise CommandError("密码不能为空。")
        try:
            # In Chinese, as the editors read it (a command otherwise speaks Django's default, English).
            with translation.override("zh-hans"):
                validate_password(password, user)
        except ValidationError as error:
            raise CommandError("密码不符合要求：" + "".join(error.messages)) from None

        user.set_password(password)
        user.is_staff = True
        user.is_active = True
        user.save()
        # Syncing (not just fetching) the group also repairs it if its permissions drifted.
        user.groups.add(sync_editors_group())
        # Running it again states the account's role: without --reviewer, an editor is no longer one.
        reviewers = sync_reviewers_group()
        if reviewer:
            user.groups.add(reviewers)
        else:
            user.groups.remove(reviewers)
        groups = f"{EDITORS_GROUP}、{REVIEWERS_GROUP} 组，审核人" if reviewer else f"{EDITORS_GROUP} 组"
        self.stdout.write(f"{'已创建' if created else '已更新'}编辑账号 {username}（{groups}）。")

    def read_password(self) -> str:
        password = os.environ.get(PASSWORD_ENV)
        if password is not None:
            return password
        try:
            password = getpass.getpass("密码：")
            again = getpass.getpass("再次输入密码：")
        except EOFError:
            raise CommandError(f"没有输入密码（没有终端时请设置环境变量 {PASSWORD_ENV}）。") from None
        if password != again:
            raise CommandError("两次输入的密码不一致，未作任何修改。")
        return password
