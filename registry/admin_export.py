"""Download of the whole record of processing activities from the admin (CSV, JSON, XLSX, PDF).

Wire it through ModelAdmin.get_urls() with admin_site.admin_view(), which takes care of the
login and the staff check; this view checks the permission to read the registry.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from registry.exports import register_bytes

PERMISSION = "registry.view_processingactivity"

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def export_filename(fmt, language, day=None):
    """aim-register-of-processing-activities-2026-11-28-fr.xlsx"""
    day = day or timezone.localdate()
    return f"aim-register-of-processing-activities-{day.isoformat()}-{language}.{fmt}"


@require_GET
def registry_export(request, fmt):
    """The register as an attachment; ?language=fr|nl, by default the current language."""
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    if fmt not in CONTENT_TYPES:
        raise Http404("Unknown export format.")
    language = request.GET.get("language") or _current_language()
    if language not in dict(settings.LANGUAGES):
        raise Http404("Unknown language.")

    response = HttpResponse(register_bytes(fmt, language=language), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(
        True, export_filename(fmt, language)
    )
    # Personal-data processing details: never kept by a shared cache or the browser's.
    patch_cache_control(response, private=True, no_store=True)
    return response


def _current_language():
    """The active language as one of settings.LANGUAGES ("fr-be" → "fr"), or "" if none fits."""
    try:
        return translation.get_supported_language_variant(translation.get_language() or "")
    except LookupError:
        return ""
