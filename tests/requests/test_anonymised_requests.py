"""Nothing can be written on an anonymised request: a note, a status note, an extension reason or
a transfer could bring back the personal data anonymisation removed (services.request_anonymise).
The admin offers no such page and refuses a form posted anyway."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from registry.models import ProcessingActivity
from requests import services, transfers
from requests.models import DataSubjectRequest, RequestEvent
from tests.registry.factories import OrganisationFactory, ProcessingActivityFactory

pytestmark = pytest.mark.django_db

Status = DataSubjectRequest.Status
Kind = RequestEvent.Kind
NOW = datetime.datetime(2026, 3, 10, 11, 0, tzinfo=datetime.UTC)
MARKER = "Phoned Zebulon Markerfield on +32 2 555 01 23"
REFUSAL = "This request has been anonymised: nothing can be added to it or changed."


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def confirmed(status=None, by=None):
    subject_request, token = services.request_submit(
        data={
            "right": "access",
            "name": "Zebulon Markerfield",
            "email": "zebulon@example.org",
            "phone": "",
            "description": "My reimbursements of 2024.",
        },
        language="nl",
    )
    subject_request = services.request_confirm(token=token)
    if status:
        subject_request = services.request_set_status(
            subject_request=subject_request, status=status, by=by
        )
    return subject_request


@pytest.fixture
def anonymised(dpo):
    """An answered request, anonymised at the end of its retention period."""
    subject_request = confirmed(Status.ANSWERED, by=dpo)
    subject_request = services.request_anonymise(subject_request=subject_request)
    mail.outbox.clear()
    return subject_request


def in_french(message):
    with translation.override("fr"):
        return translation.gettext(message)


def assert_untouched(subject_request, *, status=Status.ANSWERED):
    """Still anonymised, nothing written since: the last event is the anonymisation."""
    subject_request.refresh_from_db()
    assert subject_request.status == status
    assert subject_request.extension_reason == ""
    assert subject_request.transferred_to is None
    last = subject_request.events.order_by("pk").values_list("kind", "text").last()
    assert last == (Kind.ANONYMISED, "")
    assert not RequestEvent.objects.filter(text__contains="Markerfield").exists()
    assert mail.outbox == []


# --- The services ----------------------------------------------------------------------------


def test_a_note_on_an_anonymised_request_is_refused(anonymised, dpo):
    with pytest.raises(ValidationError) as refused:
        services.request_note(subject_request=anonymised, text=MARKER, by=dpo)

    assert refused.value.code == "anonymised"
    assert refused.value.messages == [in_french(REFUSAL)]
    assert_untouched(anonymised)


def test_closing_an_anonymised_request_with_a_note_is_refused(anonymised, dpo):
    # Closing an answered request is allowed while it is not anonymised: the note would not be.
    with pytest.raises(ValidationError) as refused:
        services.request_set_status(
            subject_request=anonymised, status=Status.CLOSED, by=dpo, note=MARKER
        )

    assert refused.value.code == "anonymised"
    assert_untouched(anonymised)


@pytest.fixture
def open_then_anonymised(dpo):
    """An open request anonymised (e.g. by hand in a shell): every write must still refuse."""
    return services.request_anonymise(subject_request=confirmed())


def transfer_to_a_controller(subject_request, *, by):
    """A transfer the registry allows: to the controller of an activity AIM processes for it."""
    controller = OrganisationFactory(rights_email="privacy@controller.example")
    activity = ProcessingActivityFactory(
        aim_role=ProcessingActivity.Role.PROCESSOR, controller=controller
    )
    return transfers.request_transfer(
        subject_request=subject_request,
        activity=activity,
        to_organisation=controller,
        on=datetime.date(2026, 3, 10),
        by=by,
    )


@pytest.mark.parametrize(
    "write",
    [
        lambda r, dpo: services.request_note(subject_request=r, text=MARKER, by=dpo),
        lambda r, dpo: services.request_set_status(
            subject_request=r, status=Status.WAITING, by=dpo, note=MARKER
        ),
        lambda r, dpo: services.request_extend(subject_request=r, reason=MARKER, by=dpo),
        lambda r, dpo: transfer_to_a_controller(r, by=dpo),
        lambda r, dpo: services.request_assign(subject_request=r, to=dpo, by=dpo),
    ],
    ids=["note", "status", "extend", "transfer", "assign"],
)
def test_every_write_on_an_anonymised_open_request_is_refused(open_then_anonymised, dpo, write):
    mail.outbox.clear()
    with pytest.raises(ValidationError) as refused:
        write(open_then_anonymised, dpo)

    assert refused.value.messages == [in_french(REFUSAL)]
    assert_untouched(open_then_anonymised, status=Status.NEW)
    open_then_anonymised.refresh_from_db()
    assert open_then_anonymised.assignee is None


# --- The admin -------------------------------------------------------------------------------


def url(name, subject_request):
    return reverse(f"admin:rights_requests_datasubjectrequest_{name}", args=[subject_request.pk])


def test_the_change_page_offers_no_action_and_says_why(dpo_client, anonymised):
    page = dpo_client.get(url("change", anonymised)).content.decode()

    for name in ("note", "status", "extend", "transfer"):
        assert url(name, anonymised) not in page
    assert page.count(in_french(REFUSAL)) == 1


@pytest.mark.parametrize(
    ("name", "field"),
    [("note", "text"), ("status", "note"), ("extend", "reason"), ("transfer", "organisation")],
)
def test_the_action_pages_show_no_form_field_only_the_reason(dpo_client, anonymised, name, field):
    page = dpo_client.get(url(name, anonymised))

    assert page.status_code == 200
    assert page.context["refusal"] == in_french(REFUSAL)
    assert f'name="{field}"' not in page.content.decode()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("note", {"text": MARKER}),
        ("status", {"status": Status.CLOSED, "note": MARKER}),
        ("extend", {"reason": MARKER}),
        ("transfer", {"transferred_on": "2026-03-10"}),
    ],
)
def test_a_form_posted_anyway_is_refused_with_the_reason(
    dpo_client, django_capture_on_commit_callbacks, anonymised, name, data
):
    with django_capture_on_commit_callbacks(execute=True):
        response = dpo_client.post(url(name, anonymised), data)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [in_french(REFUSAL)]
    assert in_french(REFUSAL) in response.content.decode()
    assert_untouched(anonymised)


def test_anonymisation_removes_the_postal_address_and_every_file(
    dpo, django_capture_on_commit_callbacks
):
    """A request recorded from a letter keeps the sender's postal address and the scanned
    letter; both go with anonymisation, files from the disk too."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

    from requests.attachments import attachment_add, download_link_create
    from requests.models import DownloadLink, RequestAttachment

    subject_request = confirmed()
    DataSubjectRequest.objects.filter(pk=subject_request.pk).update(
        postal_address="Rue Markerfield 7, 1000 Bruxelles"
    )
    letter = ContentFile(b"%PDF-1.7\n" + b"0" * 64, name="lettre Markerfield.pdf")
    attachment = attachment_add(
        subject_request=subject_request,
        uploaded_file=letter,
        direction=RequestAttachment.Direction.RECEIVED,
        by=dpo,
    )
    download_link_create(subject_request=subject_request)
    stored = attachment.file.name
    # The file leaves the disk once the anonymisation commits.
    with django_capture_on_commit_callbacks(execute=True):
        services.request_anonymise(subject_request=subject_request)
    subject_request.refresh_from_db()
    assert subject_request.postal_address == ""
    assert not RequestAttachment.objects.filter(request=subject_request).exists()
    assert not DownloadLink.objects.filter(request=subject_request).exists()
    assert not storages["private"].exists(stored)
