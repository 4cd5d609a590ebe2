"""The whole record of processing activities (GDPR Art. 30), as CSV, JSON, Excel or PDF.

One row per activity, whatever its status, with every element Art. 30(1) asks for. Column keys
are stable English snake_case (scripts may rely on them); their labels follow the language
asked for, and so do the translated fields read from the registry.

The workbook follows the layout of the Belgian Data Protection Authority's model register: a
first sheet that identifies the controller and its DPO, then the register itself. The PDF, for
the DPO to read, sign or hand over, has the same two parts: the identification, then one block per
activity (A4 landscape, every element as a definition list: 26 columns do not fit a page).

Every export reads the registry in a fixed number of queries, however many activities there are.
"""

import csv
import io
import json
import unicodedata

from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from aim_privacy.pdf import render_pdf
from aim_privacy.spreadsheets import spreadsheet_safe
from registry.models import Organisation, ProcessingActivity, format_enterprise_number

# (key, label): the order of the columns in every format.
COLUMNS = [
    ("identifier", _("Identifier")),
    ("name", _("Processing activity")),
    ("purposes", _("Purposes")),
    ("aim_role", _("AIM's role")),
    ("controller_name", _("Controller")),
    ("controller_enterprise_number", _("Controller's enterprise number")),
    ("controller_address", _("Controller's address")),
    ("controller_contact", _("Controller's contact details")),
    ("dpo_name", _("Data protection officer")),
    ("dpo_contact", _("Data protection officer's contact details")),
    ("legal_bases", _("Legal bases")),
    ("subject_categories", _("Categories of data subjects")),
    ("data_categories", _("Categories of personal data")),
    ("special_categories", _("Special categories of data (Art. 9)")),
    ("recipients", _("Categories of recipients")),
    ("sources", _("Sources of the data")),
    ("processors", _("Processors")),
    ("transfers", _("Transfers to third countries")),
    ("retention", _("Retention periods")),
    ("security_measures", _("Security measures (Art. 32)")),
    ("profiling", _("Profiling")),
    ("automated_decisions", _("Automated individual decisions (Art. 22)")),
    ("pseudonymisation", _("Pseudonymisation")),
    ("status", _("Status")),
    ("ended_on", _("Ended on")),
    ("replaced_by", _("Replaced by")),
]
COLUMN_KEYS = [key for key, _label in COLUMNS]

# Separates the items of a multi-valued element (legal bases, categories, recipients...).
LIST_SEPARATOR = "; "

IDENTIFICATION_SHEET_TITLE = pgettext_lazy("spreadsheet sheet", "Identification")
REGISTER_SHEET_TITLE = pgettext_lazy("spreadsheet sheet", "Register")
WORKBOOK_HEADING = _("Record of processing activities")

# Column widths in the register sheet (characters); other columns get DEFAULT_WIDTH.
WIDE_COLUMNS = {
    "purposes",
    "legal_bases",
    "data_categories",
    "recipients",
    "transfers",
    "retention",
    "security_measures",
    "profiling",
    "automated_decisions",
}
NARROW_COLUMNS = {"identifier", "aim_role", "special_categories", "status", "ended_on"}
WIDE_WIDTH, DEFAULT_WIDTH, NARROW_WIDTH = 50, 28, 16


FORMATS = ("csv", "json", "xlsx", "pdf")
# Formats that are not text: the command writes them to a file only.
BINARY_FORMATS = ("xlsx", "pdf")

# The PDF's template and stylesheet. The stylesheet is referenced by its unhashed /static/ URL:
# the PDF renderer finds it with the staticfiles finders, whatever the storage backend.
PDF_TEMPLATE = "pdf/register.html"
PDF_STYLESHEET = "/static/css/pdf-register.css"
# Elements that are the same for every activity (AIM's DPO), given once in the identification
# part of the PDF rather than in every activity's block; "name" is the block's heading.
PDF_OMITTED_KEYS = {"name", "dpo_name", "dpo_contact"}
# Between the heading and the controller's name in the PDF's title (an en dash).
PDF_TITLE_SEPARATOR = " \u2013 "


