"""The DPO's page assigning a request to any member of the DPO group, or reassigning it."""

from functools import partial

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from requests import intake, services
from requests.admin.actions import changed_message
from requests.intake_forms import AssignForm
from requests.models import DataSubjectRequest


def assign_refusal(obj):
    """Why this request cannot be (re)assigned, or None: the rules of services.require_open
    (anonymised, not open), said before the form rather than after it is sent."""
    try:
        services.require_open(obj)
    except ValidationError as error:
        return error.messages[0]
    return None


class AssignPageMixin:
    """Used with RequestActionPagesMixin (requests/admin/actions.py), which supplies
    _action_page, page_urls and page_refusals."""

    def page_urls(self, page):
        return [*super().page_urls(page), page("assign", self.assign_view)]

    def page_refusals(self, obj):
        refusals = super().page_refusals(obj)
        if refusal := assign_refusal(obj):
            refusals["assign"] = refusal
        return refusals

    def assign_view(self, request, pk):
        # The select starts on the current assignee (one small query; _action_page checks
        # the permission and finds the request itself).
        current = DataSubjectRequest.objects.filter(pk=pk).select_related("assignee").first()
        current = current.assignee if current else None

        def perform(obj, data):
            obj = intake.request_assign_member(
                subject_request=obj, to=data["assignee"], by=request.user
            )
            if obj.assignee is None:
                return gettext("Request %(reference)s is no longer assigned.") % {"reference": obj}
            return gettext("Request %(reference)s is assigned to %(person)s.") % {
                "reference": obj,
                "person": obj.assignee.get_full_name() or obj.assignee.get_username(),
            }

        return self._action_page(
            request,
            pk,
            name="assign",
            form_class=partial(AssignForm, current=current),
            title=gettext("Assign the request"),
            perform=perform,
            log=changed_message("assignee"),
            extra=lambda obj: {"submit_label": gettext("Save the assignment")},
        )
