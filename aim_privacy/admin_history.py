"""simple_history's History pages made readable, for every app's admin.

A history line shows a choice's label, not its stored value; "—" for nothing, never "None"; a
related object that no longer exists said so in words; a long value shortened with "…". The
package's own templates are overridden in templates/simple_history/ so that their strings reach
the project's catalogs (simple_history has no Dutch catalog).
"""

import dataclasses

from django.contrib.admin.utils import display_for_field
from django.db import models as db_models
from django.utils.translation import gettext
from modeltranslation.translator import NotRegistered, translator
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper, ObjDiffDisplay

EMPTY_VALUE = "—"


class ReadableHistoryHelper(HistoricalRecordContextHelper):
    """A history line's values as the admin shows them: a choice's label, not its stored value;
    "—" for nothing, never "None"; a related object that no longer exists said so in words.
    A translated field's changes are its "[fr]" and "[nl]" lines, not also the untranslated
    copy that django-modeltranslation keeps in step with one of them."""

    def context_for_delta_changes(self, delta):
        translated = _translated_field_names(self.model)
        changes = [change for change in delta.changes if change.field not in translated]
        return super().context_for_delta_changes(dataclasses.replace(delta, changes=changes))

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if isinstance(field, db_models.ManyToManyField):
            names = [str(name) for name in super().prepare_delta_change_value(change, value)]
            return ", ".join(names) or EMPTY_VALUE
        if isinstance(value, DeletedObject):
            if value.pk is None:
                return EMPTY_VALUE
            return gettext("%(type_name)s (no longer exists)") % {
                "type_name": value.model._meta.verbose_name
            }
        if isinstance(value, db_models.Model):
            return str(value)
        if value is None or value == "":
            return EMPTY_VALUE
        if isinstance(value, bool):
            return gettext("Yes") if value else gettext("No")
        if field.flatchoices:
            return dict(field.flatchoices).get(value, value)
        return display_for_field(value, field, EMPTY_VALUE)

    def stringify_delta_change_values(self, change, old, new):
        # A list is already joined above; never the package's "[a, b]".
        return super().stringify_delta_change_values(change, str(old), str(new))

    def get_obj_diff_display(self):
        return ShortenedDiffDisplay(max_length=self.max_displayed_delta_change_chars)


def _translated_field_names(model):
    try:
        return set(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return set()


class ShortenedDiffDisplay(ObjDiffDisplay):
    """A long value shortened with "…", not the package's English "[123 chars]"."""

    def shortened_str(self, prefix, num_skipped_chars, suffix):
        return f"{prefix}…{suffix}"


class ReadableHistoryAdmin(SimpleHistoryAdmin):
    """simple_history's "History" pages with readable change lines (ReadableHistoryHelper)."""

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableHistoryHelper(self.model, historical_record)
