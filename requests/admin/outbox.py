"""The outbox in the admin: what was sent and when, what is still to be tried, what failed.

Read-only; the one change is the DPO's "Retry now" on e-mails that failed for good, through
requests.outbox.notification_retry. Only users with the outbox permissions (group "DPO") see it.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from requests.admin.read_only import NoHandEditsMixin
from requests.models import DataSubjectRequest, Notification
from requests.outbox import notification_retry

RETRY_PERMISSION = "rights_requests.change_notification"
Status = Notification.Status


def _retried_message():
    """A LogEntry change message naming the fields, like the admin's own (untranslated)."""
    with translation.override(None):
        fields = [
            str(Notification._meta.get_field(name).verbose_name)
            for name in ("status", "next_attempt_at", "give_up_at")
        ]
    return [{"changed": {"fields": fields}}]


@admin.register(Notification)
class NotificationAdmin(NoHandEditsMixin, admin.ModelAdmin):
    list_display = [
        "created_at",
        "kind",
        "request",
        "status_display",
        "attempts",
        "next_attempt_at",
        "give_up_at",
        "sent_at",
    ]
    list_filter = ["status", "kind"]
    list_select_related = ["request"]
    search_fields = ["request__reference"]
    fields = [
        "request",
        "kind",
        "to",
        "subject",
        "status",
        "attempts",
        "created_at",
        "next_attempt_at",
        "give_up_at",
        "claimed_until",
        "sent_at",
        "last_error",
        "message_id",
        "body",
    ]
    readonly_fields = fields
    actions = ["retry_now"]

    class Media:
        css = {"all": ["css/admin-requests.css"]}

    def get_queryset(self, request):
        # Like the queue, the e-mails of an unconfirmed request are not shown (it may be
        # anyone's typo), except the DPO's to retry: one that failed for good, whose request
        # would otherwise wait for a confirmation that can never come.
        hidden = Q(request__status=DataSubjectRequest.Status.UNCONFIRMED)
        if self.has_retry_permission(request):
            hidden &= ~Q(status=Status.FAILED)
        return super().get_queryset(request).exclude(hidden).defer("body")

    def get_fields(self, request, obj=None):
        # An unconfirmed request's confirmation e-mail holds a live link: not for the admin.
        unconfirmed = DataSubjectRequest.Status.UNCONFIRMED
        if obj is not None and obj.request_id and obj.request.status == unconfirmed:
            return [field for field in self.fields if field != "body"]
        return self.fields

    def has_retry_permission(self, request, obj=None):
        return request.user.has_perm(RETRY_PERMISSION)

    @admin.display(description=_("status"), ordering="status")
    def status_display(self, obj):
        return format_html(
            '<span class="outbox-status outbox-status--{}">{}</span>',
            obj.status,
            obj.get_status_display(),
        )

    @admin.action(description=_("Retry now"), permissions=["retry"])
    def retry_now(self, request, queryset):
        done = left = 0
        for notification in queryset:
            try:
                notification_retry(notification)
            except ValidationError:
                left += 1
            else:
                self.log_change(request, notification, _retried_message())
                done += 1
        if done:
            messages.success(
                request,
                ngettext(
                    "%(count)d e-mail is back in the outbox and will be sent shortly.",
                    "%(count)d e-mails are back in the outbox and will be sent shortly.",
                    done,
                )
                % {"count": done},
            )
        if left:
            messages.warning(
                request,
                ngettext(
                    "%(count)d e-mail was left as it was: only e-mails that failed for good "
                    "are retried.",
                    "%(count)d e-mails were left as they were: only e-mails that failed for "
                    "good are retried.",
                    left,
                )
                % {"count": left},
            )
