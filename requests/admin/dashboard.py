"""The DPO's dashboard of the requests AIM answers itself: charts, tables and CSV.

Wired by DashboardPagesMixin.get_urls (URL names admin:rights_requests_dashboard and
admin:rights_requests_dashboard_csv) on the routing counts' admin, whose statistics it shows
beside its own figures. Both pages need the permission to view data subject requests (group
"DPO"), answer GET only, show no personal data, and cost a fixed number of queries
(tests/requests/test_dashboard.py).
"""

import datetime

from dateutil.relativedelta import relativedelta
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.formats import date_format, number_format
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from requests import charts, dashboard, statistics
from requests.models import DataSubjectRequest, Right

PERMISSION = "rights_requests.view_datasubjectrequest"
ROUTING_PERMISSION = "rights_requests.view_routingcount"
MONTH_FORMAT = "%Y-%m"
EARLIEST_MONTH = datetime.date(2000, 1, 1)
LATEST_MONTH = datetime.date(2099, 12, 1)
MAX_MONTHS = 60


class MonthField(forms.Field):
    """A month typed as 2026-03 (what an <input type="month"> sends), as its first day."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-03", "size": 8})
    default_error_messages = {
        "invalid": _("Enter a month as year and month, for example 2026-03."),
        "range": _("Choose a month from 2000-01 to 2099-12."),
    }

    def to_python(self, value):
        value = (value or "").strip()
        if not value:
            return None
        try:
            month = datetime.datetime.strptime(value, MONTH_FORMAT).date()
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not EARLIEST_MONTH <= month <= LATEST_MONTH:
            raise ValidationError(self.error_messages["range"], code="range")
        return month


class DashboardPeriodForm(forms.Form):
    since = MonthField(label=_("From the month"), required=False)
    until = MonthField(label=_("To the month (included)"), required=False)

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.default = dashboard.default_period(today)
        self.fields["since"].initial = self.default.first_month.strftime(MONTH_FORMAT)
        self.fields["until"].initial = self.default.last_month.strftime(MONTH_FORMAT)

    def clean(self):
        cleaned_data = super().clean()
        if self.errors:
            return cleaned_data
        until = cleaned_data.get("until") or self.default.last_month
        since = cleaned_data.get("since") or until - relativedelta(
            months=dashboard.DEFAULT_MONTHS - 1
        )
        if since > until:
            raise ValidationError(_("The start of the period comes after its end."))
        if len(dashboard.Period(since, until).months) > MAX_MONTHS:
            raise ValidationError(
                _("Choose a period of at most %(months)s months."),
                params={"months": MAX_MONTHS},
            )
        cleaned_data["period"] = dashboard.Period(since, until)
        return cleaned_data

    def period(self):
        """The period asked for (the last twelve months when none), or None when invalid."""
        if not self.is_bound:
            return self.default
        return self.cleaned_data["period"] if self.is_valid() else None


def _query(period):
    """The form's query string for `period`, to keep it from the page to the CSV."""
    return urlencode(
        {
            "since": period.first_month.strftime(MONTH_FORMAT),
            "until": period.last_month.strftime(MONTH_FORMAT),
        }
    )


def column_chart(key, title, description, column, period, series):
    """A stacked column chart of `series` per month, and the table with the same numbers."""
    months = period.months
    totals = [sum(values[i] for _name, values in series) for i in range(len(months))]
    total = sum(totals)
    words = {
        "first": date_format(months[0], "YEAR_MONTH_FORMAT"),
        "last": date_format(months[-1], "YEAR_MONTH_FORMAT"),
        "total": total,
    }
    return {
        "key": key,
        "title": title,
        "column": column,
        "series": [name for name, _values in series],
        "rows": [
            (
                date_format(month, "YEAR_MONTH_FORMAT"),
                [values[i] for _name, values in series],
                totals[i],
            )
            for i, month in enumerate(months)
        ],
        "totals": [sum(values) for _name, values in series],
        "total": total,
        "svg": charts.stacked_columns_svg(
            key=key,
            title=title,
            description=description(total) % words,
            categories=[(date_format(month, "b"), str(month.year)) for month in months],
            series=series,
        ),
    }


def _by_right_description(total):
    return ngettext(
        "Stacked column chart, one column per month from %(first)s to %(last)s, split by "
        "right: %(total)s request in all. The table below gives the same figures.",
        "Stacked column chart, one column per month from %(first)s to %(last)s, split by "
        "right: %(total)s requests in all. The table below gives the same figures.",
        total,
    )


