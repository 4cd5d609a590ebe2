"""DPV export: JSON-LD that parses with nothing fetched, and uses only terms of DPV 2.3."""

import csv
import datetime
import urllib.request
from pathlib import Path

import pytest
import rdflib
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from notices import dpv
from notices.demo import demo_content_load
from notices.models import NoticeVersion
from registry.models import DataProtectionOfficer, LegalBasis, Organisation, Transfer
from tests.registry import factories

pytestmark = [
    pytest.mark.django_db,
    # rdflib's own JSON-LD parser still builds a ConjunctiveGraph internally.
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
]

ROOT = Path(__file__).resolve().parents[2]
TERM_LISTS = Path(__file__).resolve().parent / "fixtures" / "dpv-2.3"
SHARED = ROOT.parent / "shared" / "schemas" / "dpv-2.3"
CSV_FILES = ("dpv.csv", "eu-gdpr.csv", "legal-be.csv")
LANGUAGES = ("fr", "nl")

DPV = rdflib.Namespace("https://w3id.org/dpv#")
EU_GDPR = rdflib.Namespace("https://w3id.org/dpv/legal/eu/gdpr#")
LEGAL_BE = rdflib.Namespace("https://w3id.org/dpv/legal/be#")


def url(name, language="fr", /, **kwargs):
    with translation.override(language):
        return reverse(f"notices:{name}", kwargs=kwargs or None)


def dpv_url(number, language="fr"):
    return url("version-dpv", language, number=number, language=language)


def dpv_terms():
    iris = set()
    for name in CSV_FILES:
        with (TERM_LISTS / name).open(newline="", encoding="utf-8") as rows:
            iris.update(row["iri"] for row in csv.DictReader(rows))
    return iris


def unknown_terms(graph):
    """Every IRI in the DPV namespaces (core and extensions) that DPV 2.3 does not define."""
    used = {
        str(term)
        for triple in graph
        for term in triple
        if isinstance(term, rdflib.URIRef) and str(term).startswith("https://w3id.org/dpv")
    }
    assert used, "no DPV term at all"
    return sorted(used - dpv_terms())


@pytest.fixture
def parse(monkeypatch):
    """Parse JSON-LD as any reader would, failing if the parser tries to fetch anything."""

    def no_network(*args, **kwargs):
        raise AssertionError(f"the JSON-LD parser tried to fetch {args[:1]}")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    return lambda body: rdflib.Graph().parse(data=body, format="json-ld")


def fetch(citizen, number, language):
    response = citizen.get(dpv_url(number, language))
    assert response.status_code == 200, response.status_code
    return response


def build(version, language):
    return dpv.dpv_bytes(
        dpv.version_dpv(
            snapshot=version.snapshot,
            sha256=version.sha256,
            number=version.number,
            language=language,
        )
    )


# --- The term lists ------------------------------------------------------------------------


@pytest.mark.skipif(not SHARED.exists(), reason="../shared is not next to the project")
@pytest.mark.parametrize("name", [*CSV_FILES, "LICENSE.md"])
def test_the_term_lists_are_the_shared_ones(name):
    assert (TERM_LISTS / name).read_bytes() == (SHARED / name).read_bytes()


def test_a_made_up_term_is_caught(parse):
    made_up = (
        '{"@context": {"eu-gdpr": "https://w3id.org/dpv/legal/eu/gdpr#"},'
        ' "@id": "https://example.org/p", "eu-gdpr:A6-1-c": {"@id": "eu-gdpr:A6-1-z"}}'
    )
    assert unknown_terms(parse(made_up)) == ["https://w3id.org/dpv/legal/eu/gdpr#A6-1-z"]


# --- Every version, both languages ---------------------------------------------------------


def test_every_version_parses_and_uses_only_dpv_terms(citizen, complete_registry, publish, parse):
    publish()
    factories.TransferFactory(activity=complete_registry, country="US")
    factories.TransferFactory(
        activity=complete_registry, country="IN", safeguard=Transfer.Safeguard.DEROGATION
    )
    publish()
    basis = factories.LegalBasisFactory(
        article_6=LegalBasis.Article6.CONSENT,
        article_9=LegalBasis.Article9.EXPLICIT_CONSENT,
        description_fr="Consentement.",
        description_nl="Toestemming.",
    )
    complete_registry.legal_bases.add(basis)
    complete_registry.data_categories.add(
        factories.DataCategoryFactory(kind="health", is_special_category=True)
    )
    publish()

    for number in (1, 2, 3):
        for language in LANGUAGES:
            graph = parse(fetch(citizen, number, language).content.decode())
            assert len(graph) > 50
            assert unknown_terms(graph) == [], (number, language)

    graph = parse(fetch(citizen, 3, "nl").content.decode())
    objects = set(graph.objects())
    for term in ("A6-1-e", "A6-1-a", "A9-2-a", "A46-2-c", "HealthData", "A7-3", "A77"):
        assert EU_GDPR[term] in objects, term
    assert (None, rdflib.RDF.type, DPV.ThirdCountry) in graph
    assert (None, rdflib.RDF.type, DPV.DataTransferLegalBasis) in graph  # the derogation


