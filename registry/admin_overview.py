"""The registry at a glance, in the admin: how much it holds and what GDPR still requires.

Wired into the admin by ``ModelAdmin.get_urls`` with ``admin_site.admin_view`` (URL name
``admin:registry_overview``); readable by whoever may view the processing activities.
"""

from django.apps import apps
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from registry.completeness import object_label, registry_gaps
from registry.gaps import ADD_FOR_CODE, admin_url, gap_admin_url
from registry.models import (
    DataCategory,
    DataProtectionOfficer,
    DataSubjectCategory,
    LegalBasis,
    Organisation,
    ProcessingActivity,
    Recipient,
    RetentionRule,
    Transfer,
)

COUNTED_MODELS = (
    ProcessingActivity,
    Organisation,
    DataProtectionOfficer,
    LegalBasis,
    DataCategory,
    DataSubjectCategory,
    Recipient,
    RetentionRule,
    Transfer,
)


def _admin_url(view, model, *args):
    return admin_url(view, model, *args)


def _change_url(obj):
    return admin_url("change", type(obj), obj.pk) if obj is not None else None


def gap_link_label(gap):
    """The words of the link to where the gap is fixed: the object to change, the activity's
    transfers, or the kind of object to add."""
    target = gap.target
    if target is None:
        if gap.code in ADD_FOR_CODE:
            model = apps.get_model(ADD_FOR_CODE[gap.code])
            return _("Add: %(model)s") % {"model": model._meta.verbose_name}
        return None
    if gap.anchor == "transfers-group" and target is gap.activity:
        return _("Third-country transfers of “%(activity)s”") % {
            "activity": object_label(gap.activity)
        }
    return object_label(target)


def gap_row(gap):
    """A gap as the admin lists it: article, message, and a link to where it is fixed."""
    url = gap_admin_url(gap)
    return {
        "article": gap.article,
        "message": gap.message,
        "url": url,
        "label": gap_link_label(gap) if url else None,
    }


def _groups(gaps):
    """Gaps by activity, in their order; those of the notice as a whole (key None) first."""
    groups = {None: {"activity_name": None, "url": None, "rows": []}}
    for gap in gaps:
        key = gap.activity.pk if gap.activity is not None else None
        if key not in groups:
            groups[key] = {
                "activity_name": object_label(gap.activity),
                "url": _change_url(gap.activity),
                "rows": [],
            }
        groups[key]["rows"].append(gap_row(gap))
    return [group for group in groups.values() if group["rows"]]


def registry_overview(request):
    if not request.user.has_perm("registry.view_processingactivity"):
        raise PermissionDenied

    gap_groups = _groups(registry_gaps())
    # Drafts are checked too, so that what blocks their approval shows before anyone tries;
    # the gaps of the notice as a whole are already listed above.
    drafts = ProcessingActivity.objects.filter(status=ProcessingActivity.Status.DRAFT)
    draft_groups = (
        _groups([gap for gap in registry_gaps(activities=drafts) if gap.activity is not None])
        if drafts.exists()
        else []
    )

    counts = [
        {
            "name": model._meta.verbose_name_plural,
            "count": model.objects.count(),
            "url": _admin_url("changelist", model),
        }
        for model in COUNTED_MODELS
    ]
    context = {
        **admin.site.each_context(request),
        "title": _("Completeness of the registry"),
        "counts": counts,
        "in_force": ProcessingActivity.objects.in_force().count(),
        "gap_groups": gap_groups,
        "gap_count": sum(len(group["rows"]) for group in gap_groups),
        "draft_groups": draft_groups,
    }
    return render(request, "admin/registry/overview.html", context)
