"""Version 1 of the declaration (notices.content, loaded by notices.demo.demo_content_load).

The French text must say everything AIM's declaration says (`seed/declaration-fr.txt`); what it
leaves to a registry block must be in the registry data the snapshot froze.
"""

import html
import re
from io import StringIO

import pytest
from django.core.management import call_command

from notices.content import NOTICE, SECTIONS_V1
from notices.demo import demo_content_load
from notices.models import Notice, NoticeVersion
from registry.models import Organisation, ProcessingActivity
from registry.seed import registry_seed_load

pytestmark = pytest.mark.django_db

INAMI_CONTACTS_URL = (
    "https://www.riziv.fgov.be/fr/professionnels/autres/mutualites/Pages/contactez-mutualites.aspx"
)

# Statements of the declaration that the editorial French text itself must carry.
KEY_STATEMENTS_FR = [
    "L'asbl Agence Intermutualiste (ci-après appelée « AIM ») est une association de partage de "
    "frais",
    "les représentants des cinq unions nationales des mutualités, de la Caisse Auxiliaire "
    "d'Assurance Maladie-Invalidité et de la Caisse des Soins de Santé de HR Rail",
    "L'AIM agit en tant que responsable du traitement pour les données des organismes assureurs.",
    "conformément au Règlement européen du 27 avril 2016 relatif à la protection des données "
    "(RGPD), a désigné un délégué à la protection des données",
    "L'AIM traite les données personnelles de toute la population belge assurée sociale et de "
    "tous les prestataires de soins",
    "Analyser les données collectées par les organismes assureurs dans le cadre de leurs missions",
    "à la demande de partenaires légaux : l'Institut national d'assurance maladie-invalidité "
    "(INAMI)",
    "Afin de réaliser ses objectifs scientifiques pertinents pour la politique de soins de santé",
    "mais aussi en collaboration avec des universités",
    "une demande de délibération est introduite, avant le début du projet, auprès de la chambre "
    "sécurité sociale et santé du Comité de sécurité de l'information",
    "Seule une délibération positive peut permettre au traitement d'avoir lieu.",
    "Loi-Programme du 24/12/2002, articles 278 jusque 281 compris",
    "l'AIM traite les données sur la base des délibérations délivrées par la chambre sécurité "
    "sociale et santé du Comité de sécurité de l'information",
    "L'AIM collecte les données administratives de tous les membres des organismes assureurs "
    "ainsi que les données de facturation de ces membres.",
    "L'AIM utilise exclusivement et toujours des données pseudonymisées deux ou trois fois.",
    "Cela permet d'éviter toute référence ou possible identification directe de personnes.",
    "L'AIM ne dispose pas des noms et adresses des membres.",
    "L'AIM ne dispose pas des données issues des dossiers médicaux des membres.",
    "recevoir et traiter des données personnelles de la part de sources extérieures comme des "
    "données sensibles, sociales ou de santé",
    "Nos données proviennent essentiellement des organismes assureurs.",
    "Dans le cadre de projets où les données sont couplées, elles viennent également de "
    "partenaires tels que",
    "Toutes ces données sont traitées par du personnel habilité et soumis contractuellement à une "
    "obligation de secret professionnel.",
    "la confidentialité, l'intégrité et la disponibilité de vos données",
    "Vos données à caractère personnel codées peuvent être communiquées",
    "Vos données peuvent uniquement être transférées à l'étranger, y compris vers des pays situés "
    "en dehors de l'EEE",
    "Étant donné que l'AIM effectue le traitement de ces données en tant que sous-traitant",
    "la mutualité à laquelle vous êtes affilié",
    "En cas de désaccord, vous pouvez toujours contacter l'autorité de contrôle belge chargée de "
    "l'application de la protection des données",
    "L'AIM ne traite pas de données sur la base du consentement.",
    "Décisions automatisées : non",
    "l'AIM peut être amené à créer des profils des acteurs du domaine de l'assurance maladie "
    "et les transmet alors aux services de contrôle de l'INAMI et aux mutualités",
    "L'AIM traite certaines données pour gérer vos contacts avec nos services, quel que soit le "
    "canal utilisé",
    "l'adresse mail du destinataire",
    "son prénom et son nom éventuels",
    "ci-après dénommé « le transmetteur »",
    "garantit une utilisation de ces données pour ce seul traitement",
    "En aucun cas l'AIM ne transmet ni ne revend ces données stockées chez le transmetteur.",
    "Un lien de désinscription automatique figure systématiquement dans nos newsletters.",
    "Toute modification ou retrait de notre liste peut être demandé à l'adresse suivante : "
    "dpo@intermut.be",
]

DUTCH_TERMS = [
    "InterMutualistisch Agentschap",
    "het IMA",
    "verzekeringsinstellingen",
    "ziekenfonds",
    "gepseudonimiseerd",
    "beraadslaging",
    "kamer sociale zekerheid en gezondheid van het Informatieveiligheidscomité",
    "Programmawet (I) van 24 december 2002, artikelen 278 tot en met 281",
    "functionaris voor gegevensbescherming",
    "(AVG)",
    "verwerker",
]

