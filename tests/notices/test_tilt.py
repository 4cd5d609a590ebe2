"""TILT export: every version in both languages passes the schema, byte for byte from its
snapshot, with its status of the day; publishing refuses what would not pass."""

import datetime
import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from jsonschema import Draft7Validator

from notices import tilt
from notices.demo import demo_content_load
from notices.models import NoticeVersion
from registry.models import DataCategory, DataProtectionOfficer, LegalBasis, Organisation
from tests.registry import factories

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "notices" / "schemas"
SHARED = ROOT.parent / "shared" / "schemas"
LANGUAGES = ("fr", "nl")


def url(name, language="fr", /, **kwargs):
    with translation.override(language):
        return reverse(f"notices:{name}", kwargs=kwargs or None)


def tilt_url(number, language="fr"):
    return url("version-tilt", language, number=number, language=language)


def schema():
    """The schema as published (../shared) when it is there, else the copy the project ships."""
    source = SHARED if (SHARED / "tilt-schema.json").exists() else SHIPPED
    return json.loads((source / "tilt-schema.json").read_text(encoding="utf-8"))


def schema_failures(document):
    validator = Draft7Validator(schema(), format_checker=Draft7Validator.FORMAT_CHECKER)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def fetch(citizen, number, language):
    response = citizen.get(tilt_url(number, language))
    assert response.status_code == 200, response.status_code
    return response


def build(version, language, status="active"):
    return tilt.tilt_bytes(
        tilt.version_tilt(
            snapshot=version.snapshot,
            sha256=version.sha256,
            number=version.number,
            language=language,
            status=status,
        )
    )


def grow_registry(activity):
    """What version 3 adds: health data on an Art. 6(1)(f) and 9(2)(h) basis."""
    basis = factories.LegalBasisFactory(
        article_6=LegalBasis.Article6.LEGITIMATE_INTERESTS,
        article_9=LegalBasis.Article9.HEALTH_CARE,
        description_fr="Intérêt légitime : la qualité des soins.",
        description_nl="Gerechtvaardigd belang: de kwaliteit van de zorg.",
    )
    activity.legal_bases.add(basis)
    activity.data_categories.add(
        factories.DataCategoryFactory(kind=DataCategory.Kind.HEALTH, is_special_category=True)
    )


# --- The schema the project ships ----------------------------------------------------------


@pytest.mark.skipif(not SHARED.exists(), reason="../shared is not next to the project")
@pytest.mark.parametrize("name", ["tilt-schema.json", "tilt-schema.LICENSE"])
def test_the_shipped_schema_is_the_shared_one(name):
    assert (SHIPPED / name).read_bytes() == (SHARED / name).read_bytes()


# --- Every version, both languages ---------------------------------------------------------


def test_every_version_in_both_languages_passes_the_schema(citizen, complete_registry, publish):
    versions = [publish()]
    factories.TransferFactory(
        activity=complete_registry,
        country="US",
        reference_fr="Clauses 2021/914",
        reference_nl="Bepalingen 2021/914",
    )
    versions.append(publish())
    grow_registry(complete_registry)
    versions.append(publish())

    for version in versions:
        for language in LANGUAGES:
            document = json.loads(fetch(citizen, version.number, language).content)
            assert schema_failures(document) == [], (version.number, language)
            meta = document["meta"]
            assert meta["version"] == version.number
            assert meta["language"] == language
            assert meta["_hash"] == version.sha256
            assert meta["url"] == "https://testserver" + url(
                "version", language, number=version.number
            )
            assert meta["status"] == ("active" if version == versions[-1] else "inactive")
    third = json.loads(fetch(citizen, 3, "nl").content)
    references = {b["reference"] for item in third["dataDisclosed"] for b in item["legalBases"]}
    assert {"GDPR-6-1-e", "GDPR-6-1-f", "GDPR-9-2-h"} <= references
    (transfer,) = third["thirdCountryTransfers"]
    assert transfer["country"] == "US"
    assert transfer["standardDataProtectionClause"]["available"] is True
    assert transfer["standardDataProtectionClause"]["description"].endswith("Bepalingen 2021/914")
    interests = [i for item in third["dataDisclosed"] for i in item["legitimateInterests"]]
    assert {"exists": True, "reasoning": "Gerechtvaardigd belang: de kwaliteit van de zorg."} in (
        interests
    )


