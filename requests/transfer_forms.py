"""The DPO's form passing a request on to the organisation that must answer it."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.models import ProcessingActivity
from requests import transfers
from requests.admin_forms import date_widget


class ActivityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} · {obj.get_aim_role_display()} · {obj.get_rights_handled_by_display()}"


class TransferForm(forms.Form):
    activity = ActivityChoiceField(
        label=_("Processing activity the request concerns"),
        queryset=ProcessingActivity.objects.none(),
        help_text=_(
            "Only approved activities for which another organisation answers rights requests: "
            "AIM is a processor, or the registry names who answers."
        ),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation that must answer"),
        queryset=transfers.answering_organisations().none(),
        help_text=_(
            "The activity's controller, or the organisation the registry names (for the "
            "person's own health insurer: theirs). Only organisations with a channel for rights "
            "requests; never AIM, the Data Protection Authority or a processor."
        ),
    )
    transferred_on = forms.DateField(label=_("Transferred on"), widget=date_widget())
    acknowledged_on = forms.DateField(
        label=_("Acknowledged by the controller on"),
        required=False,
        widget=date_widget(),
        help_text=_("Optional: fill it in once the controller confirms receipt."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"transferred_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        # Evaluated per form, so the current language orders the translated names.
        self.fields["activity"].queryset = transfers.transfer_activities().order_by(
            "position", "name"
        )
        self.fields["organisation"].queryset = transfers.answering_organisations().order_by(
            "kind", "name"
        )

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
        activity, organisation = cleaned_data.get("activity"), cleaned_data.get("organisation")
        if activity and organisation:
            refusal = transfers.transfer_refusal(activity=activity, organisation=organisation)
            if refusal:
                self.add_error("organisation", refusal)
        return cleaned_data
