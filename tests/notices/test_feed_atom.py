"""The Atom feed is valid Atom (RFC 4287) and names AIM, never a person, as its author.

Validity is checked against the RFC's own RELAX NG schema (tests/notices/atom.rng, Appendix B)
with lxml, plus the two Schematron rules of that appendix that RELAX NG cannot express.
"""

import pathlib

import pytest
from django.urls import reverse
from django.utils import translation
from lxml import etree

from registry.models import Organisation

pytestmark = pytest.mark.django_db

ATOM = {"atom": "http://www.w3.org/2005/Atom"}
SCHEMA = etree.RelaxNG(etree.parse(pathlib.Path(__file__).with_name("atom.rng")))
WEBSITE = {"fr": "https://www.ima-aim.be/fr", "nl": "https://www.ima-aim.be/nl"}


def feed(citizen, language):
    with translation.override(language):
        response = citizen.get(reverse("notices:feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return etree.fromstring(response.content)


def assert_valid_atom(document):
    assert SCHEMA.validate(document), SCHEMA.error_log
    # RFC 4287 Appendix B, Schematron rules: an author for the feed or for every entry...
    assert document.xpath("atom:author or not(atom:entry[not(atom:author)])", namespaces=ATOM)
    for entry in document.xpath("atom:entry", namespaces=ATOM):
        # ...and a way to reach each entry: an alternate link or content.
        assert entry.xpath(
            "atom:link[@rel='alternate'] or atom:link[not(@rel)] or atom:content",
            namespaces=ATOM,
        )


@pytest.fixture
def aim_website(complete_registry):
    Organisation.objects.filter(slug="aim").update(
        website_fr=WEBSITE["fr"], website_nl=WEBSITE["nl"], short_name_fr="AIM", short_name_nl="IMA"
    )


@pytest.mark.parametrize(
    ("language", "name"),
    [
        ("fr", "Agence Intermutualiste (AIM)"),
        ("nl", "InterMutualistisch Agentschap (IMA)"),
    ],
)
def test_the_feed_is_valid_atom_with_aim_as_author(citizen, aim_website, publish, language, name):
    publish(summary=("Première version", "Eerste versie"))
    publish(summary=("Deuxième version", "Tweede versie"))
    document = feed(citizen, language)
    assert_valid_atom(document)
    assert len(document.xpath("atom:entry", namespaces=ATOM)) == 2
    (author,) = document.xpath("atom:author", namespaces=ATOM)
    assert author.findtext("atom:name", namespaces=ATOM) == name
    assert author.findtext("atom:uri", namespaces=ATOM) == WEBSITE[language]
    # An organisation, not a person: no e-mail address, and not the DPO's name.
    assert author.find("atom:email", namespaces=ATOM) is None
    assert b"Dirk De Kesel" not in etree.tostring(document)
    assert b"dpo@intermut.be" not in etree.tostring(document)


def test_the_author_is_the_aim_of_the_latest_published_version(citizen, aim_website, publish):
    publish()
    Organisation.objects.filter(slug="aim").update(name_nl="IMA, nieuwe naam")
    # Not published yet: the feed still names AIM as the published declaration does.
    author = feed(citizen, "nl").find("atom:author/atom:name", namespaces=ATOM)
    assert author.text == "InterMutualistisch Agentschap (IMA)"
    publish()
    author = feed(citizen, "nl").find("atom:author/atom:name", namespaces=ATOM)
    assert author.text == "IMA, nieuwe naam"


def test_a_feed_with_nothing_published_yet_is_valid_atom_too(citizen, notice):
    document = feed(citizen, "nl")
    assert_valid_atom(document)
    assert document.findtext("atom:author/atom:name", namespaces=ATOM)
    assert not document.xpath("atom:entry", namespaces=ATOM)
