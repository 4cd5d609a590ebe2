from celery import shared_task

from notices.models import NoticeVersion
from notices.pdf_store import notice_pdf_stored


@shared_task(
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def render_version_pdfs(version_id):
    """Render and store the PDF of each language of a published version (idempotent)."""
    version = NoticeVersion.objects.published().filter(pk=version_id).first()
    if version is None:
        return
    for language in ("fr", "nl"):
        notice_pdf_stored(version=version, language=language)
