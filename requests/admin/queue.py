"""The DPO's queue of data subject requests in the admin (the outbox is in outbox.py)."""

import datetime

from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from simple_history.admin import SimpleHistoryAdmin

from requests import admin_forms, services
from requests.admin.read_only import NoHandEditsMixin
from requests.models import DataSubjectRequest, Notification, RequestEvent
from requests.models.requests import DUE_SOON_DAYS, due_date

PROCESS_PERMISSION = "rights_requests.change_datasubjectrequest"
RequestStatus = DataSubjectRequest.Status
ACTION_TEMPLATE = "admin/rights_requests/datasubjectrequest/action.html"


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


def _changed(*field_names):
    """A LogEntry change message naming the fields, like the admin's own (untranslated)."""
    with translation.override(None):
        fields = [
            str(DataSubjectRequest._meta.get_field(name).verbose_name) for name in field_names
        ]
    return [{"changed": {"fields": fields}}]


def _add_service_errors(form, error):
    """A service's ValidationError shown on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            for field_error in field_errors:
                form.add_error(field if field in form.fields else None, field_error)
    else:
        for message in error.messages:
            form.add_error(None, message)


class RequestStatusFilter(admin.SimpleListFilter):
    """The statuses of the queue (an unconfirmed request is never in it)."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            choice for choice in RequestStatus.choices if choice[0] != RequestStatus.UNCONFIRMED
        ]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return queryset.filter(status=self.value())


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


