"""The requester's link to the files of an answer: it works with the request's reference and
e-mail address until it expires, answers every wrong try with one message, is rate limited,
never puts the address in a URL, and is never cached, indexed or sent on in a Referer."""

import datetime
import hashlib
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from requests import services
from requests.attachments import attachment_add, download_link_create
from requests.download_views import neutral_message
from requests.models import DownloadLink, RequestAttachment

pytestmark = pytest.mark.django_db

Direction = RequestAttachment.Direction
ANSWER_PDF = b"%PDF-1.4\nthe Art. 15 copy\n%%EOF\n"
EMAIL = "Zebulon.Markerfield@Example.org"


@pytest.fixture(autouse=True)
def fresh_cache_and_storage():
    def empty():
        cache.clear()
        for child in Path(storages["private"].location).iterdir():
            shutil.rmtree(child) if child.is_dir() else child.unlink()

    empty()
    yield
    empty()


def confirmed(language="nl"):
    _subject_request, token = services.request_submit(
        data={
            "right": "access",
            "name": "Zebulon Markerfield",
            "email": EMAIL,
            "phone": "",
            "description": "A copy of my data.",
        },
        language=language,
    )
    return services.request_confirm(token=token)


def attach(subject_request, name, direction):
    return attachment_add(
        subject_request=subject_request,
        uploaded_file=SimpleUploadedFile(name, ANSWER_PDF),
        direction=direction,
        by=None,
    )


@pytest.fixture
def answered():
    """A request with its answer's file, a received letter, and a link: (request, link path)."""
    subject_request = confirmed()
    attach(subject_request, "kopie gegevens.pdf", Direction.ANSWER)
    attach(subject_request, "brief van de aanvrager.pdf", Direction.RECEIVED)
    url, _expires = download_link_create(subject_request=subject_request)
    return subject_request, urlsplit(url).path


def post_details(client, path, *, reference, email=EMAIL):
    return client.post(path, {"reference": reference, "email": email})


def grants(response):
    return re.findall(r'name="grant" value="([^"]+)"', response.text)


def file_path(path):
    """The page's own address for one file, as its form posts to it (translated: …/bestand/)."""
    language, token = path.split("/")[1], path.rstrip("/").split("/")[-1]
    with translation.override(language):
        return reverse("rights:download-file", kwargs={"token": token})


def test_a_link_is_in_the_requesters_language_and_only_its_hash_is_kept():
    subject_request = confirmed(language="nl")
    now = timezone.now()
    url, expires_at = download_link_create(subject_request=subject_request, now=now)
    assert url.startswith("https://testserver/nl/")
    assert expires_at == now + datetime.timedelta(days=30)
    token = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
    link = DownloadLink.objects.get(request=subject_request)
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(DownloadLink.objects.values().get())
    assert link.expires_at == expires_at


def test_the_form_asks_for_the_reference_and_the_address_and_is_never_cached(client, answered):
    _subject_request, path = answered
    response = client.get(path)
    assert response.status_code == 200
    assert 'autocomplete="email"' in response.text
    assert 'for="id_reference"' in response.text
    assert "kopie gegevens.pdf" not in response.text
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "strict-origin"
    assert not response.cookies or set(response.cookies) == {"csrftoken"}


def test_the_right_reference_and_address_show_only_the_answers_files(client, answered):
    subject_request, path = answered
    response = post_details(
        client, path, reference=subject_request.reference.lower(), email=EMAIL.upper()
    )
    assert response.status_code == 200
    assert "kopie gegevens.pdf" in response.text
    assert "brief van de aanvrager.pdf" not in response.text
    assert len(grants(response)) == 1
    assert EMAIL.casefold() not in response.text.casefold()  # not even in a hidden field
    assert "no-store" in response["Cache-Control"]


def test_a_file_downloads_with_a_grant_and_is_counted(client, answered):
    subject_request, path = answered
    (grant,) = grants(post_details(client, path, reference=subject_request.reference))
    response = client.post(file_path(path), {"grant": grant})
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == ANSWER_PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    link = DownloadLink.objects.get()
    assert link.downloads == 1 and link.last_download_at is not None


