"""What the machine-readable exports (notices.tilt, notices.dpv) share: the few words they add
to a snapshot's texts, absolute URLs, and where each right is exercised.

Everything here reads the registry data of a snapshot (notices.registry_data), never the live
registry.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from notices.templatetags.notice_blocks import in_lang, org_name, rights_groups

LANGUAGES = ("fr", "nl")
# The few words the exports add to the snapshot's own texts. Fixed here rather than in the
# message catalogs: an export's bytes must depend on the snapshot alone, not on a catalog edit.
PHRASES = {
    "fr": {
        "quote": "« {} »",
        "own_insurer": "Pour {activities} : auprès de votre propre mutualité.",
        "directory": "Liste officielle des coordonnées des mutualités : {url}",
        "dpo": "Pour {activities} : auprès du délégué à la protection des données",
        "organisation": "Pour {activities} : auprès de {name}",
        "complaint": "Réclamation auprès de l'autorité de contrôle : {name}.",
        "processor": "Sous-traitant",
        "any_country": "Tout pays : la destination est décidée au cas par cas.",
    },
    "nl": {
        "quote": "„{}”",
        "own_insurer": "Voor {activities}: bij uw eigen ziekenfonds.",
        "directory": "Officiële lijst met de contactgegevens van de ziekenfondsen: {url}",
        "dpo": "Voor {activities}: bij de functionaris voor gegevensbescherming",
        "organisation": "Voor {activities}: bij {name}",
        "complaint": "Klacht bij de toezichthoudende autoriteit: {name}.",
        "processor": "Verwerker",
        "any_country": "Elk land: de bestemming wordt geval per geval bepaald.",
    },
}


def phrase(language, key, **values):
    return PHRASES[language][key].format(**values)


def absolute_url(name, language, /, **kwargs):
    """The absolute URL of a notices page in that language (for links inside the exports)."""
    with translation.override(language):
        return settings.SITE_URL + reverse(f"notices:{name}", kwargs=kwargs)


def organisations(registry):
    return registry.get("organisations") or {}


def code(choice):
    """The code of a choice frozen as {"code", "fr", "nl"}, or None."""
    return (choice or {}).get("code")


def with_present(mapping, **optional):
    """`mapping` plus those of `optional` that have a value: a typed field (e-mail, phone,
    country) is left out rather than given an empty placeholder."""
    return {**mapping, **{key: value for key, value in optional.items() if value}}


def joined(*texts, separator=" — "):
    return separator.join(text for text in texts if text)


def activity_list(activities, language):
    quote = PHRASES[language]["quote"]
    return ", ".join(quote.format(in_lang(a.get("name"), language)) for a in activities)


def contact_text(contact, language, *, name=""):
    """A DPO's or an organisation's rights channels as one line, in that language."""
    rights = contact.get("rights") or contact
    parts = [
        name,
        in_lang(rights.get("web_form"), language),
        rights.get("email") or "",
        in_lang(rights.get("postal_address"), language),
        rights.get("phone") or "",
    ]
    return ", ".join(part for part in parts if part)


def rights_places(registry, language):
    """Where the rights are exercised, per group of activities (as the rights block says):
    [{key, activities, text, entities, email, url}], entities being organisation slugs or
    "dpo"."""
    groups = rights_groups(registry)
    places = []
    if groups["own_insurer"]:
        activities = activity_list(groups["own_insurer"], language)
        text = phrase(language, "own_insurer", activities=activities)
        directory = organisations(registry).get(registry.get("contact_directory") or "")
        url = in_lang((directory or {}).get("contact_directory_url"), language)
        if url:
            text += " " + phrase(language, "directory", url=url)
        places.append(
            {
                "key": "own-insurer",
                "activities": groups["own_insurer"],
                "text": text,
                "entities": list(registry.get("insurers") or []),
                "email": "",
                "url": url,
            }
        )
    if groups["aim"]:
        dpo = registry.get("dpo") or {}
        activities = activity_list(groups["aim"], language)
        contact = contact_text(dpo, language, name=dpo.get("name") or "") if dpo else ""
        text = phrase(language, "dpo", activities=activities) + (
            f", {contact}." if contact else "."
        )
        places.append(
            {
                "key": "dpo",
                "activities": groups["aim"],
                "text": text,
                "entities": ["dpo"] if dpo else [],
                "email": dpo.get("email") or "",
                "url": "",
            }
        )
    for group in groups["organisations"]:
        found = group["organisation"]
        activities = activity_list(group["activities"], language)
        text = phrase(
            language, "organisation", activities=activities, name=org_name(found, language)
        )
        contact = contact_text(found, language)
        places.append(
            {
                "key": f"organisation-{found['slug']}",
                "activities": group["activities"],
                "text": text + (f", {contact}." if contact else "."),
                "entities": [found["slug"]],
                "email": (found.get("rights") or {}).get("email") or "",
                "url": in_lang((found.get("rights") or {}).get("web_form"), language),
            }
        )
    return places


def iso_duration(rule):
    """A retention rule's maximum duration as ISO 8601 (P30Y), or "" when none is fixed."""
    unit = {"days": "D", "months": "M", "years": "Y"}.get(code(rule.get("unit")))
    if not rule.get("duration") or not unit:
        return ""
    return f"P{rule['duration']}{unit}"