BLOCK_OF = {
    "controller": "controller",
    "sources": "sources",
    "recipients": "recipients",
    "data-flows": "diagram",
    "transfers": "transfers",
    "retention": "retention",
    "rights": "rights",
}


def text_of(markup):
    """The readable text of some HTML, tags dropped, entities decoded, whitespace collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup))).strip()


def body_text_of(markup):
    """Same, keeping only what is outside the registry blocks (the editorial text)."""
    return text_of(
        re.sub(
            r'<div class="registry-block.*?</div>\s*</section>', "</section>", markup, flags=re.S
        )
    )


@pytest.fixture
def version():
    return demo_content_load()


def test_loading_twice_publishes_one_version_once():
    first = demo_content_load()
    second = demo_content_load()

    assert Notice.objects.count() == 1
    assert NoticeVersion.objects.count() == 1
    assert second.pk == first.pk
    assert second.sha256 == first.sha256
    assert len(first.sha256) == 64


def test_version_1_is_published_current_and_minor(version):
    notice = Notice.objects.get(slug=NOTICE["slug"])

    assert version.number == 1
    assert version.is_published
    assert notice.versions.current() == version
    assert version.change_kind == NoticeVersion.ChangeKind.MINOR
    assert version.change_summary_fr.strip()
    assert version.change_summary_nl.strip()
    assert notice.title_fr == NOTICE["title_fr"]
    assert notice.title_nl == NOTICE["title_nl"]


def test_registry_gaps_of_version_1_are_recorded_in_its_snapshot(version):
    # The seed leaves gaps for the DPO (no Art. 6 point, Mailchimp outside the EEA, ...).
    gaps = version.snapshot["registry_gaps_acknowledged"]
    assert gaps
    assert all(gap["code"] and gap["article"] for gap in gaps)


def test_registry_seed_is_loaded_only_into_an_empty_registry():
    registry_seed_load()
    aim = Organisation.objects.get(slug="aim")
    aim.name_fr = "Agence Intermutualiste (nom modifié par le DPO)"
    aim.save()

    version = demo_content_load()

    assert Organisation.objects.get(slug="aim").name_fr.endswith("(nom modifié par le DPO)")
    frozen = version.snapshot["registry"]["organisations"]["aim"]["name"]["fr"]
    assert frozen.endswith("(nom modifié par le DPO)")


def test_an_empty_registry_is_seeded(version):
    assert ProcessingActivity.objects.exists()
    assert version.snapshot["registry"]["activities"]


def test_sections_are_stored_in_order_with_both_languages(version):
    sections = list(version.sections.all())

    assert [s.anchor for s in sections] == [s["anchor"] for s in SECTIONS_V1]
    assert [s.position for s in sections] == list(range(len(SECTIONS_V1)))
    for section in sections:
        for language in ("fr", "nl"):
            assert getattr(section, f"title_{language}").strip(), (section.anchor, language)
            assert getattr(section, f"body_{language}").strip(), (section.anchor, language)


def test_lists_the_registry_holds_are_left_to_registry_blocks(version):
    blocks = {part["anchor"]: part["registry_block"] for part in version.snapshot["sections"]}

    assert {anchor: block for anchor, block in blocks.items() if block} == BLOCK_OF


def test_both_languages_show_every_section_title(version):
    for language in ("fr", "nl"):
        page = text_of(version.snapshot["html"][language])
        for section in SECTIONS_V1:
            assert section[f"title_{language}"] in page, (language, section["anchor"])


def test_french_text_states_what_the_declaration_states(version):
    page = body_text_of(version.snapshot["html"]["fr"])

    missing = [statement for statement in KEY_STATEMENTS_FR if statement not in page]
    assert not missing


def test_editorial_text_is_told_apart_from_the_blocks(version):
    # Guards the helper above: the enterprise number is shown by the controller block only.
    page = version.snapshot["html"]["fr"]
    assert "0478.655.210" not in body_text_of(page)
    assert "0478.655.210" in text_of(page)


def test_french_text_links_mailchimp_and_the_dpo(version):
    page = version.snapshot["html"]["fr"]

    assert 'href="https://mailchimp.com"' in page
    assert 'href="mailto:dpo@intermut.be"' in page


def test_dutch_text_uses_the_official_terms(version):
    page = body_text_of(version.snapshot["html"]["nl"])

    for term in DUTCH_TERMS:
        assert term in page, term


def test_dutch_text_names_ima_never_aim():
    for section in SECTIONS_V1:
        for field in ("title_nl", "body_nl"):
            assert not re.search(r"\bAIM\b", section[field]), (section["anchor"], field)


def test_no_markdown_is_left_unrendered(version):
    for language in ("fr", "nl"):
        page = version.snapshot["html"][language]
        for artefact in ("**", "](", "###", "<p>- ", "&lt;https", "&lt;dpo"):
            assert artefact not in page, (language, artefact)
        assert "<ul>" in page
        assert "<strong>" in page


# --- Statements that registry blocks show --------------------------------------------------
# These come from the registry data frozen in the snapshot, not from the editorial text: the
# blocks render them (sources, recipients, retention, transfers, AIM and its DPO, the insurers'
# contact list and the supervisory authority). Asserted on snapshot["registry"].


def _organisations(version):
    return version.snapshot["registry"]["organisations"]


def _activities(version):
    return version.snapshot["registry"]["activities"]


def test_block_data_aim_and_its_dpo(version):
    registry = version.snapshot["registry"]
    aim = _organisations(version)[registry["controller"]]

    assert aim["name"]["fr"] == "Agence Intermutualiste"
    assert aim["name"]["nl"] == "InterMutualistisch Agentschap"
    assert aim["enterprise_number"] == "0478.655.210"
    assert registry["dpo"]["name"] == "Dirk De Kesel"
    assert registry["dpo"]["email"] == "dpo@intermut.be"
    assert registry["dpo"]["postal_address"]["fr"] == (
        "Tour Manhattan Center, 7e étage, Avenue du Boulevard 21, 1210 Bruxelles"
    )


def test_block_data_sources(version):
    organisations = _organisations(version)
    names = {
        organisations[slug][field]["fr"]
        for activity in _activities(version)
        for slug in activity["sources"]
        for field in ("name", "short_name")
    }

    for source in (
        "Banque Carrefour de la sécurité sociale",
        "Statbel",
        "Healthdata.be",
        "Registre du Cancer",
        "Sciensano",
        "INAMI",
    ):
        assert source in names, source
    insurers = version.snapshot["registry"]["insurers"]
    assert len(insurers) == 7
    for activity in _activities(version):
        if activity["slug"] in ("legal-missions", "research-projects"):
            assert set(insurers) <= set(activity["sources"]), activity["slug"]


def test_block_data_recipients(version):
    recipients = {
        recipient["name"]["fr"]: recipient["condition"]["fr"]
        for activity in _activities(version)
        for recipient in activity["recipients"]
    }

    assert set(recipients) >= {
        "Organismes assureurs",
        "Acteurs et institutions du domaine des soins de santé",
        "Organismes de sécurité sociale, notamment la Banque Carrefour de la sécurité sociale",
        "Services de contrôle de l'INAMI et des mutualités",
        "Institution ou groupe de recherche autorisé par délibération",
        "Tiers dûment autorisé (légalement ou contractuellement)",
    }
    assert recipients["Services de contrôle de l'INAMI et des mutualités"] == (
        "Dans le cadre de leurs missions légales de contrôle."
    )
    assert (
        "chambre sécurité sociale et santé du Comité de sécurité de l'information"
        in (recipients["Institution ou groupe de recherche autorisé par délibération"])
    )


def test_block_data_transfers_only_on_deliberation(version):
    transfers = [t for activity in _activities(version) for t in activity["transfers"]]

    assert transfers
    for transfer in transfers:
        assert transfer["any_country"]
        assert transfer["safeguard"]["code"] == "deliberation"
        assert (
            "chambre sécurité sociale et santé du Comité de sécurité de l'information"
            in (transfer["reference"]["fr"])
        )


def test_block_data_retention(version):
    rules = {
        rule["slug"]: rule for activity in _activities(version) for rule in activity["retention"]
    }

    assert rules["insurer-data"]["duration"] == 30
    assert rules["insurer-data"]["display"] == {"fr": "30 ans", "nl": "30 jaar"}
    assert rules["insurer-data"]["name"]["fr"] == "Données issues des organismes assureurs"
    assert rules["external-research-data"]["fixed_by_deliberation"]


def test_block_data_rights_contact_list_and_authority(version):
    registry = version.snapshot["registry"]
    organisations = _organisations(version)

    directory = organisations[registry["contact_directory"]]
    assert directory["contact_directory_url"]["fr"] == INAMI_CONTACTS_URL
    authority = organisations[registry["authority"]]
    assert authority["name"]["fr"] == "Autorité de protection des données"
    assert authority["name"]["nl"] == "Gegevensbeschermingsautoriteit"
    routed_to_insurer = {
        activity["slug"]
        for activity in _activities(version)
        if activity["rights_handled_by"]["code"] == "own_insurer"
    }
    assert routed_to_insurer == {"legal-missions", "research-projects"}


# --- The management command ------------------------------------------------------------------


def test_command_publishes_then_reports_already_loaded():
    out = StringIO()
    call_command("load_demo_content", stdout=out)
    version = NoticeVersion.objects.get()
    assert out.getvalue().strip() == f"Declaration version 1 published (sha256 {version.sha256})."

    out = StringIO()
    call_command("load_demo_content", stdout=out)
    assert "already loaded" in out.getvalue()
    assert NoticeVersion.objects.count() == 1
