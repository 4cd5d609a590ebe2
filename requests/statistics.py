"""Figures from the routing counts: totals per month, topic, right, insurer and language, and CSV.

Every function costs a constant number of queries (a Sum("count") grouped in the database, plus
one query for the insurers' names where they are shown), whatever the number of rows. Labels
are in the active language; `since` and `until` are inclusive days, None for no bound.
"""

import csv
import datetime
import io

from django.conf import settings
from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from aim_privacy.spreadsheets import spreadsheet_safe
from registry.models import Organisation
from requests.models import RIGHT_ARTICLES, Right, RoutingCount, Topic
from requests.routing import UNKNOWN_INSURER

CSV_HEADER = (
    _("Day"),
    _("Language"),
    _("Topic code"),
    _("Topic"),
    _("Right code"),
    _("Right"),
    _("GDPR article"),
    _("Insurer code"),
    _("Insurer"),
    _("Routings"),
)


def routing_counts(*, since=None, until=None):
    """The RoutingCount rows whose day lies between `since` and `until` (both included)."""
    rows = RoutingCount.objects.all()
    if since is not None:
        rows = rows.filter(day__gte=since)
    if until is not None:
        rows = rows.filter(day__lte=until)
    return rows


def _totals(field, *, since, until):
    """{value of `field`: sum of the counts}, in one grouped query."""
    rows = routing_counts(since=since, until=until).values_list(field).annotate(Sum("count"))
    return dict(rows.order_by())


def routings_per_month(*, since=None, until=None):
    """[("janvier 2026", 12), ...] from the first to the last month with a routing, gaps as 0."""
    rows = (
        routing_counts(since=since, until=until)
        .annotate(month=TruncMonth("day"))
        .values_list("month")
        .annotate(Sum("count"))
        .order_by("month")
    )
    totals = dict(rows)
    if not totals:
        return []
    months = []
    month, last = min(totals), max(totals)
    while month <= last:
        months.append(month)
        month = (month + datetime.timedelta(days=31)).replace(day=1)
    return [(date_format(month, "YEAR_MONTH_FORMAT"), totals.get(month, 0)) for month in months]


def routings_per_topic(*, since=None, until=None):
    """Every topic in the wizard's order, with 0 for a topic nobody chose."""
    return _in_order(_totals("topic", since=since, until=until), Topic.choices)


def routings_per_right(*, since=None, until=None):
    """Every right in the GDPR's order; "Not asked" last for topics that ask no right."""
    return _in_order(_totals("right", since=since, until=until), Right.choices)


def routings_per_language(*, since=None, until=None):
    """Every language of the site, then any other code the counts hold."""
    return _in_order(_totals("language", since=since, until=until), settings.LANGUAGES)


def routings_per_insurer(*, since=None, until=None):
    """The registry's insurers by code, "Did not know", then "Not asked" for topics without one."""
    names = insurer_names()
    choices = [*names.items(), (UNKNOWN_INSURER, gettext("Did not know"))]
    return _in_order(
        _totals("insurer", since=since, until=until),
        choices,
        label=lambda code: insurer_label(code, names),
    )


def _in_order(totals, choices, *, label=None):
    """(label, total) for every choice, then for each other value that counts ("" last)."""
    label = label or _label
    rows = [(str(name), totals.pop(code, 0)) for code, name in choices]
    for code in sorted(totals, key=lambda code: (code == "", code)):
        if totals[code]:
            rows.append((label(code), totals[code]))
    return rows


def _label(code):
    return code or gettext("Not asked")


def insurer_names():
    """{"100": "Mutualité chrétienne", ...}: each registry insurer's short name (else its name)."""
    return {
        str(insurer.insurer_code): insurer.short_name or insurer.name
        for insurer in Organisation.objects.insurers()
    }


def insurer_label(code, names):
    """What a RoutingCount.insurer stands for, given insurer_names()."""
    if code == UNKNOWN_INSURER:
        return gettext("Did not know")
    if not code:
        return gettext("Not asked")
    return names.get(code, code)


def routing_csv(*, since=None, until=None):
    """One line per RoutingCount row, header in the active language, as text.

    The caller encodes it as utf-8-sig: the BOM tells Excel the file is UTF-8.
    """
    names = insurer_names()
    topics, rights = dict(Topic.choices), dict(Right.choices)
    rows = (
        routing_counts(since=since, until=until)
        .order_by("day", "language", "topic", "right", "insurer")
        .values_list("day", "language", "topic", "right", "insurer", "count")
    )
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow([str(label) for label in CSV_HEADER])
    for day, language, topic, right, insurer, count in rows.iterator(chunk_size=2000):
        writer.writerow(
            [
                day.isoformat(),
                language,
                topic,
                str(topics.get(topic, topic)),
                right,
                str(rights[right]) if right in rights else _label(right),
                RIGHT_ARTICLES.get(right, ""),
                insurer,
                spreadsheet_safe(insurer_label(insurer, names)),
                count,
            ]
        )
    return output.getvalue()
