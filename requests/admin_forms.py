"""The DPO's forms on one data subject request: each one feeds a service (requests/services.py,
requests/answers.py).

The forms only check what a person can get wrong on the page (a date in the future, an empty
reason); the rules of the request itself (already extended, not in the queue) are the
services', and come back as form errors.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from requests.attachment_forms import MultipleFileField
from requests.models import DataSubjectRequest

Status = DataSubjectRequest.Status


def date_widget():
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class StatusForm(forms.Form):
    # Only "in progress": each decision the requester is told of (answer, question, refusal,
    # closure) has its own page with its e-mail (requests/admin/decisions.py); extended and
    # transferred too.
    STATUSES = (Status.IN_PROGRESS,)

    status = forms.ChoiceField(
        label=_("New status"),
        choices=[(status.value, status.label) for status in STATUSES],
    )
    note = forms.CharField(
        label=_("Note for the timeline"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional. Internal: the requester does not receive it."),
    )


def message_field(label, help_text, *, required=True):
    return forms.CharField(
        label=label,
        required=required,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=help_text,
    )


SENT_HELP = _(
    "Sent to the requester as {{ message }} of the e-mail template, in their language: write "
    "it in that language. Use “Preview” to read the whole e-mail first."
)


class AnswerForm(forms.Form):
    message = message_field(_("Answer"), SENT_HELP)
    files = MultipleFileField(
        label=_("Files sent with the answer"),
        required=False,
        help_text=_(
            "Optional. Kept with the request; the e-mail gives a download link that expires. "
            "A preview does not keep them: choose them again before sending."
        ),
    )


class AskForm(forms.Form):
    what = forms.ChoiceField(
        label=_("You ask for"),
        choices=DataSubjectRequest.WaitingFor.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Proof of identity only when you have reasonable doubts about who asks (GDPR Art. "
            "12(6)), at once and no more than needed: the deadline then stands still until it "
            "arrives. While you wait for other information, the deadline keeps running."
        ),
    )
    message = message_field(_("Your question"), SENT_HELP)


class ReceivedForm(forms.Form):
    on = forms.DateField(
        label=_("Received on"),
        widget=date_widget(),
        help_text=_("The day the requester's answer reached AIM."),
    )


class RefuseForm(forms.Form):
    reasons = message_field(
        _("Reasons for the refusal"),
        _(
            "Required (GDPR Art. 12(4)). Sent to the requester in their language, followed by "
            "their right to complain to the Data Protection Authority and to a judicial remedy."
        ),
    )


class CloseForm(forms.Form):
    message = message_field(
        _("Message"),
        _("Sent to the requester when they are told; otherwise kept in the timeline only."),
        required=False,
    )
    notify = forms.BooleanField(
        label=_("Tell the requester by e-mail"), required=False, initial=True
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("notify") and not (cleaned.get("message") or "").strip():
            self.add_error("message", _("Write the message for the requester."))
        return cleaned


class ExtendForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the extension"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        help_text=_("Sent to the requester, in their language, with the new deadline."),
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text=_("Shown in the timeline to the DPO only; never sent to the requester."),
    )
