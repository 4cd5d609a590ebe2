"""`manage.py record_historical_version`: the DPO's historical import of a draft version.

Ordinary publishing (the admin's "Publish") never backdates. A text that was already in force
before it was entered in the portal is recorded here instead, with the day it took effect, or
`--effective-from unknown` when nobody recorded it (only for a notice's first version), and
where it comes from (`--reason`). The draft is checked like any other and becomes immutable.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from notices.models import NoticeVersion
from notices.services import notice_version_record_historical

UNKNOWN = "unknown"


def _effective_from(raw):
    if raw.strip().lower() == UNKNOWN:
        return None
    try:
        return datetime.date.fromisoformat(raw.strip())
    except ValueError:
        raise CommandError(
            f"--effective-from must be a date such as 2019-05-25, or {UNKNOWN!r}."
        ) from None


class Command(BaseCommand):
    help = (
        "Record a draft version of a notice as historical: already in force since a past date "
        f"(YYYY-MM-DD) or since before the portal opened ({UNKNOWN!r})."
    )

    def add_arguments(self, parser):
        parser.add_argument("notice", help="The notice's identifier (slug), e.g. declaration.")
        parser.add_argument("number", type=int, help="The number of the draft version.")
        parser.add_argument(
            "--effective-from",
            required=True,
            help=f"The day it took effect (YYYY-MM-DD), or {UNKNOWN!r}.",
        )
        parser.add_argument(
            "--reason", required=True, help="Where the text and its date come from."
        )
        parser.add_argument(
            "--by",
            required=True,
            help="The username of the DPO recording it (needs the publish permission).",
        )

    def handle(self, *args, notice, number, effective_from, reason, by, **options):
        effective_from = _effective_from(effective_from)
        user = get_user_model().objects.filter(username=by).first()
        if user is None or not user.has_perm("notices.publish_noticeversion"):
            raise CommandError(f"No user {by!r} with the permission to publish versions.")
        version = NoticeVersion.objects.filter(notice__slug=notice, number=number).first()
        if version is None:
            raise CommandError(f"Notice {notice!r} has no version {number}.")
        try:
            version = notice_version_record_historical(
                version=version, by=user, effective_from=effective_from, reason=reason
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        start = version.effective_from.isoformat() if version.effective_from else "not recorded"
        self.stdout.write(
            self.style.SUCCESS(
                f"Version {number} of {notice!r} recorded as historical, in force from {start} "
                f"(sha256 {version.sha256})."
            )
        )
