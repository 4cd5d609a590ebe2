"""The publish page's parts: the registry gaps the DPO may acknowledge for one publication,
each naming its activity and linking to the object to fix, and the sections to check.

Publishing itself is `notices.services.notice_version_publish`; this module only prepares what
the page shows and reads back what the DPO ticked.
"""

from django import forms
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from notices import forms as notice_forms
from notices.services import keyed_gaps, notice_version_problems, translation_problems
from registry.completeness import object_label, registry_gaps
from registry.gaps import gap_admin_url


class PublishWithGapsForm(notice_forms.PublishForm):
    """The date, and the registry gaps the DPO acknowledges for this publication only."""

    acknowledge = forms.MultipleChoiceField(
        label=_("Publish with these gaps acknowledged"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _(
                "The registry changed since this page was shown: check the gaps again."
            )
        },
    )
    gaps_reason = forms.CharField(
        label=_("Why this version cannot wait"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text=_(
            "Required when a gap is acknowledged. Kept with this version's published data, "
            "which anyone can download (JSON): write no personal data."
        ),
    )

    def __init__(self, *args, gaps, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["acknowledge"].choices = [(key, key) for key, _gap in gaps]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("acknowledge") and not (cleaned.get("gaps_reason") or "").strip():
            self.add_error(
                "gaps_reason", _("Say why this version cannot wait for these gaps to be fixed.")
            )
        return cleaned


def _gap_rows(gaps, acknowledged=()):
    """Each gap with its activity and a link to where it is fixed (registry.gaps.gap_admin_url:
    the object, anchored to the part of the activity's page; else the registry overview)."""
    rows = []
    for key, gap in gaps:
        url = gap_admin_url(gap)
        if url is None:
            try:
                url = reverse("admin:registry_overview")
            except NoReverseMatch:
                url = None
        rows.append(
            {
                "key": key,
                "article": gap.article,
                "message": gap.message,
                "activity": object_label(gap.activity) if gap.activity is not None else None,
                "target": object_label(gap.target) if gap.target is not None else None,
                "url": url,
                "checked": key in acknowledged,
            }
        )
    return rows


def problem_context(version, acknowledged=(), gaps=None):
    """What stops publishing: translation checks (with their button), other problems of the
    text, and the registry gaps (with their activity and link)."""
    translation = [
        {
            "message": message,
            "mark_url": reverse(
                "admin:notices_noticeversion_translation_checked", args=[version.pk, section.pk]
            ),
        }
        for section, message in translation_problems(version=version)
    ]
    own = {row["message"] for row in translation}
    gaps = keyed_gaps(registry_gaps()) if gaps is None else gaps
    return {
        "translation_problems": translation,
        "problems": [
            problem
            for problem in notice_version_problems(version=version, include_registry=False)
            if problem not in own
        ],
        "gap_rows": _gap_rows(gaps, acknowledged),
    }


def acknowledged_gaps_html(obj):
    """For staff only: the gaps published with, and why (the public pages never say)."""
    entries = (obj.snapshot or {}).get("registry_gaps_acknowledged") or []
    if not entries:
        return "-"
    return format_html(
        "<ul>{}</ul>",
        format_html_join(
            "",
            "<li>{} ({}{}): {}</li>",
            (
                (
                    entry["article"],
                    entry["code"],
                    f", {entry['activity']}" if entry.get("activity") else "",
                    entry.get("reason") or obj.historical_note,
                )
                for entry in entries
            ),
        ),
    )
