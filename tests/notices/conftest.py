"""A registry with nothing missing, and a helper to draft and publish versions of a notice."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from notices.models import Notice, Section
from notices.page_cache import index_forget
from notices.services import notice_version_create_draft, notice_version_publish
from registry.models import Organisation
from tests.registry import factories


@pytest.fixture
def complete_registry():
    aim = factories.AimFactory(
        address_fr="Avenue du Boulevard 21, 1210 Bruxelles",
        address_nl="Bolwerklaan 21, 1210 Brussel",
    )
    factories.DataProtectionOfficerFactory(organisation=aim)
    factories.OrganisationFactory(
        slug="apd-gba",
        kind=Organisation.Kind.AUTHORITY,
        name_fr="Autorité de protection des données",
        name_nl="Gegevensbeschermingsautoriteit",
        website_fr="https://www.autoriteprotectiondonnees.be",
        website_nl="https://www.gegevensbeschermingsautoriteit.be",
    )
    activity = factories.ProcessingActivityFactory(complete=True, slug="analysis")
    factories.requests_retention_rule()
    return activity


SECTIONS = [
    {
        "anchor": "controller",
        "title_fr": "Responsable du traitement",
        "title_nl": "Verwerkingsverantwoordelijke",
        "body_fr": "L'AIM analyse les données des organismes assureurs.",
        "body_nl": "Het IMA analyseert de gegevens van de verzekeringsinstellingen.",
        "registry_block": "controller",
    },
    {
        "anchor": "retention",
        "title_fr": "Conservation",
        "title_nl": "Bewaring",
        "body_fr": "Les données sont conservées pendant 10 ans au maximum.",
        "body_nl": "De gegevens worden maximaal 10 jaar bewaard.",
        "registry_block": "retention",
    },
]


@pytest.fixture
def notice(db):
    return Notice.objects.create(
        slug="declaration",
        title_fr="Déclaration relative à la protection des données à caractère personnel",
        title_nl="Verklaring betreffende de bescherming van persoonsgegevens",
    )


@pytest.fixture
def publish(notice, admin_user):
    """publish(sections=..., effective_from=..., change_kind=...) → a published version."""

    def _publish(
        sections=None,
        effective_from=None,
        change_kind="minor",
        summary=("Résumé", "Samenvatting"),
        gaps_ok=False,
    ):
        draft = notice_version_create_draft(notice=notice)
        if sections is not None or not draft.sections.exists():
            draft.sections.all().delete()
            for position, data in enumerate(sections or SECTIONS):
                Section.objects.create(version=draft, position=position, **data)
        draft.change_kind = change_kind
        draft.change_summary_fr, draft.change_summary_nl = summary
        draft.save()
        version = notice_version_publish(
            version=draft,
            by=admin_user,
            effective_from=effective_from or timezone.localdate(),
            acknowledge_registry_gaps=gaps_ok,
        )
        # What publishing does once its transaction commits, which a test's never does: the
        # public pages' cached index is dropped (tests/notices/test_page_cache.py proves the
        # service does it).
        index_forget(notice.slug)
        return version

    return _publish


@pytest.fixture
def travel():
    """travel(date) moves the clock to noon, Brussels time, on that date."""
    travellers = []

    def _travel(day):
        moment = datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)
        traveller = time_machine.travel(moment, tick=False)
        traveller.start()
        travellers.append(traveller)

    yield _travel
    for traveller in reversed(travellers):
        traveller.stop()
