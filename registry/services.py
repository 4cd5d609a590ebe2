"""The writes that change an activity's life: approval and end.

Approval runs the completeness check of the notice (registry.completeness) on the activity
alone: an activity the notice could not describe completely is never approved, so that a draft
cannot slip into the notice with gaps. An activity is never deleted: it ends (status "ended"
and its end date), which keeps its history and what published notices said about it.
"""

from django.db import transaction
from django.utils import timezone

from registry.completeness import registry_gaps
from registry.models import ProcessingActivity


class ApprovalRefused(Exception):
    """The activity still has gaps; ``gaps`` lists them (registry.gaps.Gap)."""

    def __init__(self, activity, gaps):
        super().__init__(f"activity {activity.pk} has {len(gaps)} gap(s)")
        self.activity = activity
        self.gaps = gaps


def activity_gaps(activity):
    """What the completeness check reports for this activity itself, read fresh from the
    database (not the gaps of the notice as a whole, which no activity's approval can fix)."""
    fresh = ProcessingActivity.objects.with_relations().get(pk=activity.pk)
    return [
        gap
        for gap in registry_gaps(activities=[fresh])
        if gap.activity is not None and gap.activity.pk == activity.pk
    ]


@transaction.atomic
def activity_approve(*, activity):
    """Approve the activity, or raise ApprovalRefused with its gaps (nothing is changed then)."""
    activity = ProcessingActivity.objects.select_for_update().get(pk=activity.pk)
    if activity.status == ProcessingActivity.Status.APPROVED:
        return activity
    gaps = activity_gaps(activity)
    if gaps:
        raise ApprovalRefused(activity, gaps)
    activity.status = ProcessingActivity.Status.APPROVED
    activity.ended_on = None
    activity.save(update_fields=["status", "ended_on"])
    return activity


@transaction.atomic
def activity_end(*, activity, ended_on=None):
    """End the activity (today unless ``ended_on`` is given); an ended one is left as it is."""
    activity = ProcessingActivity.objects.select_for_update().get(pk=activity.pk)
    if activity.status == ProcessingActivity.Status.ENDED:
        return activity
    activity.status = ProcessingActivity.Status.ENDED
    activity.ended_on = ended_on or timezone.localdate()
    activity.save(update_fields=["status", "ended_on"])
    return activity
