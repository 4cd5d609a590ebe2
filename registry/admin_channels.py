"""Where each contact channel was found and when AIM last checked it, in the admin.

The organisation's change page records the sources inline and warns about the channels to check
again; its list counts them per organisation and filters on them; the sources' own list shows
every recorded channel with the date it was checked. A channel "to check" is one given without
a recorded source, never checked, or last checked more than a year ago
(ChannelSource.CHECK_INTERVAL).
"""

from django.contrib import admin, messages
from django.db import models as db_models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from registry.models import ChannelSource


class ChannelSourceInline(admin.TabularInline):
    model = ChannelSource
    extra = 0
    fields = ["channel", "source_url", "source_note", "checked_on"]
    formfield_overrides = {db_models.URLField: {"assume_scheme": "https"}}
    verbose_name = _("source of a contact channel")
    verbose_name_plural = _("Sources of the contact channels (where found, when last checked)")


class ChannelsToCheckFilter(admin.SimpleListFilter):
    """Organisations with a channel never checked, checked over a year ago, or without source."""

    title = _("contact channels")
    parameter_name = "channels"

    def lookups(self, request, model_admin):
        return [
            ("to_check", _("to check (never, or over a year ago)")),
            ("checked", _("all checked within a year")),
        ]

    def queryset(self, request, queryset):
        if self.value() not in ("to_check", "checked"):
            return queryset
        to_check = [
            organisation.pk
            for organisation in queryset.prefetch_related("channel_sources")
            if organisation.channels_to_check()
        ]
        if self.value() == "to_check":
            return queryset.filter(pk__in=to_check)
        return queryset.exclude(pk__in=to_check)


class ChannelChecksMixin:
    """For OrganisationAdmin: the inline, the count column and the change page's warning."""

    @admin.display(description=_("channels to check"))
    def channels_to_check_column(self, obj):
        return len(obj.channels_to_check()) or "–"  # noqa: RUF001 (an en dash: none)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("channel_sources")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            obj = self.get_object(request, object_id)
            if obj is not None:
                self._warn_channels_to_check(request, obj)
        return super().change_view(request, object_id, form_url, extra_context)

    def _warn_channels_to_check(self, request, obj):
        to_check = obj.channels_to_check()
        if not to_check:
            return
        labels = ", ".join(str(label) for _channel, label in to_check)
        messages.warning(
            request,
            ngettext(
                "This channel has no recorded source, was never checked by AIM or was last "
                "checked more than a year ago: %(channels)s. Check it on the organisation's own "
                "page and record the source and the date.",
                "These channels have no recorded source, were never checked by AIM or were last "
                "checked more than a year ago: %(channels)s. Check them on the organisation's "
                "own pages and record the source and the date.",
                len(to_check),
            )
            % {"channels": labels},
        )


class CheckedFilter(admin.SimpleListFilter):
    title = _("last checked")
    parameter_name = "checked"

    def lookups(self, request, model_admin):
        return [
            ("never", _("never checked")),
            ("old", _("over a year ago")),
            ("recent", _("within a year")),
        ]

    def queryset(self, request, queryset):
        limit = timezone.localdate() - ChannelSource.CHECK_INTERVAL
        if self.value() == "never":
            return queryset.filter(checked_on__isnull=True)
        if self.value() == "old":
            return queryset.filter(checked_on__lt=limit)
        if self.value() == "recent":
            return queryset.filter(checked_on__gte=limit)
        return queryset
