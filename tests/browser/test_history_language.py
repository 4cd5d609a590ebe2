"""A request's History page in the Dutch admin, as the DPO's browser shows it: no French (the
history package has no Dutch catalog and Django falls back to French; issue #12). The words are
tests/test_admin_history_language.py's, read here from the rendered page in Chromium."""

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import translation

from requests import services
from requests.models import DataSubjectRequest
from tests.conftest import StaffClient
from tests.test_admin_history_language import FRENCH


@pytest.fixture
def dpo(transactional_db, django_user_model, settings):
    """The DPO, in a group "DPO" as the migrations make it: a live-server test empties the
    tables after it runs, the migrations' rows with them."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    group, _created = Group.objects.get_or_create(name="DPO")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="rights_requests",
            content_type__model__in=["datasubjectrequest", "requestevent", "notification"],
        ).exclude(codename__in=["add_datasubjectrequest", "delete_datasubjectrequest"])
    )
    user = django_user_model.objects.create_user(username="dpo", is_staff=True)
    user.groups.add(group)
    return user


@pytest.fixture
def subject_request(dpo):
    """A confirmed request, assigned and put in progress: a History page with several lines."""
    created, token = services.request_submit(
        data={
            "right": "access",
            "name": "Requester One",
            "email": "requester1@example.org",
            "phone": "",
            "description": "My reimbursements of 2024, please.",
        },
        language="nl",
    )
    services.request_confirm(token=token)
    services.request_assign(subject_request=created, to=dpo, by=dpo)
    services.request_set_status(
        subject_request=created, status=DataSubjectRequest.Status.IN_PROGRESS, by=dpo
    )
    subject_request = DataSubjectRequest.objects.get(pk=created.pk)
    assert subject_request.history.count() >= 3
    return subject_request


def logged_in_page(visit_factory, live_server, user):
    """A browser page past both factors: the session the test client's force_login creates
    (tests/conftest.py verify_second_factor), handed to Chromium as its cookie."""
    client = StaffClient()
    client.force_login(user)
    visit = visit_factory(locale="nl-BE")
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    visit.page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": cookie.value,
                "url": live_server.url,
            }
        ]
    )
    return visit


def test_the_dutch_history_page_of_a_request_shows_no_french(
    visit_factory, live_server, dpo, subject_request
):
    visit = logged_in_page(visit_factory, live_server, dpo)
    with translation.override("nl"):
        path = reverse(
            "admin:rights_requests_datasubjectrequest_history", args=[subject_request.pk]
        )
    assert path.startswith("/nl/")

    visit.open(path)

    text = visit.page.locator("#content").inner_text()
    assert subject_request.reference in text
    assert "Geschiedenis" in text
    with translation.override("nl"):
        in_progress = str(DataSubjectRequest.Status.IN_PROGRESS.label)
    assert in_progress in text
    found = [word for word in FRENCH if word in text]
    assert not found, f"French on the Dutch History page: {found}"
    assert visit.page.locator("html").get_attribute("lang") == "nl"
