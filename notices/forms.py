from django import forms
from django.contrib.admin.widgets import AdminDateWidget
from django.utils.translation import gettext_lazy as _


class PublishForm(forms.Form):
    effective_from = forms.DateField(
        label=_("Takes effect on"),
        widget=AdminDateWidget,
        help_text=_("Today or later. A later date makes it the current version on that day."),
    )
