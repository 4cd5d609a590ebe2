"""The DPO's forms for recording a request that came by e-mail, post, phone or in person, and
for assigning a request to a member of the DPO group.

As in admin_forms.py, the forms check what a person can get wrong on the page; the rules of the
request are the services' (requests/intake.py) and come back as form errors.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from requests.intake import (
    ENTERED_CHANNELS,
    NO_ADDRESS_MESSAGE,
    dpo_members,
    received_on_error,
)
from requests.models import DataSubjectRequest, Right
from requests.request_forms import clean_phone

Language = DataSubjectRequest.Language


def _choose(label, choices):
    return [("", label), *choices]


class EnterForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Received by"),
        choices=_choose(_("Choose"), [(c.value, c.label) for c in ENTERED_CHANNELS]),
        error_messages={"required": _("Choose how the request reached AIM.")},
    )
    received_on = forms.DateField(
        label=_("Received on"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text=_(
            "The day the request reached AIM. The one-month deadline runs from this day (GDPR "
            "Art. 12(3)), however late it is recorded. Not in the future, at most a year ago."
        ),
        error_messages={
            "required": _("Give the day the request reached AIM."),
            "invalid": _("Enter a date such as 2026-03-10."),
        },
    )
    right = forms.ChoiceField(
        label=_("Right"),
        choices=_choose(_("Choose a right"), Right.choices),
        error_messages={"required": _("Choose the right the requester exercises.")},
    )
    name = forms.CharField(
        label=_("Requester's name"),
        max_length=200,
        error_messages={"required": _("Give the requester's name.")},
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        required=False,
        help_text=_(
            "Optional. When given, the requester receives the acknowledgement with the "
            "reference and the deadline."
        ),
        error_messages={"invalid": _("Enter an e-mail address in the form name@example.be.")},
    )
    postal_address = forms.CharField(
        label=_("Postal address"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional, but an e-mail address or a postal address is needed."),
    )
    phone = forms.CharField(label=_("Phone (optional)"), max_length=40, required=False)
    language = forms.ChoiceField(
        label=_("Language of the requester"),
        choices=_choose(_("Choose"), Language.choices),
        help_text=_("The acknowledgement and the answers are in this language."),
        error_messages={"required": _("Choose the requester's language.")},
    )
    description = forms.CharField(
        label=_("What was asked"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "In your own words. The letter itself can be attached on the request's page "
            "once it is recorded."
        ),
        error_messages={"required": _("Describe what the requester asked.")},
    )

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if message := received_on_error(day):
            raise forms.ValidationError(message)
        return day

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        email_ok = "email" not in self.errors
        if email_ok and not cleaned.get("email") and not (cleaned.get("postal_address") or ""):
            raise forms.ValidationError(NO_ADDRESS_MESSAGE, code="no_address")
        return cleaned


class DpoMemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        full_name = user.get_full_name()
        return f"{full_name} ({user.get_username()})" if full_name else user.get_username()


class AssignForm(forms.Form):
    assignee = DpoMemberChoiceField(
        label=_("Assign to"),
        queryset=dpo_members(),
        required=False,
        empty_label=_("Nobody (unassign)"),
        help_text=_("Active members of the DPO group."),
        error_messages={
            "invalid_choice": _(
                "This person is no longer an active member of the DPO group: choose another."
            )
        },
    )

    def __init__(self, *args, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Evaluated anew for each form (and again when a choice is checked): a member who
        # left the group since is neither listed nor accepted.
        members = self.fields["assignee"].queryset
        if current is None:
            return
        if members.filter(pk=current.pk).exists():
            self.initial["assignee"] = current.pk
        else:
            name = self.fields["assignee"].label_from_instance(current)
            self.fields["assignee"].help_text = _(
                "Now assigned to %(person)s, who is no longer an active member of the DPO "
                "group: choose someone else, or nobody."
            ) % {"person": name}