def test_the_demo_version_1_passes_the_schema_and_claims_nothing_the_registry_lacks(citizen):
    version = demo_content_load()
    for language in LANGUAGES:
        document = json.loads(fetch(citizen, version.number, language).content)
        assert schema_failures(document) == [], language
    french = json.loads(fetch(citizen, 1, "fr").content)
    # The seed records no Art. 6(1) point: no GDPR reference, no legitimate interest claimed.
    legal_missions = next(i for i in french["dataDisclosed"] if i["_id"].startswith("legal-"))
    assert {b["reference"] for b in legal_missions["legalBases"]} == {""}
    assert legal_missions["legitimateInterests"] == []
    # The contacts activity records no data category, legal basis or retention: still listed.
    contacts = next(i for i in french["dataDisclosed"] if i["_id"] == "contacts")
    assert (contacts["category"], contacts["legalBases"], contacts["storage"]) == ("", [], [])
    assert french["rightToWithdrawConsent"] == {"available": False}
    assert french["changesOfPurpose"] == []
    assert french["dataProtectionOfficer"]["email"] == "dpo@intermut.be"
    assert french["rightToComplain"]["supervisoryAuthority"]["country"] == "BE"
    outside = {
        r["category"]
        for i in french["dataDisclosed"]
        for r in i["recipients"]
        if r.get("country") == "US"
    }
    assert outside == {"Sous-traitant"}  # Mailchimp, AIM's processor for the newsletter


# --- Reproducible, from the snapshot alone -------------------------------------------------


def test_the_bytes_come_from_the_snapshot_alone(citizen, complete_registry, publish):
    version = publish()
    served = fetch(citizen, version.number, "fr").content
    assert build(version, "fr") == build(version, "fr") == served

    aim = Organisation.objects.get(slug="aim")
    aim.name_fr = "Nom changé après la publication"
    aim.save()
    DataProtectionOfficer.objects.update(email="autre@example.org")
    complete_registry.recipients.clear()
    complete_registry.legal_bases.clear()

    again = fetch(citizen, version.number, "fr").content
    assert again == served
    assert b"Nom chang" not in again and b"autre@example.org" not in again


def test_only_the_status_changes_when_a_new_version_takes_effect(
    citizen, complete_registry, publish, travel
):
    start = datetime.date(2027, 3, 1)
    travel(start)
    first = publish()
    publish(effective_from=start + datetime.timedelta(days=9))
    before = fetch(citizen, 1, "fr")
    upcoming = json.loads(fetch(citizen, 2, "fr").content)
    assert json.loads(before.content)["meta"]["status"] == "active"
    assert upcoming["meta"]["status"] == "inactive"

    travel(start + datetime.timedelta(days=9))
    after = fetch(citizen, 1, "fr")
    assert json.loads(after.content)["meta"]["status"] == "inactive"
    assert json.loads(fetch(citizen, 2, "fr").content)["meta"]["status"] == "active"
    # Nothing else moved: the rest of the document is the same, byte for byte.
    assert after.content == before.content.replace(b'"status": "active"', b'"status": "inactive"')
    assert after.content == build(first, "fr", status="inactive")
    # Caches holding the old copy are told it changed, whichever validator they send.
    assert after["ETag"] != before["ETag"]
    stale = citizen.get(tilt_url(1), headers={"if-none-match": before["ETag"]})
    assert stale.status_code == 200
    stale = citizen.get(tilt_url(1), headers={"if-modified-since": before["Last-Modified"]})
    assert stale.status_code == 200
    assert after["Last-Modified"] == "Tue, 09 Mar 2027 23:00:00 GMT"  # midnight, Brussels


# --- Publishing refuses what the schema would not accept -----------------------------------


def refusal(publish, **kwargs):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        publish(**kwargs)
    assert not NoticeVersion.objects.published().exists()
    return refused.value.messages


@pytest.mark.parametrize("gaps_ok", [False, True])
def test_publishing_refuses_a_dpo_without_e_mail(complete_registry, publish, gaps_ok):
    # A phone is enough for the completeness check (Art. 13(1)(b)); TILT requires an e-mail.
    DataProtectionOfficer.objects.update(email="", phone="+32 2 000 00 00")
    assert refusal(publish, gaps_ok=gaps_ok) == [
        "Machine-readable version (TILT, French, Dutch): the e-mail address of AIM's data "
        "protection officer is missing."
    ]


def test_publishing_refuses_a_phone_number_tilt_cannot_read(complete_registry, publish):
    DataProtectionOfficer.objects.update(phone="+32 (0)2 274 48 00")
    assert refusal(publish) == [
        "Machine-readable version (TILT, French, Dutch): the phone number of AIM's data "
        "protection officer (“+32 (0)2 274 48 00”) is not in the form it requires."
    ]


