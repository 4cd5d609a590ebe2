"""The record of processing activities (GDPR Art. 30) as CSV, JSON, XLSX: view and command."""

import csv
import datetime
import io
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook

from registry import exports
from registry.admin_export import registry_export
from registry.models import DataCategory, LegalBasis, Organisation, ProcessingActivity
from tests.registry import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(aim):
    """A complete activity with a transfer and a special category, and one it replaced."""
    current = factories.ProcessingActivityFactory(
        complete=True,
        position=1,
        slug="analyses",
        name_fr="Analyses pour les mutualités",
        name_nl="Analyses voor de ziekenfondsen",
        profiling=True,
        profiling_description_fr="Groupes de risque.",
        profiling_description_nl="Risicogroepen.",
    )
    current.legal_bases.add(
        factories.LegalBasisFactory(
            name_fr="Mission légale",
            name_nl="Wettelijke opdracht",
            article_9=LegalBasis.Article9.PUBLIC_HEALTH,
            national_law_fr="Loi-programme (I) du 24 décembre 2002",
            national_law_nl="Programmawet (I) van 24 december 2002",
            national_law_articles_fr="art. 278 à 281",
            national_law_articles_nl="art. 278 tot 281",
        )
    )
    current.data_categories.add(
        factories.DataCategoryFactory(
            name_fr="Soins remboursés",
            name_nl="Terugbetaalde zorg",
            kind=DataCategory.Kind.HEALTH,
            is_special_category=True,
        )
    )
    current.processors.add(
        factories.OrganisationFactory(
            name_fr="Mailchimp", name_nl="Mailchimp", kind=Organisation.Kind.PROCESSOR
        )
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
        position=2, slug="draft", status=ProcessingActivity.Status.DRAFT
    )
    return current


def labels(language):
    with translation.override(language):
        return [str(label) for _key, label in exports.COLUMNS]


def rows_by_identifier(rows):
    return {row["identifier"]: row for row in rows}


# --- rows -----------------------------------------------------------------------------------


def test_one_row_per_activity_of_every_status_in_order(register):
    rows = exports.register_rows(language="fr")

    assert [row["identifier"] for row in rows] == ["old-analyses", "analyses", "draft"]
    assert all(list(row) == exports.COLUMN_KEYS for row in rows)
    assert all(isinstance(value, str) for row in rows for value in row.values())


def test_rows_hold_every_element_of_article_30_in_the_language(register):
    fr = rows_by_identifier(exports.register_rows(language="fr"))
    nl = rows_by_identifier(exports.register_rows(language="nl"))
    row = fr["analyses"]

    assert row["name"] == "Analyses pour les mutualités"
    assert nl["analyses"]["name"] == "Analyses voor de ziekenfondsen"
    assert row["purposes"] == "Analyser les données."
    assert row["controller_name"] == "Agence Intermutualiste"
    assert nl["analyses"]["controller_name"] == "InterMutualistisch Agentschap"
    assert row["controller_enterprise_number"] == "0478.655.210"
    assert row["controller_address"] == "Avenue du Boulevard 21, 1210 Bruxelles"
    assert row["controller_contact"] == "info@intermut.be"
    assert row["dpo_name"] == "Dirk De Kesel"
    assert "dpo@intermut.be" in row["dpo_contact"]
    assert "Bolwerklaan" in nl["analyses"]["dpo_contact"]
    assert row["legal_bases"].count(exports.LIST_SEPARATOR) == 1
    assert "Mission légale (" in row["legal_bases"]
    assert "Loi-programme (I) du 24 décembre 2002, art. 278 à 281" in row["legal_bases"]
    assert "Art. 9(2)(i)" in row["legal_bases"]
    assert "Art. 6(1)(e)" in row["legal_bases"]
    assert "Wettelijke opdracht" in nl["analyses"]["legal_bases"]
    assert row["subject_categories"].startswith("Personnes ")
    assert "Soins remboursés (" in row["data_categories"]
    assert "Art. 9" in row["data_categories"].split("Soins remboursés")[1]
    assert row["special_categories"] != fr["old-analyses"]["special_categories"]
    assert row["recipients"].startswith("Destinataire ")
    assert row["sources"].startswith("Organisation ")
    assert nl["analyses"]["sources"].startswith("Organisatie ")
    assert row["processors"] == "Mailchimp"
    assert row["transfers"].startswith("États-Unis")
    assert "(Art. 46(2)(c))" in row["transfers"]
    assert "SCC 2021/914" in row["transfers"]
    assert nl["analyses"]["transfers"].startswith("Verenigde Staten")
    assert row["retention"].startswith("Conservation ")
    assert nl["analyses"]["retention"].startswith("Bewaring ")
    assert "10" in row["retention"]
    assert row["security_measures"] == "Personnel habilité."
    assert nl["analyses"]["security_measures"] == "Gemachtigd personeel."
    assert row["profiling"].endswith(": Groupes de risque.")
    assert fr["old-analyses"]["profiling"] == fr["old-analyses"]["automated_decisions"]
    with translation.override("fr"):
        assert row["aim_role"] == str(ProcessingActivity.Role.CONTROLLER.label)
        assert row["pseudonymisation"] == str(ProcessingActivity.Pseudonymisation.MULTIPLE.label)
        assert row["status"] == str(ProcessingActivity.Status.APPROVED.label)
        assert fr["old-analyses"]["status"] == str(ProcessingActivity.Status.ENDED.label)
    assert row["ended_on"] == ""
    assert fr["old-analyses"]["ended_on"] == "2024-12-31"
    assert fr["old-analyses"]["replaced_by"] == "Analyses pour les mutualités"
    assert nl["old-analyses"]["replaced_by"] == "Analyses voor de ziekenfondsen"


