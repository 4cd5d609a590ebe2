"""The wizard in the page's language: localized slugs (old English URLs redirect for good), step
indicators, "something else" with a real answer, and errors announced after a failed POST."""

import html
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from registry.seed import registry_seed_load
from requests.models import Right, Topic
from requests.routing import UNKNOWN_INSURER
from requests.slugs import INSURER_SLUGS, RIGHT_SLUGS, TOPIC_SLUGS
from tests.requests.wizard_walk import walk, wizard

pytestmark = pytest.mark.django_db

PREFIX = {"fr": "/fr/vos-droits/", "nl": "/nl/uw-rechten/"}


@pytest.fixture(autouse=True)
def seeded():
    registry_seed_load()


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def title_of(response):
    return html.unescape(re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)[1])


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "/fr/vos-droits/donnees-mutualite/acces/je-ne-sais-pas/"),
        ("nl", "/nl/uw-rechten/gegevens-ziekenfonds/inzage/weet-ik-niet/"),
    ],
)
def test_the_wizards_urls_are_in_the_pages_language(citizen, language, expected):
    response, url = walk(citizen, language, Topic.INSURER_DATA, Right.ACCESS, UNKNOWN_INSURER)
    assert url == expected
    assert response.status_code == 200


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_every_topic_and_right_has_a_slug_in_each_language(citizen, language):
    for topic in Topic.values:
        assert wizard(language, topic) == PREFIX[language] + TOPIC_SLUGS[topic][language] + "/"
        assert citizen.get(wizard(language, topic)).status_code == 200
    for right in Right.values:
        url = wizard(language, Topic.AIM_DATA, right)
        slug = RIGHT_SLUGS[right][language]
        assert url == f"{PREFIX[language]}{TOPIC_SLUGS[Topic.AIM_DATA][language]}/{slug}/"
        assert citizen.get(url).status_code == 200
    # An insurer keeps its code; "I don't know" has words.
    assert wizard(language, Topic.INSURER_DATA, Right.ACCESS, "500").endswith("/500/")
    unknown = INSURER_SLUGS[UNKNOWN_INSURER][language]
    assert wizard(language, Topic.INSURER_DATA, Right.ACCESS, UNKNOWN_INSURER).endswith(
        f"/{unknown}/"
    )
    english = {"insurer-data", "aim-data", "complaint", "other", "access", "unknown"}
    assert not english & {slug[language] for slug in TOPIC_SLUGS.values()}
    assert not english & {slug[language] for slug in RIGHT_SLUGS.values()}


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            "/nl/uw-rechten/insurer-data/access/unknown/",
            "/nl/uw-rechten/gegevens-ziekenfonds/inzage/weet-ik-niet/",
        ),
        (
            "/fr/vos-droits/insurer-data/access/unknown/",
            "/fr/vos-droits/donnees-mutualite/acces/je-ne-sais-pas/",
        ),
        ("/fr/vos-droits/insurer-data/", "/fr/vos-droits/donnees-mutualite/"),
        ("/nl/uw-rechten/aim-data/erasure/", "/nl/uw-rechten/gegevens-ima/gegevenswissing/"),
        ("/nl/uw-rechten/other/", "/nl/uw-rechten/iets-anders/"),
        ("/fr/vos-droits/complaint/", "/fr/vos-droits/reclamation/"),
        (
            "/fr/vos-droits/insurer-data/portability/500/",
            "/fr/vos-droits/donnees-mutualite/portabilite/500/",
        ),
        # The other language's slugs, under this language's prefix.
        ("/fr/vos-droits/gegevens-ziekenfonds/inzage/", "/fr/vos-droits/donnees-mutualite/acces/"),
    ],
)
def test_old_english_urls_redirect_permanently(citizen, old, new):
    response = citizen.get(old)
    assert response.status_code == 301
    assert response["Location"] == new
    assert citizen.get(new).status_code == 200


def test_a_slug_nobody_knows_is_still_404(citizen):
    assert citizen.get("/fr/vos-droits/donnees-mutualite/nonsense/").status_code == 404
    assert citizen.get("/nl/uw-rechten/acces/").status_code == 404  # a right is not a topic


def test_the_other_language_link_uses_that_languages_slugs(citizen):
    response = citizen.get(wizard("fr", Topic.INSURER_DATA, Right.ACCESS))
    text = response.content.decode()
    assert 'href="/nl/uw-rechten/gegevens-ziekenfonds/inzage/"' in text


