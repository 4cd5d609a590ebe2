"""The DPO's forms on one data subject request: each one feeds a service in requests/services.py.

The forms only check what a person can get wrong on the page (a date in the future, an empty
reason); the rules of the request itself (already extended, not in the queue) are the
services', and come back as form errors.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from requests.models import DataSubjectRequest

Status = DataSubjectRequest.Status


def date_widget():
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class StatusForm(forms.Form):
    # In progress is the bulk action; extended and transferred have their own pages.
    STATUSES = (Status.WAITING, Status.ANSWERED, Status.REFUSED, Status.CLOSED)

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