def _by_channel_description(total):
    return ngettext(
        "Stacked column chart, one column per month from %(first)s to %(last)s, split by "
        "channel: %(total)s request in all. The table below gives the same figures.",
        "Stacked column chart, one column per month from %(first)s to %(last)s, split by "
        "channel: %(total)s requests in all. The table below gives the same figures.",
        total,
    )


def _days(value):
    if value is None:
        return "—"
    return ngettext("%(days)s day", "%(days)s days", value) % {"days": value}


def _percent(value):
    if value is None:
        return "—"
    return gettext("%(percent)s%%") % {"percent": number_format(value, 1)}


def figure_tiles(figures):
    """The row of key figures drawn as tiles (the figure table says the same in words)."""
    tiles = [
        (_days(figures["median_days"]), gettext("Median")),
        (_days(figures["p90_days"]), gettext("90th percentile")),
        (_percent(figures["on_time_share"]), gettext("Answered on time")),
        (str(figures["open"]), gettext("Open today")),
        (str(figures["overdue"]), gettext("Overdue today")),
    ]
    return charts.figure_tiles_svg(
        key="figures",
        title=gettext("Key figures"),
        description=gettext(
            "Days to answer (median and 90th percentile), share answered on time, requests "
            "open and overdue today. The table below gives the same figures."
        ),
        tiles=tiles,
    )


class DashboardPagesMixin:
    """Adds the dashboard and its CSV to a ModelAdmin's URLs."""

    def get_urls(self):
        own = [
            path(
                "dashboard/",
                self.admin_site.admin_view(require_GET(self.dashboard_view)),
                name="rights_requests_dashboard",
            ),
            path(
                "dashboard.csv",
                self.admin_site.admin_view(require_GET(self.dashboard_csv_view)),
                name="rights_requests_dashboard_csv",
            ),
        ]
        return own + super().get_urls()

    def dashboard_view(self, request):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        today = timezone.localdate()
        form = DashboardPeriodForm(request.GET or None, today=today)
        period = form.period()
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Dashboard of the requests AIM answers itself"),
            "opts": DataSubjectRequest._meta,
            "form": form,
            "period": period,
            "today": today,
        }
        if period is not None:
            counts = dashboard.monthly_counts(period)
            figures = dashboard.summary(period, today)
            context |= {
                "first_month": date_format(period.first_month, "YEAR_MONTH_FORMAT"),
                "last_month": date_format(period.last_month, "YEAR_MONTH_FORMAT"),
                "figures": figures,
                "figure_rows": dashboard.figure_rows(figures),
                "figure_tiles": figure_tiles(figures),
                "charts": [
                    column_chart(
                        "right",
                        gettext("Requests received per month, by right"),
                        _by_right_description,
                        gettext("Month"),
                        period,
                        dashboard.per_month(counts, period, 1, Right.choices),
                    ),
                    column_chart(
                        "channel",
                        gettext("Requests received per month, by channel"),
                        _by_channel_description,
                        gettext("Month"),
                        period,
                        dashboard.per_month(counts, period, 2, DataSubjectRequest.Channel.choices),
                    ),
                ],
                "csv_url": f"{reverse('admin:rights_requests_dashboard_csv')}?{_query(period)}",
            }
            if request.user.has_perm(ROUTING_PERMISSION):
                topics = statistics.routings_per_topic(since=period.since, until=period.until)
                routing_query = urlencode(
                    {"since": period.since.isoformat(), "until": period.until.isoformat()}
                )
                context |= {
                    "routing_topics": topics,
                    "routing_total": sum(total for _label, total in topics),
                    "statistics_url": (
                        f"{reverse('admin:rights_requests_statistics')}?{routing_query}"
                    ),
                }
        return render(request, "admin/rights_requests/dashboard.html", context)

    def dashboard_csv_view(self, request):
        """The dashboard's figures as CSV (UTF-8 with BOM, for Excel), in the admin's language."""
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        today = timezone.localdate()
        period = DashboardPeriodForm(request.GET or None, today=today).period()
        if period is None:
            # The dashboard shows what is wrong with the months.
            dashboard_url = reverse("admin:rights_requests_dashboard")
            return redirect(f"{dashboard_url}?{request.GET.urlencode()}")
        text = dashboard.dashboard_csv(
            period, dashboard.monthly_counts(period), dashboard.summary(period, today)
        )
        response = HttpResponse(text.encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
        filename = f"request-dashboard-{today.isoformat()}.csv"
        response["Content-Disposition"] = content_disposition_header(True, filename)
        patch_cache_control(response, private=True, no_store=True)
        return response
