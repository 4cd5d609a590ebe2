"""Every published version as a TILT document (Transparency Information Language, GDPR Art.
13/14 in JSON: https://github.com/Transparency-Information-Language/schema).

The document is built from the version's frozen snapshot alone, never from the live registry,
and serialised with sorted keys and fixed separators: the same snapshot gives the same bytes.
Only `meta.status` depends on the day (active for the version in force, inactive otherwise).
Publishing validates both languages against the shipped schema (notices/schemas/) first, so
no registry data can produce a document that fails it.

Where the registry records nothing for a field the schema requires, the document says nothing
rather than guess: an empty string for free text, an empty list, the schema's default for a
required boolean (documented below). A typed value (e-mail, phone) is never an empty
placeholder: it is left out, and if the schema requires it, publishing refuses.
"""

import functools
import json
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from jsonschema import Draft7Validator

from notices.machine_common import (
    LANGUAGES,
    absolute_url,
    code,
    iso_duration,
    joined,
    organisations,
    phrase,
    rights_places,
    with_present,
)
from notices.templatetags.notice_blocks import in_lang, org_name

# Part of each export's ETag: bump it when the mapping below changes the bytes.
FORMAT = 1
SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "tilt-schema.json"

# The DPO's fields TILT's controller.representative takes.
REPRESENTATIVE = ("name", "email", "phone")

# Safeguard codes of registry.models.Transfer.Safeguard → the TILT object that holds them.
# A derogation (Art. 49) applies precisely where there is neither an adequacy decision nor an
# appropriate safeguard, so both are said to be absent.
TRANSFER_SAFEGUARDS = {
    "adequacy": "adequacyDecision",
    "scc": "standardDataProtectionClause",
    "bcr": "appropriateGuarantees",
    "deliberation": "appropriateGuarantees",
}


def _country(organisation):
    return code((organisation or {}).get("country")) or ""


def _legal_bases(activity, language):
    bases = []
    for basis in activity.get("legal_bases") or []:
        description = joined(
            in_lang(basis["name"], language), in_lang(basis["description"], language)
        )
        references = [
            f"GDPR-{article}-{point}"
            for article, point in (
                ("6-1", code(basis["article_6"])),
                ("9-2", code(basis["article_9"])),
            )
            if point
        ]
        # A basis with no GDPR point recorded (a national law alone) keeps an empty reference,
        # which the schema's pattern allows, and says what it is in its description.
        bases.extend({"reference": ref, "description": description} for ref in references or [""])
    return bases


def _legitimate_interests(activity, language):
    bases = activity.get("legal_bases") or []
    interests = [
        with_present({"exists": True}, reasoning=in_lang(basis["description"], language))
        for basis in bases
        if code(basis["article_6"]) == "f"
    ]
    # "None" only where every basis gives its Art. 6(1) point; otherwise nothing is claimed.
    known = bases and all(code(basis["article_6"]) for basis in bases)
    return interests or ([{"exists": False}] if known else [])


def _recipient(category, found, language):
    return with_present(
        {"category": category, "name": org_name(found, language)},
        address=in_lang(found.get("address"), language),
        country=_country(found),
    )


def _recipients(activity, registry, language):
    found = organisations(registry)
    items = []
    for recipient in activity.get("recipients") or []:
        category = in_lang(recipient["name"], language)
        members = [found[slug] for slug in recipient.get("organisations") or [] if slug in found]
        items.extend(_recipient(category, member, language) for member in members)
        if not members:
            items.append({"category": category})
    processor = phrase(language, "processor")
    slugs = [slug for slug in activity.get("processors") or [] if slug in found]
    return items + [_recipient(processor, found[slug], language) for slug in slugs]


def _storage(activity, language):
    temporal, conditional = [], []
    for rule in activity.get("retention") or []:
        name, starts_at = in_lang(rule["name"], language), in_lang(rule["starts_at"], language)
        description = f"{name} ({starts_at})" if name and starts_at else name or starts_at
        # Until an event ("until you unsubscribe", then perhaps a period after it) is a
        # condition too: its ttl would wrongly count from the collection of the data.
        if iso_duration(rule) and not rule.get("until_event"):
            temporal.append({"description": description, "ttl": iso_duration(rule)})
        else:  # "as fixed by the deliberation", or until an event: a condition, not a duration
            conditional.append(f"{description}: {in_lang(rule['display'], language)}")
    if not (temporal or conditional):
        return []
    return [
        with_present(
            {"aggregationFunction": "max"}, temporal=temporal, purposeConditional=conditional
        )
    ]


def _per_category(activity, language, key, fields):
    """One item per data category of the activity; one with an empty category when it records
    none, so that the activity is still listed."""
    return [
        {
            "_id": f"{activity['slug']}/{category['slug']}" if category else activity["slug"],
            key: in_lang(category["name"], language) if category else "",
            **fields,
        }
        for category in activity.get("data_categories") or [None]
    ]


