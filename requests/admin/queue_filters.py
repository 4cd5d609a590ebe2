"""The request queue's list: its filters (open requests by default) and the deadline column."""

import datetime

from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from requests.models import DataSubjectRequest
from requests.models.requests import DUE_SOON_DAYS

RequestStatus = DataSubjectRequest.Status


def deadline_html(obj, today):
    """<span class="due due--overdue">Overdue by 3 days</span>, or due--soon, due--later,
    due--none (a request that is not open has no running deadline)."""
    if not obj.is_open or obj.due_on is None:
        return format_html('<span class="due due--none">{}</span>', "—")
    days = (obj.due_on - today).days
    if days < 0:
        text = ngettext("Overdue by %(days)d day", "Overdue by %(days)d days", -days) % {
            "days": -days
        }
    elif days == 0:
        text = gettext("Due today")
    else:
        text = ngettext("Due in %(days)d day", "Due in %(days)d days", days) % {"days": days}
    return format_html('<span class="due due--{}">{}</span>', obj.due_state(today) or "later", text)


class RequestStatusFilter(admin.SimpleListFilter):
    """Open requests unless asked otherwise: the queue is what is left to do.

    "Open" (the default, also without a parameter) and "All" are choices of their own, so "All"
    really lists every request in the queue (Django's built-in "All" would drop the parameter
    and land back on the default). The statuses follow (an unconfirmed request is never in the
    queue). Asked for requests with no running deadline, the default is "All" instead: "open"
    would always answer that with nothing.
    """

    title = _("status")
    parameter_name = "status"
    OPEN = "open"
    ALL = "all"

    def __init__(self, request, params, model, model_admin):
        self.default = (
            self.ALL if request.GET.get(DeadlineFilter.parameter_name) == "closed" else self.OPEN
        )
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        statuses = [
            choice for choice in RequestStatus.choices if choice[0] != RequestStatus.UNCONFIRMED
        ]
        return [(self.OPEN, _("Open")), (self.ALL, _("All")), *statuses]

    def value(self):
        return super().value() or self.default

    def queryset(self, request, queryset):
        match self.value():
            case self.OPEN:
                return queryset.filter(status__in=DataSubjectRequest.OPEN_STATUSES)
            case self.ALL:
                return queryset
        return queryset.filter(status=self.value())

    def choices(self, changelist):
        counts = self.get_facet_queryset(changelist) if changelist.add_facets else None
        for index, (lookup, title) in enumerate(self.lookup_choices):
            if counts is not None:
                title = f"{title} ({counts.get(f'{index}__c', '-')})"
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


class DeadlineFilter(admin.SimpleListFilter):
    """The same thresholds as DataSubjectRequest.due_state."""

    title = _("deadline")
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [
            ("overdue", _("Overdue")),
            ("soon", _("Due within 7 days")),
            ("later", _("Due later")),
            ("closed", _("No running deadline")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
        open_requests = queryset.filter(status__in=DataSubjectRequest.OPEN_STATUSES)
        match self.value():
            case "overdue":
                return open_requests.filter(due_on__lt=today)
            case "soon":
                return open_requests.filter(due_on__gte=today, due_on__lte=soon)
            case "later":
                return open_requests.filter(due_on__gt=soon)
            case "closed":
                return queryset.exclude(status__in=DataSubjectRequest.OPEN_STATUSES)
        return queryset
