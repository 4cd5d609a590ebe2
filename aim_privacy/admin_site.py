"""The admin site: staff log in with their password and the code of their authenticator app.

Unlike django_otp.admin.OTPAdminSite, the login form asks for the code on the first page and
checks it against the account's one TOTP device (manage.py add_totp_device keeps it one), so
nobody picks a device; any failure gives the same message, whether the password or the code
was wrong, and counts as a failed login for the lockout (django-axes). A session that has not
passed the second factor reaches no admin page, not even the index.

With ADMIN_OTP_REQUIRED off (only possible with DEBUG on, a developer's laptop) the form and
the site behave as Django's.
"""

import re

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice


def otp_required():
    return settings.ADMIN_OTP_REQUIRED


class AdminLoginForm(AdminAuthenticationForm):
    otp_token = forms.CharField(
        label=_("Code"),
        help_text=_("The 6-digit code your authenticator app shows now."),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}
        ),
    )

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        if otp_required():
            self.error_messages = {
                **self.error_messages,
                "invalid_login": _(
                    "Please enter the correct %(username)s, password and code for a staff "
                    "account. Note that both username and password may be case-sensitive."
                ),
            }
        else:
            del self.fields["otp_token"]

    def clean(self):
        # Password first (and axes' lockout, inside authenticate()), then the code.
        cleaned_data = super().clean()
        if otp_required() and self.user_cache is not None:
            device, reason = self._verify_code(self.user_cache, cleaned_data.get("otp_token"))
            if device is None:
                user_login_failed.send(
                    sender=__name__,
                    credentials={"username": cleaned_data.get("username")},
                    request=self.request,
                    reason=reason,
                )
                self.user_cache = None
                raise self.get_invalid_login_error()
            # django_otp's user_logged_in receiver stores it in the session (verified).
            self.user_cache.otp_device = device
        return cleaned_data

    @staticmethod
    def _verify_code(user, token):
        """(the device that accepted the code, None) or (None, why not)."""
        token = re.sub(r"\s", "", token or "")
        # The row stays locked until the end of the check: two logins with one code cannot both
        # pass (the device keeps the time step of the last accepted code, last_t). The result
        # is raised only after the transaction, so a failure's throttling count is kept.
        with transaction.atomic():
            device = (
                TOTPDevice.objects.devices_for_user(user, confirmed=True)
                .select_for_update()
                .order_by("pk")
                .first()
            )
            if device is None:
                return None, "no_device"
            if not re.fullmatch(rf"[0-9]{{{device.digits}}}", token):
                return None, "second_factor"
            if not device.verify_token(token):
                return None, "second_factor"
        return device, None


class PortalAdminSite(admin.AdminSite):
    login_form = AdminLoginForm

    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        if not otp_required():
            return True
        # OTPMiddleware installs is_verified(); a request without it is not verified.
        is_verified = getattr(request.user, "is_verified", None)
        return is_verified is not None and is_verified()