def _data_disclosed(registry, language):
    items = []
    for activity in registry.get("activities") or []:
        points = {code(basis["article_6"]) for basis in activity.get("legal_bases") or []}
        fields = {
            "purposes": [
                {
                    "purpose": in_lang(activity["name"], language),
                    "description": in_lang(activity["purposes"], language),
                }
            ],
            "legalBases": _legal_bases(activity, language),
            "legitimateInterests": _legitimate_interests(activity, language),
            "recipients": _recipients(activity, registry, language),
            "storage": _storage(activity, language),
            # Art. 13(2)(e) is not recorded in the registry: the first two answers follow from
            # the Art. 6(1) point (c: legal obligation, b: contract); the others stay at the
            # schema's defaults (false, no consequence stated).
            "nonDisclosure": {
                "legalRequirement": "c" in points,
                "contractualRegulation": "b" in points,
                "obligationToProvide": False,
                "consequences": "",
            },
        }
        items.extend(_per_category(activity, language, "category", fields))
    return items


def _sources(registry, language):
    found = organisations(registry)
    items = []
    for activity in registry.get("activities") or []:
        sources = [
            {
                "description": org_name(found[slug], language),
                "url": in_lang(found[slug]["website"], language),
                "publiclyAvailable": False,  # not recorded: the schema's default
            }
            for slug in activity.get("sources") or []
            if slug in found
        ]
        if sources:
            items.extend(_per_category(activity, language, "dataCategory", {"sources": sources}))
    return items


def _transfers(registry, language):
    items = []
    for activity in registry.get("activities") or []:
        for transfer in activity.get("transfers") or []:
            item = with_present({}, country=code(transfer.get("country")))
            safeguard = transfer.get("safeguard")
            description = joined(
                in_lang(safeguard, language), in_lang(transfer["reference"], language)
            )
            if code(safeguard) in TRANSFER_SAFEGUARDS:
                item[TRANSFER_SAFEGUARDS[code(safeguard)]] = {
                    "available": True,
                    "description": description,
                }
            elif code(safeguard) == "derogation":
                item["adequacyDecision"] = {"available": False}
                item["appropriateGuarantees"] = {"available": False, "description": description}
            if item not in items:
                items.append(item)
    return items


def _right(available, places):
    if not available:
        return {"available": False}
    return with_present(
        {"available": True, "description": " ".join(place["text"] for place in places)},
        url=next((place["url"] for place in places if place["url"]), ""),
        email=next((place["email"] for place in places if place["email"]), ""),
    )


def _complaint(registry, language):
    authority = organisations(registry).get(registry.get("authority") or "")
    if authority is None:  # the schema then asks for the authority: publishing refuses
        return {"available": True, "description": ""}
    name = org_name(authority, language)
    supervisory = with_present(
        {"name": name},
        address=in_lang(authority["address"], language),
        country=_country(authority),
        email=authority.get("email"),
        phone=(authority.get("rights") or {}).get("phone"),
    )
    return with_present(
        {
            "available": True,
            "description": phrase(language, "complaint", name=name),
            "supervisoryAuthority": supervisory,
        },
        url=in_lang(authority["website"], language),
    )


def _automated_decisions(registry, language):
    flagged = [a for a in registry.get("activities") or [] if a.get("automated_decisions")]
    if not flagged:
        return {"inUse": False}
    text = " ".join(
        f"{in_lang(a['name'], language)}: {in_lang(a['automated_decisions_description'], language)}"
        for a in flagged
        if in_lang(a["automated_decisions_description"], language)
    )
    # One registry field says both the logic and the consequences.
    return with_present({"inUse": True}, logicInvolved=text, scopeAndIntendedEffects=text)


def _dpo(registry, language):
    """The DPO, or None. Their country is the controller's: the registry records the DPO as the
    controller's own."""
    dpo = registry.get("dpo")
    if not dpo:
        return None
    controller = organisations(registry).get(registry.get("controller") or "")
    return with_present(
        {"name": dpo["name"], "address": in_lang(dpo["postal_address"], language)},
        country=_country(controller),
        email=dpo["email"],
        phone=dpo["phone"],
    )


