"""Atom feed of the published versions of the declaration, one per language.

Atom (RFC 4287) wants an author on the feed: it is AIM, the controller named by the registry
snapshot of the latest published version, in the feed's language with its website; never a
person's name or e-mail address.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from notices.models import Notice, NoticeVersion
from notices.templatetags.dates import long_date

FEED_LENGTH = 50


class VersionFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request):
        notice = get_object_or_404(Notice, slug=settings.NOTICES_PRIMARY_SLUG)
        versions = NoticeVersion.objects.filter(notice=notice)
        notice.publisher = versions.publisher(translation.get_language()) or {}
        return notice

    def title(self, notice):
        return _("%(title)s: new versions") % {"title": notice.title}

    def link(self, notice):
        return reverse("notices:archive")

    def subtitle(self, notice):
        return _("Each published version of the declaration, with the date it takes effect.")

    def author_name(self, notice):
        # Before anything is published (or without the name in this language), the agency's
        # name as the site's own pages give it.
        return notice.publisher.get("name") or _("AIM")

    def author_link(self, notice):
        return notice.publisher.get("uri")

    def items(self, notice):
        return (
            NoticeVersion.objects.filter(notice=notice)
            .archive()
            .order_by("-published_at")[:FEED_LENGTH]
        )

    def item_title(self, version):
        if version.effective_from is None:
            return _(
                "Version %(number)s, in force before the portal opened (date not recorded)"
            ) % {"number": version.number}
        return _("Version %(number)s, in force from %(date)s") % {
            "number": version.number,
            "date": long_date(version.effective_from),
        }

    def item_description(self, version):
        return getattr(version, f"change_summary_{translation.get_language()}")

    def item_link(self, version):
        return reverse("notices:version", kwargs={"number": version.number})

    def item_guid(self, version):
        return f"urn:sha256:{version.sha256}"

    item_guid_is_permalink = False

    def item_pubdate(self, version):
        return version.published_at

    def item_updateddate(self, version):
        return version.published_at

    def feed_extra_kwargs(self, notice):
        return {}

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        response["Cache-Control"] = "public, max-age=300"
        return response
