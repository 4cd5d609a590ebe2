"""What the registry still lacks for AIM's notice (GDPR Art. 13 and 14) and record (Art. 30).

``registry_gaps()`` reads the activities in force, and the organisations the notice names as a
whole (AIM, its DPO, the supervisory authority, the official list of the insurers' contacts), in
a constant number of queries, and returns one ``Gap`` per missing element with its article.

A gap's message is formatted when it is read, in the language active at that moment: the same
list serves the admin overview in French or Dutch and the refusal to publish a notice.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from modeltranslation.utils import build_localized_fieldname

# Gap, gap_admin_url and object_label are imported from here by the admin overview and the tests.
from registry.gaps import (  # noqa: F401
    ART_6,
    ART_9,
    ART_AUTOMATED,
    ART_CHANNEL_SOURCE,
    ART_COMPLAINT,
    ART_CONTROLLER,
    ART_DATA,
    ART_DPO,
    ART_LEGAL_BASIS,
    ART_NO_ACTIVITY,
    ART_PROFILING,
    ART_PURPOSES,
    ART_RECIPIENTS,
    ART_RETENTION,
    ART_RIGHTS,
    ART_ROLE,
    ART_SAFEGUARD,
    ART_SECURITY,
    ART_SOURCES,
    ART_STORAGE_LIMITATION,
    ART_SUBJECTS,
    ART_THIRD_COUNTRY,
    Gap,
    _Collector,
    _CountryName,
    _in_any_language,
    _Label,
    _Labels,
    _languages,
    _translated_fields,
    gap_admin_url,
    object_label,
)
from registry.models import (
    ChannelSource,
    DataCategory,
    DataProtectionOfficer,
    Organisation,
    ProcessingActivity,
    RetentionRule,
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


def _check_role(collect, activity):
    """One role per activity, and rights routed as that role implies (Art. 13(1)(a), 26, 28)."""
    Role, Handler = ProcessingActivity.Role, ProcessingActivity.RightsHandler
    handled_by = activity.rights_handled_by
    if activity.aim_role == Role.CONTROLLER and handled_by in (
        Handler.OWN_INSURER,
        Handler.ORGANISATION,
    ):
        if handled_by == Handler.ORGANISATION and (
            activity.rights_organisation_id == activity.controller_id
        ):
            return
        handler = (
            _Label(activity.rights_organisation)
            if handled_by == Handler.ORGANISATION and activity.rights_organisation
            else activity.get_rights_handled_by_display()
        )
        collect.add(
            "controller_rights_elsewhere", ART_ROLE, {"handler": handler}, activity=activity
        )
    elif activity.aim_role == Role.PROCESSOR and handled_by == Handler.AIM:
        collect.add("processor_rights_to_aim", ART_ROLE, activity=activity)


def _check_channel_sources(collect):
    """Every contact channel of an insurer says where it was found (a query or two)."""
    insurers = Organisation.objects.insurers().prefetch_related("channel_sources")
    for insurer in insurers:
        missing = insurer.channels_without_source()
        if missing:
            collect.add(
                "channel_without_source",
                ART_CHANNEL_SOURCE,
                {"object": _Label(insurer), "channels": _ChannelLabels(tuple(missing))},
                obj=insurer,
            )


@dataclass(frozen=True)
class _ChannelLabels:
    channels: tuple

    def __str__(self):
        return ", ".join(str(ChannelSource.Channel(c).label) for c in self.channels)


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
    _check_role(collect, a)

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
    # "No recipients" is a statement the notice makes; an empty list alone says nothing.
    if recipients and a.no_recipients:
        add("recipients_and_no_recipients", ART_RECIPIENTS, activity=a)
    elif not recipients and not a.no_recipients:
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
        # Transfer.clean() refuses an EEA country; this finds a row saved before that rule.
        if transfer.in_eea:
            collect.add(
                "transfer_inside_eea",
                ART_THIRD_COUNTRY,
                {"object": _Label(transfer), "country": _CountryName(transfer.country.code)},
                activity=activity,
                obj=transfer,
            )
        elif not transfer.safeguard:
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
            if transfer.in_eea:
                continue
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
            # Fixed by adding a transfer to the activity: its page, at the transfers.
            collect.add(
                code,
                ART_THIRD_COUNTRY,
                {
                    "object": _Label(organisation),
                    "country": _CountryName(organisation.country.code),
                },
                activity=activity,
                anchor="transfers-group",
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
    _check_channel_sources(collect)
    for activity in activities:
        _check_activity(collect, activity)
    return collect.gaps
