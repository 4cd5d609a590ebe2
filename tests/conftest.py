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
