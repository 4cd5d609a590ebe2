"""The accessibility statement (EU model) and the institutional footer, in French and Dutch.

The statement must carry every element of the model of implementing decision (EU) 2018/1523:
compliance status, what is not accessible and why, alternatives, a feedback contact, the
complaint route, the dates it was prepared and last reviewed, and the method. The footer of
every page names AIM, its address, its enterprise number and its DPO, from the settings only (the
503 page has it too), and the settings agree with what the registry seed loads.
"""

import datetime
import html
import io
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.urls import reverse
from django.utils import translation

PATHS = {"fr": "/fr/accessibilite/", "nl": "/nl/toegankelijkheid/"}

# Each element of the EU model, as the reader sees it in each language.
REQUIRED = {
    "fr": {
        "title": "Déclaration d'accessibilité",
        "status": "partiellement conforme",
        "standard": ["WCAG", "2.1", "niveau AA", "EN 301 549"],
        "not accessible": ["Contenus non accessibles", "la partie néerlandaise est marquée comme"],
        "alternatives": ["Alternatives accessibles", "existe aussi sous forme de page web"],
        "feedback": "Retour d'information et coordonnées",
        "ombudsman": ["Médiateur fédéral", "https://www.mediateurfederal.be"],
        "monitoring body": ["SPF BOSA", "https://accessibility.belgium.be"],
        "method": "auto-évaluation",
        "tools": ["axe-core", "pa11y", "Nu HTML Checker", "clavier"],
        "dates": ["établie le 30 novembre 2026", "dernière fois le 30 novembre 2026"],
    },
    "nl": {
        "title": "Toegankelijkheidsverklaring",
        "status": "gedeeltelijk conform",
        "standard": ["WCAG", "2.1", "niveau AA", "EN 301 549"],
        "not accessible": ["Niet-toegankelijke inhoud", "het Nederlandse deel als Frans"],
        "alternatives": ["Toegankelijke alternatieven", "bestaat ook als webpagina"],
        "feedback": "Feedback en contactgegevens",
        "ombudsman": ["federale Ombudsman", "https://www.federaalombudsman.be"],
        "monitoring body": ["FOD BOSA", "https://accessibility.belgium.be"],
        "method": "zelfbeoordeling",
        "tools": ["axe-core", "pa11y", "Nu HTML Checker", "toetsenbord"],
        "dates": ["opgesteld op 30 november 2026", "het laatst herzien op 30 november 2026"],
    },
}


def text_of(page):
    """The visible words of a page, with links' targets kept (they are part of the route)."""
    page = re.sub(r'<a [^>]*href="([^"]+)"[^>]*>', r" \1 ", page)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def statement(citizen, language):
    response = citizen.get(PATHS[language])
    assert response.status_code == 200
    return response.content.decode()


def test_the_statement_has_a_path_in_each_language():
    for language, path in PATHS.items():
        with translation.override(language):
            assert reverse("accessibility") == path


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_the_statement_has_every_element_of_the_eu_model(citizen, language):
    page = statement(citizen, language)
    words = text_of(page)
    expected = REQUIRED[language]

    assert f'<html lang="{language}">' in page
    assert f"<h1>{expected['title']}</h1>" in page.replace("&#x27;", "'")
    missing = [
        phrase
        for element in expected.values()
        for phrase in ([element] if isinstance(element, str) else element)
        if phrase not in words
    ]
    assert missing == []
    # The feedback contact is AIM's DPO, by e-mail and by post (from the settings).
    assert f'href="mailto:{settings.DPO_FALLBACK_EMAIL}"' in page
    contact = re.search(r'<ul id="accessibility-contact">.*?</ul>', page, re.S).group(0)
    assert settings.AIM_FOOTER_ADDRESS[language] in text_of(contact)
    # No promise the checks cannot support, and no date in ISO form inside a sentence.
    assert "entièrement conforme" not in words and "volledig conform" not in words
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", words)


@pytest.mark.parametrize(
    ("language", "words"),
    [("fr", "revue pour la dernière fois le 1er mai 2027"), ("nl", "1 mei 2027")],
)
def test_the_date_of_the_last_review_is_the_setting_in_words(citizen, settings, language, words):
    settings.ACCESSIBILITY_REVIEWED_ON = datetime.date(2027, 5, 1)
    assert words in text_of(statement(citizen, language))


# --- The footer -------------------------------------------------------------------------------

FOOTER = {
    "fr": [
        "Agence Intermutualiste (AIM), asbl",
        "Tour Manhattan Center, 7e étage, Avenue du Boulevard 21, 1210 Bruxelles",
        "Numéro d'entreprise : 0478.655.210",
        "Délégué à la protection des données : mailto:dpo@intermut.be dpo@intermut.be",
        "/fr/a-propos-de-ce-site/ À propos de ce site",
        "/fr/accessibilite/ Déclaration d'accessibilité",
    ],
    "nl": [
        "InterMutualistisch Agentschap (IMA), vzw",
        "Bolwerklaan 21, 1210 Brussel",
        "Ondernemingsnummer: 0478.655.210",
        "Functionaris voor gegevensbescherming: mailto:dpo@intermut.be dpo@intermut.be",
        "/nl/over-deze-website/ Over deze website",
        "/nl/toegankelijkheid/ Toegankelijkheidsverklaring",
    ],
}


def footer_of(page):
    footers = re.findall(r"<footer\b.*?</footer>", page, re.S)
    assert len(footers) == 1, "one footer landmark"
    return text_of(footers[0])


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "nl"])
@pytest.mark.parametrize("name", ["home", "about", "accessibility", "rights:request"])
def test_every_page_has_the_institutional_footer(citizen, language, name):
    with translation.override(language):
        path = reverse(name)
    page = citizen.get(path).content.decode()
    footer = footer_of(page)
    assert [part for part in FOOTER[language] if part not in footer] == []
    # The about page's link no longer makes the claim the site cannot support.
    assert "cookie" not in footer.lower() and "tracker" not in footer.lower()


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_the_404_page_has_the_footer(citizen, language):
    response = citizen.get(f"/{language}/no-such-page/")
    assert response.status_code == 404
    assert FOOTER[language][2] in footer_of(response.content.decode())


@pytest.fixture
def database_down(monkeypatch):
    def refuse(self):
        raise OperationalError("connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_the_footer_shows_when_the_database_is_down(citizen, database_down, language):
    with translation.override(language):
        path = reverse("notices:current")
    response = citizen.get(path)
    assert response.status_code == 503
    footer = footer_of(response.content.decode())
    assert [part for part in FOOTER[language] if part not in footer] == []


@pytest.mark.django_db
def test_the_footer_settings_are_what_the_registry_seed_loads():
    from registry.models import Organisation

    call_command("load_registry_seed", stdout=io.StringIO())
    aim = Organisation.objects.get(slug="aim")
    assert re.sub(r"\D", "", settings.AIM_ENTERPRISE_NUMBER) == aim.enterprise_number
    assert settings.AIM_FOOTER_ADDRESS["fr"] == aim.address_fr
    # Dutch: the street address only (the building's Dutch wording is still to confirm).
    assert aim.address_nl.endswith(settings.AIM_FOOTER_ADDRESS["nl"])
    assert settings.AIM_FOOTER_ADDRESS["nl"].startswith("Bolwerklaan 21")


def test_the_enterprise_number_passes_its_check_digits():
    digits = re.sub(r"\D", "", settings.AIM_ENTERPRISE_NUMBER)
    assert len(digits) == 10
    assert 97 - int(digits[:8]) % 97 == int(digits[8:])
