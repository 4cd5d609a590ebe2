"""Every published version as JSON-LD in the W3C Data Privacy Vocabulary (DPV 2.3).

Built from the version's frozen snapshot alone, like the TILT export (notices.tilt), and
serialised the same way (sorted keys, fixed separators): the same snapshot gives the same bytes.
The @context is inline, so a reader fetches nothing else to parse it.

Each processing activity is a dpv:Process with its purpose, legal bases (the GDPR extension's
Art. 6(1) and 9(2) terms where the registry gives the point, and the basis as recorded),
personal data, data subjects, recipients, processors, sources, storage durations, third-country
transfers with their safeguards, and the rights with where each is exercised. Complaints go to
the supervisory authority: for Belgium, the Belgian extension's legal-be:DPA-BE.

Only terms of DPV 2.3 are used (tests/notices/test_dpv.py checks each against the official term
lists); the local nodes (organisations, activities...) are named under the document's own URL.
"""

import json
import re

from notices.machine_common import (
    absolute_url,
    code,
    iso_duration,
    organisations,
    phrase,
    rights_places,
)
from notices.templatetags.notice_blocks import in_lang, org_name

# Part of the export's ETag: bump it when the mapping below changes the bytes.
FORMAT = 1

CONTEXT = {
    "dpv": "https://w3id.org/dpv#",
    "eu-gdpr": "https://w3id.org/dpv/legal/eu/gdpr#",
    "legal-be": "https://w3id.org/dpv/legal/be#",
    "dct": "http://purl.org/dc/terms/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

# The rights the declaration states (its rights block), as the GDPR extension names them;
# withdrawing consent (Art. 7(3)) only where a legal basis is consent; a complaint (Art. 77).
RIGHTS = ("A15", "A16", "A17", "A18", "A20", "A21", "A22")
CONSENT_WITHDRAWAL = "A7-3"
COMPLAINT = "A77"

# Safeguard codes of registry.models.Transfer.Safeguard → (GDPR transfer basis, measure).
# A deliberation of the Information Security Committee has no term more precise than the
# generic safeguard; an Art. 49 derogation whose point is not recorded none more precise than
# the generic transfer basis.
TRANSFER_TERMS = {
    "adequacy": ("eu-gdpr:A45-3", "eu-gdpr:AdequacyDecision"),
    "scc": ("eu-gdpr:A46-2-c", "eu-gdpr:StandardContractualClauses"),
    "bcr": ("eu-gdpr:A46-2-b", "eu-gdpr:BindingCorporateRules"),
    "deliberation": (None, "dpv:SafeguardForDataTransfer"),
    "derogation": ("dpv:DataTransferLegalBasis", None),
}
TECHNICAL_MEASURES = {
    "single": "dpv:Pseudonymisation",
    "multiple": "dpv:Pseudonymisation",
    "anonymous": "dpv:Anonymisation",
}
# The term of a supervisory authority by the country of the organisation, where DPV has one.
AUTHORITIES = {"BE": "legal-be:DPA-BE"}


def ref(iri):
    return {"@id": iri} if iri else None


def tel(phone):
    digits = re.sub(r"[^\d+]", "", phone or "")
    return f"tel:{digits}" if digits else ""


def _point(basis, article):
    point = code(basis[f"article_{article}"])
    return f"eu-gdpr:A{article}-{'1' if article == 6 else '2'}-{point}" if point else None


class Graph:
    """The nodes of one document, each added once, in the order they are first met."""

    def __init__(self, *, base, language, registry):
        self.base, self.language, self.registry = base, language, registry
        self.nodes = {}

    def iri(self, local):
        return f"{self.base}#{local}"

    def text(self, value):
        """A {"fr", "nl"} pair, or a string, as a literal tagged with the document's language."""
        value = in_lang(value, self.language) if isinstance(value, dict) else value
        return {"@language": self.language, "@value": value} if value else None

    def node(self, iri, types=(), *, label=None, description=None, **properties):
        """Add or complete a node. `iri` is a local name unless it has a scheme or a prefix;
        `dpv__hasName=...` stands for the property dpv:hasName."""
        iri = iri if ":" in iri else self.iri(iri)
        node = self.nodes.setdefault(iri, {"@id": iri})
        for kind in types:
            if kind and kind not in node.setdefault("@type", []):
                node["@type"].append(kind)
        properties.update(rdfs__label=self.text(label), dct__description=self.text(description))
        for name, value in properties.items():
            value = [item for item in value if item] if isinstance(value, list) else value
            if value:
                node[name.replace("__", ":")] = value
        return ref(iri)

    def country(self, country, *, third=False):
        if not country:
            return None
        return self.node(
            f"country-{country['code']}",
            ["dpv:ThirdCountry" if third else "dpv:Country"],
            label=country,
            dct__identifier=country["code"],
        )

    def organisation(self, slug, *types):
        """An organisation of the snapshot with its contacts (its rights channels), or None."""
        found = organisations(self.registry).get(slug or "")
        if found is None:
            return None
        rights = found["rights"]
        authority = found["kind"] == "authority" and AUTHORITIES.get(code(found["country"]))
        return self.node(
            authority or f"organisation-{slug}",
            types or ["dpv:Organisation"],
            dpv__hasName=self.text(org_name(found, self.language)),
            dpv__hasAddress=self.text(found["address"]),
            dpv__hasIdentifier=found["enterprise_number"],
            dpv__hasCountry=self.country(found["country"]),
            dpv__hasContact=[
                ref(in_lang(rights["web_form"], self.language)),
                ref(f"mailto:{rights['email']}" if rights["email"] else ""),
                ref(tel(rights["phone"])),
            ],
            rdfs__seeAlso=ref(in_lang(found["website"], self.language)),
        )


def _legal_bases(graph, activity):
    bases = []
    for basis in activity["legal_bases"]:
        bases += [ref(_point(basis, 6)), ref(_point(basis, 9))]
        bases.append(
            graph.node(
                f"legal-basis-{basis['slug']}",
                ["dpv:LegalBasis"],
                label=basis["name"],
                description=basis["description"],
            )
        )
    return bases


def _personal_data(graph, category):
    return graph.node(
        f"data-{category['slug']}",
        [
            "dpv:PersonalData",
            "dpv:SpecialCategoryPersonalData" if category["special"] else None,
            "eu-gdpr:HealthData" if category["kind"] == "health" else None,
        ],
        label=category["name"],
        description=category["description"],
    )


def _storage(graph, rule):
    # Until an event (with perhaps a period after it): dpv:UntilEventDuration, described by its
    # words; its period is not an xsd:duration from the collection of the data.
    until_event = bool(rule.get("until_event"))
    duration = "" if until_event else iso_duration(rule)
    kind = "dpv:TemporalDuration" if duration else "dpv:Duration"
    return graph.node(
        f"retention-{rule['slug']}",
        ["dpv:StorageDuration"],
        label=rule["name"],
        description=rule["starts_at"],
        dpv__hasDuration=graph.node(
            f"retention-{rule['slug']}-duration",
            ["dpv:UntilEventDuration" if until_event else kind],
            label=rule["display"],
            rdf__value={"@type": "xsd:duration", "@value": duration} if duration else None,
        ),
    )


def _transfer(graph, activity, index, transfer):
    local = f"activity-{activity['slug']}-transfer-{index}"
    safeguard = transfer["safeguard"]
    basis, measure = TRANSFER_TERMS.get(code(safeguard), (None, None))
    if basis and basis.startswith("dpv:"):  # the generic basis: described as recorded
        basis = graph.node(
            f"{local}-basis", [basis], label=safeguard, description=transfer["reference"]
        )
    return graph.node(
        local,
        ["dpv:Process"],
        description=phrase(graph.language, "any_country") if transfer["any_country"] else None,
        dpv__hasProcessing=ref("dpv:Transfer"),
        dpv__hasThirdCountry=graph.country(transfer["country"], third=True),
        dpv__hasRecipient=graph.organisation(transfer["recipient"]),
        dpv__hasLegalBasis=ref(basis) if isinstance(basis, str) else basis,
        dpv__hasOrganisationalMeasure=measure
        and graph.node(
            f"{local}-safeguard",
            ["dpv:SafeguardForDataTransfer", measure],
            label=safeguard,
            description=transfer["reference"],
        ),
    )


def _rights(graph, places, activity):
    consent = any(
        "a" in (code(basis["article_6"]), code(basis["article_9"]))
        for basis in activity["legal_bases"]
    )
    terms = RIGHTS + ((CONSENT_WITHDRAWAL,) if consent else ())
    rights = []
    for place in (p for p in places if activity in p["activities"]):
        notice = graph.node(
            f"exercise-{place['key']}",
            ["dpv:RightExerciseNotice"],
            description=place["text"],
            dpv__hasEntity=[
                ref(graph.iri("dpo")) if entity == "dpo" else graph.organisation(entity)
                for entity in place["entities"]
            ],
            rdfs__seeAlso=ref(place["url"]),
        )
        rights += [
            graph.node(
                f"exercise-{place['key']}-{term}", [f"eu-gdpr:{term}"], dpv__isExercisedAt=notice
            )
            for term in terms
        ]
    complaint = graph.iri(f"exercise-complaint-{COMPLAINT}")
    return [*rights, ref(complaint) if complaint in graph.nodes else None]


def _activity(graph, activity, places):
    slug = activity["slug"]
    role = code(activity["aim_role"])
    controller = graph.organisation(activity["controller"])
    aim = graph.organisation(graph.registry.get("controller"))
    return graph.node(
        f"activity-{slug}",
        ["dpv:Process"],
        label=activity["name"],
        dpv__hasPurpose=graph.node(
            f"activity-{slug}-purpose", ["dpv:Purpose"], description=activity["purposes"]
        ),
        dpv__hasDataController=[controller, aim if role == "joint_controller" else None],
        dpv__hasDataProcessor=[graph.organisation(org) for org in activity["processors"]]
        + [aim if role == "processor" else None],
        dpv__hasLegalBasis=_legal_bases(graph, activity),
        dpv__hasPersonalData=[_personal_data(graph, c) for c in activity["data_categories"]],
        dpv__hasDataSubject=[
            graph.node(f"subjects-{s['slug']}", ["dpv:DataSubject"], label=s["name"])
            for s in activity["subject_categories"]
        ],
        dpv__hasRecipient=[
            graph.node(
                f"recipient-{r['slug']}",
                ["dpv:Recipient"],
                label=r["name"],
                description=r["condition"],
                dpv__hasEntity=[graph.organisation(org) for org in r["organisations"]],
            )
            for r in activity["recipients"]
        ],
        dpv__hasDataSource=[
            graph.node(
                f"source-{org}",
                ["dpv:ThirdPartyDataSource"],
                dpv__hasEntity=graph.organisation(org),
            )
            for org in activity["sources"]
        ],
        dpv__hasStorageCondition=[_storage(graph, rule) for rule in activity["retention"]],
        dpv__hasProcess=[
            _transfer(graph, activity, index, transfer)
            for index, transfer in enumerate(activity["transfers"], start=1)
        ],
        dpv__hasProcessing=[
            activity["profiling"]
            and graph.node(
                f"activity-{slug}-profiling",
                ["dpv:Profiling"],
                description=activity["profiling_description"],
            ),
            activity["automated_decisions"]
            and graph.node(
                f"activity-{slug}-automated-decisions",
                ["dpv:AutomatedDecisionMaking"],
                description=activity["automated_decisions_description"],
            ),
        ],
        dpv__hasTechnicalMeasure=ref(TECHNICAL_MEASURES.get(code(activity["pseudonymisation"]))),
        dpv__hasTechnicalOrganisationalMeasure=graph.text(activity["security_measures"])
        and graph.node(
            f"activity-{slug}-security",
            ["dpv:TechnicalOrganisationalMeasure"],
            description=activity["security_measures"],
        ),
        dpv__hasRight=_rights(graph, places, activity),
    )


def dpv_document(*, snapshot, sha256, language, url, document_url):
    """The JSON-LD document of a snapshot in one language (a dict; see `dpv_bytes`)."""
    registry = snapshot["registry"]
    graph = Graph(base=document_url, language=language, registry=registry)
    graph.node(
        url,
        ["dpv:PrivacyNotice"],
        dct__title=graph.text(snapshot["notice"]["title"]),
        dct__language=language,
        dct__identifier=f"sha256:{sha256}",
        dct__issued={"@type": "xsd:dateTime", "@value": snapshot["published_at"]},
        # Left out when a historical version's start was not recorded: no date is invented.
        dct__valid=snapshot["effective_from"]
        and {"@type": "xsd:date", "@value": snapshot["effective_from"]},
        owl__versionInfo=str(snapshot["version"]),
    )
    dpo = registry.get("dpo")
    if dpo:
        graph.node(
            "dpo",
            ["dpv:DataProtectionOfficer"],
            dpv__hasName=dpo["name"],
            dpv__hasAddress=graph.text(dpo["postal_address"]),
            dpv__hasContact=[
                ref(f"mailto:{dpo['email']}" if dpo["email"] else ""),
                ref(tel(dpo["phone"])),
            ],
        )
    controller = graph.organisation(
        registry.get("controller"), "dpv:Organisation", "dpv:DataController"
    )
    if controller and dpo:
        graph.node(controller["@id"], dpv__hasDataProtectionOfficer=ref(graph.iri("dpo")))
    authority = organisations(registry).get(registry.get("authority") or "")
    if authority:
        where = graph.node(
            "exercise-complaint",
            ["dpv:RightExerciseNotice"],
            description=phrase(language, "complaint", name=org_name(authority, language)),
            dpv__hasEntity=graph.organisation(
                authority["slug"], "dpv:Organisation", "eu-gdpr:DataProtectionAuthority"
            ),
        )
        graph.node(
            f"exercise-complaint-{COMPLAINT}", [f"eu-gdpr:{COMPLAINT}"], dpv__isExercisedAt=where
        )
    places = rights_places(registry, language)
    processes = [_activity(graph, activity, places) for activity in registry["activities"]]
    graph.node(url, dpv__hasDataController=controller, dpv__hasProcess=processes)
    return {"@context": CONTEXT, "@graph": list(graph.nodes.values())}


def dpv_bytes(document) -> bytes:
    return (
        json.dumps(document, sort_keys=True, ensure_ascii=False, indent=2, separators=(",", ": "))
        + "\n"
    ).encode()


def version_dpv(*, snapshot, sha256, number, language) -> dict:
    return dpv_document(
        snapshot=snapshot,
        sha256=sha256,
        language=language,
        url=absolute_url("version", language, number=number),
        document_url=absolute_url("version-dpv", language, number=number, language=language),
    )
