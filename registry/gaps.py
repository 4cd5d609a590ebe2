"""The vocabulary of the completeness check: the GDPR articles, the messages, and ``Gap``.

A gap's message is formatted when it is read, in the language active at that moment: the same
list serves the admin overview in French or Dutch and the refusal to publish a notice. The rules
that find the gaps are in ``registry.completeness``.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db.models import Model
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname

from registry.models import (
    DataProtectionOfficer,
    ProcessingActivity,
    Transfer,
)

# --- Articles -------------------------------------------------------------------------------

ART_CONTROLLER = "Art. 13(1)(a), 14(1)(a), 30(1)(a)"
ART_DPO = "Art. 13(1)(b), 14(1)(b), 37(7)"
ART_COMPLAINT = "Art. 13(2)(d), 14(2)(e), 77"
ART_RIGHTS = "Art. 12(2), 13(2)(b), 14(2)(c)"
ART_NO_ACTIVITY = "Art. 13(1)(c), 14(1)(c), 30(1)"
ART_PURPOSES = "Art. 30(1)(b), 13(1)(c), 14(1)(c)"
ART_LEGAL_BASIS = "Art. 6(1), 13(1)(c), 14(1)(c)"
ART_6 = "Art. 6(1)"
ART_9 = "Art. 9(2)"
ART_DATA = "Art. 30(1)(c), 14(1)(d)"
ART_SUBJECTS = "Art. 30(1)(c)"
ART_RECIPIENTS = "Art. 30(1)(d), 13(1)(e), 14(1)(e)"
ART_RETENTION = "Art. 30(1)(f), 13(2)(a), 14(2)(a)"
ART_SOURCES = "Art. 14(2)(f)"
ART_THIRD_COUNTRY = "Art. 44-46, 30(1)(e), 13(1)(f), 14(1)(f)"
ART_SAFEGUARD = "Art. 46, 13(1)(f), 14(1)(f)"
ART_SECURITY = "Art. 30(1)(g), 32"
ART_PROFILING = "Art. 13(2)(f), 14(2)(g)"
ART_AUTOMATED = "Art. 13(2)(f), 14(2)(g), 22"
ART_LANGUAGE = "Art. 12(1)"
ART_STORAGE_LIMITATION = "Art. 5(1)(e), 30(1)(f)"
ART_ROLE = "Art. 13(1)(a), 26, 28"
ART_CHANNEL_SOURCE = "Art. 5(1)(d), 12(2)"

# --- Messages (English source; the catalogs give French and Dutch) --------------------------

MESSAGES = {
    "no_controller": _(
        "AIM itself is not in the registry: add the organisation of kind “AIM itself”."
    ),
    "controller_field_missing": _("AIM's %(field)s is missing."),
    "no_dpo": _("AIM's data protection officer is missing."),
    "dpo_without_contact": _(
        "AIM's data protection officer has no contact: give an e-mail, a postal address or a "
        "phone number."
    ),
    "no_authority": _(
        "No supervisory authority with a website or a postal address: the notice must say "
        "where to lodge a complaint."
    ),
    "no_contact_directory": _(
        "Rights requests go to the person's own health insurer, but no organisation gives the "
        "official contact list of the insurers."
    ),
    "contact_directory_language_missing": _(
        "The official contact list of the insurers (%(object)s) has no address in %(language)s."
    ),
    "no_activity": _("No processing activity is approved: the notice would describe none."),
    "no_purposes": _("The purposes of the processing are missing."),
    "no_legal_basis": _("No legal basis is given."),
    "legal_basis_without_article_6": _(
        "The legal basis “%(object)s” does not give its GDPR Art. 6(1) point."
    ),
    "special_category_without_article_9": _(
        "The data include special categories (%(categories)s), but no legal basis gives a "
        "GDPR Art. 9(2) point."
    ),
    "no_data_categories": _("No category of personal data is given."),
    "no_subject_categories": _("No category of data subjects is given."),
    "no_recipients": _(
        "No recipient or category of recipients is given: name them, or tick “no recipients” "
        "when AIM discloses these data to no one."
    ),
    "recipients_and_no_recipients": _(
        "“No recipients” is ticked, but recipients are listed: untick it, or remove them."
    ),
    "no_retention": _("No retention rule is given."),
    "no_sources": _("The data are not collected from the person, but their source is not given."),
    "processor_outside_eea": _(
        "The processor %(object)s is outside the EEA (%(country)s), but the activity records "
        "no transfer to it or to its country: add the transfer, with its safeguard, to the "
        "activity."
    ),
    "recipient_outside_eea": _(
        "The recipient %(object)s is outside the EEA (%(country)s), but the activity records "
        "no transfer to it or to its country: add the transfer, with its safeguard, to the "
        "activity."
    ),
    "transfer_inside_eea": _(
        "The transfer to %(object)s is recorded as a third-country transfer, but %(country)s "
        "is in the European Economic Area: delete the transfer, and record the organisation as "
        "a recipient or a processor of the activity."
    ),
    "transfer_without_safeguard": _(
        "The transfer to %(object)s has no safeguard (adequacy decision, standard clauses, "
        "binding corporate rules, deliberation or derogation)."
    ),
    "no_security_measures": _("The security measures are not described."),
    "profiling_without_description": _(
        "The activity involves profiling, but what it does and for whom is not described."
    ),
    "automated_decisions_without_description": _(
        "The activity takes automated decisions, but their logic and consequences are not "
        "described."
    ),
    "no_rights_organisation": _(
        "Rights requests go to another organisation, but that organisation is not named."
    ),
    "rights_organisation_without_channel": _(
        "%(object)s answers rights requests, but none of its channels is given (web form, "
        "e-mail, postal address or phone)."
    ),
    "no_requests_retention": _(
        "Requests to AIM's data protection officer are stored by this portal, but the "
        "retention rule “%(slug)s” that says how long they are kept is missing or has no "
        "duration: they would never be anonymised."
    ),
    "controller_rights_elsewhere": _(
        "AIM is recorded as controller of this activity, but rights requests are sent to "
        "%(handler)s: a controller answers them itself, and the notice names it as such (a "
        "processor acts for a controller, Art. 28; joint controllers say who answers, Art. 26). "
        "Settle in the registry either AIM's role or where rights requests go."
    ),
    "processor_rights_to_aim": _(
        "AIM is recorded as processor of this activity, but rights requests are sent to AIM's "
        "data protection officer: a processor acts for the controller, who answers them "
        "(Art. 28). Settle in the registry either AIM's role or where rights requests go."
    ),
    "channel_without_source": _(
        "%(object)s: no source is recorded for %(channels)s. Record where each was found and "
        "when it was checked, or remove it."
    ),
    "translation_missing": _(
        "Text missing in %(language)s: %(field)s of the %(model)s “%(object)s”."
    ),
}


def _languages():
    return [code for code, _name in settings.LANGUAGES]


def _current_language_first():
    languages = _languages()
    current = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if current in languages:
        languages.remove(current)
        languages.insert(0, current)
    return languages


def _translated_fields(model):
    try:
        return tuple(translator.get_options_for_model(model).fields)
    except NotRegistered:
        return ()


def _value(obj, name):
    """A field in the current language, else in another one: no fallback is configured."""
    if name not in _translated_fields(type(obj)):
        return getattr(obj, name, "")
    for language in _current_language_first():
        value = getattr(obj, build_localized_fieldname(name, language), "")
        if value:
            return value
    return ""


def _in_any_language(obj, name):
    return any(getattr(obj, build_localized_fieldname(name, code)) for code in _languages())


def object_label(obj):
    """How a gap names an object, in the current language (another one when it is empty)."""
    if obj is None:
        return ""
    if isinstance(obj, DataProtectionOfficer):
        return obj.name
    if isinstance(obj, Transfer):
        place = str(obj)
        if obj.recipient_organisation_id:
            return f"{object_label(obj.recipient_organisation)} ({place})"
        return place
    name = _value(obj, "name") if hasattr(obj, "name") else ""
    return str(name or getattr(obj, "slug", "") or obj.pk)


@dataclass(frozen=True)
class _Label:
    """An object's name, rendered only when the message is: in the language of that moment."""

    obj: Model

    def __str__(self):
        return object_label(self.obj)