def register_bytes(fmt, *, language):
    """The register as a file's content in one of FORMATS.

    CSV is encoded utf-8-sig (the BOM lets Excel recognise UTF-8), JSON utf-8.
    """
    if fmt == "csv":
        return register_csv(language=language).encode("utf-8-sig")
    if fmt == "json":
        data = register_json(language=language)
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    if fmt == "xlsx":
        return register_xlsx(language=language)
    if fmt == "pdf":
        return register_pdf(language=language)
    raise ValueError(f"Unknown format {fmt!r}: expected one of {', '.join(FORMATS)}.")


def register_rows(*, language):
    """One dict per activity (keys: COLUMN_KEYS; values: text in `language`)."""
    with translation.override(language):
        return _Register.load().rows


def register_csv(*, language):
    """The register as CSV text, header row in `language`.

    Returned as str: the caller encodes it as utf-8-sig, whose BOM tells Excel it is UTF-8.
    Cells that a spreadsheet would take for a formula are prefixed with an apostrophe.
    """
    with translation.override(language):
        register = _Register.load()
        output = io.StringIO()
        writer = csv.writer(output)
        writer.writerow([str(label) for _key, label in COLUMNS])
        for row in register.rows:
            writer.writerow([spreadsheet_safe(row[key]) for key in COLUMN_KEYS])
        return output.getvalue()


def register_json(*, language):
    """The register as a JSON-serialisable dict: who keeps it, when, in which language, rows."""
    with translation.override(language):
        register = _Register.load()
        return {
            "controller": register.controller_info(),
            "generated_at": timezone.localtime().isoformat(timespec="seconds"),
            "language": language,
            "columns": {key: str(label) for key, label in COLUMNS},
            "activities": register.rows,
        }


def register_xlsx(*, language):
    """The register as an .xlsx workbook (bytes): an identification sheet, then the register."""
    with translation.override(language):
        register = _Register.load()
        info = register.controller_info()
        bold = Font(bold=True)
        wrap = Alignment(wrap_text=True, vertical="top")

        workbook = Workbook()
        identification = workbook.active
        identification.title = _sheet_title(IDENTIFICATION_SHEET_TITLE)
        identification.append([str(WORKBOOK_HEADING)])
        identification["A1"].font = Font(bold=True, size=14)
        identification.append([])
        for label, value in _identification_lines(info, timezone.localdate()):
            identification.append([str(label), value])
            row = identification.max_row
            identification.cell(row, 1).font = bold
            identification.cell(row, 1).alignment = wrap
            _set_text_or_value(identification.cell(row, 2), value)
            identification.cell(row, 2).alignment = wrap
        identification.column_dimensions["A"].width = 40
        identification.column_dimensions["B"].width = 70

        sheet = workbook.create_sheet(_sheet_title(REGISTER_SHEET_TITLE))
        header_fill = PatternFill("solid", fgColor="DDE5F0")
        for column, (key, label) in enumerate(COLUMNS, start=1):
            cell = sheet.cell(1, column, str(label))
            cell.font = bold
            cell.fill = header_fill
            cell.alignment = wrap
            sheet.column_dimensions[get_column_letter(column)].width = (
                WIDE_WIDTH
                if key in WIDE_COLUMNS
                else NARROW_WIDTH
                if key in NARROW_COLUMNS
                else DEFAULT_WIDTH
            )
        for row_number, row in enumerate(register.rows, start=2):
            for column, key in enumerate(COLUMN_KEYS, start=1):
                cell = sheet.cell(row_number, column)
                _set_text_or_value(cell, row[key])
                cell.alignment = wrap
        sheet.freeze_panes = "A2"
        last = f"{get_column_letter(len(COLUMNS))}{max(sheet.max_row, 1)}"
        sheet.auto_filter.ref = f"A1:{last}"

        output = io.BytesIO()
        workbook.save(output)
        return output.getvalue()


