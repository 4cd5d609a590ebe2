"""Strings of third-party apps that reach the admin and have no Dutch catalog of their own.

Django falls back to the default language (French) for a msgid a Dutch catalog lacks, so the
Dutch admin showed French wherever django-simple-history or django-axes speak. Listing their
msgids here (never imported: `make messages` reads it) puts them in locale/, whose catalogs
take precedence over the apps' own, with a Dutch and a better French translation.
django-simple-history's templates are the project's copies in templates/simple_history/.
django-otp's login form is replaced by aim_privacy/admin_site.py; its TOTP device's field and
model names are plain English, never passed to gettext: `otp_device_labels_translate()` gives
them the translated names below (see its docstring).
"""

from django.utils.translation import gettext_noop

SIMPLE_HISTORY = (
    # simple_history/admin.py: the history page's and a past version's titles.
    gettext_noop("View history: %s"),
    gettext_noop("Change history: %s"),
    gettext_noop("View %s"),
    gettext_noop("Revert %s"),
    gettext_noop('The %(name)s "%(obj)s" was changed successfully.'),
    gettext_noop("You may edit it again below"),
    # simple_history/models.py: a related object since deleted (the kinds of change, "Created"
    # and so on, are shown with the template's own msgids).
    gettext_noop("Deleted %(type_name)s"),
)

AXES = (
    # axes/models.py
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Access lock out"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("Access Attempt"),
    gettext_noop("Expires At"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("Logout Time"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    # axes/admin.py
    gettext_noop("Locked Out"),
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Not set"),
    gettext_noop("Attempt Remaining"),
)


# django_otp/models.py and django_otp/plugins/otp_totp/models.py: the TOTP device's fields, by
# name ("user" and "created at" are Django's and the project's msgids already).
OTP_TOTP_FIELDS = {
    "user": gettext_noop("user"),
    "name": gettext_noop("name"),
    "confirmed": gettext_noop("confirmed"),
    "created_at": gettext_noop("created at"),
    "last_used_at": gettext_noop("last used at"),
    "throttling_failure_timestamp": gettext_noop("last failed attempt"),
    "throttling_failure_count": gettext_noop("failed attempts in a row"),
    "key": gettext_noop("secret key"),
    "step": gettext_noop("time step (seconds)"),
    "t0": gettext_noop("start of the first time step"),
    "digits": gettext_noop("digits"),
    "tolerance": gettext_noop("tolerance (time steps)"),
    "drift": gettext_noop("clock drift (time steps)"),
    "last_t": gettext_noop("last time step used"),
}
OTP_TOTP_MODEL = (gettext_noop("authenticator app"), gettext_noop("authenticator apps"))


def otp_device_labels_translate():
    """Give the TOTP device's fields and model translated names (called once at start-up, from
    aim_privacy/admin.py, which registers the device's admin).

    Only `verbose_name` is set: migrations read a field's `_verbose_name` and a model's
    `original_attrs`, which stay as django-otp wrote them, so `makemigrations --check` sees no
    change. The help texts stay English: a migration does read them.
    """
    from django.utils.translation import gettext_lazy
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for name, msgid in OTP_TOTP_FIELDS.items():
        TOTPDevice._meta.get_field(name).verbose_name = gettext_lazy(msgid)
    TOTPDevice._meta.verbose_name = gettext_lazy(OTP_TOTP_MODEL[0])
    TOTPDevice._meta.verbose_name_plural = gettext_lazy(OTP_TOTP_MODEL[1])