@dataclass(frozen=True)
class _Labels:
    objs: tuple

    def __str__(self):
        return ", ".join(object_label(obj) for obj in self.objs)


@dataclass(frozen=True)
class _CountryName:
    code: str

    def __str__(self):
        return str(countries.name(self.code) or self.code)


@dataclass(frozen=True)
class Gap:
    """One element GDPR requires and the registry lacks.

    ``activity`` is None for what concerns the notice as a whole; ``obj`` is the object to
    fix when it is not the activity itself (never an object merely named in the message: a
    processor outside the EEA is fixed by adding a transfer to the activity, not by changing
    the processor); ``anchor`` is the part of the activity's admin page where the fix is made
    (``transfers-group``, its inline of transfers); ``language`` is set for a missing
    translation.
    """

    code: str
    article: str
    params: dict = field(default_factory=dict, hash=False)
    activity: ProcessingActivity | None = None
    obj: Model | None = None
    language: str | None = None
    anchor: str | None = None

    @property
    def message(self):
        """The message in the active language, with its parameters rendered in it too."""
        template = str(MESSAGES[self.code])
        if not self.params:
            return template
        return template % {key: str(value) for key, value in self.params.items()}

    @property
    def target(self):
        """The object to change to close the gap: the offending object, else the activity."""
        return self.obj if self.obj is not None else self.activity

    def __str__(self):
        return f"{self.article}: {self.message}"