def register_pdf(*, language):
    """The register as a PDF (bytes): the controller and its DPO, then one block per activity."""
    with translation.override(language):
        register = _Register.load()
        info = register.controller_info()
        heading = str(WORKBOOK_HEADING)
        title = f"{heading}{PDF_TITLE_SEPARATOR}{info['name']}" if info["name"] else heading
        today = formats.date_format(timezone.localdate(), "DATE_FORMAT")
        labels = {key: str(label) for key, label in COLUMNS}
        context = {
            "language": language,
            "title": title,
            "heading": heading,
            "stylesheet": PDF_STYLESHEET,
            # Escaped by _css_string: no quote, "<" or "&" can leave it unescaped.
            "page_counter": mark_safe(_page_counter_css()),  # noqa: S308
            "identification_heading": gettext("Controller and data protection officer"),
            "identification": [
                (str(label), value) for label, value in _identification_lines(info, today)
            ],
            "activities": [
                {
                    "name": row["name"] or row["identifier"],
                    "elements": [
                        (labels[key], row[key])
                        for key in COLUMN_KEYS
                        if key not in PDF_OMITTED_KEYS
                    ],
                }
                for row in register.rows
            ],
        }
        html = render_to_string(PDF_TEMPLATE, context)
        return render_pdf(html, title=title, language=language, purpose="register")


def _identification_lines(info, day):
    """(label, value) identifying the controller and its DPO, as the DPA's model register does."""
    return [
        (_("Name of the controller"), info["name"]),
        (_("Address of the controller"), info["address"]),
        (_("Enterprise number"), info["enterprise_number"]),
        (_("Name of the data protection officer"), info["dpo"]["name"]),
        (_("E-mail of the data protection officer"), info["dpo"]["email"]),
        (_("Address of the data protection officer"), info["dpo"]["postal_address"]),
        (_("Date of the export"), day),
    ]


def _page_counter_css():
    """CSS `content` of the running footer: "Page 2 of 7" in the active language.

    The translation decides where the numbers go; its words become CSS strings.
    """
    marker = "\0"
    text = gettext("Page %(page)s of %(pages)s") % {
        "page": f"{marker}page{marker}",
        "pages": f"{marker}pages{marker}",
    }
    parts = []
    for index, part in enumerate(text.split(marker)):
        if index % 2:
            parts.append(f"counter({part})")
        elif part:
            parts.append(_css_string(part))
    return " ".join(parts)


def _css_string(text):
    """A quoted CSS string; anything but letters, digits and spaces is escaped (no "</style>")."""
    escaped = "".join(
        char if char.isalnum() or char == " " else f"\\{ord(char):x} " for char in text
    )
    return f'"{escaped}"'


class _Register:
    """The registry read once: AIM, its DPO, and the rows. Build it under the language wanted."""

    def __init__(self, aim, activities):
        self.aim = aim
        self.dpo = getattr(aim, "dpo", None) if aim is not None else None
        self.rows = [self.row(activity) for activity in activities]

    @classmethod
    def load(cls):
        aim = Organisation.objects.filter(kind=Organisation.Kind.AIM).select_related("dpo").first()
        activities = ProcessingActivity.objects.with_relations().order_by("position", "name")
        return cls(aim, activities)

    def controller_info(self):
        aim, dpo = self.aim, self.dpo
        return {
            "name": _text(aim and aim.name),
            "enterprise_number": format_enterprise_number(aim.enterprise_number if aim else ""),
            "address": _text(aim and aim.address),
            "email": _text(aim and aim.email),
            "website": _text(aim and aim.website),
            "dpo": {
                "name": _text(dpo and dpo.name),
                "email": _text(dpo and dpo.email),
                "phone": _text(dpo and dpo.phone),
                "postal_address": _text(dpo and dpo.postal_address),
            },
        }

    def row(self, activity):
        controller, dpo = activity.controller, self.dpo
        data_categories = _sorted(activity.data_categories.all())
        return {
            "identifier": activity.slug,
            "name": _text(activity.name),
            "purposes": _text(activity.purposes),
            "aim_role": activity.get_aim_role_display(),
            "controller_name": _text(controller.name),
            "controller_enterprise_number": format_enterprise_number(controller.enterprise_number),
            "controller_address": _text(controller.address),
            "controller_contact": _lines(controller.email, controller.website),
            "dpo_name": _text(dpo and dpo.name),
            "dpo_contact": _lines(dpo and dpo.email, dpo and dpo.phone, dpo and dpo.postal_address),
            "legal_bases": _join(
                _legal_basis(basis) for basis in _sorted(activity.legal_bases.all())
            ),
            "subject_categories": _join(
                category.name for category in _sorted(activity.subject_categories.all())
            ),
            "data_categories": _join(_data_category(category) for category in data_categories),
            "special_categories": _yes_no(
                any(category.is_special_category for category in data_categories)
            ),
            # "No recipients" said in the registry, not an empty cell that could mean unknown.
            "recipients": _join(
                _recipient(recipient) for recipient in _sorted(activity.recipients.all())
            )
            or (
                str(_("None: AIM discloses these data to no one")) if activity.no_recipients else ""
            ),
            "sources": _join(source.name for source in _sorted(activity.sources.all())),
            "processors": _join(processor.name for processor in _sorted(activity.processors.all())),
            "transfers": _join(
                _transfer(transfer)
                for transfer in sorted(activity.transfers.all(), key=_transfer_sort_key)
            ),
            "retention": _join(
                _retention(rule) for rule in _sorted(activity.retention_rules.all())
            ),
            "security_measures": _text(activity.security_measures),
            "profiling": _flag_with_text(activity.profiling, activity.profiling_description),
            "automated_decisions": _flag_with_text(
                activity.automated_decisions, activity.automated_decisions_description
            ),
            "pseudonymisation": activity.get_pseudonymisation_display(),
            "status": activity.get_status_display(),
            "ended_on": activity.ended_on.isoformat() if activity.ended_on else "",
            "replaced_by": _text(activity.replaced_by and activity.replaced_by.name),
        }


