"""Files kept with a request: private (no URL serves them), typed by their content, refused with
a message when too big or of another type, gone from the disk with their row whatever deletes
it, and opened by staff only with the permission to view the request."""

import datetime
import io
import shutil
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from requests import services
from requests.attachment_forms import AttachmentAddForm
from requests.attachments import (
    CSV,
    DOCX,
    JPEG,
    JSON,
    ODT,
    PDF,
    PNG,
    TEXT,
    TIFF,
    XLSX,
    ZIP,
    _types_message,
    attachment_add,
    attachments_delete,
    download_link_create,
)
from requests.models import DataSubjectRequest, Notification, RequestAttachment, RequestEvent

pytestmark = pytest.mark.django_db

Direction = RequestAttachment.Direction
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# A Windows program dressed as a PDF: name and browser type say PDF, the content does not.
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" * 8


def submitted(**data):
    subject_request, token = services.request_submit(
        data={
            "right": "access",
            "name": "Zebulon Markerfield",
            "email": "zebulon@example.org",
            "phone": "",
            "description": "A copy of my data.",
            **data,
        },
        language="nl",
    )
    return subject_request, token


def confirmed():
    _subject_request, token = submitted()
    return services.request_confirm(token=token)


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def image_bytes(kind):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, kind)
    return buffer.getvalue()


def zip_bytes(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def empty_private_storage():
    """Each test starts and ends with no private file: a rolled-back test leaves its files (only
    rows roll back), and the storage is the one directory of the whole run."""

    def empty():
        root = Path(storages["private"].location)
        for child in root.iterdir():
            shutil.rmtree(child) if child.is_dir() else child.unlink()

    empty()
    yield
    empty()


@pytest.fixture
def english():
    """Messages compared in the language they are written in."""
    with translation.override("en"):
        yield


def private_files():
    root = Path(storages["private"].location)
    return sorted(path for path in root.rglob("*") if path.is_file())


def add(subject_request, name="lettre scannée.pdf", content=PDF_BYTES, **kwargs):
    direction = kwargs.pop("direction", Direction.RECEIVED)
    return attachment_add(
        subject_request=subject_request,
        uploaded_file=upload(name, content, **kwargs),
        direction=direction,
        by=None,
    )


# --- Private storage


def test_the_private_storage_is_outside_media_root_and_has_no_url(client):
    private = Path(storages["private"].location).resolve()
    media = Path(settings.MEDIA_ROOT).resolve()
    assert not private.is_relative_to(media)
    assert not media.is_relative_to(private)
    attachment = add(confirmed())
    # The storage names no URL (aim_privacy.storage.PrivateStorage), and no address where the
    # stored name could be tried serves the file.
    with pytest.raises(ValueError, match="no URL"):
        attachment.file.url  # noqa: B018 - the property is what is tested
    name = attachment.file.name
    for url in (f"{settings.MEDIA_URL}{name}", f"/{name}", f"/fr/{name}"):
        assert client.get(url).status_code == 404


def test_a_file_is_stored_under_a_random_name_with_the_type_found_in_its_content():
    subject_request = confirmed()
    attachment = add(subject_request, content_type="application/x-anything")
    assert attachment.content_type == PDF
    assert attachment.original_name == "lettre scannée.pdf"
    assert attachment.size == len(PDF_BYTES)
    assert "lettre" not in attachment.file.name
    assert attachment.file.name.startswith(f"requests/{subject_request.pk}/")
    stored = Path(storages["private"].path(attachment.file.name))
    assert stored.read_bytes() == PDF_BYTES
    event = subject_request.events.get(kind=RequestEvent.Kind.ATTACHMENT)
    assert "lettre scannée.pdf" in event.text


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("scan.png", image_bytes("PNG"), PNG),
        ("scan.jpg", image_bytes("JPEG"), JPEG),
        ("scan.tif", image_bytes("TIFF"), TIFF),
        ("copie.txt", "Données de 2024\n".encode(), TEXT),
        ("export.csv", b"date;amount\n2024-01-02;12,50\n", CSV),
        ("export.json", b'{"contacts": []}', JSON),
        (
            "answer.docx",
            zip_bytes({"[Content_Types].xml": "<x/>", "word/document.xml": "<w/>"}),
            DOCX,
        ),
        ("table.xlsx", zip_bytes({"[Content_Types].xml": "<x/>", "xl/workbook.xml": "<w/>"}), XLSX),
        ("answer.odt", zip_bytes({"mimetype": ODT, "content.xml": "<o/>"}), ODT),
        ("copy.zip", zip_bytes({"a.csv": "x"}), ZIP),
    ],
)
def test_the_allowed_types_are_recognised_by_their_content(name, content, expected):
    assert add(confirmed(), name=name, content=content).content_type == expected


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("lettre.pdf", EXE_BYTES),  # dressed as a PDF
        ("photo.gif", image_bytes("GIF")),  # an image, of a type not on the list
        ("export.json", b'{"not": json'),  # said to be JSON, is not
        ("broken.zip", b"PK\x03\x04" + b"\x00" * 40),  # says ZIP, is none
    ],
)
def test_another_type_is_refused_with_a_message_and_nothing_is_kept(name, content, english):
    subject_request = confirmed()
    with pytest.raises(ValidationError) as refused:
        add(subject_request, name=name, content=content, content_type="application/pdf")
    message = refused.value.message_dict["file"][0]
    assert name in message and "Attach a PDF" in message
    assert not RequestAttachment.objects.exists()
    assert private_files() == []
    assert not subject_request.events.filter(kind=RequestEvent.Kind.ATTACHMENT).exists()


