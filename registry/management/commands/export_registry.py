"""manage.py export_registry --format csv|json|xlsx|pdf --language fr|nl [--output PATH]"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from registry.exports import BINARY_FORMATS, FORMATS, register_bytes


class Command(BaseCommand):
    help = (
        "Export the whole record of processing activities (GDPR Art. 30) as CSV, JSON, XLSX or "
        "PDF. CSV and JSON go to standard output unless --output is given; XLSX and PDF need "
        "--output."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", dest="fmt", required=True, choices=FORMATS)
        parser.add_argument(
            "--language", required=True, choices=[code for code, _name in settings.LANGUAGES]
        )
        parser.add_argument(
            "--output",
            metavar="PATH",
            help="File to write. CSV files are written in UTF-8 with a BOM, for Excel.",
        )

    def handle(self, *args, fmt, language, output=None, **options):
        if fmt in BINARY_FORMATS and not output:
            raise CommandError(f"{fmt.upper()} is a binary format: give a file with --output PATH.")
        content = register_bytes(fmt, language=language)
        if not output:
            # The BOM only helps Excel open a file; a pipe gets plain UTF-8 text.
            self.stdout.write(content.decode("utf-8-sig"), ending="")
            return
        path = Path(output)
        if path.is_dir():
            raise CommandError(f"{path} is a directory: give the path of the file to write.")
        try:
            path.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"Cannot write {path}: {exc.strerror or exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(f"Wrote the {language} register as {fmt.upper()} to {path}.")
        )