def test_rows_without_aim_or_dpo_stay_exportable():
    factories.ProcessingActivityFactory(controller=factories.OrganisationFactory())

    (row,) = exports.register_rows(language="fr")

    assert row["dpo_name"] == ""
    assert exports.register_json(language="fr")["controller"]["name"] == ""


def test_register_rows_reads_the_registry_in_a_fixed_number_of_queries(aim):
    def add_activities(count):
        for _ in range(count):
            activity = factories.ProcessingActivityFactory(complete=True)
            activity.recipients.first().organisations.add(factories.OrganisationFactory())
            factories.TransferFactory(activity=activity, recipient_organisation=aim)

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            rows = exports.register_rows(language="nl")
        return len(rows), len(queries)

    add_activities(2)
    rows_for_2, queries_for_2 = count_queries()
    add_activities(18)
    rows_for_20, queries_for_20 = count_queries()

    assert (rows_for_2, rows_for_20) == (2, 20)
    assert queries_for_20 == queries_for_2
    # AIM with its DPO, the activities, and one query per prefetched relation.
    assert queries_for_20 <= 12


# --- CSV ------------------------------------------------------------------------------------


def read_csv(text):
    return list(csv.reader(io.StringIO(text)))


def test_csv_header_is_translated_and_rows_hold_the_values(register):
    fr = read_csv(exports.register_csv(language="fr"))
    nl = read_csv(exports.register_csv(language="nl"))

    assert fr[0] == labels("fr")
    assert nl[0] == labels("nl")
    assert fr[0] != nl[0]
    assert fr[0][1:3] == ["Activité de traitement", "Finalités"]
    assert nl[0][1:3] == ["Verwerkingsactiviteit", "Doeleinden"]
    assert len(fr) == len(nl) == 4
    by_identifier = {line[0]: dict(zip(exports.COLUMN_KEYS, line, strict=True)) for line in fr[1:]}
    assert by_identifier["analyses"]["name"] == "Analyses pour les mutualités"
    assert by_identifier["analyses"]["controller_enterprise_number"] == "0478.655.210"
    assert by_identifier["old-analyses"]["ended_on"] == "2024-12-31"


def test_csv_keeps_formula_like_text_as_text(aim):
    factories.ProcessingActivityFactory(
        security_measures_fr='=HYPERLINK("http://example.test")', controller=aim
    )

    (_header, line) = read_csv(exports.register_csv(language="fr"))

    security = line[exports.COLUMN_KEYS.index("security_measures")]
    assert security == '\'=HYPERLINK("http://example.test")'


