"""Dates in words, for sentences and titles: "1er mai 2024", "30 novembre 2026", "1 mei 2024".

ISO dates (2026-11-30) are for machines: a `<time datetime>` attribute, a URL, an export. Inside
a sentence or a title the portal writes the date in words, in the active language (or the one
asked for). Templates: `{% load dates %}{{ day|long_date }}`; Python: `long_date(day)`.

A version's start can be unknown (a historical version in force before the portal opened):
`effective_date_words` says so instead of showing a date.
"""

import datetime

from django import template
from django.utils import timezone, translation
from django.utils.dates import MONTHS
from django.utils.translation import gettext

register = template.Library()


def _day_words(day: int, language: str) -> str:
    # French writes the first of the month as an ordinal: « 1er mai ».
    if language == "fr" and day == 1:
        return "1er"
    return str(day)


def long_date(value, language=None) -> str:
    """The date in words in `language` (the active one by default); "" for no date."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    language = (language or translation.get_language() or "fr").split("-")[0]
    with translation.override(language):
        month = str(MONTHS[value.month])
    return f"{_day_words(value.day, language)} {month} {value.year}"


def effective_date_words(value, language=None) -> str:
    """When a version took effect, in words: its date, or that it is not recorded."""
    if value:
        return long_date(value, language)
    with translation.override(language or translation.get_language()):
        # Translators: in place of the date a version took effect, when nobody recorded it.
        return gettext("before the portal opened (date not recorded)")


@register.filter(name="long_date")
def long_date_filter(value, language=None):
    return long_date(value, language)


@register.filter(name="effective_date")
def effective_date_filter(value, language=None):
    return effective_date_words(value, language)
