"""Fixtures shared by the whole suite: the people who use the portal."""

import pytest
from django.test import Client


class StaffClient(Client):
    """The test client, whose force_login() also passes the admin's second factor for staff.

    force_login() stands for the whole login form, which now asks for the code of an
    authenticator app too: the user gets a confirmed TOTP device if they have none, and the
    session is marked verified by it under the key django-otp reads (what django_otp.login()
    does after a real login). Tests of the login itself use django.test.Client.
    """

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        if user.is_staff:
            verify_second_factor(self, user)


def verify_second_factor(client, user):
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test device", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


@pytest.fixture
def client():
    """pytest-django's `client`, with a force_login() that passes the second factor."""
    return StaffClient()


@pytest.fixture
def admin_client(db, admin_user):
    """pytest-django's `admin_client`: a superuser past both factors."""
    client = StaffClient()
    client.force_login(admin_user)
    return client


@pytest.fixture
def citizen():
    """A reader with no account, speaking to the site through the test client."""
    return Client()


@pytest.fixture
def staff_without_access(django_user_model):
    return django_user_model.objects.create_user(
        username="staff", password="irrelevant-password", is_staff=True
    )


def _member_of(django_user_model, username, group_name):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        username=username, password="irrelevant-password", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def dpo(django_user_model):
    """AIM's data protection officer: staff, in the group "DPO" created by a migration."""
    return _member_of(django_user_model, "dpo", "DPO")


@pytest.fixture
def editor(django_user_model):
    return _member_of(django_user_model, "editor", "Editor")


@pytest.fixture
def dpo_client(client, dpo):
    client.force_login(dpo)
    return client


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language: a request in another language handled by a
    previous test must not leak into the next one's assertions."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (Redis in CI): a page or an index cached by one
    test's data must never answer another's."""
    from django.core.cache import cache

    from notices.page_cache import local_clear

    cache.clear()
    local_clear()
    yield
