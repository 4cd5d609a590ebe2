"""`manage.py load_demo_content`: publish version 1 of the declaration if it is not there yet."""

from django.core.management.base import BaseCommand

from notices.content import NOTICE
from notices.demo import demo_content_load
from notices.models import NoticeVersion


class Command(BaseCommand):
    help = (
        "Publish version 1 of AIM's privacy declaration (the text in force before the portal), "
        "loading the registry seed first if the registry is empty. Safe to run again."
    )

    def handle(self, *args, **options):
        loaded = NoticeVersion.objects.filter(notice__slug=NOTICE["slug"], number=1).exists()
        version = demo_content_load()
        if not loaded:
            self.stdout.write(
                self.style.SUCCESS(f"Declaration version 1 published (sha256 {version.sha256}).")
            )
        elif version.is_published:
            self.stdout.write(f"Declaration version 1 already loaded (sha256 {version.sha256}).")
        else:
            self.stdout.write("Declaration version 1 already loaded, as a draft: nothing done.")
