"""Fixtures shared by the whole suite: the people who use the portal."""

import pytest
from django.test import Client


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
