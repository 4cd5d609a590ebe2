"""Stored PDFs: rendered once (even under concurrent requests), served with a name and an ETag,
rendered in the background by a real Celery worker when a broker is configured."""

import os
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import translation

from aim_privacy.pdf import pdf_rendered
from notices.models import NoticePdf
from notices.pdf_store import notice_pdf_stored
from tests.workers import start_celery_worker, stop_celery_worker

ROOT = Path(__file__).resolve().parents[2]
on_postgresql = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs PostgreSQL (row locks, and a database a worker process can share)",
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def renders():
    """Every PDF render, as (purpose, language), while the test runs."""
    seen = []
    lock = threading.Lock()

    def record(sender, purpose, language, **kwargs):
        with lock:
            seen.append((purpose, language))

    pdf_rendered.connect(record)
    yield seen
    pdf_rendered.disconnect(record)


def pdf_url(language, number=1):
    with translation.override(language):
        return reverse("notices:version-pdf", kwargs={"number": number})


@pytest.mark.django_db
def test_second_download_is_served_from_storage_without_rendering(
    citizen, complete_registry, publish, renders
):
    publish()
    first = citizen.get(pdf_url("fr"))
    assert first.status_code == 200
    body = b"".join(first.streaming_content)
    assert body.startswith(b"%PDF")
    assert renders == [("notice", "fr")]
    assert 'filename="declaration-v1-fr.pdf"' in first["Content-Disposition"]
    assert "immutable" in first["Cache-Control"]

    second = citizen.get(pdf_url("fr"))
    assert b"".join(second.streaming_content) == body
    assert renders == [("notice", "fr")]
    assert second["ETag"] == first["ETag"]
    assert citizen.get(pdf_url("fr"), headers={"if-none-match": first["ETag"]}).status_code == 304

    citizen.get(pdf_url("nl"))
    assert renders == [("notice", "fr"), ("notice", "nl")]
    assert NoticePdf.objects.count() == 2
    assert not first.cookies


@pytest.mark.django_db
def test_a_deleted_file_is_rendered_again(complete_registry, publish, renders):
    version = publish()
    stored = notice_pdf_stored(version=version, language="nl")
    stored.file.storage.delete(stored.file.name)
    again = notice_pdf_stored(version=version, language="nl")
    assert again.file.storage.exists(again.file.name)
    assert len(renders) == 2


@pytest.mark.django_db
def test_drafts_have_no_public_pdf(citizen, complete_registry, publish, notice):
    from notices.services import notice_version_create_draft

    publish()
    draft = notice_version_create_draft(notice=notice)
    assert citizen.get(pdf_url("fr", draft.number)).status_code == 404
    with pytest.raises(ValueError):
        notice_pdf_stored(version=draft, language="fr")


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_many_simultaneous_requests_render_once(complete_registry, publish, renders):
    version = publish()
    results, errors = [], []
    start = threading.Barrier(6)

    def request_pdf():
        try:
            start.wait()
            results.append(notice_pdf_stored(version=version, language="fr").pk)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=request_pdf) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert len(results) == 6 and len(set(results)) == 1
    assert renders == [("notice", "fr")]


def admin_pdf_url(version, languages):
    return reverse("admin:notices_noticeversion_pdf", args=[version.pk, languages])


@pytest.mark.django_db
def test_staff_export_a_draft_with_a_watermark_never_stored(
    admin_client, complete_registry, publish, notice, renders
):
    from pypdf import PdfReader

    from notices.services import notice_version_create_draft

    publish()
    draft = notice_version_create_draft(notice=notice)
    response = admin_client.get(admin_pdf_url(draft, "fr-nl"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "draft" in response["Content-Disposition"]
    import io

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "BROUILLON" in text and "ONTWERP" in text
    assert not NoticePdf.objects.filter(version=draft).exists()
    assert admin_client.get(admin_pdf_url(draft, "de")).status_code == 404


@pytest.mark.django_db
def test_staff_without_access_cannot_export(
    client, staff_without_access, complete_registry, publish
):
    version = publish()
    client.force_login(staff_without_access)
    assert client.get(admin_pdf_url(version, "fr")).status_code == 403


@on_postgresql
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis as Celery broker")
@pytest.mark.django_db(transaction=True)
def test_publishing_queues_a_real_worker_that_stores_both_pdfs(
    complete_registry, publish, media, renders
):
    from aim_privacy.celery import app

    app.control.purge()
    worker = start_celery_worker(MEDIA_ROOT=str(media))
    try:
        version = publish()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and NoticePdf.objects.filter(version=version).count() < 2:
            assert worker.poll() is None, worker.stdout.read().decode()
            time.sleep(0.5)
        stored = {pdf.language: pdf for pdf in NoticePdf.objects.filter(version=version)}
        assert set(stored) == {"fr", "nl"}
        for pdf in stored.values():
            assert Path(media, pdf.file.name).read_bytes().startswith(b"%PDF")
        assert renders == []  # rendered in the worker, not in this process
    finally:
        stop_celery_worker(worker)
    assert settings.CELERY_TASK_ALWAYS_EAGER is False