def test_routing_counts_keep_the_stored_values(citizen):
    from requests.models import RoutingCount

    walk(citizen, "nl", Topic.INSURER_DATA, Right.ACCESS, "500")
    row = RoutingCount.objects.get()
    assert (row.topic, row.right, row.insurer) == ("insurer-data", "access", "500")


@pytest.mark.parametrize(
    ("language", "choices", "expected"),
    [
        ("fr", (Topic.INSURER_DATA,), "Étape 2 sur 3"),
        ("nl", (Topic.INSURER_DATA,), "Stap 2 van 3"),
        ("fr", (Topic.INSURER_DATA, Right.ACCESS), "Étape 3 sur 3"),
        ("nl", (Topic.INSURER_DATA, Right.ACCESS), "Stap 3 van 3"),
        ("fr", (Topic.AIM_DATA,), "Étape 2 sur 2"),
        ("nl", (Topic.AIM_DATA,), "Stap 2 van 2"),
    ],
)
def test_step_indicator_says_which_step_of_how_many(citizen, language, choices, expected):
    text = citizen.get(wizard(language, *choices)).content.decode()
    assert re.search(r'class="wizard-progress">([^<]*)<', text)[1] == expected


@pytest.mark.parametrize(
    ("language", "expected"), [("fr", "Étape 1 sur 3 au plus"), ("nl", "Stap 1 van maximaal 3")]
)
def test_first_step_gives_the_most_steps_a_path_can_have(citizen, language, expected):
    text = citizen.get(wizard(language)).content.decode()
    assert re.search(r'class="wizard-progress">([^<]*)<', text)[1] == expected


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_something_else_gives_aims_dpo_and_no_letter_that_cannot_be_made(citizen, language):
    response, url = walk(citizen, language, Topic.OTHER)
    assert url == wizard(language, Topic.OTHER)
    text = response.content.decode()
    assert response.status_code == 200
    assert "dpo@intermut.be" in text
    assert 'name="output"' not in text  # no letter form: it could never make a letter
    # The online request form it offers opens.
    with translation.override(language):
        request_url = reverse("rights:request")
    assert f'href="{request_url}"' in text
    assert citizen.get(request_url).status_code == 200


def hidden_fields(form_html):
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form_html))


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_every_letter_the_wizard_offers_is_made(citizen, language):
    """Each result page that shows a letter form gets a PDF from it, never a 400."""
    paths = [(Topic.COMPLAINT,), (Topic.OTHER,)]
    paths += [(Topic.AIM_DATA, right) for right in Right.values]
    paths += [
        (Topic.INSURER_DATA, Right.ACCESS, code)
        for code in ("100", "200", "300", "400", "500", "600", "900", UNKNOWN_INSURER)
    ]
    offered = 0
    for path in paths:
        text = citizen.get(wizard(language, *path)).content.decode()
        form = re.search(
            r'<form method="post" action="([^"]+)" class="letter-form".*?</form>', text, re.S
        )
        if form is None:
            continue
        offered += 1
        data = hidden_fields(form[0]) | {"name": "A. Person", "address": "Rue X 1\n1000 Bruxelles"}
        cache.clear()  # the letter rate limit
        response = citizen.post(form[1], data | {"output": "pdf"})
        assert response.status_code == 200, path
        assert response["Content-Type"] == "application/pdf"
    assert offered == len(Right.values) + 7


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_a_failed_wizard_post_says_error_in_the_title_and_leads_to_a_summary(citizen, language):
    url = wizard(language, Topic.INSURER_DATA)
    response = citizen.post(url, {})
    assert response.status_code == 400
    prefix = {"fr": "Erreur : ", "nl": "Fout: "}[language]
    assert title_of(response).startswith(prefix)
    text = response.content.decode()
    summary = re.search(r"</h1>\s*(<div[^>]*>)", text)[1]
    assert 'id="error-summary"' in summary
    assert 'tabindex="-1"' in summary
    # Its link leads to the first radio of the group.
    target = re.search(r'id="error-summary".*?href="#([^"]+)"', text, re.S)[1]
    assert f'id="{target}"' in text
    assert re.search(rf'<input[^>]*type="radio"[^>]*id="{target}"', text)
    # A page without errors has neither.
    fine = citizen.get(url)
    assert not title_of(fine).startswith(prefix)
    assert 'id="error-summary"' not in fine.content.decode()


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_wizard_forms_post_to_their_own_page_without_an_empty_action(citizen, language):
    for url in (wizard(language), wizard(language, Topic.INSURER_DATA)):
        text = citizen.get(url).content.decode()
        assert 'action=""' not in text
        assert '<form method="post" class="wizard-form"' in text
