"""Enrol a staff member's authenticator app: the second factor of the admin login.

Run it with the staff member beside the terminal: it prints the otpauth:// address and its QR
code once, to scan with an authenticator app (FreeOTP, Aegis, Google or Microsoft
Authenticator…); the secret is shown nowhere else, never logged, and hidden in the admin.
"""

import io
import logging

import segno
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

logger = logging.getLogger("aim_privacy.security")

DEVICE_NAME = "authenticator app"


class Command(BaseCommand):
    help = (
        "Give a staff member an authenticator app (TOTP) as second factor for the admin and "
        "print the QR code to scan. Refuses a second device unless --replace."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the account's current device (lost or new phone) and create a new one.",
        )

    def handle(self, *args, username, replace, **options):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.get_by_natural_key(username)
        except user_model.DoesNotExist:
            raise CommandError(f"No account named {username!r}.") from None
        if not user.is_staff:
            raise CommandError(
                f"{username!r} is not a staff account: only staff log in to the admin."
            )
        with transaction.atomic():
            existing = TOTPDevice.objects.select_for_update().filter(user=user)
            if existing.exists():
                if not replace:
                    raise CommandError(
                        f"{username!r} already has an authenticator app. To give them a new "
                        "one (lost or new phone), run again with --replace: the old one stops "
                        "working at once."
                    )
                existing.delete()
            device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)
        logger.info("authenticator app %s: user=%r", "replaced" if replace else "added", username)

        uri = device.config_url
        qr = io.StringIO()
        segno.make(uri, error="m").terminal(out=qr, compact=True)
        self.stdout.write(
            f"Authenticator app created for {username!r}. Scan this QR code with the app, or "
            "type the address below into it. It is shown only now: clear the terminal "
            "afterwards.\n"
        )
        self.stdout.write(qr.getvalue(), ending="")
        self.stdout.write(uri)
        self.stdout.write(
            "At the admin login, enter the username, the password and the 6-digit code the app "
            "shows."
        )
