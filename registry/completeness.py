"""What the registry still lacks for AIM's notice (GDPR Art. 13 and 14) and record (Art. 30).

``registry_gaps()`` reads the activities in force, and the organisations the notice names as a
whole (AIM, its DPO, the supervisory authority, the official list of the insurers' contacts), in
a constant number of queries, and returns one ``Gap`` per missing element with its article.

A gap's message is formatted when it is read, in the language active at that moment: the same
list serves the admin overview in French or Dutch and the refusal to publish a notice.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Model, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname

from registry.models import (
    DataCategory,
    DataProtectionOfficer,
    Organisation,
    ProcessingActivity,
    RetentionRule,
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
    "no_recipients": _("No recipient or category of recipients is given."),
    "no_retention": _("No retention rule is given."),
    "no_sources": _("The data are not collected from the person, but their source is not given."),
    "processor_outside_eea": _(
        "The processor %(object)s is outside the EEA (%(country)s), but the activity records "
        "no transfer to it or to its country."
    ),
    "recipient_outside_eea": _(
        "The recipient %(object)s is outside the EEA (%(country)s), but the activity records "
        "no transfer to it or to its country."
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
    fix when it is not the activity itself; ``language`` is set for a missing translation.
    """

    code: str
    article: str
    params: dict = field(default_factory=dict, hash=False)
    activity: ProcessingActivity | None = None
    obj: Model | None = None
    language: str | None = None

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

    def add(self, code, article, params=None, *, activity=None, obj=None, language=None):
        self.gaps.append(
            Gap(code, article, params or {}, activity=activity, obj=obj, language=language)
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


def _notice_organisations():
    """AIM (with its DPO), the authorities and whoever publishes a contact list: one query."""
    directory = Q()
    for code in _languages():
        directory |= ~Q(**{build_localized_fieldname("contact_directory_url", code): ""})
    return list(
        Organisation.objects.filter(
            Q(kind__in=[Organisation.Kind.AIM, Organisation.Kind.AUTHORITY]) | directory
        )
        .select_related("dpo")
        .order_by("kind", "pk")
    )


def _dpo_of(organisation):
    try:
        return organisation.dpo
    except DataProtectionOfficer.DoesNotExist:
        return None


def _check_notice(collect, organisations, activities):
    aim = next((o for o in organisations if o.kind == Organisation.Kind.AIM), None)
    if aim is None:
        collect.add("no_controller", ART_CONTROLLER)
    else:
        for name in ("name", "address", "enterprise_number"):
            present = (
                _in_any_language(aim, name)
                if name in _translated_fields(Organisation)
                else getattr(aim, name)
            )
            if not present:
                collect.add(
                    "controller_field_missing",
                    ART_CONTROLLER,
                    {"field": Organisation._meta.get_field(name).verbose_name},
                    obj=aim,
                )
        dpo = _dpo_of(aim)
        if dpo is None:
            collect.add("no_dpo", ART_DPO, obj=aim)
        elif not (dpo.email or dpo.phone or _in_any_language(dpo, "postal_address")):
            collect.add("dpo_without_contact", ART_DPO, obj=dpo)
        collect.translations(aim)
        collect.translations(dpo)

    authorities = [o for o in organisations if o.kind == Organisation.Kind.AUTHORITY]
    reachable = [
        o for o in authorities if _in_any_language(o, "website") or _in_any_language(o, "address")
    ]
    if not reachable:
        collect.add("no_authority", ART_COMPLAINT, obj=authorities[0] if authorities else None)
    for authority in reachable:
        collect.translations(authority)

    if any(a.rights_handled_by == ProcessingActivity.RightsHandler.OWN_INSURER for a in activities):
        _check_contact_directory(collect, organisations)

    if not activities:
        collect.add("no_activity", ART_NO_ACTIVITY)

    if any(a.rights_handled_by == ProcessingActivity.RightsHandler.AIM for a in activities):
        _check_requests_retention(collect)


def _check_requests_retention(collect):
    """Requests AIM answers itself are stored by the portal (requests/), and the daily job
    anonymises them after the period of this rule: without it, they would be kept forever."""
    slug = settings.RIGHTS_REQUESTS_RETENTION_RULE
    rule = RetentionRule.objects.filter(slug=slug).first()
    if rule is None or rule.duration is None:
        collect.add("no_requests_retention", ART_STORAGE_LIMITATION, {"slug": slug}, obj=rule)


def _check_contact_directory(collect, organisations):
    languages = _languages()
    names = {code: build_localized_fieldname("contact_directory_url", code) for code in languages}
    publishers = [o for o in organisations if any(getattr(o, n) for n in names.values())]
    complete = [o for o in publishers if all(getattr(o, n) for n in names.values())]
    if complete:
        for publisher in complete:
            collect.translations(publisher)
        return
    if not publishers:
        collect.add("no_contact_directory", ART_RIGHTS)
        return
    publisher = publishers[0]
    for code, name in names.items():
        if not getattr(publisher, name):
            collect.add(
                "contact_directory_language_missing",
                ART_RIGHTS,
                {"object": _Label(publisher), "language": dict(settings.LANGUAGES).get(code, code)},
                obj=publisher,
                language=code,
            )
            collect.mark_translation_reported(publisher, "contact_directory_url", code)
    collect.translations(publisher)


def _check_activity(collect, activity):
    add = collect.add
    a = activity
    bases = list(a.legal_bases.all())
    categories = list(a.data_categories.all())
    subjects = list(a.subject_categories.all())
    sources = list(a.sources.all())
    recipients = list(a.recipients.all())
    processors = list(a.processors.all())
    retention_rules = list(a.retention_rules.all())
    transfers = list(a.transfers.all())

    if not _in_any_language(a, "purposes"):
        add("no_purposes", ART_PURPOSES, activity=a)

    if not bases:
        add("no_legal_basis", ART_LEGAL_BASIS, activity=a)
    for basis in bases:
        if not basis.article_6:
            collect.add_once(
                "legal_basis_without_article_6",
                ART_6,
                {"object": _Label(basis)},
                activity=a,
                obj=basis,
            )
    special = tuple(c for c in categories if c.is_special_category)
    if special and not any(b.article_9 for b in bases):
        add(
            "special_category_without_article_9",
            ART_9,
            {"categories": _Labels(special)},
            activity=a,
        )

    if not categories:
        add("no_data_categories", ART_DATA, activity=a)
    if not subjects:
        add("no_subject_categories", ART_SUBJECTS, activity=a)
    if not recipients:
        add("no_recipients", ART_RECIPIENTS, activity=a)
    if not retention_rules:
        add("no_retention", ART_RETENTION, activity=a)

    collected_from_person = bool(categories) and all(
        c.kind == DataCategory.Kind.CONTACT for c in categories
    )
    if (
        not sources
        and a.rights_handled_by == ProcessingActivity.RightsHandler.OWN_INSURER
        and not collected_from_person
    ):
        add("no_sources", ART_SOURCES, activity=a)

    _check_third_countries(collect, a, processors, recipients, transfers)

    if not _in_any_language(a, "security_measures"):
        add("no_security_measures", ART_SECURITY, activity=a)
    if a.profiling and not _in_any_language(a, "profiling_description"):
        add("profiling_without_description", ART_PROFILING, activity=a)
    if a.automated_decisions and not _in_any_language(a, "automated_decisions_description"):
        add("automated_decisions_without_description", ART_AUTOMATED, activity=a)

    if a.rights_handled_by == ProcessingActivity.RightsHandler.ORGANISATION:
        if a.rights_organisation is None:
            add("no_rights_organisation", ART_RIGHTS, activity=a)
        elif not a.rights_organisation.has_rights_channel:
            collect.add_once(
                "rights_organisation_without_channel",
                ART_RIGHTS,
                {"object": _Label(a.rights_organisation)},
                activity=a,
                obj=a.rights_organisation,
            )

    # Missing translations: the activity, then everything it links to, each object once.
    linked = [a, a.controller, a.rights_organisation]
    linked += bases + categories + subjects + sources + recipients
    linked += [o for r in recipients for o in r.organisations.all()]
    linked += processors + retention_rules
    for transfer in transfers:
        linked += [transfer, transfer.recipient_organisation]
    for obj in linked:
        collect.translations(obj, activity=a)


def _check_third_countries(collect, activity, processors, recipients, transfers):
    for transfer in transfers:
        if not transfer.safeguard:
            collect.add(
                "transfer_without_safeguard",
                ART_SAFEGUARD,
                {"object": _Label(transfer)},
                activity=activity,
                obj=transfer,
            )

    def covered(organisation):
        # A transfer naming the organisation, or (naming no one else) its country or any country.
        for transfer in transfers:
            if transfer.recipient_organisation_id == organisation.pk:
                return True
            if transfer.recipient_organisation_id is None and (
                transfer.any_country or transfer.country.code == organisation.country.code
            ):
                return True
        return False

    seen = set()
    outside = [("processor_outside_eea", o) for o in processors]
    outside += [("recipient_outside_eea", o) for r in recipients for o in r.organisations.all()]
    for code, organisation in outside:
        if organisation.pk in seen or organisation.in_eea:
            continue
        seen.add(organisation.pk)
        if not covered(organisation):
            collect.add(
                code,
                ART_THIRD_COUNTRY,
                {
                    "object": _Label(organisation),
                    "country": _CountryName(organisation.country.code),
                },
                activity=activity,
                obj=organisation,
            )


def registry_gaps(*, activities=None):
    """Every element GDPR Art. 13, 14 and 30 require that the registry lacks, with its article.

    ``activities`` defaults to the activities in force; a queryset given is read with its
    relations prefetched, a list is taken as it is. The gaps about the notice as a whole
    (``activity`` None) come first, then those of each activity in order.
    """
    if activities is None:
        activities = ProcessingActivity.objects.in_force()
    if hasattr(activities, "with_relations"):
        activities = activities.with_relations()
    activities = list(activities)

    collect = _Collector()
    _check_notice(collect, _notice_organisations(), activities)
    for activity in activities:
        _check_activity(collect, activity)
    return collect.gaps