def tilt_document(*, snapshot, sha256, language, status, url, document_url):
    """The TILT document of a snapshot in one language (a dict; see `tilt_bytes`)."""
    registry = snapshot["registry"]
    controller = organisations(registry).get(registry.get("controller") or "")
    dpo = _dpo(registry, language)
    places = rights_places(registry, language)
    consent = any(
        code(basis[article]) == "a"
        for activity in registry.get("activities") or []
        for basis in activity.get("legal_bases") or []
        for article in ("article_6", "article_9")
    )
    document = {
        "meta": {
            "_id": document_url,
            "name": org_name(controller, language),
            "created": snapshot["published_at"],
            "modified": snapshot["published_at"],
            "version": snapshot["version"],
            "language": language,
            "status": status,
            "url": url,
            "_hash": sha256,
        },
        "dataDisclosed": _data_disclosed(registry, language),
        "thirdCountryTransfers": _transfers(registry, language),
        "accessAndDataPortability": _right(True, places),
        "sources": _sources(registry, language),
        # The declaration states every right of Art. 15-22 (the rights block); withdrawing
        # consent exists only where a legal basis is consent.
        "rightToInformation": _right(True, places),
        "rightToRectificationOrDeletion": _right(True, places),
        "rightToDataPortability": _right(True, places),
        "rightToWithdrawConsent": _right(consent, places),
        "rightToComplain": _complaint(registry, language),
        "automatedDecisionMaking": _automated_decisions(registry, language),
        "changesOfPurpose": [],  # the registry records no planned change of purpose
    }
    if controller is not None:
        # TILT's contact person of the controller. AIM has no Art. 27 representative (it is
        # established in the EU): the person the declaration names is its DPO (DPV too files
        # the DPO under "representative").
        representative = {k: v for k, v in (dpo or {"name": ""}).items() if k in REPRESENTATIVE}
        document["controller"] = {
            "name": org_name(controller, language),
            "address": in_lang(controller["address"], language),
            "country": _country(controller),
            "representative": representative,
        }
    if dpo is not None:
        document["dataProtectionOfficer"] = dpo
    return document


def tilt_bytes(document) -> bytes:
    return (
        json.dumps(document, sort_keys=True, ensure_ascii=False, indent=2, separators=(",", ": "))
        + "\n"
    ).encode()


def version_tilt(*, snapshot, sha256, number, language, status) -> dict:
    return tilt_document(
        snapshot=snapshot,
        sha256=sha256,
        language=language,
        status=status,
        url=absolute_url("version", language, number=number),
        document_url=absolute_url("version-tilt", language, number=number, language=language),
    )


# --- Validation ------------------------------------------------------------------------------


@functools.cache
def validator():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)


def _leaves(error):
    """The errors that say what is wrong: inside an anyOf, those of its closest alternative."""
    if error.validator in ("anyOf", "oneOf") and error.context:
        alternatives = {}
        for sub in error.context:
            alternatives.setdefault(sub.relative_schema_path[0], []).append(sub)
        for sub in min(alternatives.values(), key=len):
            yield from _leaves(sub)
    else:
        yield error


def schema_errors(document):
    """(path, value) per problem: value None when the field at path is missing."""
    found = []
    for error in validator().iter_errors(document):
        for leaf in _leaves(error):
            path = tuple(leaf.absolute_path)
            if leaf.validator == "required":
                found.extend(
                    ((*path, name), None)
                    for name in leaf.validator_value
                    if name not in leaf.instance
                )
            else:
                found.append((path, leaf.instance))
    return found


DPO_EMAIL = _("the e-mail address of AIM's data protection officer")
DPO_PHONE = _("the phone number of AIM's data protection officer")
FIELDS = {
    ("controller",): _("AIM as controller"),
    ("dataProtectionOfficer",): _("AIM's data protection officer"),
    ("dataProtectionOfficer", "email"): DPO_EMAIL,
    ("controller", "representative", "email"): DPO_EMAIL,
    ("dataProtectionOfficer", "phone"): DPO_PHONE,
    ("controller", "representative", "phone"): DPO_PHONE,
    ("rightToComplain", "supervisoryAuthority"): _("the supervisory authority"),
    ("rightToComplain", "supervisoryAuthority", "phone"): _(
        "the phone number of the supervisory authority"
    ),
}


def _field(document, path):
    if path in FIELDS:
        return str(FIELDS[path])
    # "dataDisclosed[research/health].legitimateInterests[0].reasoning": items by their _id.
    text, node = "", document
    for part in path:
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) and part < len(node) else {}
            label = node.get("_id", part) if isinstance(node, dict) else part
            text += f"[{label}]"
        else:
            node = node.get(part, {}) if isinstance(node, dict) else {}
            text += f".{part}" if text else part
    return f"“{text}”"


def tilt_problems(*, snapshot, sha256, number) -> list[str]:
    """What stops the snapshot from giving a valid TILT document, in the active language."""
    by_message = {}
    for language in LANGUAGES:
        document = version_tilt(
            snapshot=snapshot, sha256=sha256, number=number, language=language, status="active"
        )
        for path, value in schema_errors(document):
            field = _field(document, path)
            if value is None:
                message = gettext("%(field)s is missing.") % {"field": field}
            else:
                message = gettext("%(field)s (“%(value)s”) is not in the form it requires.") % {
                    "field": field,
                    "value": value,
                }
            languages = by_message.setdefault(message, [])
            if language not in languages:
                languages.append(language)
    names = dict(settings.LANGUAGES)
    return [
        gettext("Machine-readable version (TILT, %(languages)s): %(problem)s")
        % {"languages": ", ".join(str(names[lang]) for lang in languages), "problem": message}
        for message, languages in by_message.items()
    ]
