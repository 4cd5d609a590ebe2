"""The language corrections of issue #16: the right words where they belong, the old ones gone.

Catalog strings are read through gettext in each language (and the catalogs scanned for wording
that must not come back); version 1's text is read from notices.content; the complaint heading is
rendered by the wizard's result page.
"""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from notices.content import SECTIONS_V1, TITLE_PROFILING_NL

LOCALE = Path(settings.BASE_DIR) / "locale"

GETTEXT = {
    "nl": {
        "Your first name and surname": "Uw voornaam en naam",
        "Yours faithfully,": "Hoogachtend,",
        "What to include": "Wat uw verzoek moet bevatten",
    },
}
CONTAINS = {
    "nl": [
        (
            "You receive an answer without undue delay and at the latest on that date. Where "
            "necessary, this period can be extended by two further months; you are then told so "
            "before that date, with the reasons (GDPR Art. 12(3)).",
            "onverwijld",
        ),
        (
            "Log in to the federal portal Masanté / Mijngezondheid with your eID or itsme: it "
            "shows your mutuality.",
            "Mijngezondheid (Masanté)",
        ),
    ],
    "fr": [
        ("AIM's newsletter or your contacts with AIM", "lettre d'information"),
        (
            "Your e-mail address for AIM's newsletter, or what you exchanged with AIM's services.",
            "lettre d'information",
        ),
    ],
}
# Wording no translation may use any more.
NEVER = {
    "fr": [
        "ne peut pas savoir quelles données sont les vôtres",
        "newsletter",
        "Statistics Belgium",
        "s'adresse à Autorité",
    ],
    "nl": [
        "zonder onnodige vertraging",
        "Met vriendelijke groeten",
        "voornaam en achternaam",
        "Masanté / Mijngezondheid",
        "Een klacht gaat naar",
        "Wat u vermeldt",
        "kan niet zien welke gegevens de uwe zijn",
    ],
}


def catalog(language):
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", sorted(GETTEXT))
def test_catalog_gives_the_corrected_wording(language):
    with translation.override(language):
        for msgid, expected in GETTEXT[language].items():
            assert translation.gettext(msgid) == expected


@pytest.mark.parametrize("language", sorted(CONTAINS))
def test_catalog_sentences_carry_the_corrected_words(language):
    with translation.override(language):
        for msgid, words in CONTAINS[language]:
            assert words in translation.gettext(msgid), msgid


@pytest.mark.parametrize("language", sorted(NEVER))
def test_old_wording_is_gone_from_the_catalog(language):
    for entry in catalog(language):
        if entry.obsolete:
            continue
        texts = [entry.msgstr, *entry.msgstr_plural.values()]
        for text in texts:
            for old in NEVER[language]:
                assert old.lower() not in text.lower(), (entry.msgid, old)


# --- Version 1 (notices/content.py) ----------------------------------------------------------


def _all(field):
    return " ".join(section[field] for section in SECTIONS_V1)


def test_version_1_dutch_wording():
    body = _all("body_nl")
    assert TITLE_PROFILING_NL == (
        "Wordt u onderworpen aan geautomatiseerde besluitvorming, waaronder profilering?"
    )
    assert "artikelen 278 tot en met 281" in body
    assert "gebonden aan het beroepsgeheim" in body
    assert "een link waarmee u zich kunt uitschrijven" in body
    for old in ("voorwerp van", "278 tot 281", "tot het beroepsgeheim gehouden", "volledige lijst"):
        assert old not in body + _all("title_nl"), old


def test_version_1_says_only_what_the_seed_says():
    body = _all("body_fr")
    assert "elles viennent également de partenaires tels que" in body
    assert "liste complète" not in body
    assert "Vous en trouverez ci-dessous la liste officielle" not in body
    assert "publie la liste officielle" in body  # INAMI's page, linked below the portal's list
    # The portal's own French words say "lettre d'information"; "newsletter" is left only in
    # the sentences the seed itself writes with it.
    seed_sentences = (
        "Les données récoltées pour la newsletter sont :",
        "Un lien de désinscription automatique figure systématiquement dans nos newsletters.",
    )
    for sentence in seed_sentences:
        body = body.replace(sentence, "")
    assert "newsletter" not in body.lower()


# --- Rendered pages --------------------------------------------------------------------------

COMPLAINT = {
    "fr": "Une réclamation s'adresse à l'Autorité de protection des données",
    "nl": "Een klacht dient u in bij de Gegevensbeschermingsautoriteit",
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "nl"])
def test_complaint_heading_has_its_article(language):
    from django.core.cache import cache

    from registry.seed import registry_seed_load

    cache.clear()
    registry_seed_load()
    client = Client()
    with translation.override(language):
        start = reverse("rights:wizard")
    response = client.post(start, {"choice": "complaint"}, follow=True)
    page = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 200
    assert COMPLAINT[language] in page
    cache.clear()