def _legal_basis(basis):
    details = [basis.get_article_6_display(), basis.get_article_9_display()]
    law = _text(basis.national_law)
    if law:
        articles = _text(basis.national_law_articles)
        details.append(f"{law}, {articles}" if articles else law)
    if basis.rests_on_deliberation:
        details.append(gettext("deliberations of the Information Security Committee"))
    return _with_details(basis.name, details)


def _data_category(category):
    if category.is_special_category:
        return _with_details(category.name, [gettext("special category, Art. 9")])
    return _text(category.name)


def _recipient(recipient):
    return _with_details(
        recipient.name,
        [organisation.name for organisation in _sorted(recipient.organisations.all())],
    )


def _transfer(transfer):
    destination = str(transfer.country.name) if transfer.country else gettext("any country")
    safeguard = transfer.get_safeguard_display()
    text = f"{destination}: {safeguard}" if safeguard else destination
    recipient = transfer.recipient_organisation
    return _with_details(text, [recipient and recipient.name, transfer.reference])


def _transfer_sort_key(transfer):
    return _sort_key(str(transfer.country.name) if transfer.country else "")


def _retention(rule):
    return _with_details(f"{_text(rule.name)}: {rule.duration_display}", [rule.starts_at])


def _with_details(text, details):
    details = [_text(detail) for detail in details if _text(detail)]
    return f"{_text(text)} ({', '.join(details)})" if details else _text(text)


def _flag_with_text(flag, description):
    if flag and _text(description):
        return f"{_yes_no(True)}: {_text(description)}"
    return _yes_no(flag)


def _yes_no(flag):
    return gettext("Yes") if flag else gettext("No")


def _text(value):
    return str(value).strip() if value else ""


def _lines(*values):
    return "\n".join(_text(value) for value in values if _text(value))


def _join(values):
    return LIST_SEPARATOR.join(value for value in values if value)


def _sort_key(text):
    """Alphabetical in FR and NL alike: accents and case do not move a word to the end."""
    decomposed = unicodedata.normalize("NFKD", _text(text).casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _sorted(objects):
    return sorted(objects, key=lambda obj: _sort_key(obj.name))


def _set_text_or_value(cell, value):
    """Write a value (empty text: an empty cell); text starting with "=" is never a formula."""
    if isinstance(value, str):
        cell.value = value or None
        if value:
            cell.data_type = "s"
    else:
        cell.value = value


def _sheet_title(title):
    """Excel sheet titles: at most 31 characters, none of []:*?/\\."""
    text = str(title)
    for char in "[]:*?/\\":
        text = text.replace(char, " ")
    return text[:31]
