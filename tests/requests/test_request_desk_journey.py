"""The request desk from end to end, as the DPO and the requester live it (issue #12).

A letter arrives by post; the DPO records it, assigns it to a colleague, extends it within the
month (and is refused after it), answers with an Art. 15 copy the requester downloads through the
expiring link (reference and e-mail asked), closes it; at the end of the retention period it is
anonymised and the file leaves the disk. Every e-mail the requester receives is checked, in
French and in Dutch: in their language, from the DPO with Reply-To, with no word of the other
language. A refusal carries the Art. 12(4) information.

Everything goes through the admin's pages and the public download page, with the real outbox,
PostgreSQL and the private storage; only the clock is moved.
"""

import contextlib
import datetime
import re

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from requests import services
from requests.models import DataSubjectRequest, DownloadLink, Notification, RequestAttachment
from requests.outbox import relay_pending

pytestmark = pytest.mark.django_db

Status = DataSubjectRequest.Status
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
# Words that only one of the two languages writes in these e-mails.
ONLY = {
    "fr": ["Madame, Monsieur", "votre demande", "délai"],
    "nl": ["Geachte", "uw verzoek", "termijn"],
}
BRUSSELS_NOON = datetime.time(11, 0, tzinfo=datetime.UTC)


def at(day):
    return time_machine.travel(datetime.datetime.combine(day, BRUSSELS_NOON), tick=False)


@contextlib.contextmanager
def working_day(client, user, day, language):
    """The DPO at work on `day`: signed in that day (weeks pass between the steps, and an idle
    admin session ends), the admin in the requester's language."""
    with at(day), translation.override(language):
        client.force_login(user)
        yield


def url(name, obj=None):
    args = [obj.pk] if obj is not None else []
    return reverse(f"admin:rights_requests_datasubjectrequest_{name}", args=args)


def delivered():
    """Send what the outbox holds (the relay, as the worker runs it); the messages sent."""
    before = len(mail.outbox)
    relay_pending()
    return mail.outbox[before:]


def check_language(message, language):
    other = "nl" if language == "fr" else "fr"
    text = f"{message.subject}\n{message.body}"
    assert any(word.lower() in text.lower() for word in ONLY[language]), text
    for word in ONLY[other]:
        assert word.lower() not in text.lower(), f"{word!r} in the {language} e-mail:\n{text}"
    assert message.from_email == settings.DPO_FROM_EMAIL
    assert message.reply_to == [settings.DPO_REPLY_TO]


