"""Stored PDFs of published versions: rendered once, even under concurrent requests, then served.

The first request (or the Celery task queued at publication) takes a row lock on the version,
checks again, renders and stores; requests that arrived meanwhile wait on the lock and find the
file. Drafts are never stored: their PDFs are rendered on demand for staff, with a watermark.
"""

import hashlib
import logging
import time

from django.core.files.base import ContentFile
from django.db import transaction

from notices.models import NoticePdf, NoticeVersion
from notices.pdf import notice_pdf

logger = logging.getLogger(__name__)


def _usable(stored):
    return stored is not None and stored.file.storage.exists(stored.file.name)


def notice_pdf_stored(*, version: NoticeVersion, language: str) -> NoticePdf:
    """The stored PDF of a published version in one language, rendering it if needed."""
    if not version.is_published:
        raise ValueError("Only published versions have a stored PDF.")
    stored = NoticePdf.objects.filter(version=version, language=language).first()
    if _usable(stored):
        return stored
    with transaction.atomic():
        # One renderer at a time per version: the others wait here, then find the file.
        locked = (
            NoticeVersion.objects.select_for_update().select_related("notice").get(pk=version.pk)
        )
        stored = NoticePdf.objects.filter(version=locked, language=language).first()
        if _usable(stored):
            return stored
        started = time.perf_counter()
        pdf = notice_pdf(version=locked, languages=(language,))
        seconds = time.perf_counter() - started
        name = f"{locked.notice.slug}-v{locked.number}-{language}.pdf"
        if stored is not None:
            stored.file.storage.delete(stored.file.name)
            stored.delete()
        stored = NoticePdf(
            version=locked,
            language=language,
            sha256=hashlib.sha256(pdf).hexdigest(),
            size=len(pdf),
            render_seconds=seconds,
        )
        stored.file.save(name, ContentFile(pdf), save=False)
        stored.save()
        logger.info("Stored the PDF of version %s (%s) in %.2f s", locked.number, language, seconds)
        return stored


def queue_pdf_rendering(version_id):
    """Ask a worker to render the PDFs of a new version. A broker outage loses nothing: the
    first reader's request renders the missing file instead."""
    from django.conf import settings

    from notices.tasks import render_version_pdfs

    if settings.CELERY_TASK_ALWAYS_EAGER:
        # No broker (a developer's machine): rendering inline would only slow publishing down;
        # the first request for each PDF renders it.
        return
    try:
        render_version_pdfs.delay(version_id)
    except Exception:  # the broker is down or slow: the PDFs will be rendered on first request
        logger.warning("Could not queue the PDF rendering of version id %s", version_id)
