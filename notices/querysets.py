"""The querysets of notice versions and sections: what is published, what is current, and the
bulk writes that must never touch a published version (notices/models.py holds the rows)."""

from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PublishedVersionIsImmutable(Exception):
    """Raised on any attempt to change or delete a published version or its sections."""


class ImmutableWhenPublishedQuerySet(models.QuerySet):
    """Bulk update() and delete() refuse to touch a row of a published version."""

    published_lookup = None  # the path to the version's status

    def _guard(self):
        if self.filter(**{self.published_lookup: "published"}).exists():
            raise PublishedVersionIsImmutable(_("A published version never changes."))

    def update(self, **kwargs):
        self._guard()
        return super().update(**kwargs)

    def bulk_update(self, objs, fields, batch_size=None):
        objs = list(objs)
        self._guard_rows(objs)
        return super().bulk_update(objs, fields, batch_size=batch_size)

    def _guard_rows(self, objs):
        if any(obj._touches_published() for obj in objs):
            raise PublishedVersionIsImmutable(_("A published version never changes."))

    def delete(self):
        self._guard()
        return super().delete()


class NoticeVersionQuerySet(ImmutableWhenPublishedQuerySet):
    def published(self):
        return self.filter(status=self.model.Status.PUBLISHED)

    def newest_first(self):
        """By effective date, newest first; a version whose start is unknown comes last."""
        return self.order_by(F("effective_from").desc(nulls_last=True), "-number")

    def current(self, *, at=None):
        """The published version known to be in force on the given date (today by default).

        A historical version whose start was not recorded was in force when the portal recorded
        it, and until the next version took effect; before that day the portal cannot tell
        (None: see `earliest_undated`).
        """
        at = at or timezone.localdate()
        published = self.published()
        dated = published.filter(effective_from__lte=at).newest_first().first()
        if dated is not None:
            return dated
        undated = self.earliest_undated()
        if undated is not None and timezone.localdate(undated.published_at) <= at:
            return undated
        return None

    def earliest_undated(self):
        """The historical version in force before the portal opened, its start not recorded."""
        return self.published().filter(effective_from__isnull=True).order_by("number").first()

    def archive(self):
        """Every published version, newest first, without its snapshot (large): what the
        archive, the comparison form and the feed list."""
        return self.published().defer("snapshot").newest_first()

    def publisher(self, language):
        """AIM as the latest published version names it, for the Atom feed's author:
        {"name", "uri"} in `language` (the controller of its registry snapshot: an organisation,
        never a person), or None before anything is published or without that language."""
        row = (
            self.published()
            .order_by("-published_at")
            .values_list("snapshot__registry__controller", "snapshot__registry__organisations")
            .first()
        )
        organisation = (row[1] or {}).get(row[0]) if row and row[0] else None
        if not organisation:
            return None
        name = (organisation.get("name") or {}).get(language) or ""
        short = (organisation.get("short_name") or {}).get(language) or ""
        if not name:
            return None
        if short and short not in name:
            name = f"{name} ({short})"
        return {"name": name, "uri": (organisation.get("website") or {}).get(language) or None}

    published_lookup = "status"


class SectionQuerySet(ImmutableWhenPublishedQuerySet):
    published_lookup = "version__status"

    def _versions(self):
        return self.model._meta.get_field("version").related_model.objects

    def update(self, **kwargs):
        # Re-parenting: update(version=published) would move sections into a published version.
        target = kwargs.get("version", kwargs.get("version_id"))
        target_id = getattr(target, "pk", target)
        if (
            target_id is not None
            and self._versions()
            .filter(pk=target_id, status=self._versions().model.Status.PUBLISHED)
            .exists()
        ):
            raise PublishedVersionIsImmutable(_("Nothing is added to a published version."))
        return super().update(**kwargs)

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        self._guard_rows(objs)
        return super().bulk_create(objs, *args, **kwargs)
