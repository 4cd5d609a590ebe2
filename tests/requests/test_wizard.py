"""The routing wizard: every path in both languages, deep links, tampering, the registry's
channels for each insurer, and anonymous counts."""

import pytest
from django.core.cache import cache
from django.test import Client

from registry.models import Organisation
from registry.seed import registry_seed_load
from requests.models import RoutingCount
from tests.requests.wizard_walk import walk, wizard

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def seeded():
    registry_seed_load()


@pytest.fixture(autouse=True)
def fresh_cache():
    """A route counts once an hour per client address: start each test with none counted."""
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("language", ["fr", "nl"])
@pytest.mark.parametrize("code", [100, 200, 300, 400, 500, 600, 900])
def test_each_insurer_is_shown_with_its_channels_from_the_registry(citizen, language, code):
    response, url = walk(citizen, language, "insurer-data", "access", str(code))
    assert url == wizard(language, "insurer-data", "access", str(code))
    assert response.status_code == 200
    html = response.content.decode()
    insurer = Organisation.objects.get(insurer_code=code)
    name = getattr(insurer, f"name_{language}")
    assert name.replace("'", "&#x27;") in html
    for channel in ("rights_email", "rights_phone"):
        if getattr(insurer, channel):
            assert getattr(insurer, channel) in html
    if getattr(insurer, f"rights_web_form_{language}"):
        assert getattr(insurer, f"rights_web_form_{language}") in html
    # The official list of insurers' contacts is linked, in the reader's language.
    directory = Organisation.objects.exclude(contact_directory_url_fr="").get()
    assert getattr(directory, f"contact_directory_url_{language}") in html
    assert not response.cookies


def test_a_changed_channel_in_the_registry_shows_at_once(citizen):
    insurer = Organisation.objects.get(insurer_code=400)
    insurer.rights_email = "privacy-test@example.org"
    insurer.save()
    response, _ = walk(citizen, "nl", "insurer-data", "erasure", "400")
    assert "mailto:privacy-test@example.org" in response.content.decode()


def test_unknown_insurer_explains_where_to_find_out(citizen):
    response, _ = walk(citizen, "nl", "insurer-data", "access", "unknown")
    html = response.content.decode()
    assert "Mijngezondheid" in html
    for insurer in Organisation.objects.insurers():
        assert wizard("nl", "insurer-data", "access", str(insurer.insurer_code)) in html


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_aim_data_goes_to_aims_dpo(citizen, language):
    response, _ = walk(citizen, language, "aim-data", "objection")
    html = response.content.decode()
    assert "dpo@intermut.be" in html
    assert "Dirk De Kesel" in html
    assert "Art. 21" in html


@pytest.mark.parametrize(
    ("language", "name"),
    [("fr", "Autorité de protection des données"), ("nl", "Gegevensbeschermingsautoriteit")],
)
def test_a_complaint_goes_to_the_data_protection_authority(citizen, language, name):
    response, url = walk(citizen, language, "complaint")
    assert url == wizard(language, "complaint")
    html = response.content.decode()
    assert name in html
    assert "+32 2 274 48 00" in html
    assert 'name="output"' not in html  # no letter for a complaint


def test_something_else_goes_to_aims_dpo(citizen):
    response, _ = walk(citizen, "fr", "other")
    assert "dpo@intermut.be" in response.content.decode()


def test_deep_links_to_every_step(citizen):
    assert citizen.get(wizard("fr")).status_code == 200
    assert citizen.get(wizard("fr", "insurer-data")).status_code == 200
    step3 = citizen.get(wizard("nl", "insurer-data", "portability"))
    assert step3.status_code == 200
    assert (
        "Onafhankelijke Ziekenfondsen" in step3.content.decode()
        or "Helan" in step3.content.decode()
    )
    assert citizen.get(wizard("fr", "aim-data", "access")).status_code == 200  # a result


@pytest.mark.parametrize(
    "path",
    [
        ("nonsense",),
        ("insurer-data", "fly"),
        ("insurer-data", "access", "999"),
        ("complaint", "access"),
        ("aim-data", "access", "100"),
    ],
)
def test_paths_the_wizard_never_makes_are_404(citizen, path):
    url = wizard("fr", path[0]) + "/".join(path[1:]) + ("/" if len(path) > 1 else "")
    assert citizen.get(url).status_code == 404


@pytest.mark.parametrize("data", [{}, {"choice": "fly"}, {"choice": ""}, {"choice": ["a", "b"]}])
def test_tampered_or_missing_choices_are_form_errors(citizen, data):
    response = citizen.post(wizard("nl", "insurer-data"), data)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not RoutingCount.objects.exists()


def test_tampered_insurer_is_a_form_error(citizen):
    response = citizen.post(wizard("fr", "insurer-data", "access"), {"choice": "999"})
    assert response.status_code == 400


def test_a_completed_routing_counts_day_language_topic_right_insurer_only():
    # Two people (one route counts once an hour per client address).
    walk(Client(REMOTE_ADDR="203.0.113.1"), "nl", "insurer-data", "access", "500")
    walk(Client(REMOTE_ADDR="203.0.113.2"), "nl", "insurer-data", "access", "500")
    walk(Client(REMOTE_ADDR="203.0.113.1"), "fr", "complaint")
    rows = {
        (row.language, row.topic, row.right, row.insurer): row.count
        for row in RoutingCount.objects.all()
    }
    assert rows == {("nl", "insurer-data", "access", "500"): 2, ("fr", "complaint", "", ""): 1}
    fields = {field.name for field in RoutingCount._meta.get_fields()}
    assert fields == {"id", "day", "language", "topic", "right", "insurer", "count"}


def test_intermediate_steps_and_reloads_do_not_count(citizen):
    citizen.post(wizard("fr"), {"choice": "insurer-data"})
    citizen.get(wizard("fr", "insurer-data", "access", "100"))
    citizen.get(wizard("fr", "insurer-data", "access", "100"))
    assert not RoutingCount.objects.exists()


def test_wizard_pages_set_no_cookie(citizen):
    for url in (wizard("fr"), wizard("fr", "insurer-data"), wizard("fr", "complaint")):
        assert not citizen.get(url).cookies
    assert not citizen.post(wizard("fr"), {"choice": "complaint"}).cookies