# --- JSON -----------------------------------------------------------------------------------


def test_json_structure(register):
    data = exports.register_json(language="nl")

    assert set(data) == {"controller", "generated_at", "language", "columns", "activities"}
    assert data["language"] == "nl"
    assert datetime.datetime.fromisoformat(data["generated_at"]).tzinfo is not None
    assert data["controller"]["name"] == "InterMutualistisch Agentschap"
    assert data["controller"]["enterprise_number"] == "0478.655.210"
    assert data["controller"]["address"] == "Bolwerklaan 21, 1210 Brussel"
    assert data["controller"]["dpo"] == {
        "name": "Dirk De Kesel",
        "email": "dpo@intermut.be",
        "phone": "+32 2 000 00 00",
        "postal_address": "DPO, Bolwerklaan 21, 1210 Brussel",
    }
    assert list(data["columns"]) == exports.COLUMN_KEYS
    assert [row["identifier"] for row in data["activities"]] == [
        "old-analyses",
        "analyses",
        "draft",
    ]
    assert data["activities"][1]["name"] == "Analyses voor de ziekenfondsen"
    json.dumps(data)  # serialisable as it is


# --- XLSX -----------------------------------------------------------------------------------


def read_xlsx(content):
    return load_workbook(io.BytesIO(content))


def identification_values(sheet):
    return {row[0]: row[1] for row in sheet.iter_rows(min_row=3, values_only=True) if row[0]}


@pytest.mark.parametrize(
    ("language", "titles", "enterprise_label"),
    [
        ("fr", ["Identification", "Registre"], "Numéro d'entreprise"),
        ("nl", ["Identificatie", "Register"], "Ondernemingsnummer"),
    ],
)
def test_xlsx_has_the_dpa_model_layout(register, language, titles, enterprise_label):
    workbook = read_xlsx(exports.register_xlsx(language=language))

    assert workbook.sheetnames == titles
    identification = identification_values(workbook[titles[0]])
    assert identification[enterprise_label] == "0478.655.210"
    assert set(identification.values()) >= {
        "Agence Intermutualiste" if language == "fr" else "InterMutualistisch Agentschap",
        "Dirk De Kesel",
        "dpo@intermut.be",
    }
    assert any(isinstance(value, datetime.datetime) for value in identification.values())

    sheet = workbook[titles[1]]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == labels(language)
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(exports.COLUMNS)).column_letter}4"
    assert sheet["C2"].alignment.wrap_text
    assert len(rows) == 4
    expected = exports.register_rows(language=language)
    assert [[value or "" for value in row] for row in rows[1:]] == [
        [line[key] for key in exports.COLUMN_KEYS] for line in expected
    ]


def test_xlsx_identification_in_french(register):
    workbook = read_xlsx(exports.register_xlsx(language="fr"))
    values = [value for row in workbook.worksheets[0].iter_rows(values_only=True) for value in row]

    assert "0478.655.210" in values
    assert "Avenue du Boulevard 21, 1210 Bruxelles" in values
    assert "DPO, Avenue du Boulevard 21, 1210 Bruxelles" in values


def test_xlsx_keeps_formula_like_text_as_text(aim):
    factories.ProcessingActivityFactory(security_measures_fr="=1+1", controller=aim)

    sheet = read_xlsx(exports.register_xlsx(language="fr")).worksheets[1]

    cell = sheet.cell(2, exports.COLUMN_KEYS.index("security_measures") + 1)
    assert cell.value == "=1+1"
    assert cell.data_type == "s"


# --- admin view -----------------------------------------------------------------------------


def get(user, fmt, **params):
    request = RequestFactory().get(f"/admin/registry/export/{fmt}/", params)
    request.user = user
    return registry_export(request, fmt)


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("csv", "text/csv; charset=utf-8"),
        ("json", "application/json; charset=utf-8"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_view_returns_the_register_as_an_attachment(dpo, register, fmt, content_type):
    brussels = ZoneInfo("Europe/Brussels")
    with time_machine.travel(datetime.datetime(2026, 11, 28, 23, 30, tzinfo=brussels)):
        response = get(dpo, fmt, language="nl")

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="aim-register-of-processing-activities-2026-11-28-nl.{fmt}"'
    )
    assert "no-store" in response["Cache-Control"]


