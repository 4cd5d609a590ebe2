"""Strings of third-party apps that reach the admin and have no Dutch catalog of their own.

Django falls back to the default language (French) for a msgid a Dutch catalog lacks, so the
Dutch admin showed French wherever django-simple-history or django-axes speak. Listing their
msgids here (never imported: `make messages` reads it) puts them in locale/, whose catalogs
take precedence over the apps' own, with a Dutch and a better French translation.
django-simple-history's templates are the project's copies in templates/simple_history/.
django-otp's admin strings are not translatable (its TOTP device's field names are plain
English) and its login form is replaced by aim_privacy/admin_site.py.
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