@pytest.fixture
def colleague(django_user_model):
    user = django_user_model.objects.create_user(
        username="colleague", first_name="Ann", last_name="Claes", is_staff=True
    )
    user.groups.add(Group.objects.get(name="DPO"))
    return user


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_a_letter_from_receipt_to_anonymisation(
    language, dpo, dpo_client, colleague, django_capture_on_commit_callbacks
):
    received = datetime.date(2026, 3, 2)
    client = Client()  # the requester's browser, never signed in

    # 1. The letter arrived on 2 March; the DPO records it on 5 March.
    with working_day(dpo_client, dpo, datetime.date(2026, 3, 5), language):
        response = dpo_client.post(
            url("add"),
            {
                "channel": DataSubjectRequest.Channel.POST,
                "received_on": received.isoformat(),
                "right": "access",
                "name": "Zoë Markerfield",
                "email": "zoe@example.org",
                "postal_address": "Rue Markerfield 7\n1000 Bruxelles",
                "phone": "",
                "language": language,
                "description": "Copy of my data (letter of 1 March).",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        subject_request = DataSubjectRequest.objects.get()
        assert subject_request.channel == DataSubjectRequest.Channel.POST
        assert subject_request.received_on == received
        # The month runs from receipt, not from the day it was typed in.
        assert subject_request.due_on == datetime.date(2026, 4, 2)
        (acknowledgement,) = delivered()
        check_language(acknowledgement, language)
        assert subject_request.reference in acknowledgement.body

        # The scanned letter, kept privately.
        response = dpo_client.post(
            url("attachment_add", subject_request),
            {"file": SimpleUploadedFile("lettre.pdf", PDF, content_type="application/pdf")},
        )
        assert response.status_code == 302

        # 2. Assigned to a colleague of the DPO group.
        response = dpo_client.post(url("assign", subject_request), {"assignee": colleague.pk})
        assert response.status_code == 302
        subject_request.refresh_from_db()
        assert subject_request.assignee == colleague

    # 3. Extended within the month (on the due day itself), the requester told why.
    with working_day(dpo_client, dpo, datetime.date(2026, 4, 2), language):
        response = dpo_client.post(
            url("extend", subject_request),
            {"reason": "Données dans trois systèmes / drie systemen."},
        )
        assert response.status_code == 302
        subject_request.refresh_from_db()
        assert subject_request.status == Status.EXTENDED
        assert subject_request.due_on == datetime.date(2026, 6, 2)
        (extension,) = delivered()
        check_language(extension, language)

    # 4. Answered on 20 May with the Art. 15 copy, delivered through an expiring link.
    with working_day(dpo_client, dpo, datetime.date(2026, 5, 20), language):
        response = dpo_client.post(
            url("answer", subject_request),
            {
                "message": "Voir le fichier joint / Zie het bijgevoegde bestand.",
                "files": [SimpleUploadedFile("copie.pdf", PDF, content_type="application/pdf")],
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        subject_request.refresh_from_db()
        assert subject_request.status == Status.ANSWERED
        assert subject_request.answered_on == datetime.date(2026, 5, 20)
        (answer,) = delivered()
        check_language(answer, language)
        assert not answer.attachments  # a link, never the file itself
        prefix = reverse("rights:download", kwargs={"token": "TOKEN"}).split("TOKEN")[0]
        found = re.search(re.escape(settings.SITE_URL + prefix) + r"[\w-]+/", answer.body)
        assert found, answer.body
        path = found.group(0)[len(settings.SITE_URL) :]

        # The requester opens it: the reference and the address are asked first.
        page = client.get(path)
        assert page.status_code == 200
        assert "copie.pdf" not in page.content.decode()
        wrong = client.post(
            path, {"reference": subject_request.reference, "email": "x@example.org"}
        )
        assert wrong.status_code == 400 and "copie.pdf" not in wrong.content.decode()
        right = client.post(
            path, {"reference": subject_request.reference.lower(), "email": "ZOE@example.org"}
        )
        assert right.status_code == 200
        html = right.content.decode()
        assert "copie.pdf" in html and "lettre.pdf" not in html  # answer files only
        grant = re.search(r'name="grant" value="([^"]+)"', html).group(1)
        with translation.override(language):
            token = path.rstrip("/").rsplit("/", 1)[1]
            action = reverse("rights:download-file", kwargs={"token": token})
        assert f'action="{action}"' in html
        download = client.post(action, {"grant": grant})
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == PDF

    # After the link's expiry, the page says to write to the DPO and serves nothing.
    expiry = datetime.date(2026, 5, 20) + datetime.timedelta(days=settings.DOWNLOAD_LINK_DAYS + 1)
    with at(expiry), translation.override(language):
        expired = client.post(
            path, {"reference": subject_request.reference, "email": "zoe@example.org"}
        )
        assert expired.status_code == 410
        assert settings.DPO_REPLY_TO in expired.content.decode()

    # 5. Closed, the requester told.
    with working_day(dpo_client, dpo, datetime.date(2026, 5, 21), language):
        response = dpo_client.post(url("close", subject_request), {"message": "—", "notify": "on"})
        assert response.status_code == 302, response.content.decode()[:2000]
        subject_request.refresh_from_db()
        assert subject_request.status == Status.CLOSED
        (closing,) = delivered()
        check_language(closing, language)

    # 6. Anonymised at the end of the retention period: the files leave the disk.
    stored = [a.file.name for a in RequestAttachment.objects.filter(request=subject_request)]
    assert len(stored) == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.request_anonymise(subject_request=subject_request)
    assert not RequestAttachment.objects.filter(request=subject_request).exists()
    assert not DownloadLink.objects.filter(request=subject_request).exists()
    assert not any(storages["private"].exists(name) for name in stored)
    subject_request.refresh_from_db()
    assert (subject_request.name, subject_request.postal_address) == ("", "")


def test_an_extension_after_the_month_is_refused(dpo_client, dpo):
    with at(datetime.date(2026, 3, 5)):
        from requests import intake

        subject_request = intake.request_enter(
            data={
                "channel": DataSubjectRequest.Channel.EMAIL,
                "received_on": datetime.date(2026, 3, 2),
                "right": "erasure",
                "name": "Jan Peeters",
                "email": "jan@example.org",
                "postal_address": "",
                "phone": "",
                "language": "nl",
                "description": "Wissen.",
            },
            by=dpo,
        )
    with at(datetime.date(2026, 4, 3)):
        dpo_client.force_login(dpo)
        response = dpo_client.post(url("extend", subject_request), {"reason": "Te laat."})
        assert response.status_code == 200
        subject_request.refresh_from_db()
        assert subject_request.status == Status.NEW
        assert subject_request.due_on == datetime.date(2026, 4, 2)
        assert not Notification.objects.filter(kind=Notification.Kind.EXTENDED).exists()


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_a_refusal_carries_the_article_12_4_information(language, dpo_client, dpo):
    from registry.models import Organisation
    from requests import intake
    from tests.registry.factories import OrganisationFactory

    OrganisationFactory(
        slug="apd-gba",
        kind=Organisation.Kind.AUTHORITY,
        name_fr="Autorité de protection des données",
        name_nl="Gegevensbeschermingsautoriteit",
        address_fr="Rue de la Presse 35, 1000 Bruxelles",
        address_nl="Drukpersstraat 35, 1000 Brussel",
    )
    with at(datetime.date(2026, 3, 5)):
        subject_request = intake.request_enter(
            data={
                "channel": DataSubjectRequest.Channel.EMAIL,
                "received_on": datetime.date(2026, 3, 4),
                "right": "erasure",
                "name": "Jan Peeters",
                "email": "jan@example.org",
                "postal_address": "",
                "phone": "",
                "language": language,
                "description": "Erase.",
            },
            by=dpo,
        )
        delivered()
        dpo_client.force_login(dpo)
        response = dpo_client.post(
            url("refuse", subject_request), {"reasons": "Obligation légale / wettelijke plicht."}
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        (refusal,) = delivered()
    check_language(refusal, language)
    body = refusal.body
    assert "Obligation légale / wettelijke plicht." in body
    authority, address = {
        "fr": ("Autorité de protection des données", "Rue de la Presse 35"),
        "nl": ("Gegevensbeschermingsautoriteit", "Drukpersstraat 35"),
    }[language]
    assert authority in body and address in body
    assert "77" in body and "79" in body  # complaint (Art. 77) and judicial remedy (Art. 79)
