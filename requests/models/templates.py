"""The e-mails the DPO sends to requesters, editable in French and Dutch in the admin.

Each decision (answer, request for information or identity, extension, refusal, closure) has one
EmailTemplate; its subject and body are Django template text rendered with a fixed set of plain
values (requests/email_templates.py lists them and checks the text on save). What the law
requires in an e-mail (the Art. 12(4) rights in a refusal, the download link of an answer's
attachments) is added by the code after the DPO's text, so it cannot be edited away.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EmailTemplate(models.Model):
    class Kind(models.TextChoices):
        ANSWERED = "answered", _("Answer")
        INFO_REQUESTED = "info_requested", _("Request for information")
        IDENTITY_REQUESTED = "identity_requested", _("Request for proof of identity")
        EXTENDED = "extended", _("Deadline extended")
        REFUSED = "refused", _("Refusal")
        CLOSED = "closed", _("Request closed")

    kind = models.CharField(_("e-mail"), max_length=20, choices=Kind.choices, unique=True)
    # Translated (fr/nl) by requests/translation.py.
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    updated_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("e-mail template")
        verbose_name_plural = _("e-mail templates")
        ordering = ["kind"]

    def __str__(self):
        return str(self.get_kind_display())
