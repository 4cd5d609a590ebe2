"""The record of processing activities (GDPR Art. 30) as a PDF: export, admin view, command."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from aim_privacy.pdf import pdf_rendered
from registry import exports
from registry.admin_export import registry_export
from registry.models import ProcessingActivity
from tests.registry import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(aim):
    """A complete activity, one it replaced, and a draft."""
    current = factories.ProcessingActivityFactory(
        complete=True,
        position=1,
        slug="analyses",
        name_fr="Analyses pour les mutualités",
        name_nl="Analyses voor de ziekenfondsen",
    )
    factories.TransferFactory(activity=current, country="US", reference="SCC 2021/914")
    factories.ProcessingActivityFactory(
        complete=True,
        position=0,
        slug="old-analyses",
        name_fr="Anciennes analyses",
        name_nl="Oude analyses",
        status=ProcessingActivity.Status.ENDED,
        ended_on=datetime.date(2024, 12, 31),
        replaced_by=current,
    )
    factories.ProcessingActivityFactory(
        position=2,
        slug="draft",
        name_fr="Projet de traitement",
        name_nl="Ontwerp van verwerking",
        status=ProcessingActivity.Status.DRAFT,
    )
    return current


def read_pdf(content):
    reader = PdfReader(io.BytesIO(content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def flat(text):
    """PDF text with its line breaks and hyphenation-free wrapping undone, for `in` checks."""
    return " ".join(text.split())


ACTIVITY_NAMES = {
    "fr": ["Anciennes analyses", "Analyses pour les mutualités", "Projet de traitement"],
    "nl": ["Oude analyses", "Analyses voor de ziekenfondsen", "Ontwerp van verwerking"],
}
CONTROLLER_NAMES = {"fr": "Agence Intermutualiste", "nl": "InterMutualistisch Agentschap"}


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_register_pdf_identifies_the_controller_and_lists_every_activity(register, language):
    content = exports.register_pdf(language=language)

    assert content.startswith(b"%PDF")
    reader, text = read_pdf(content)
    text = flat(text)
    assert CONTROLLER_NAMES[language] in text
    assert "0478.655.210" in text
    assert "Dirk De Kesel" in text
    assert "dpo@intermut.be" in text
    for name in ACTIVITY_NAMES[language]:
        assert name in text
    other = "nl" if language == "fr" else "fr"
    assert ACTIVITY_NAMES[other][0] not in text
    # The identification, then one page (at least) per activity.
    assert len(reader.pages) >= 1 + len(ACTIVITY_NAMES[language])


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_register_pdf_labels_follow_the_language(register, language):
    _reader, text = read_pdf(exports.register_pdf(language=language))
    text = flat(text)

    with translation.override(language):
        heading = str(exports.WORKBOOK_HEADING)
        labels = {key: str(label) for key, label in exports.COLUMNS}
    assert heading in text
    for key in ("purposes", "legal_bases", "retention", "security_measures", "transfers"):
        assert labels[key] in text
    if language == "fr":
        assert "SCC 2021/914" in text  # the reference is kept in the default language only


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_register_pdf_is_a4_landscape_with_a_page_footer_and_metadata(register, language):
    reader, _text = read_pdf(exports.register_pdf(language=language))

    width, height = (float(value) for value in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
    count = len(reader.pages)
    with translation.override(language):
        heading = str(exports.WORKBOOK_HEADING)
        footers = [
            gettext("Page %(page)s of %(pages)s") % {"page": number, "pages": count}
            for number in range(1, count + 1)
        ]
    for page, footer in zip(reader.pages, footers, strict=True):
        assert footer in flat(page.extract_text())
    assert (
        reader.metadata.title == heading + exports.PDF_TITLE_SEPARATOR + CONTROLLER_NAMES[language]
    )
    assert reader.trailer["/Root"]["/Lang"] == language


def test_register_pdf_fetches_only_its_stylesheet(register):
    renders = []

    def receiver(sender, **kwargs):
        renders.append(kwargs)

    pdf_rendered.connect(receiver)
    try:
        exports.register_pdf(language="fr")
    finally:
        pdf_rendered.disconnect(receiver)

    assert [(render["purpose"], render["language"], render["refused"]) for render in renders] == [
        ("register", "fr", ())
    ]


def test_register_pdf_without_aim_or_dpo_stays_exportable():
    factories.ProcessingActivityFactory(controller=factories.OrganisationFactory())

    assert exports.register_pdf(language="fr").startswith(b"%PDF")


def test_register_bytes_knows_pdf(register):
    assert "pdf" in exports.FORMATS
    assert exports.register_bytes("pdf", language="nl").startswith(b"%PDF")


# --- admin view -----------------------------------------------------------------------------


def get(user, fmt, **params):
    request = RequestFactory().get(f"/admin/registry/export/{fmt}/", params)
    request.user = user
    return registry_export(request, fmt)


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_view_returns_the_pdf_as_an_attachment(dpo, register, language):
    brussels = ZoneInfo("Europe/Brussels")
    with time_machine.travel(datetime.datetime(2026, 11, 28, 23, 30, tzinfo=brussels)):
        response = get(dpo, "pdf", language=language)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="aim-register-of-processing-activities-2026-11-28-{language}.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF")
    _reader, text = read_pdf(response.content)
    assert ACTIVITY_NAMES[language][1] in flat(text)


@pytest.mark.parametrize(
    "url_name",
    ["admin:registry_processingactivity_changelist", "admin:app_list"],
)
def test_admin_links_to_the_pdf_in_both_languages(dpo_client, url_name):
    args = ["registry"] if url_name == "admin:app_list" else []
    html = dpo_client.get(reverse(url_name, args=args)).content.decode()

    export = reverse("admin:registry_export", args=["pdf"])
    assert f"{export}?language=fr" in html
    assert f"{export}?language=nl" in html


# --- management command ---------------------------------------------------------------------


def test_command_writes_a_pdf_to_a_file(register, tmp_path):
    path = tmp_path / "register.pdf"
    out = io.StringIO()

    call_command(
        "export_registry", "--format", "pdf", "--language", "fr", "--output", str(path), stdout=out
    )

    content = path.read_bytes()
    assert content.startswith(b"%PDF")
    _reader, text = read_pdf(content)
    assert "Analyses pour les mutualités" in flat(text)
    assert str(path) in out.getvalue()


def test_command_needs_an_output_file_for_a_pdf(db):
    with pytest.raises(CommandError, match="--output"):
        call_command("export_registry", "--format", "pdf", "--language", "nl", stdout=io.StringIO())