class _Collector:
    def __init__(self):
        self.gaps = []
        self._seen = set()
        self._checked_translations = set()

    def add(
        self, code, article, params=None, *, activity=None, obj=None, language=None, anchor=None
    ):
        self.gaps.append(
            Gap(
                code,
                article,
                params or {},
                activity=activity,
                obj=obj,
                language=language,
                anchor=anchor,
            )
        )

    def add_once(self, code, article, params=None, *, obj, activity=None):
        """A gap about a shared object's own content: reported once, not once per activity."""
        key = (code, obj._meta.label, obj.pk)
        if key in self._seen:
            return
        self._seen.add(key)
        self.add(code, article, params, activity=activity, obj=obj)

    def mark_translation_reported(self, obj, name, language):
        self._checked_translations.add((obj._meta.label, obj.pk, name, language))

    def translations(self, obj, *, activity=None):
        """Every translated field filled in one language and empty in another, once per object."""
        if obj is None:
            return
        key = (obj._meta.label, obj.pk)
        if key in self._seen:
            return
        self._seen.add(key)
        languages = _languages()
        for name in _translated_fields(type(obj)):
            values = {
                code: getattr(obj, build_localized_fieldname(name, code)) for code in languages
            }
            if not any(values.values()):
                continue
            for language, value in values.items():
                if value or (*key, name, language) in self._checked_translations:
                    continue
                self.add(
                    "translation_missing",
                    ART_LANGUAGE,
                    {
                        "language": dict(settings.LANGUAGES).get(language, language),
                        "field": obj._meta.get_field(name).verbose_name,
                        "model": obj._meta.verbose_name,
                        "object": _Label(obj),
                    },
                    activity=activity,
                    obj=obj,
                    language=language,
                )


# --- Where to fix a gap, in the admin ---------------------------------------------------------

# A gap that names no object: the page to add what is missing.
ADD_FOR_CODE = {
    "no_controller": "registry.Organisation",
    "no_authority": "registry.Organisation",
    "no_contact_directory": "registry.Organisation",
    "no_activity": "registry.ProcessingActivity",
}


def admin_url(view, model, *args):
    """The admin URL of `view` ("change", "add", "changelist") for a model, or None when the
    model has no admin page of its own (for example one edited only inline)."""
    opts = model._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)
    except NoReverseMatch:
        return None


def gap_admin_url(gap) -> str | None:
    """The admin page where the gap is fixed: the change page of ``gap.target`` (anchored to
    the part of the activity's page that fixes it, when the gap says which), else the page to
    add the missing object, else None. Other apps' pages (the notice's publish page) link
    their gaps with it."""
    target = gap.target
    if target is not None:
        url = admin_url("change", type(target), target.pk)
        if url and gap.anchor and target is gap.activity:
            return f"{url}#{gap.anchor}"
        if url:
            return url
        if gap.activity is not None and target is not gap.activity:
            return admin_url("change", type(gap.activity), gap.activity.pk)
        return None
    if gap.code in ADD_FOR_CODE:
        return admin_url("add", apps.get_model(ADD_FOR_CODE[gap.code]))
    return None
