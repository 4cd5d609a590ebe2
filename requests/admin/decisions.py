"""The DPO's decisions on a request, each e-mailed to the requester: answer, ask for information
or identity, record what came back, refuse, close (the extension is in actions.py).

Each page calls one service of requests/answers.py. Its "Preview" button shows the e-mail the
requester would get, in their language, and saves nothing.
"""

from django.utils.translation import gettext

from requests import admin_forms, answers, services
from requests.admin.actions import changed_message
from requests.models import DataSubjectRequest, Notification

Status = DataSubjectRequest.Status
DECISIONS = ("answer", "ask", "received", "refuse", "close")


def decision_refusals(obj):
    """{page: why it cannot be used}: every decision needs an open request, closing a request
    that is not closed yet; nothing on an anonymised one."""
    refusals = dict.fromkeys(DECISIONS, services.open_refusal(obj))
    refusals["ask"] = refusals["ask"] or answers.ask_refusal(obj)
    if obj.status in answers.CLOSABLE:
        refusals["close"] = services.anonymised_refusal(obj)
    return refusals


def not_waiting(obj):
    if obj.status != Status.WAITING:
        return gettext("This request is not waiting for the requester.")
    return None


class DecisionPagesMixin:
    """Used with RequestActionPagesMixin (requests/admin/actions.py), which supplies
    _action_page, page_urls and page_refusals."""

    def page_urls(self, page):
        return [
            *super().page_urls(page),
            page("answer", self.answer_view),
            page("ask", self.ask_view),
            page("received", self.received_view),
            page("refuse", self.refuse_view),
            page("close", self.close_view),
        ]

    def page_refusals(self, obj):
        refusals = super().page_refusals(obj)
        refusals.update(
            {name: refusal for name, refusal in decision_refusals(obj).items() if refusal}
        )
        return refusals

    def answer_view(self, request, pk):
        def perform(obj, data):
            obj = answers.request_answer(
                subject_request=obj, message=data["message"], by=request.user, files=data["files"]
            )
            return _told(obj, gettext("Request %(reference)s is answered."))

        return self._action_page(
            request,
            pk,
            name="answer",
            form_class=admin_forms.AnswerForm,
            title=gettext("Answer the request"),
            perform=perform,
            log=changed_message("status", "answered_on", "closed_at"),
            extra=lambda obj: {"submit_label": gettext("Send the answer")},
            preview=lambda obj, data: answers.preview(
                obj, Notification.Kind.ANSWERED, data["message"], with_files=bool(data["files"])
            ),
        )

    def ask_view(self, request, pk):
        def perform(obj, data):
            obj = answers.request_ask(
                subject_request=obj, what=data["what"], message=data["message"], by=request.user
            )
            return _told(obj, gettext("Request %(reference)s now waits for the requester."))

        return self._action_page(
            request,
            pk,
            name="ask",
            form_class=admin_forms.AskForm,
            title=gettext("Ask for information or proof of identity"),
            perform=perform,
            log=changed_message("status", "waiting_for", "waiting_since"),
            extra=lambda obj: {"submit_label": gettext("Send the question")},
            preview=lambda obj, data: answers.preview(
                obj, answers.ASK_KINDS[data["what"]], data["message"]
            ),
        )

    def received_view(self, request, pk):
        def perform(obj, data):
            obj = answers.request_info_received(subject_request=obj, on=data["on"], by=request.user)
            return gettext("Request %(reference)s is in progress again.") % {"reference": obj}

        return self._action_page(
            request,
            pk,
            name="received",
            form_class=admin_forms.ReceivedForm,
            title=gettext("Information received"),
            perform=perform,
            log=changed_message("status", "due_on", "waiting_for", "waiting_since"),
            extra=lambda obj: {"submit_label": gettext("Record and resume")},
            refuse=not_waiting,
        )

    def refuse_view(self, request, pk):
        def perform(obj, data):
            obj = answers.request_refuse(
                subject_request=obj, reasons=data["reasons"], by=request.user
            )
            return _told(obj, gettext("Request %(reference)s is refused."))

        return self._action_page(
            request,
            pk,
            name="refuse",
            form_class=admin_forms.RefuseForm,
            title=gettext("Refuse the request"),
            perform=perform,
            log=changed_message("status", "answered_on", "closed_at"),
            extra=lambda obj: {"submit_label": gettext("Send the refusal")},
            preview=lambda obj, data: answers.preview(
                obj, Notification.Kind.REFUSED, data["reasons"]
            ),
        )

    def close_view(self, request, pk):
        def perform(obj, data):
            obj = answers.request_close(
                subject_request=obj,
                message=data["message"],
                by=request.user,
                notify=data["notify"],
            )
            if not data["notify"]:
                return gettext("Request %(reference)s is closed.") % {"reference": obj}
            return _told(obj, gettext("Request %(reference)s is closed."))

        return self._action_page(
            request,
            pk,
            name="close",
            form_class=admin_forms.CloseForm,
            title=gettext("Close the request"),
            perform=perform,
            log=changed_message("status", "closed_at"),
            extra=lambda obj: {"submit_label": gettext("Close")},
            preview=lambda obj, data: answers.preview(
                obj, Notification.Kind.CLOSED, data["message"]
            ),
        )


def _told(obj, done):
    """The success message, saying how the requester is told."""
    done = done % {"reference": obj}
    if obj.email:
        return f"{done} {gettext('The requester is told by e-mail.')}"
    return f"{done} {gettext('No e-mail address: print the letter kept in the timeline.')}"
