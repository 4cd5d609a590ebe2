"""The registry at a glance, in the admin: how much it holds and what GDPR still requires.

Wired into the admin by ``ModelAdmin.get_urls`` with ``admin_site.admin_view`` (URL name
``admin:registry_overview``); readable by whoever may view the processing activities.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from registry.completeness import object_label, registry_gaps
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

# Where to go for a gap that names no object: add what is missing.
_ADD_FOR_CODE = {
    "no_controller": Organisation,
    "no_authority": Organisation,
    "no_contact_directory": Organisation,
    "no_activity": ProcessingActivity,
}


def _admin_url(view, model, *args):
    opts = model._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)
    except NoReverseMatch:  # not registered in the admin (for example edited inline)
        return None


def _change_url(obj):
    return _admin_url("change", type(obj), obj.pk) if obj is not None else None


def _row(gap):
    url = label = None
    for candidate in (gap.obj, gap.activity):
        url = _change_url(candidate)
        if url:
            label = object_label(candidate)
            break
    if url is None and gap.code in _ADD_FOR_CODE:
        model = _ADD_FOR_CODE[gap.code]
        url = _admin_url("add", model)
        label = _("Add: %(model)s") % {"model": model._meta.verbose_name}
    return {"article": gap.article, "message": gap.message, "url": url, "label": label}


def registry_overview(request):
    if not request.user.has_perm("registry.view_processingactivity"):
        raise PermissionDenied

    # "Notice as a whole" first (key None), then each activity in the order of the gaps.
    groups = {None: {"activity_name": None, "url": None, "rows": []}}
    for gap in registry_gaps():
        key = gap.activity.pk if gap.activity is not None else None
        if key not in groups:
            groups[key] = {
                "activity_name": object_label(gap.activity),
                "url": _change_url(gap.activity),
                "rows": [],
            }
        groups[key]["rows"].append(_row(gap))
    gap_groups = [group for group in groups.values() if group["rows"]]

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
    }
    return render(request, "admin/registry/overview.html", context)
