import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from measures.editing.editors import EDITORS_GROUP, sync_editors_group

PASSWORD_ENV = "XMPOLICY_EDITOR_PASSWORD"


class Command(BaseCommand):
    help = (
        f"Create an editor: a staff user (never a superuser) in the '{EDITORS_GROUP}' group, who can "
        "edit the policy content in /admin/ but not users or groups. Run it again to reset an editor's "
        "password or e-mail. The password is asked for twice; for scripts, set it in the environment "
        f"variable {PASSWORD_ENV} instead. Either way it must pass the site's password validators."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default=None, help="the editor's e-mail address")

    @transaction.atomic
    def handle(self, *args, username, email, **options):
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        created = user is None
        if created:
            user = User(username=username)
        elif user.is_superuser:
            # Turning an administrator into an editor would silently take their rights away.
            raise CommandError(f"{username} is a superuser; create_editor does not change superusers.")
        if email is not None:
            user.email = email

        password = self.read_password()
        if not password:
            raise CommandError("The password cannot be empty.")
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError("Password refused: " + " ".join(error.messages)) from None

        user.set_password(password)
        user.is_staff = True
        user.is_active = True
        user.save()
        # Syncing (not just fetching) the group also repairs it if its permissions drifted.
        user.groups.add(sync_editors_group())
        self.stdout.write(f"{'Created' if created else 'Updated'} editor {username} (group '{EDITORS_GROUP}').")

    def read_password(self) -> str:
        password = os.environ.get(PASSWORD_ENV)
        if password is not None:
            return password
        try:
            password = getpass.getpass("Password: ")
            again = getpass.getpass("Password (again): ")
        except EOFError:
            raise CommandError(f"No password given (set {PASSWORD_ENV} when there is no terminal).") from None
        if password != again:
            raise CommandError("The two passwords differ; nothing was changed.")
        return password
