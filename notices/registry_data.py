"""The registry as plain data, in both languages: what a published version freezes.

`registry_data()` reads the registry in a fixed number of queries and returns JSON-ready
dicts. Every citizen-readable text is a {"fr": ..., "nl": ...} pair; choice fields keep their
code and both labels, so a snapshot renders and compares without the live registry.
"""

from django.utils import translation
from django_countries import countries

from registry.models import DataProtectionOfficer, Organisation, ProcessingActivity

LANGUAGES = ("fr", "nl")


def both(obj, field):
    return {language: getattr(obj, f"{field}_{language}") or "" for language in LANGUAGES}


def labels(choices_class, value):
    """A choice's code with its label in each language."""
    if not value:
        return None
    result = {"code": value}
    for language in LANGUAGES:
        with translation.override(language):
            result[language] = str(choices_class(value).label)
    return result


def country(code):
    if not code:
        return None
    result = {"code": str(code)}
    for language in LANGUAGES:
        with translation.override(language):
            result[language] = str(countries.name(str(code)))
    return result


def organisation(org):
    if org is None:
        return None
    return {
        "slug": org.slug,
        "kind": org.kind,
        "insurer_code": org.insurer_code,
        "name": both(org, "name"),
        "short_name": both(org, "short_name"),
        "enterprise_number": org.enterprise_number_display,
        "country": country(org.country.code),
        "in_eea": org.in_eea,
        "address": both(org, "address"),
        "website": both(org, "website"),
        "email": org.email,
        "rights": {
            "web_form": both(org, "rights_web_form"),
            "email": org.rights_email,
            "postal_address": both(org, "rights_postal_address"),
            "phone": org.rights_phone,
        },
        "contact_directory_url": both(org, "contact_directory_url"),
        # Added with the sourced contacts: older snapshots lack this key.
        "privacy_statement_url": both(org, "privacy_statement_url"),
    }


def activity(act):
    P = ProcessingActivity
    return {
        "slug": act.slug,
        "name": both(act, "name"),
        "purposes": both(act, "purposes"),
        "aim_role": labels(P.Role, act.aim_role),
        "controller": act.controller.slug,
        "rights_handled_by": labels(P.RightsHandler, act.rights_handled_by),
        "rights_organisation": act.rights_organisation.slug if act.rights_organisation else None,
        "legal_bases": [
            {
                "slug": basis.slug,
                "name": both(basis, "name"),
                "description": both(basis, "description"),
                "article_6": labels(type(basis).Article6, basis.article_6),
                "article_9": labels(type(basis).Article9, basis.article_9),
                "national_law": both(basis, "national_law"),
                "national_law_articles": both(basis, "national_law_articles"),
                "rests_on_deliberation": basis.rests_on_deliberation,
            }
            for basis in act.legal_bases.all()
        ],
        "data_categories": [
            {
                "slug": category.slug,
                "name": both(category, "name"),
                "description": both(category, "description"),
                "kind": category.kind,
                "special": category.is_special_category,
            }
            for category in act.data_categories.all()
        ],
        "subject_categories": [
            {"slug": subject.slug, "name": both(subject, "name")}
            for subject in act.subject_categories.all()
        ],
        "sources": [source.slug for source in act.sources.all()],
        "recipients": [
            {
                "slug": recipient.slug,
                "name": both(recipient, "name"),
                "condition": both(recipient, "condition"),
                "organisations": [org.slug for org in recipient.organisations.all()],
            }
            for recipient in act.recipients.all()
        ],
        # Added with the explicit "no recipients": older snapshots lack this key.
        "no_recipients": act.no_recipients,
        "processors": [processor.slug for processor in act.processors.all()],
        "retention": [
            {
                "slug": rule.slug,
                "name": both(rule, "name"),
                "duration": rule.duration,
                "unit": labels(type(rule).Unit, rule.unit),
                "starts_at": both(rule, "starts_at"),
                "fixed_by_deliberation": rule.fixed_by_deliberation,
                # Added with event-based retention: older snapshots lack this key.
                "until_event": labels(type(rule).Event, rule.until_event),
                "display": _in_both(lambda rule=rule: rule.duration_display),
            }
            for rule in act.retention_rules.all()
        ],
        "transfers": [
            {
                "country": country(transfer.country.code) if transfer.country else None,
                "any_country": transfer.any_country,
                "recipient": (
                    transfer.recipient_organisation.slug
                    if transfer.recipient_organisation
                    else None
                ),
                "safeguard": labels(type(transfer).Safeguard, transfer.safeguard),
                "reference": both(transfer, "reference"),
            }
            for transfer in act.transfers.all()
        ],
        "pseudonymisation": labels(P.Pseudonymisation, act.pseudonymisation),
        "security_measures": both(act, "security_measures"),
        "profiling": act.profiling,
        "profiling_description": both(act, "profiling_description"),
        "automated_decisions": act.automated_decisions,
        "automated_decisions_description": both(act, "automated_decisions_description"),
    }


def _in_both(function):
    result = {}
    for language in LANGUAGES:
        with translation.override(language):
            result[language] = str(function())
    return result


def registry_data():
    """Everything the notice shows from the registry, keyed so that diffs can pair items."""
    activities = list(ProcessingActivity.objects.in_force().with_relations())
    referenced = set()
    for act in activities:
        referenced.add(act.controller_id)
        referenced.update(org.pk for org in act.sources.all())
        referenced.update(org.pk for org in act.processors.all())
        if act.rights_organisation_id:
            referenced.add(act.rights_organisation_id)
        for recipient in act.recipients.all():
            referenced.update(org.pk for org in recipient.organisations.all())
        referenced.update(
            t.recipient_organisation_id for t in act.transfers.all() if t.recipient_organisation_id
        )
    organisations = (
        Organisation.objects.filter(pk__in=referenced)
        | Organisation.objects.filter(
            kind__in=[Organisation.Kind.AIM, Organisation.Kind.INSURER, Organisation.Kind.AUTHORITY]
        )
        | Organisation.objects.exclude(contact_directory_url_fr="", contact_directory_url_nl="")
    )
    organisations = list(organisations.distinct().order_by("kind", "insurer_code", "slug"))
    aim = next((org for org in organisations if org.kind == Organisation.Kind.AIM), None)
    dpo = (
        DataProtectionOfficer.objects.filter(organisation=aim).first() if aim is not None else None
    )
    return {
        "controller": aim.slug if aim else None,
        "dpo": (
            {
                "name": dpo.name,
                "email": dpo.email,
                "phone": dpo.phone,
                "postal_address": both(dpo, "postal_address"),
            }
            if dpo
            else None
        ),
        "organisations": {org.slug: organisation(org) for org in organisations},
        "insurers": [org.slug for org in organisations if org.kind == Organisation.Kind.INSURER],
        "authority": next(
            (org.slug for org in organisations if org.kind == Organisation.Kind.AUTHORITY), None
        ),
        "contact_directory": next(
            (
                org.slug
                for org in organisations
                if org.contact_directory_url_fr or org.contact_directory_url_nl
            ),
            None,
        ),
        "activities": [activity(act) for act in activities],
    }
