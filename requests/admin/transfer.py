"""The DPO's page passing a request on to the organisation that must answer it."""

from django.utils.translation import gettext

from requests import transfers
from requests.admin.actions import changed_message
from requests.transfer_forms import TransferForm


class TransferPageMixin:
    """Used with RequestActionPagesMixin (requests/admin/actions.py), which supplies
    _action_page."""

    def page_urls(self, page):
        return [*super().page_urls(page), page("transfer", self.transfer_view)]

    def transfer_view(self, request, pk):
        def perform(obj, data):
            obj = transfers.request_transfer(
                subject_request=obj,
                activity=data["activity"],
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
            name="transfer",
            form_class=TransferForm,
            title=gettext("Transfer to the organisation that must answer"),
            perform=perform,
            log=changed_message("status", "transferred_to", "transferred_on"),
            extra=lambda obj: {"submit_label": gettext("Transfer and tell the requester")},
        )