def test_view_csv_is_utf8_with_bom_for_excel(dpo, register):
    content = get(dpo, "csv", language="fr").content

    assert content.startswith(b"\xef\xbb\xbf")
    lines = read_csv(content.decode("utf-8-sig"))
    assert lines[0] == labels("fr")
    assert len(lines) == 4


def test_view_json_and_xlsx_are_valid(dpo, register):
    data = json.loads(get(dpo, "json", language="fr").content)
    assert data["language"] == "fr"
    assert len(data["activities"]) == 3

    workbook = read_xlsx(get(dpo, "xlsx", language="fr").content)
    assert len(workbook.worksheets) == 2


def test_view_defaults_to_the_current_language(dpo, register):
    with translation.override("nl"):
        response = get(dpo, "json")

    assert response["Content-Disposition"].endswith('-nl.json"')
    assert json.loads(response.content)["language"] == "nl"


def test_editor_may_download_too(editor, register):
    assert get(editor, "csv", language="fr").status_code == 200


def test_view_refuses_staff_without_permission(staff_without_access, register):
    with pytest.raises(PermissionDenied):
        get(staff_without_access, "xlsx", language="fr")


@pytest.mark.parametrize(
    ("fmt", "params"),
    [
        ("docx", {"language": "fr"}),
        ("xls", {}),
        ("csv", {"language": "en"}),
        ("xlsx", {"language": "de"}),
        ("json", {"language": "../fr"}),
    ],
)
def test_view_unknown_format_or_language_is_404(dpo, register, fmt, params):
    with pytest.raises(Http404):
        get(dpo, fmt, **params)


def test_view_is_get_only(dpo, register):
    request = RequestFactory().post("/admin/registry/export/csv/", {"language": "fr"})
    request.user = dpo

    assert registry_export(request, "csv").status_code == 405


# --- management command ---------------------------------------------------------------------


def test_command_writes_xlsx_to_a_file(register, tmp_path):
    path = tmp_path / "register.xlsx"
    out = io.StringIO()

    call_command(
        "export_registry", "--format", "xlsx", "--language", "nl", "--output", path, stdout=out
    )

    workbook = read_xlsx(path.read_bytes())
    assert workbook.sheetnames == ["Identificatie", "Register"]
    assert workbook["Register"].max_row == 4
    assert str(path) in out.getvalue()


def test_command_writes_csv_to_stdout(register):
    out = io.StringIO()

    call_command("export_registry", "--format", "csv", "--language", "fr", stdout=out)

    text = out.getvalue()
    assert not text.startswith("\ufeff")
    lines = read_csv(text)
    assert lines[0] == labels("fr")
    assert [line[0] for line in lines[1:]] == ["old-analyses", "analyses", "draft"]


def test_command_writes_json_to_stdout_and_csv_with_bom_to_a_file(register, tmp_path):
    out = io.StringIO()
    call_command("export_registry", "--format", "json", "--language", "nl", stdout=out)
    assert json.loads(out.getvalue())["language"] == "nl"

    path = tmp_path / "register.csv"
    call_command(
        "export_registry",
        "--format",
        "csv",
        "--language",
        "nl",
        "--output",
        str(path),
        stdout=io.StringIO(),
    )
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xlsx", "--language", "fr"], "--output"),
        (["--format", "docx", "--language", "fr"], "invalid choice"),
        (["--format", "csv", "--language", "de"], "invalid choice"),
        (["--language", "fr"], "--format"),
    ],
)
def test_command_errors_are_clear(db, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("export_registry", *args, stdout=io.StringIO())


def test_command_refuses_an_unwritable_output(register, tmp_path):
    with pytest.raises(CommandError, match="directory"):
        call_command(
            "export_registry", "--format", "json", "--language", "fr", "--output", str(tmp_path)
        )
    with pytest.raises(CommandError, match="Cannot write"):
        call_command(
            "export_registry",
            "--format",
            "json",
            "--language",
            "fr",
            "--output",
            str(tmp_path / "missing" / "register.json"),
        )
