"""Dates in words (notices.templatetags.dates): never ISO inside a sentence or a title."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from notices.templatetags.dates import effective_date_words, long_date

MAY_1 = datetime.date(2024, 5, 1)
NOV_30 = datetime.date(2026, 11, 30)


@pytest.mark.parametrize(
    ("day", "language", "words"),
    [
        (MAY_1, "fr", "1er mai 2024"),
        (NOV_30, "fr", "30 novembre 2026"),
        (datetime.date(2027, 1, 1), "fr", "1er janvier 2027"),
        (datetime.date(2027, 1, 2), "fr", "2 janvier 2027"),
        (NOV_30, "nl", "30 november 2026"),
        (MAY_1, "nl", "1 mei 2024"),
    ],
)
def test_long_date_in_each_language(day, language, words):
    assert long_date(day, language) == words


@pytest.mark.parametrize(("language", "words"), [("fr", "1er mai 2024"), ("nl", "1 mei 2024")])
def test_the_filter_follows_the_active_language(language, words):
    template = Template("{% load dates %}Le {{ day|long_date }}.")
    with translation.override(language):
        assert template.render(Context({"day": MAY_1})) == f"Le {words}."


def test_an_aware_datetime_is_read_on_the_brussels_calendar(settings):
    # 23:30 UTC on 30 April is already 1 May in Brussels (UTC+2 in summer).
    moment = datetime.datetime(2024, 4, 30, 23, 30, tzinfo=datetime.UTC)
    assert long_date(moment, "fr") == "1er mai 2024"


def test_no_date_is_empty_and_an_unknown_start_is_said_in_words():
    assert long_date(None, "fr") == ""
    with translation.override("fr"):
        assert effective_date_words(None) == effective_date_words(None, "fr")
    assert effective_date_words(MAY_1, "nl") == "1 mei 2024"
    assert "2024" not in effective_date_words(None, "nl")
