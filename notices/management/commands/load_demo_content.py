"""`manage.py load_demo_content`: record version 1 of the declaration if it is not there yet."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from notices.content import NOTICE
from notices.demo import demo_content_load
from notices.models import NoticeVersion


class Command(BaseCommand):
    help = (
        "Record version 1 of AIM's privacy declaration (the text in force before the portal) as "
        "a historical version, its start taken from the setting DEMO_V1_EFFECTIVE_FROM (empty: "
        "not recorded), loading the registry seed first if the registry is empty. Safe to run "
        "again."
    )

    def handle(self, *args, **options):
        loaded = NoticeVersion.objects.filter(notice__slug=NOTICE["slug"], number=1).exists()
        try:
            version = demo_content_load()
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if not loaded:
            self.stdout.write(
                self.style.SUCCESS(f"Declaration version 1 published (sha256 {version.sha256}).")
            )
        elif version.is_published:
            self.stdout.write(f"Declaration version 1 already loaded (sha256 {version.sha256}).")
        else:
            self.stdout.write("Declaration version 1 already loaded, as a draft: nothing done.")