def test_the_demo_version_1_names_the_belgian_authority_and_where_rights_go(citizen, parse):
    version = demo_content_load()
    for language in LANGUAGES:
        assert unknown_terms(parse(fetch(citizen, version.number, language).content)) == []
    graph = parse(fetch(citizen, 1, "fr").content.decode())

    complaint = next(graph.subjects(rdflib.RDF.type, EU_GDPR.A77))
    where = graph.value(complaint, DPV.isExercisedAt)
    assert graph.value(where, DPV.hasEntity) == LEGAL_BE["DPA-BE"]
    assert str(graph.value(LEGAL_BE["DPA-BE"], DPV.hasName)).startswith(
        "Autorité de protection des données"
    )
    # Access (Art. 15) to the data of the legal missions: at the person's own mutuality.
    missions = next(
        s for s, label in graph.subject_objects(rdflib.RDFS.label) if "Missions légales" in label
    )
    access = [r for r in graph.objects(missions, DPV.hasRight) if (r, None, EU_GDPR.A15) in graph]
    (place,) = [graph.value(r, DPV.isExercisedAt) for r in access]
    assert "mutualité" in str(
        graph.value(place, rdflib.URIRef("http://purl.org/dc/terms/description"))
    )
    assert len(set(graph.objects(place, DPV.hasEntity))) == 7  # the seven insurers
    # The seed records no Art. 6(1) point: the basis is there as recorded, with no GDPR term.
    bases = set(graph.objects(missions, DPV.hasLegalBasis))
    assert bases and not {b for b in bases if str(b).startswith(str(EU_GDPR))}
    assert (None, rdflib.RDF.type, DPV.Profiling) in graph
    assert (None, DPV.hasDataProcessor, None) in graph  # Mailchimp, for the newsletter


# --- Reproducible, from the snapshot alone -------------------------------------------------


def test_the_bytes_come_from_the_snapshot_alone(citizen, complete_registry, publish):
    version = publish()
    served = fetch(citizen, version.number, "nl").content
    assert build(version, "nl") == build(version, "nl") == served

    Organisation.objects.filter(slug="aim").update(name_nl="Gewijzigd na de publicatie")
    DataProtectionOfficer.objects.update(name="Iemand Anders")
    complete_registry.data_categories.add(factories.DataCategoryFactory())
    publish()

    again = fetch(citizen, version.number, "nl").content
    assert again == served
    assert b"Gewijzigd" not in again and b"Iemand Anders" not in again
    assert fetch(citizen, 2, "nl").content != served


# --- Serving -------------------------------------------------------------------------------


def test_served_as_json_ld_immutable_with_validators_and_no_cookie(
    citizen, complete_registry, publish, travel
):
    today = datetime.date(2027, 3, 1)
    travel(today)
    publish()
    first = fetch(citizen, 1, "fr")
    assert first["Content-Type"] == "application/ld+json"
    assert "immutable" in first["Cache-Control"]
    assert "max-age=31536000" in first["Cache-Control"]
    assert not first.cookies
    assert "Set-Cookie" not in first
    assert citizen.get(dpv_url(1), headers={"if-none-match": first["ETag"]}).status_code == 304
    since = citizen.get(dpv_url(1), headers={"if-modified-since": first["Last-Modified"]})
    assert since.status_code == 304
    # A later version taking effect changes nothing in this one.
    publish(effective_from=today + datetime.timedelta(days=2))
    travel(today + datetime.timedelta(days=2))
    later = fetch(citizen, 1, "fr")
    assert (later.content, later["ETag"]) == (first.content, first["ETag"])


def test_a_document_is_at_one_address_per_language(citizen, complete_registry, publish, notice):
    from notices.services import notice_version_create_draft

    publish()
    assert dpv_url(1, "nl") == "/nl/verklaring/versies/1/dpv-nl.jsonld"
    moved = citizen.get("/nl/verklaring/versies/1/dpv-fr.jsonld")
    assert moved.status_code == 301
    assert moved["Location"] == dpv_url(1, "fr")
    draft = notice_version_create_draft(notice=notice)
    assert citizen.get(dpv_url(draft.number)).status_code == 404
    assert not NoticeVersion.objects.filter(number=draft.number).published().exists()


def test_queries_do_not_grow_with_the_number_of_versions(citizen, complete_registry, publish):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            fetch(citizen, 1, "nl")
        return len(captured)

    publish()
    one = queries()
    for _ in range(4):
        publish()
    assert queries() == one <= 2
