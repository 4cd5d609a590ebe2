"""The DPO's queue of data subject requests in the admin (the pages acting on one request are
in actions.py, the outbox in outbox.py)."""

from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from aim_privacy.admin_history import ReadableHistoryAdmin
from requests import intake, services
from requests.admin.actions import RequestActionPagesMixin, add_service_errors, changed_message
from requests.admin.assign import AssignPageMixin
from requests.admin.attachments import AttachmentPagesMixin
from requests.admin.decisions import DecisionPagesMixin
from requests.admin.queue_filters import (
    DeadlineFilter,
    RequestStatusFilter,
    deadline_html,
)
from requests.admin.read_only import NoHandEditsMixin
from requests.admin.transfer import TransferPageMixin
from requests.intake_forms import EnterForm
from requests.models import DataSubjectRequest, Notification, RequestEvent

PROCESS_PERMISSION = "rights_requests.change_datasubjectrequest"
RequestStatus = DataSubjectRequest.Status
ENTER_TEMPLATE = "admin/rights_requests/datasubjectrequest/enter.html"


@admin.register(DataSubjectRequest)
class DataSubjectRequestAdmin(
    DecisionPagesMixin,
    AssignPageMixin,
    TransferPageMixin,
    AttachmentPagesMixin,
    RequestActionPagesMixin,
    NoHandEditsMixin,
    ReadableHistoryAdmin,
):
    # Fits a 1,366 px wide window beside the filters (tests/browser/test_request_queue.py):
    # who asked is one column (name over e-mail), each date carries what goes with it.
    list_display = [
        "reference",
        "requester",
        "status",
        "right",
        "received",
        "due",
        "language_code",
        "assignee",
    ]
    list_filter = [
        RequestStatusFilter,
        "right",
        DeadlineFilter,
        "channel",
        ("assignee", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["reference", "name", "email"]
    search_help_text = _(
        "A reference or part of it (000123), or part of the requester's name or e-mail address."
    )
    list_select_related = ["assignee"]
    ordering = ["due_on", "created_at"]
    list_per_page = 50
    actions = ["assign_to_me", "mark_in_progress"]
    change_form_template = "admin/rights_requests/datasubjectrequest/change_form.html"
    fieldsets = [
        (None, {"fields": ["reference", "status", "deadline", "assignee"]}),
        (
            _("Requester"),
            {"fields": ["name", "email", "phone", "postal_address", "language"]},
        ),
        (_("Request"), {"fields": ["channel", "right", "description"]}),
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

    # --- Recording a request that came by e-mail, post, phone or in person

    def has_add_permission(self, request):
        # The add URL serves enter_view (a form for requests/intake.py), never a ModelForm.
        return self.has_process_permission(request)

    def add_view(self, request, form_url="", extra_context=None):
        return self.enter_view(request)

    def enter_view(self, request):
        if request.method not in ("GET", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = EnterForm(request.POST) if request.method == "POST" else EnterForm()
        if form.is_bound and form.is_valid():
            try:
                obj = intake.request_enter(data=form.cleaned_data, by=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                self.log_addition(request, obj, [{"added": {}}])
                messages.success(
                    request,
                    gettext(
                        "Request %(reference)s is recorded; its deadline is %(date)s. "
                        "Attach the letter or a note of the call on this page "
                        "(Add an attachment)."
                    )
                    % {"reference": obj, "date": date_format(obj.due_on)},
                )
                return redirect("admin:rights_requests_datasubjectrequest_change", obj.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Record a request"),
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, ENTER_TEMPLATE, context)

    @admin.display(description=_("deadline"), ordering="due_on")
    def deadline(self, obj):
        return deadline_html(obj, timezone.localdate())

    @admin.display(description=_("requester"), ordering="name")
    def requester(self, obj):
        if obj.anonymised_at:
            return format_html('<span class="requester--anonymised">{}</span>', "—")
        return format_html(
            '<span class="requester__name">{}</span> <span class="requester__email">{}</span>',
            obj.name,
            obj.email or gettext("no e-mail"),
        )

    @admin.display(description=_("received"), ordering="received_on")
    def received(self, obj):
        return format_html(
            '<span class="queue-date">{}</span> <span class="queue-note">{}</span>',
            date_format(obj.received_on, "SHORT_DATE_FORMAT"),
            obj.get_channel_display(),
        )

    @admin.display(description=_("language"), ordering="language")
    def language_code(self, obj):
        return format_html(
            '<abbr title="{}">{}</abbr>', obj.get_language_display(), obj.language.upper()
        )

    @admin.display(description=_("due on"), ordering="due_on")
    def due(self, obj):
        return format_html(
            '<span class="queue-date">{}</span> {}',
            date_format(obj.due_on, "SHORT_DATE_FORMAT"),
            deadline_html(obj, timezone.localdate()),
        )

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
            intake.request_assign_member(subject_request=obj, to=request.user, by=request.user)

        done, refused = self._each(request, queryset, perform, changed_message("assignee"))
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
                subject_request=obj, status=RequestStatus.IN_PROGRESS, by=request.user
            )

        done, refused = self._each(
            request, queryset.filter(status__in=startable), perform, changed_message("status")
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
            if context["can_process"]:
                # Buttons for pages the request cannot take are not offered; the reason is shown.
                context["refusals"] = self.page_refusals(obj)
                context["refusal_notes"] = list(dict.fromkeys(context["refusals"].values()))
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
