"""The DPO's form passing a request on to the organisation that must answer it."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.models import Organisation
from requests.admin_forms import date_widget


class TransferForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Controller that must answer"),
        queryset=Organisation.objects.none(),
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
