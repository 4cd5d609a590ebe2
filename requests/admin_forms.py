"""The DPO's forms on one data subject request: each one feeds a service in requests/services.py.

The forms only check what a person can get wrong on the page (a date in the future, an empty
reason); the rules of the request itself (already extended, not in the queue) are the
services', and come back as form errors.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.models import Organisation
from requests.models import DataSubjectRequest

Status = DataSubjectRequest.Status


def _date_widget():
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


class TransferForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Controller that must answer"),
        queryset=Organisation.objects.none(),
    )
    transferred_on = forms.DateField(label=_("Transferred on"), widget=_date_widget())
    acknowledged_on = forms.DateField(
        label=_("Acknowledged by the controller on"),
        required=False,
        widget=_date_widget(),
        help_text=_("Optional: fill it in once the controller confirms receipt."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"transferred_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        # Evaluated per form, so the current language orders the translated names.
        self.fields["organisation"].queryset = Organisation.objects.order_by("kind", "name")

    def clean(self):
        cleaned_data = super().clean()
        today = timezone.localdate()
        transferred_on = cleaned_data.get("transferred_on")
        acknowledged_on = cleaned_data.get("acknowledged_on")
        if transferred_on and transferred_on > today:
            self.add_error("transferred_on", _("The transfer date cannot be in the future."))
        if acknowledged_on and acknowledged_on > today:
            self.add_error("acknowledged_on", _("This date cannot be in the future."))
        if transferred_on and acknowledged_on and acknowledged_on < transferred_on:
            self.add_error(
                "acknowledged_on", _("The controller cannot acknowledge before the transfer.")
            )
        return cleaned_data


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text=_("Shown in the timeline to the DPO only; never sent to the requester."),
    )
