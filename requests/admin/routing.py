"""Routing counts in the admin: read-only list, charts and tables, CSV (and the dashboard)."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from requests import charts, statistics
from requests.admin.dashboard import DashboardPagesMixin
from requests.admin.read_only import NoHandEditsMixin
from requests.models import RoutingCount

PERMISSION = "rights_requests.view_routingcount"

BREAKDOWNS = (
    ("month", _("Routings per month"), _("Month"), statistics.routings_per_month),
    ("topic", _("Routings per topic"), _("Topic"), statistics.routings_per_topic),
    ("right", _("Routings per right"), _("Right"), statistics.routings_per_right),
    ("insurer", _("Routings per insurer"), _("Insurer"), statistics.routings_per_insurer),
    ("language", _("Routings per language"), _("Language"), statistics.routings_per_language),
)


def _insurer_names(request):
    """The registry's insurer names, read once per request however often they are shown."""
    if not hasattr(request, "_routing_insurer_names"):
        request._routing_insurer_names = statistics.insurer_names()
    return request._routing_insurer_names


class LanguageFilter(admin.SimpleListFilter):
    title = _("language")
    parameter_name = "language"

    def lookups(self, request, model_admin):
        return settings.LANGUAGES

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return queryset.filter(language=self.value())


class InsurerFilter(admin.SimpleListFilter):
    title = _("insurer")
    parameter_name = "insurer"
    # The empty insurer cannot travel as a query-string value.
    NOT_ASKED = "none"

    def lookups(self, request, model_admin):
        names = _insurer_names(request)
        return [
            *((code, f"{code} {name}") for code, name in names.items()),
            (statistics.UNKNOWN_INSURER, gettext("Did not know")),
            (self.NOT_ASKED, gettext("Not asked")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        return queryset.filter(insurer="" if value == self.NOT_ASKED else value)


class PeriodForm(forms.Form):
    since = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    until = forms.DateField(
        label=_("To (included)"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )

    def clean(self):
        cleaned_data = super().clean()
        since, until = cleaned_data.get("since"), cleaned_data.get("until")
        if since and until and since > until:
            raise ValidationError(_("The start of the period comes after its end."))
        return cleaned_data

    def period(self):
        """{"since": ..., "until": ...} (None for no bound), or None when the form has errors."""
        if not self.is_bound:
            return {"since": None, "until": None}
        if not self.is_valid():
            return None
        return {"since": self.cleaned_data["since"], "until": self.cleaned_data["until"]}


def _query_string(period):
    """ "?since=2026-01-01&until=..." for the bounds that are set, "" for none."""
    query = {key: day.isoformat() for key, day in period.items() if day is not None}
    return f"?{urlencode(query)}" if query else ""


def bar_chart(key, title, column, rows):
    """What statistics.html needs to draw `rows` ([(label, total), ...]) and tabulate them."""
    description = ngettext(
        "Horizontal bar chart with one bar, %(total)s routings in all. The table below gives "
        "the same figure.",
        "Horizontal bar chart with %(counter)s bars, %(total)s routings in all. The table below "
        "gives the same figures.",
        len(rows),
    )
    total = sum(total for _label, total in rows)
    return {
        "key": key,
        "title": title,
        "column": column,
        "rows": rows,
        "total": total,
        "svg": charts.horizontal_bars_svg(
            key=key,
            title=title,
            description=description % {"counter": len(rows), "total": total},
            rows=rows,
        ),
    }


@admin.register(RoutingCount)
class RoutingCountAdmin(DashboardPagesMixin, NoHandEditsMixin, admin.ModelAdmin):
    """Read-only: the counts are evidence of how the wizard is used, written by the wizard only.

    It also serves the request desk's dashboard (admin/dashboard.py), which shows these
    statistics beside the requests' figures."""

    list_display = ["day", "language_column", "topic", "right", "insurer_column", "count"]
    list_filter = ["topic", "right", LanguageFilter, InsurerFilter, "day"]
    date_hierarchy = "day"
    list_per_page = 100
    actions = None

    def get_list_display(self, request):
        names = _insurer_names(request)

        @admin.display(description=_("insurer"), ordering="insurer")
        def insurer_column(obj):
            label = statistics.insurer_label(obj.insurer, names)
            return f"{obj.insurer} {label}" if obj.insurer in names else label

        return [insurer_column if name == "insurer_column" else name for name in self.list_display]

    @admin.display(description=_("language"), ordering="language")
    def language_column(self, obj):
        return dict(settings.LANGUAGES).get(obj.language, obj.language)

    @admin.display(description=_("insurer"), ordering="insurer")
    def insurer_column(self, obj):
        # Replaced per request by get_list_display, which knows the insurers' names.
        return obj.insurer

    def get_urls(self):
        own = [
            path(
                "statistics/",
                self.admin_site.admin_view(require_GET(self.statistics_view)),
                name="rights_requests_statistics",
            ),
            path(
                "statistics.csv",
                self.admin_site.admin_view(require_GET(self.statistics_csv_view)),
                name="rights_requests_statistics_csv",
            ),
        ]
        return own + super().get_urls()

    def statistics_view(self, request):
        """Routings per month, topic, right, insurer and language: a chart and a table each."""
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        form = PeriodForm(request.GET or None)
        period = form.period()
        charts = []
        if period is not None:
            charts = [
                bar_chart(key, str(title), str(column), breakdown(**period))
                for key, title, column, breakdown in BREAKDOWNS
            ]
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Routing statistics"),
            "opts": self.model._meta,
            "form": form,
            "period": period,
            "charts": charts,
            # Each breakdown counts every routing once: any chart's total is the period's.
            "total": charts[0]["total"] if charts else 0,
            "csv_url": reverse("admin:rights_requests_statistics_csv")
            + _query_string(period or {}),
        }
        return render(request, "admin/rights_requests/statistics.html", context)

    def statistics_csv_view(self, request):
        """Every count of the period as CSV (UTF-8 with BOM, for Excel), header in the language."""
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        period = PeriodForm(request.GET or None).period()
        if period is None:
            # The statistics page shows what is wrong with the dates.
            statistics_url = reverse("admin:rights_requests_statistics")
            return redirect(f"{statistics_url}?{request.GET.urlencode()}")
        response = HttpResponse(
            statistics.routing_csv(**period).encode("utf-8-sig"),
            content_type="text/csv; charset=utf-8",
        )
        filename = f"routing-statistics-{timezone.localdate().isoformat()}.csv"
        response["Content-Disposition"] = content_disposition_header(True, filename)
        patch_cache_control(response, private=True, no_store=True)
        return response


# --- The DPO's queue of data subject requests -------------------------------------------------
#
# Confirmed requests only: an unconfirmed one may be anyone's typo. The form is read-only; every
# change goes through a service, so it is in the timeline and its e-mails go through the outbox.
# The bulk actions and the pages of one request (status, extension, transfer, note) need the
# permission to change requests (group "DPO").