@admin.register(DataSubjectRequest)
class DataSubjectRequestAdmin(NoHandEditsMixin, SimpleHistoryAdmin):
    list_display = [
        "reference",
        "status",
        "right",
        "language",
        "received_on",
        "due_on",
        "deadline",
        "assignee",
    ]
    list_filter = [
        RequestStatusFilter,
        "right",
        DeadlineFilter,
        ("assignee", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["reference", "=email"]
    search_help_text = _("A reference (or part of it), or the requester's exact e-mail address.")
    list_select_related = ["assignee"]
    ordering = ["due_on", "created_at"]
    list_per_page = 50
    actions = ["assign_to_me", "mark_in_progress"]
    change_form_template = "admin/rights_requests/datasubjectrequest/change_form.html"
    fieldsets = [
        (None, {"fields": ["reference", "status", "deadline", "assignee"]}),
        (_("Requester"), {"fields": ["name", "email", "phone", "language"]}),
        (_("Request"), {"fields": ["right", "description"]}),
        (
            _("Dates"),
            {
                "fields": [
                    "created_at",
                    "confirmed_at",
                    "received_on",
                    "due_on",
                    "extension_reason",
                    "closed_at",
                    "anonymised_at",
                ]
            },
        ),
        (
            _("Transfer to another controller"),
            {"fields": ["transferred_to", "transferred_on", "controller_acknowledged_on"]},
        ),
    ]

    class Media:
        css = {"all": ["css/admin-requests.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).in_queue()

    def get_readonly_fields(self, request, obj=None):
        return flatten_fieldsets(self.fieldsets)

    # Requests come from citizens, are never deleted by hand (anonymised after the retention
    # period) and never edited in a form (NoHandEditsMixin): the services record every change.
    def has_process_permission(self, request, obj=None):
        return request.user.has_perm(PROCESS_PERMISSION)

    @admin.display(description=_("deadline"), ordering="due_on")
    def deadline(self, obj):
        return deadline_html(obj, timezone.localdate())

    # --- Bulk actions

    def _each(self, request, queryset, perform, message):
        done = refused = 0
        for obj in queryset:
            try:
                perform(obj)
            except ValidationError:
                refused += 1
            else:
                self.log_change(request, obj, message)
                done += 1
        return done, refused

    def _refused_message(self, request, refused):
        if refused:
            messages.warning(
                request,
                ngettext(
                    "%(count)d request was left as it was.",
                    "%(count)d requests were left as they were.",
                    refused,
                )
                % {"count": refused},
            )

    @admin.action(description=_("Assign to me"), permissions=["process"])
    def assign_to_me(self, request, queryset):
        def perform(obj):
            services.request_assign(request=obj, to=request.user, by=request.user)

        done, refused = self._each(request, queryset, perform, _changed("assignee"))
        if done:
            messages.success(
                request,
                ngettext(
                    "%(count)d request assigned to you.",
                    "%(count)d requests assigned to you.",
                    done,
                )
                % {"count": done},
            )
        self._refused_message(request, refused)

    @admin.action(description=_("Mark in progress"), permissions=["process"])
    def mark_in_progress(self, request, queryset):
        # Only forward: an extended, answered or transferred request keeps its status.
        startable = (RequestStatus.NEW, RequestStatus.WAITING)
        left = queryset.exclude(status__in=startable).count()

        def perform(obj):
            services.request_set_status(
                request=obj, status=RequestStatus.IN_PROGRESS, by=request.user
            )

        done, refused = self._each(
            request, queryset.filter(status__in=startable), perform, _changed("status")
        )
        refused += left
        if done:
            messages.success(
                request,
                ngettext(
                    "%(count)d request marked in progress.",
                    "%(count)d requests marked in progress.",
                    done,
                )
                % {"count": done},
            )
        if refused:
            messages.warning(
                request,
                ngettext(
                    "%(count)d request was left as it was: only new requests and requests "
                    "waiting for the requester are marked in progress.",
                    "%(count)d requests were left as they were: only new requests and requests "
                    "waiting for the requester are marked in progress.",
                    refused,
                )
                % {"count": refused},
            )

    # --- The change page: the request read-only, its timeline and e-mails, buttons

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            user = request.user
            context["can_process"] = self.has_process_permission(request, obj)
            if user.has_perm("rights_requests.view_requestevent"):
                context["timeline"] = obj.events.select_related("actor")
                context["event_opts"] = RequestEvent._meta
            if user.has_perm("rights_requests.view_notification"):
                context["emails"] = obj.notifications.defer("body")
                context["email_opts"] = Notification._meta
        return super().render_change_form(request, context, add, change, form_url, obj)

    def history_view(self, request, object_id, extra_context=None):
        # Not simple_history's fallback to the history of a row outside the queue.
        if not self.has_view_permission(request):
            raise PermissionDenied
        if self.get_object(request, object_id) is None:
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # A past version is shown, never reverted: a revert would bypass the services.
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        if not self.has_view_permission(request):
            raise PermissionDenied
        if self.get_object(request, object_id) is None:
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_urls(self):
        def page(name, view):
            return path(
                f"<int:pk>/{name}/",
                self.admin_site.admin_view(require_http_methods(["GET", "POST"])(view)),
                name=f"rights_requests_datasubjectrequest_{name}",
            )

        own = [
            page("status", self.status_view),
            page("extend", self.extend_view),
            page("transfer", self.transfer_view),
            page("note", self.note_view),
        ]
        return own + super().get_urls()

    def _action_page(self, request, pk, *, form_class, title, perform, log, extra=None):
        """GET: the form; POST: the service, then back to the request with a message.

        `perform(obj, cleaned_data)` calls the service and returns the success message; a
        ValidationError from the service is shown on the form. `extra(obj)` adds to the
        page's context.
        """
        if not self.has_process_permission(request):
            raise PermissionDenied
        obj = self.get_object(request, str(pk))
        if obj is None:
            raise Http404
        form = form_class(request.POST) if request.method == "POST" else form_class()
        if form.is_bound and form.is_valid():
            try:
                message = perform(obj, form.cleaned_data)
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                self.log_change(request, obj, log)
                messages.success(request, message)
                return redirect("admin:rights_requests_datasubjectrequest_change", obj.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": obj,
            "title": f"{title} · {obj}",
            "form": form,
            "media": self.media + form.media,
            "deadline": deadline_html(obj, timezone.localdate()),
            **(extra(obj) if extra else {}),
        }
        return TemplateResponse(request, ACTION_TEMPLATE, context)

    def status_view(self, request, pk):
        def perform(obj, data):
            obj = services.request_set_status(
                request=obj, status=data["status"], by=request.user, note=data["note"]
            )
            return gettext("Request %(reference)s is now “%(status)s”.") % {
                "reference": obj,
                "status": obj.get_status_display(),
            }

        return self._action_page(
            request,
            pk,
            form_class=admin_forms.StatusForm,
            title=gettext("Change the status"),
            perform=perform,
            log=_changed("status"),
            extra=lambda obj: {"submit_label": gettext("Change the status")},
        )

    def extend_view(self, request, pk):
        def perform(obj, data):
            obj = services.request_extend(request=obj, reason=data["reason"], by=request.user)
            return gettext(
                "Request %(reference)s is extended until %(date)s; the requester is told by e-mail."
            ) % {"reference": obj, "date": date_format(obj.due_on)}

        return self._action_page(
            request,
            pk,
            form_class=admin_forms.ExtendForm,
            title=gettext("Extend the deadline"),
            perform=perform,
            log=_changed("status", "due_on", "extension_reason"),
            extra=lambda obj: {
                # The service's rule (received on + 3 months), shown before it is applied.
                "new_due_on": due_date(obj.received_on, 3),
                "submit_label": gettext("Extend and tell the requester"),
            },
        )

    def transfer_view(self, request, pk):
        def perform(obj, data):
            obj = services.request_transfer(
                request=obj,
                to_organisation=data["organisation"],
                on=data["transferred_on"],
                acknowledged_on=data["acknowledged_on"],
                by=request.user,
            )
            return gettext(
                "Request %(reference)s is transferred to %(organisation)s; "
                "the requester is told by e-mail."
            ) % {"reference": obj, "organisation": obj.transferred_to}

        return self._action_page(
            request,
            pk,
            form_class=admin_forms.TransferForm,
            title=gettext("Transfer to another controller"),
            perform=perform,
            log=_changed("status", "transferred_to", "transferred_on"),
            extra=lambda obj: {"submit_label": gettext("Transfer and tell the requester")},
        )

    def note_view(self, request, pk):
        def perform(obj, data):
            services.request_note(request=obj, text=data["text"], by=request.user)
            return gettext("Note added to the timeline of %(reference)s.") % {"reference": obj}

        with translation.override(None):
            log = [{"added": {"name": "event", "object": str(RequestEvent.Kind.NOTE.label)}}]
        return self._action_page(
            request,
            pk,
            form_class=admin_forms.NoteForm,
            title=gettext("Add an internal note"),
            perform=perform,
            log=log,
            extra=lambda obj: {"submit_label": gettext("Add the note")},
        )
