"""The requester's download page in a browser, in French and Dutch, on a phone's width: the form,
its errors, the files, and an expired link, each audited with axe-core."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.browser.conftest import format_violations

EMAIL = "zoe@example.org"


@pytest.fixture
def answered(transactional_db):
    """(request, link path, expired link path) for a request answered with one file."""

    def make(language):
        from requests.attachments import attachment_add, download_link_create
        from requests.models import DownloadLink, RequestAttachment
        from requests.services import request_confirm, request_submit

        subject_request, token = request_submit(
            data={
                "right": "access",
                "name": "Zoë Markerfield",
                "email": EMAIL,
                "phone": "",
                "description": "Copie de mes données.",
            },
            language=language,
        )
        subject_request = request_confirm(token=token)
        attachment_add(
            subject_request=subject_request,
            uploaded_file=SimpleUploadedFile("copie.pdf", b"%PDF-1.7\n%%EOF\n"),
            direction=RequestAttachment.Direction.ANSWER,
            by=None,
        )
        paths = []
        for _ in range(2):
            link, _expires = download_link_create(subject_request=subject_request)
            paths.append(link[link.index(f"/{language}/") :])
        DownloadLink.objects.filter(pk=DownloadLink.objects.order_by("-pk").first().pk).update(
            expires_at=timezone.now() - datetime.timedelta(days=1)
        )
        return subject_request, paths[0], paths[1]

    return make


def no_violations(visit):
    violations = visit.axe_violations()
    assert violations == [], format_violations(violations)
    assert visit.off_origin_requests() == []


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_the_download_page_its_errors_and_its_files_pass_axe(visit_factory, answered, language):
    subject_request, path, expired = answered(language)
    visit = visit_factory(width=375)
    visit.open(path)
    no_violations(visit)

    # Nothing typed: the errors are announced and the page still passes.
    visit.page.locator("main form [type=submit]").first.click()
    assert visit.page.get_by_role("alert").first.is_visible()
    no_violations(visit)

    # A wrong address: the one neutral message, nothing of the request shown.
    visit.page.fill("#id_reference", subject_request.reference)
    visit.page.fill("#id_email", "someone@example.org")
    visit.page.locator("main form [type=submit]").first.click()
    assert visit.page.get_by_role("alert").first.is_visible()
    assert "copie.pdf" not in visit.page.content()
    no_violations(visit)

    # The right reference and address: the file is offered.
    visit.page.fill("#id_reference", subject_request.reference)
    visit.page.fill("#id_email", EMAIL)
    visit.page.locator("main form [type=submit]").first.click()
    assert "copie.pdf" in visit.page.content()
    no_violations(visit)

    response = visit.page.goto(visit.origin + expired)
    assert response.status == 410
    no_violations(visit)