@pytest.mark.parametrize(
    "wrong",
    ["reference", "email", "token", "anonymised"],
)
def test_every_wrong_try_gets_the_same_message_and_no_file(client, answered, wrong):
    subject_request, path = answered
    reference, email = subject_request.reference, EMAIL
    if wrong == "reference":
        reference = "AIM-2026-999999"
    elif wrong == "email":
        email = "someone.else@example.org"
    elif wrong == "token":
        path = path.replace(path.rstrip("/").rsplit("/", 1)[-1], "x" * 43)
    else:
        # A link left behind (anonymisation deletes them: attachments_delete) opens nothing.
        subject_request.anonymised_at = timezone.now()
        subject_request.save(update_fields=["anonymised_at"])
    response = post_details(client, path, reference=reference, email=email)
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [str(neutral_message())]
    assert "kopie gegevens.pdf" not in response.text
    assert grants(response) == []


def test_an_expired_link_says_to_write_to_the_dpo(client, settings):
    subject_request = confirmed()
    attach(subject_request, "kopie.pdf", Direction.ANSWER)
    past = timezone.now() - datetime.timedelta(days=31)
    url, _expires = download_link_create(subject_request=subject_request, now=past)
    path = urlsplit(url).path
    for response in (
        client.get(path),
        post_details(client, path, reference=subject_request.reference),
    ):
        assert response.status_code == 410
        assert f'href="mailto:{settings.DPO_REPLY_TO}"' in response.text
        assert "kopie.pdf" not in response.text
        assert "no-store" in response["Cache-Control"]


def test_a_grant_expires_after_a_few_minutes_and_belongs_to_its_link(client, answered):
    subject_request, path = answered
    (grant,) = grants(post_details(client, path, reference=subject_request.reference))
    other_url, _expires = download_link_create(subject_request=subject_request)
    other = client.post(file_path(urlsplit(other_url).path), {"grant": grant})
    assert other.status_code == 400
    assert client.post(file_path(path), {"grant": grant + "x"}).status_code == 400
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)):
        late = client.post(file_path(path), {"grant": grant})
    assert late.status_code == 400
    assert "id_reference" in late.text  # the form again, to start over
    assert (
        DownloadLink.objects.get(pk=DownloadLink.objects.order_by("created_at")[0].pk).downloads
        == 0
    )


def test_a_file_of_an_expired_link_is_not_served_even_with_a_grant(client, answered):
    subject_request, path = answered
    (grant,) = grants(post_details(client, path, reference=subject_request.reference))
    DownloadLink.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.post(file_path(path), {"grant": grant}).status_code == 410


def test_wrong_tries_are_limited_per_link(client, answered, settings):
    settings.RIGHTS_DOWNLOAD_RATE_LIMIT_PER_LINK = "2/h"
    subject_request, path = answered
    for _ in range(2):
        assert post_details(client, path, reference="AIM-2026-000000").status_code == 400
    blocked = post_details(client, path, reference=subject_request.reference)
    assert blocked.status_code == 429
    assert "kopie gegevens.pdf" not in blocked.text
    assert blocked["Retry-After"] == "3600"


def test_a_right_try_does_not_count_against_the_limit(client, answered, settings):
    settings.RIGHTS_DOWNLOAD_RATE_LIMIT_PER_LINK = "1/h"
    subject_request, path = answered
    for _ in range(3):
        response = post_details(client, path, reference=subject_request.reference)
        assert response.status_code == 200


def test_an_empty_form_says_what_is_missing(client, answered):
    _subject_request, path = answered
    response = client.post(path, {"reference": "", "email": "not-an-address"})
    assert response.status_code == 400
    assert 'id="error-summary"' in response.text
    assert set(response.context["form"].errors) == {"reference", "email"}


def test_the_page_exists_in_french_too(client):
    subject_request = confirmed(language="fr")
    url, _expires = download_link_create(subject_request=subject_request)
    assert urlsplit(url).path.startswith("/fr/")
    with translation.override("fr"):
        assert client.get(urlsplit(url).path).status_code == 200
