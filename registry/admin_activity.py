"""How the admin approves and ends processing activities, and why it never deletes one.

Approving runs the completeness check on the activity (registry.services.activity_approve): the
change form saves everything else first, then approves, or keeps the previous status and lists
what is missing, each with a link to where it is fixed. An activity ends (status and end date);
it is never deleted, alone or in bulk: its history and the notices that described it keep it.
"""

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from registry.admin_overview import gap_row
from registry.models import ProcessingActivity
from registry.services import ApprovalRefused, activity_approve, activity_end, activity_gaps

Status = ProcessingActivity.Status


class ProcessingActivityForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        if cleaned.get("no_recipients") and cleaned.get("recipients"):
            self.add_error(
                "no_recipients",
                _("“No recipients” contradicts the recipients listed: untick it, or remove them."),
            )
        return cleaned


def _gap_table(gaps):
    return render_to_string(
        "admin/registry/includes/gap_table.html", {"rows": [gap_row(gap) for gap in gaps]}
    )


def _refusal(request, activity, gaps, *, saved):
    messages.error(
        request,
        render_to_string(
            "admin/registry/includes/approval_refused.html",
            {
                "name": str(activity),
                "table": _gap_table(gaps),
                "count": len(gaps),
                "saved": saved,
            },
        ),
    )


class ActivityLifecycleMixin:
    """For ProcessingActivityAdmin: approval through the completeness check, ending, no delete."""

    form = ProcessingActivityForm
    actions = ["approve_selected", "end_selected"]

    def has_delete_permission(self, request, obj=None):
        # Ended, never deleted: "Mark as ended" replaces the delete action and the delete page.
        return False

    # --- Approval in the change form ------------------------------------------------------

    def save_model(self, request, obj, form, change):
        """An approval waits until the relations and transfers are saved: the activity is
        saved with its previous status, and save_related approves it if nothing is missing."""
        previous = (
            ProcessingActivity.objects.filter(pk=obj.pk).values("status", "ended_on").first()
            if change
            else None
        )
        if obj.status == Status.APPROVED and (previous or {}).get("status") != Status.APPROVED:
            request._registry_approval = {"refused": None}
            obj.status = previous["status"] if previous else Status.DRAFT
            obj.ended_on = previous["ended_on"] if previous else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        pending = getattr(request, "_registry_approval", None)
        if pending is not None:
            try:
                activity_approve(activity=form.instance)
            except ApprovalRefused as refused:
                pending["refused"] = refused.gaps
            form.instance.refresh_from_db(fields=["status", "ended_on"])

    def _approval_refused(self, request, obj):
        pending = getattr(request, "_registry_approval", None)
        if not pending or not pending["refused"]:
            return None
        _refusal(request, obj, pending["refused"], saved=True)
        opts = obj._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        return HttpResponseRedirect(url)

    def response_add(self, request, obj, post_url_continue=None):
        return self._approval_refused(request, obj) or super().response_add(
            request, obj, post_url_continue
        )

    def response_change(self, request, obj):
        return self._approval_refused(request, obj) or super().response_change(request, obj)

    # --- What the activity still lacks, on its own page ----------------------------------

    @admin.display(description=gettext_lazy("completeness"))
    def completeness(self, obj):
        if obj is None or obj.pk is None:
            return _("Checked once the activity is saved.")
        gaps = activity_gaps(obj)
        if not gaps:
            return _("Nothing is missing: the activity can be approved.")
        return render_to_string(
            "admin/registry/includes/activity_gaps.html",
            {"table": _gap_table(gaps), "count": len(gaps)},
        )

    # --- Actions ---------------------------------------------------------------------------

    @admin.action(
        description=gettext_lazy("Approve the selected activities (if nothing is missing)"),
        permissions=["change"],
    )
    def approve_selected(self, request, queryset):
        approved = 0
        for activity in queryset.exclude(status=Status.APPROVED):
            try:
                activity_approve(activity=activity)
            except ApprovalRefused as refused:
                _refusal(request, activity, refused.gaps, saved=False)
            else:
                approved += 1
        if approved:
            self.message_user(
                request,
                ngettext("%(count)d activity approved.", "%(count)d activities approved.", approved)
                % {"count": approved},
                messages.SUCCESS,
            )

    @admin.action(
        description=gettext_lazy("Mark the selected activities as ended today"),
        permissions=["change"],
    )
    def end_selected(self, request, queryset):
        ended = 0
        for activity in queryset.exclude(status=Status.ENDED):
            activity_end(activity=activity)
            ended += 1
        self.message_user(
            request,
            ngettext("%(count)d activity ended.", "%(count)d activities ended.", ended)
            % {"count": ended},
            messages.SUCCESS,
        )