def test_publishing_refuses_legitimate_interests_it_cannot_state(complete_registry, publish):
    LegalBasis.objects.update(article_6=LegalBasis.Article6.LEGITIMATE_INTERESTS)
    messages = refusal(publish)
    category = complete_registry.data_categories.get().slug
    assert messages == [
        "Machine-readable version (TILT, French, Dutch): “dataDisclosed[analysis/"
        f"{category}].legitimateInterests[0].reasoning” is missing."
    ]


def test_refusals_are_in_the_language_of_the_person_publishing(complete_registry, publish):
    DataProtectionOfficer.objects.update(email="", phone="+32 2 000 00 00")
    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        publish()
    assert "(TILT, Français, Néerlandais)" in refused.value.messages[0]


# --- Serving -------------------------------------------------------------------------------


def test_served_as_json_with_validators_a_short_cache_and_no_cookie(
    citizen, complete_registry, publish
):
    publish()
    first = fetch(citizen, 1, "nl")
    assert first["Content-Type"] == "application/json"
    assert set(first["Cache-Control"].split(", ")) == {"public", "max-age=300"}
    assert not first.cookies
    assert "Set-Cookie" not in first
    again = citizen.get(tilt_url(1, "nl"), headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    since = citizen.get(tilt_url(1, "nl"), headers={"if-modified-since": first["Last-Modified"]})
    assert since.status_code == 304


def test_a_document_is_at_one_address_per_language(citizen, complete_registry, publish, notice):
    from notices.services import notice_version_create_draft

    publish()
    assert tilt_url(1, "nl") == "/nl/verklaring/versies/1/tilt-nl.json"
    moved = citizen.get("/fr/declaration/versions/1/tilt-nl.json")
    assert moved.status_code == 301
    assert moved["Location"] == tilt_url(1, "nl")
    assert citizen.get("/fr/declaration/versions/1/tilt-de.json").status_code == 404
    draft = notice_version_create_draft(notice=notice)
    assert citizen.get(tilt_url(draft.number)).status_code == 404
    assert citizen.post(tilt_url(1)).status_code == 405


def test_queries_do_not_grow_with_the_number_of_versions(citizen, complete_registry, publish):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            fetch(citizen, 1, "fr")
        return len(captured)

    publish()
    one = queries()
    for _ in range(4):
        publish()
    assert queries() == one <= 3


# --- Links ---------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", ["current", "version"])
def test_pages_link_their_exports_in_the_head(citizen, complete_registry, publish, language, page):
    publish()
    kwargs = {"number": 1} if page == "version" else {}
    html = citizen.get(url(page, language, **kwargs)).content.decode()
    head = html.split("</head>")[0]
    tilt_link = url("version-tilt", language, number=1, language=language)
    dpv_link = url("version-dpv", language, number=1, language=language)
    assert (
        f'<link rel="alternate" type="application/json" href="{tilt_link}" '
        f'hreflang="{language}" title="TILT">'
    ) in head
    assert (
        f'<link rel="alternate" type="application/ld+json" href="{dpv_link}" '
        f'hreflang="{language}" title="DPV">'
    ) in head


@pytest.mark.parametrize(("language", "other"), [("fr", "nl"), ("nl", "fr")])
def test_the_archive_links_each_version_s_exports_in_its_language(
    citizen, complete_registry, publish, language, other
):
    publish()
    publish()
    body = citizen.get(url("archive", language)).content.decode().split("</head>")[1]
    for number in (1, 2):
        assert f'href="{url("version-tilt", language, number=number, language=language)}"' in body
        assert f'href="{url("version-dpv", language, number=number, language=language)}"' in body
    assert f"tilt-{other}.json" not in body and f"dpv-{other}.jsonld" not in body


def test_the_current_page_links_the_version_in_force(citizen, complete_registry, publish):
    today = timezone.localdate()
    publish()
    publish(effective_from=today + datetime.timedelta(days=3))
    head = citizen.get(url("current")).content.decode().split("</head>")[0]
    assert url("version-tilt", number=1, language="fr") in head
    assert url("version-tilt", number=2, language="fr") not in head


def test_tools_on_other_sites_may_read_both_documents_without_credentials(
    citizen, complete_registry, publish
):
    """Transparency trackers and the authority's tools run on other origins: both documents
    answer a cross-origin fetch (CORS `*`), with no cookie and no credentials allowed."""
    publish()
    for path in (tilt_url(1, "fr"), url("version-dpv", "nl", number=1, language="nl")):
        response = citizen.get(path, headers={"origin": "https://tracker.example"})
        assert response.status_code == 200, path
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "Access-Control-Allow-Credentials" not in response
        assert "Set-Cookie" not in response
        again = citizen.get(path, headers={"if-none-match": response["ETag"]})
        assert again.status_code == 304
        assert again["Access-Control-Allow-Origin"] == "*"