def test_a_file_too_big_is_refused_with_its_size_and_the_limit(settings, english):
    settings.ATTACHMENT_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as refused:
        add(confirmed(), content=PDF_BYTES + b" " * 1024)
    message = refused.value.message_dict["file"][0]
    assert filesizeformat(1024 + len(PDF_BYTES)) in message
    assert f"may be {filesizeformat(1024)}" in message
    assert private_files() == []


def test_the_admin_form_applies_the_same_rule_to_each_file(english):
    form = AttachmentAddForm(
        data={},
        files={"file": [upload("ok.pdf", PDF_BYTES), upload("lettre.pdf", EXE_BYTES)]},
    )
    assert not form.is_valid()
    assert "lettre.pdf: This type of file cannot be attached" in form.errors["file"][0]


def test_nothing_is_attached_to_an_anonymised_request(english):
    subject_request = services.request_anonymise(subject_request=confirmed())
    with pytest.raises(ValidationError, match="anonymised"):
        add(subject_request)
    assert private_files() == []


# --- Deletion


def test_attachments_delete_removes_files_rows_and_links_once_committed(
    django_capture_on_commit_callbacks,
):
    subject_request = confirmed()
    add(subject_request)
    add(subject_request, name="answer.pdf", direction=Direction.ANSWER)
    download_link_create(subject_request=subject_request)
    assert len(private_files()) == 2
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert attachments_delete(subject_request=subject_request) == 2
    # Until the deletion is committed, the files stay (a rollback would keep the rows).
    assert len(private_files()) == 2
    for callback in callbacks:
        callback()
    assert private_files() == []
    assert not subject_request.attachments.exists()
    assert not subject_request.download_links.exists()


def test_anonymising_a_request_deletes_its_files_and_links(django_capture_on_commit_callbacks):
    subject_request = confirmed()
    add(subject_request)
    download_link_create(subject_request=subject_request)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_anonymise(subject_request=subject_request)
    assert private_files() == []
    assert not RequestAttachment.objects.exists()
    assert not subject_request.download_links.exists()
    assert not subject_request.events.filter(text__contains="lettre").exists()


def test_a_request_deleted_unconfirmed_takes_its_files_from_the_disk(
    django_capture_on_commit_callbacks,
):
    subject_request, _token = submitted()
    add(subject_request)
    sent_at = timezone.now() - datetime.timedelta(days=3)
    Notification.objects.filter(request=subject_request).update(
        status=Notification.Status.SENT, sent_at=sent_at
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.unconfirmed_delete() == 1
    assert not DataSubjectRequest.objects.filter(pk=subject_request.pk).exists()
    assert private_files() == []


# --- Staff


def download_url(attachment):
    return reverse(
        "admin:rights_requests_datasubjectrequest_attachment",
        args=[attachment.request_id, attachment.pk],
    )


def test_the_dpo_downloads_a_file_under_its_name_never_sniffed_nor_cached(dpo_client):
    attachment = add(confirmed(), name='brief "juni".pdf')
    response = dpo_client.get(download_url(attachment))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert '"juni"' not in response["Content-Disposition"]  # quotes escaped
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_an_editor_an_outsider_and_a_visitor_cannot_download_nor_add(
    client, editor, staff_without_access
):
    attachment = add(confirmed())
    url = download_url(attachment)
    add_url = reverse(
        "admin:rights_requests_datasubjectrequest_attachment_add", args=[attachment.request_id]
    )
    assert client.get(url).status_code == 302  # to the admin's login
    assert client.post(add_url, {"file": [upload("x.pdf", PDF_BYTES)]}).status_code == 302
    for user in (editor, staff_without_access):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.get(add_url).status_code == 403
        assert client.post(add_url, {"file": [upload("x.pdf", PDF_BYTES)]}).status_code == 403
    assert RequestAttachment.objects.count() == 1


def test_the_dpo_adds_a_received_letter_seen_on_the_change_page(dpo_client):
    subject_request = confirmed()
    url = reverse(
        "admin:rights_requests_datasubjectrequest_attachment_add", args=[subject_request.pk]
    )
    response = dpo_client.post(url, {"file": [upload("scan 1.pdf", PDF_BYTES)]})
    assert response.status_code == 302
    attachment = subject_request.attachments.get()
    assert attachment.direction == Direction.RECEIVED
    change = dpo_client.get(
        reverse("admin:rights_requests_datasubjectrequest_change", args=[subject_request.pk])
    )
    assert download_url(attachment) in change.text
    assert "scan 1.pdf" in change.text


def test_a_refused_file_is_shown_on_the_form_not_a_500(dpo_client):
    subject_request = confirmed()
    url = reverse(
        "admin:rights_requests_datasubjectrequest_attachment_add", args=[subject_request.pk]
    )
    response = dpo_client.post(url, {"file": [upload("lettre.pdf", EXE_BYTES)]})
    assert response.status_code == 200
    with translation.override("fr"):  # the admin's language here
        expected = f"lettre.pdf: {_types_message()}"
    assert response.context["form"].errors["file"] == [expected]
    assert 'id="id_file"' in response.text
    assert not subject_request.attachments.exists()


def test_an_anonymised_request_offers_no_attachment_page(dpo_client):
    subject_request = services.request_anonymise(subject_request=confirmed())
    url = reverse(
        "admin:rights_requests_datasubjectrequest_attachment_add", args=[subject_request.pk]
    )
    change = dpo_client.get(
        reverse("admin:rights_requests_datasubjectrequest_change", args=[subject_request.pk])
    )
    assert url not in change.text
    response = dpo_client.post(url, {"file": [upload("scan.pdf", PDF_BYTES)]})
    assert response.status_code == 200
    assert 'type="file"' not in response.text
    assert not subject_request.attachments.exists()
    assert private_files() == []
