from django import forms
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class PublishForm(forms.Form):
    effective_from = forms.DateField(
        label=_("Takes effect on"),
        widget=AdminDateWidget,
        help_text=_("Today or later. A later date makes it the current version on that day."),
    )


class TypedDateField(forms.DateField):
    """A DateField whose "invalid" message can quote what was typed (`%(value)s`)."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            typed = str(value).strip()
            typed = typed if len(typed) <= 40 else f"{typed[:40]}…"
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": typed}
            ) from None


class OnDateForm(forms.Form):
    # A date input's value must be a valid date or empty: a bound invalid form is rendered
    # without it (on_date_form.html), and the message quotes what was typed instead.
    date = TypedDateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Enter a date."),
            "invalid": _(
                "“%(value)s” is not a date: enter it as day/month/year, for example 15/03/2026."
            ),
        },
    )


class CompareForm(forms.Form):
    old = forms.TypedChoiceField(label=_("From version"), coerce=int)
    new = forms.TypedChoiceField(label=_("To version"), coerce=int)

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(v.number, _("Version %(number)s") % {"number": v.number}) for v in versions]
        self.fields["old"].choices = choices
        self.fields["new"].choices = choices
        if len(versions) >= 2:
            self.fields["old"].initial = versions[1].number
            self.fields["new"].initial = versions[0].number

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("old") is not None and cleaned.get("old") == cleaned.get("new"):
            raise forms.ValidationError(_("Choose two different versions."))
        return cleaned
