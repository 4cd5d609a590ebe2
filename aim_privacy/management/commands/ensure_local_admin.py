"""Creates a local admin account when the database has no superuser yet (used by `make run`)."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Create a superuser 'admin' with a random password if no superuser exists."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        user_model = get_user_model()
        login_url = f"http://127.0.0.1:8000/fr/{settings.ADMIN_PATH}"
        existing = user_model.objects.filter(is_superuser=True).order_by("pk").first()
        if existing:
            self.stdout.write(
                f"Admin account: log in as '{existing.get_username()}' at {login_url} "
                "(forgot the password? "
                f"run: .venv/bin/python manage.py changepassword {existing.get_username()})"
            )
            self._second_factor_hint(existing.get_username())
            return
        password = secrets.token_urlsafe(12)
        user_model.objects.create_superuser(username=username, email="", password=password)
        # Printed once, to the terminal of the person who ran `make run` on their own machine.
        self.stdout.write(
            self.style.SUCCESS(
                f"Created a local admin account. Log in at {login_url} "
                f"as '{username}' with password: {password}"
            )
        )
        self._second_factor_hint(username)

    def _second_factor_hint(self, username):
        # With DEBUG on the admin asks for no code unless ADMIN_OTP_REQUIRED=1 was set.
        enrolled = TOTPDevice.objects.filter(user__username=username, confirmed=True).exists()
        if settings.ADMIN_OTP_REQUIRED and not enrolled:
            self.stdout.write(
                "The admin also asks for the code of an authenticator app: "
                f"run .venv/bin/python manage.py add_totp_device {username}"
            )
