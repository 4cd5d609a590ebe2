"""The DPO's pages for one data subject request: mark in progress, extend, add a note (the
decisions, the transfer, the assignment and the files have their own modules).

Each page is a form posted to a service in requests/services.py. A page the request cannot take
(an extension after the deadline or a second one; anything on an anonymised request) says why
instead of showing its form, and refuses a POST sent anyway with the same message; the service
refuses it too.
"""

import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from requests import admin_forms, services
from requests.email_templates import decision_email
from requests.models import DataSubjectRequest, Notification, RequestEvent

ACTION_TEMPLATE = "admin/rights_requests/datasubjectrequest/action.html"


def changed_message(*field_names):
    """A LogEntry change message naming the fields, like the admin's own (untranslated)."""
    with translation.override(None):
        fields = [
            str(DataSubjectRequest._meta.get_field(name).verbose_name) for name in field_names
        ]
    return [{"changed": {"fields": fields}}]


def add_service_errors(form, error):
    """A service's ValidationError shown on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            for field_error in field_errors:
                form.add_error(field if field in form.fields else None, field_error)
    else:
        for message in error.messages:
            form.add_error(None, message)


def action_refusals(obj):
    """{page name: why the page cannot be used on this request} for the change page's buttons."""
    anonymised = services.anonymised_refusal(obj)
    refusals = dict.fromkeys(("status", "extend", "transfer", "note"), anonymised)
    # Only "in progress" is left on the status page: for an open request only.
    refusals["status"] = services.open_refusal(obj)
    refusals["extend"] = services.open_refusal(obj) or services.extension_refusal(obj)
    return {name: refusal for name, refusal in refusals.items() if refusal}


def extension_preview(obj, reason):
    """The extension e-mail as the requester would get it, with the new due date."""
    extended = copy.copy(obj)  # a copy in memory, never saved
    extended.due_on = services.extended_due_on(obj)
    return decision_email(extended, Notification.Kind.EXTENDED, reason)


class RequestActionPagesMixin:
    """get_urls and the four action pages of DataSubjectRequestAdmin (requests/admin/queue.py),
    which supplies has_process_permission, get_object and deadline."""

    def get_urls(self):
        def page(name, view):
            return path(
                f"<int:pk>/{name}/",
                self.admin_site.admin_view(require_http_methods(["GET", "POST"])(view)),
                name=f"rights_requests_datasubjectrequest_{name}",
            )

        # The pages of the other mixins (transfer, assignment, decisions, attachments) add
        # themselves through page_urls.
        own = [
            *self.page_urls(page),
            page("status", self.status_view),
            page("extend", self.extend_view),
            page("note", self.note_view),
        ]
        return own + super().get_urls()

    def page_urls(self, page):
        """Pages added by the mixins listed before this one in the admin's bases, each
        extending it with super()."""
        return []

    def page_refusals(self, obj):
        """{page name: why the page cannot be used on this request}: action_refusals, which the
        other mixins extend with their own pages' rules."""
        return action_refusals(obj)

    def _action_page(
        self,
        request,
        pk,
        *,
        name,
        form_class,
        title,
        perform,
        log,
        extra=None,
        preview=None,
        refuse=None,
    ):
        """GET: the form; POST: the service, then back to the request with a message.

        `perform(obj, cleaned_data)` calls the service and returns the success message; a
        ValidationError from the service is shown on the form. `extra(obj)` adds to the
        page's context. When page_refusals names this page (or `refuse(obj)` gives a reason),
        the form is not shown and a POST is refused with that message.

        `preview(obj, cleaned_data)` gives the (subject, body) of the e-mail the requester would
        get: a POST with the "Preview" button shows it on the page and performs nothing.
        """
        if not self.has_process_permission(request):
            raise PermissionDenied
        obj = self.get_object(request, str(pk))
        if obj is None:
            raise Http404
        refusal = self.page_refusals(obj).get(name) or (refuse(obj) if refuse else None)
        bound = request.method == "POST"
        form = form_class(request.POST, request.FILES) if bound else form_class()
        shown = None
        if form.is_bound and refusal:
            form.add_error(None, refusal)
        elif form.is_bound and form.is_valid() and preview and "_preview" in request.POST:
            try:
                subject, body = preview(obj, form.cleaned_data)
                shown = {"subject": subject, "body": body}
            except ValidationError as error:
                add_service_errors(form, error)
        elif form.is_bound and form.is_valid():
            try:
                message = perform(obj, form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
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
            "refusal": refusal,
            "media": self.media + form.media,
            "deadline": self.deadline(obj),
            "can_preview": preview is not None,
            "preview": shown,
            **(extra(obj) if extra and not refusal else {}),
        }
        return TemplateResponse(request, ACTION_TEMPLATE, context)

    def status_view(self, request, pk):
        def perform(obj, data):
            obj = services.request_set_status(
                subject_request=obj, status=data["status"], by=request.user, note=data["note"]
            )
            return gettext("Request %(reference)s is now “%(status)s”.") % {
                "reference": obj,
                "status": obj.get_status_display(),
            }

        return self._action_page(
            request,
            pk,
            name="status",
            form_class=admin_forms.StatusForm,
            title=gettext("Change the status"),
            perform=perform,
            log=changed_message("status"),
            extra=lambda obj: {"submit_label": gettext("Mark in progress")},
        )

    def extend_view(self, request, pk):
        def perform(obj, data):
            obj = services.request_extend(
                subject_request=obj, reason=data["reason"], by=request.user
            )
            return gettext(
                "Request %(reference)s is extended until %(date)s; the requester is told by e-mail."
            ) % {"reference": obj, "date": date_format(obj.due_on)}

        return self._action_page(
            request,
            pk,
            name="extend",
            form_class=admin_forms.ExtendForm,
            title=gettext("Extend the deadline"),
            perform=perform,
            log=changed_message("status", "due_on", "extension_reason"),
            extra=lambda obj: {
                # The service's rule (received on + 3 months, plus any time the clock stood
                # still for proof of identity), shown before it is applied.
                "new_due_on": services.extended_due_on(obj),
                "submit_label": gettext("Extend and tell the requester"),
            },
            preview=lambda obj, data: extension_preview(obj, data["reason"]),
        )

    def note_view(self, request, pk):
        def perform(obj, data):
            services.request_note(subject_request=obj, text=data["text"], by=request.user)
            return gettext("Note added to the timeline of %(reference)s.") % {"reference": obj}

        with translation.override(None):
            log = [{"added": {"name": "event", "object": str(RequestEvent.Kind.NOTE.label)}}]
        return self._action_page(
            request,
            pk,
            name="note",
            form_class=admin_forms.NoteForm,
            title=gettext("Add an internal note"),
            perform=perform,
            log=log,
            extra=lambda obj: {"submit_label": gettext("Add the note")},
        )
