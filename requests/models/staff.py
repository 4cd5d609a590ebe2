"""The language each staff member reads the admin in, for what is sent to them (the digest)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffLanguage(models.Model):
    """Recorded when a staff member signs in to the admin, from the language of its address
    (/fr/… or /nl/…); e-mails to them are written in it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="staff_language",
        verbose_name=_("user"),
    )
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)

    class Meta:
        verbose_name = _("staff language")
        verbose_name_plural = _("staff languages")

    def __str__(self):
        return f"{self.user_id}: {self.language}"
