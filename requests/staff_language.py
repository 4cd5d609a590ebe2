"""Remember the language a staff member signs in to the admin in (/fr/admin/ or /nl/admin/):
what is sent to them by e-mail (the DPO's digest) is written in it.

`connect()` is called from RequestsConfig.ready(); the dispatch_uid keeps a second call harmless.
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.utils import translation

DISPATCH_UID = "requests.staff_language.record"


def staff_language_record(*, user, language):
    """Store (or change) the user's language; a language the site does not offer is ignored."""
    from requests.models import StaffLanguage

    if language not in dict(settings.LANGUAGES):
        return None
    record, _created = StaffLanguage.objects.update_or_create(
        user=user, defaults={"language": language}
    )
    return record


def language_of(user):
    """The language to write to `user` in: the one recorded at their last sign-in, else the
    site's default."""
    from requests.models import StaffLanguage

    recorded = StaffLanguage.objects.filter(user=user).values_list("language", flat=True).first()
    return recorded or settings.LANGUAGE_CODE


def _on_login(sender, request, user, **kwargs):
    # Only staff read the admin; a login outside a request (tests' force_login without one,
    # a shell) has no language to read.
    if request is None or not user.is_staff:
        return
    language = translation.get_language_from_path(request.path_info)
    if language:
        staff_language_record(user=user, language=language)


def connect():
    user_logged_in.connect(_on_login, dispatch_uid=DISPATCH_UID)
