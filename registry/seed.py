"""Seed of the registry: every fact AIM's current privacy declaration states, in FR and NL.

The source is `seed/declaration-fr.txt` (AIM's declaration in French) and, for the official
names in both languages, `GLOSSARY.md`; the insurers' data-protection channels, privacy
statements, head offices and enterprise numbers are those GLOSSARY.md found on the insurers' own
pages, each with its source (CHANNEL_SOURCES), never checked by AIM yet. Nothing is invented:
where the declaration is silent (a GDPR Art. 6(1) point, a retention period, a safeguard) the
field stays empty so that the completeness check reports the gap to the DPO instead of hiding it.

The portal's own processing of the requests sent to AIM's DPO (which the declaration predates)
is seeded beside it, from `registry/seed_portal.py`, as a draft activity for the DPO to approve.

Loading is idempotent: every row is keyed by its slug (the DPO by its organisation, a transfer
by its activity), many-to-many relations are set with `.set()`, and a row that already holds
the seed's values is not saved again, so that a second load adds no change to the history.
"""

from django.db import transaction

from registry import seed_portal
from registry.models import (
    ChannelSource,
    DataCategory,
    DataProtectionOfficer,
    DataSubjectCategory,
    LegalBasis,
    Organisation,
    ProcessingActivity,
    Recipient,
    RetentionRule,
    Transfer,
)

Kind = Organisation.Kind

AIM_ADDRESS_FR = "Tour Manhattan Center, 7e étage, Avenue du Boulevard 21, 1210 Bruxelles"
# Street name checked; the building wording is still to confirm (GLOSSARY.md).
AIM_ADDRESS_NL = "Manhattan Center, 7de verdieping, Bolwerklaan 21, 1210 Brussel"
AIM_DPO_EMAIL = "dpo@intermut.be"

DELIBERATION_FR = (
    "Délibération de la chambre sécurité sociale et santé du Comité de sécurité de l'information"
)
DELIBERATION_NL = (
    "Beraadslaging van de kamer sociale zekerheid en gezondheid van het Informatieveiligheidscomité"
)

INSURERS = [f"insurer-{code}" for code in (100, 200, 300, 400, 500, 600, 900)]

# The insurers' own privacy statements (GLOSSARY.md), where their contacts were found.
PRIVACY_100_FR = "https://mc.be/disclaimer/politique-confidentialite-mc"
PRIVACY_100_NL = "https://www.cm.be/disclaimer/privacyverklaring-cm"
PRIVACY_200_NL = "https://www.vnz.be/privacyverklaring/"
PRIVACY_400_NL = (
    "https://www.lm-ml.be/nl/externe-verklaring-over-de-bescherming-van-persoonsgegevens"
)
PRIVACY_500_FR = (
    "https://mloz.be/fr/disclaimer-donnees-vie-privee-assurance-obligatoire-en-ce-compris-les-"
    "matieres-regionalisees"
)
PRIVACY_600_FR = (
    "https://caami-hziv.fgov.be/fr/vie-privee-reglement-sur-la-protection-des-donnees-rgpd-gdpr"
)
PRIVACY_900_NL = (
    "https://hr-railcare.be/nl/Toegangsvoorwaarden-en-juridische-info-privacy-en-cookies/"
    "Privacy-policy-en-disclaimer-van-de-Kas-der-geneeskundige-verzorging-van-HR-Rail"
)
INAMI_CONTACTS_FR = (
    "https://www.riziv.fgov.be/fr/professionnels/autres/mutualites/Pages/contactez-mutualites.aspx"
)
INAMI_CONTACTS_NL = (
    "https://www.inami.fgov.be/nl/thema-s/verzorging-kosten-en-terugbetaling/verzekerbaarheid/"
    "aansluiten-bij-een-ziekenfonds"
)

# slug, kind, {fields}. Websites and privacy contacts only where GLOSSARY.md gives them.
ORGANISATIONS = [
    (
        "aim",
        Kind.AIM,
        {
            "name_fr": "Agence Intermutualiste",
            "name_nl": "InterMutualistisch Agentschap",
            "short_name_fr": "AIM",
            "short_name_nl": "IMA",
            "enterprise_number": "0478655210",
            "address_fr": AIM_ADDRESS_FR,
            "address_nl": AIM_ADDRESS_NL,
            "website_fr": "https://www.ima-aim.be",
            "website_nl": "https://www.ima-aim.be",
            # The declaration: the DPO is reachable at dpo@intermut.be or by post at this address.
            "rights_email": AIM_DPO_EMAIL,
            "rights_postal_address_fr": AIM_ADDRESS_FR,
            "rights_postal_address_nl": AIM_ADDRESS_NL,
            "notes": (
                "Dutch address: street name checked, building wording to confirm. "
                "The agency's site answers on both ima-aim.be and aim-ima.be."
            ),
        },
    ),
    # The seven health insurers (organismes assureurs / verzekeringsinstellingen). Their
    # enterprise numbers, head offices, privacy statements and data-protection channels are
    # those GLOSSARY.md found on the insurers' own pages (INSURER_SOURCES), and nothing else: a
    # head office given in one language only is stored in that language only.
    (
        "insurer-100",
        Kind.INSURER,
        {
            "insurer_code": 100,
            "name_fr": "Alliance nationale des mutualités chrétiennes",
            "name_nl": "Landsbond der Christelijke Mutualiteiten",
            "short_name_fr": "Mutualité chrétienne (MC)",
            "short_name_nl": "Christelijke Mutualiteit (CM)",
            "enterprise_number": "0411702543",
            "address_nl": "Haachtsesteenweg 579 bus 40, 1031 Schaarbeek",
            "website_fr": "https://www.mc.be",
            "website_nl": "https://www.cm.be",
            "privacy_statement_url_fr": PRIVACY_100_FR,
            "privacy_statement_url_nl": PRIVACY_100_NL,
            "notes": (
                "CM Vlaanderen and Mutualité chrétienne are co-controllers. "
                "No data-protection channel found."
            ),
        },
    ),
    (
        "insurer-200",
        Kind.INSURER,
        {
            "insurer_code": 200,
            "name_fr": "Union nationale des mutualités neutres",
            "name_nl": "Landsbond van de Neutrale Ziekenfondsen",
            "short_name_fr": "Mutualia",
            "short_name_nl": "Vlaams & Neutraal Ziekenfonds (VNZ)",
            "enterprise_number": "0411709768",
            "address_nl": "Charleroisesteenweg 145, 1060 Brussel",
            "website_fr": "https://www.mutualites-neutres.be",
            "website_nl": "https://www.vnz.be",
            "privacy_statement_url_nl": PRIVACY_200_NL,
            "notes": (
                "Controller jointly with VNZ. No data-protection channel found for the union. "
                'ivc@vnz.be and "t.a.v. Cel Privacy, Hoogstratenplein 1, 2800 Mechelen" are '
                "those of VNZ, the Flemish member fund, for its own members only: not for "
                "Mutualia members, so not a channel of the union."
            ),
        },
    ),
    (
        "insurer-300",
        Kind.INSURER,
        {
            "insurer_code": 300,
            "name_fr": "Union nationale des mutualités socialistes – Solidaris",  # noqa: RUF001
            "name_nl": "Nationaal Verbond van Socialistische Mutualiteiten – Solidaris",  # noqa: RUF001
            "short_name_fr": "Solidaris",
            "short_name_nl": "Solidaris",
            "enterprise_number": "0411724220",
            "address_nl": "Sint-Jansstraat 32-38, 1000 Brussel",
            "website_fr": "https://www.solidaris-wallonie.be",
            "website_nl": "https://www.solidaris-vlaanderen.be",
            "notes": "No data-protection channel and no current privacy statement found.",
        },
    ),
    (
        "insurer-400",
        Kind.INSURER,
        {
            "insurer_code": 400,
            "name_fr": "Union nationale des mutualités libérales",
            "name_nl": "Landsbond van Liberale Mutualiteiten",
            "short_name_fr": "Mutualité libérale (ML)",
            "short_name_nl": "Liberale Mutualiteit (LM)",
            "address_fr": "Rue de Livourne 25, 1050 Bruxelles",
            "address_nl": "Livornostraat 25, 1050 Brussel",
            "privacy_statement_url_nl": PRIVACY_400_NL,
            "notes": (
                "Website and enterprise number to confirm. No data-protection channel found."
            ),
        },
    ),
    (
        "insurer-500",
        Kind.INSURER,
        {
            "insurer_code": 500,
            "name_fr": "Union nationale des mutualités libres",
            "name_nl": "Landsbond van de Onafhankelijke Ziekenfondsen",
            "short_name_fr": "Mutualités Libres",
            "short_name_nl": "Onafhankelijke Ziekenfondsen",
            "enterprise_number": "0411766483",
            "address_fr": "Route de Lennik 788A, 1070 Bruxelles",
            "address_nl": "Lenniksebaan 788A, 1070 Brussel",
            "website_fr": "https://www.mloz.be",
            "website_nl": "https://www.mloz.be",
            "privacy_statement_url_fr": PRIVACY_500_FR,
            "rights_email": "privacy@mloz.be",
            "rights_web_form_fr": "https://www.mloz.be/fr/privacy_form",
            "rights_web_form_nl": "https://www.mloz.be/nl/privacy_form",
            "rights_postal_address_fr": (
                "Mutualités Libres – DPO, Route de Lennik 788 A, 1070 Bruxelles"  # noqa: RUF001
            ),
            "rights_postal_address_nl": (
                "Landsbond van de Onafhankelijke Ziekenfondsen – DPO, "  # noqa: RUF001
                "Lenniksebaan 788 A, 1070 Brussel"
            ),
        },
    ),
    (
        "insurer-600",
        Kind.INSURER,
        {
            "insurer_code": 600,
            "name_fr": "Caisse auxiliaire d'assurance maladie-invalidité",
            "name_nl": "Hulpkas voor Ziekte- en Invaliditeitsverzekering",
            "short_name_fr": "CAAMI",
            "short_name_nl": "HZIV",
            "enterprise_number": "0206732437",
            "address_fr": "Rue du Trône 30A, 1000 Bruxelles",
            "address_nl": "Troonstraat 30A, 1000 Brussel",
            "website_fr": "https://www.caami-hziv.fgov.be",
            "website_nl": "https://www.caami-hziv.fgov.be",
            "privacy_statement_url_fr": PRIVACY_600_FR,
            "rights_postal_address_fr": (
                "CAAMI Data Protection Officer, Rue du Trône 30A, 1000 Bruxelles"
            ),
            "notes": "The Dutch wording of the DPO's postal address was not found; no e-mail.",
        },
    ),
    (
        "insurer-900",
        Kind.INSURER,
        {
            "insurer_code": 900,
            "name_fr": "Caisse des soins de santé de HR Rail",
            "name_nl": "Kas der geneeskundige verzorging van HR Rail",
            "short_name_fr": "HR Rail",
            "short_name_nl": "HR Rail",
            "enterprise_number": "0250871001",
            "address_fr": "Rue de France 85, 1060 Bruxelles",
            "address_nl": "Frankrijkstraat 85, 1060 Brussel",
            "website_fr": "https://www.hr-rail.be",
            "website_nl": "https://www.hr-rail.be",
            "privacy_statement_url_nl": PRIVACY_900_NL,
            "rights_email": "dataprotection_kgv-css@hr-rail.be",
            "rights_postal_address_nl": (
                "10-04 Bureau H-HR.003 – Information Security Data Protection Office, "  # noqa: RUF001
                "Frankrijkstraat 85, 1060 Brussel"
            ),
            "notes": "The French wording of the DPO's postal address was not found.",
        },
    ),
    # Partners: AIM's board members and the sources of linked data.
    (
        "inami-riziv",
        Kind.PARTNER,
        {
            "name_fr": "Institut national d'assurance maladie-invalidité",
            "name_nl": "Rijksinstituut voor ziekte- en invaliditeitsverzekering",
            "short_name_fr": "INAMI",
            "short_name_nl": "RIZIV",
            # The declaration links the French page; GLOSSARY.md gives the Dutch one.
            "contact_directory_url_fr": INAMI_CONTACTS_FR,
            "contact_directory_url_nl": INAMI_CONTACTS_NL,
        },
    ),
    (
        "spf-social-security",
        Kind.PARTNER,
        {
            "name_fr": "Service public fédéral Sécurité sociale",
            "name_nl": "Federale Overheidsdienst Sociale Zekerheid",
            "short_name_fr": "SPF Sécurité sociale",
            "short_name_nl": "FOD Sociale Zekerheid",
        },
    ),
    (
        "spf-public-health",
        Kind.PARTNER,
        {
            "name_fr": (
                "Service public fédéral Santé publique, Sécurité de la chaîne alimentaire "
                "et Environnement"
            ),
            "name_nl": (
                "Federale Overheidsdienst Volksgezondheid, Veiligheid van de Voedselketen "
                "en Leefmilieu"
            ),
            "short_name_fr": "SPF Santé publique",
            "short_name_nl": "FOD Volksgezondheid",
        },
    ),
    (
        "kce",
        Kind.PARTNER,
        {
            "name_fr": "Centre fédéral d'expertise des soins de santé",
            "name_nl": "Federaal Kenniscentrum voor de Gezondheidszorg",
            "short_name_fr": "KCE",
            "short_name_nl": "KCE",
        },
    ),
    (
        "bcss-ksz",
        Kind.PARTNER,
        {
            "name_fr": "Banque Carrefour de la sécurité sociale",
            "name_nl": "Kruispuntbank van de Sociale Zekerheid",
            "short_name_fr": "BCSS",
            "short_name_nl": "KSZ",
        },
    ),
    (
        "statbel",
        Kind.PARTNER,
        {
            "name_fr": "Statbel",
            "name_nl": "Algemene Directie Statistiek",
            "short_name_fr": "Statbel",
            "short_name_nl": "Statbel",
        },
    ),
    (
        "healthdata",
        Kind.PARTNER,
        {
            "name_fr": "Healthdata.be (Sciensano)",
            "name_nl": "Healthdata.be (Sciensano)",
            "short_name_fr": "Healthdata.be",
            "short_name_nl": "Healthdata.be",
        },
    ),
    (
        "cancer-registry",
        Kind.PARTNER,
        {
            "name_fr": "Fondation Registre du Cancer",
            "name_nl": "Stichting Kankerregister",
            "short_name_fr": "Registre du Cancer",
            "short_name_nl": "Kankerregister",
        },
    ),
    (
        "sciensano",
        Kind.PARTNER,
        {
            "name_fr": "Sciensano",
            "name_nl": "Sciensano",
        },
    ),
    # Not a supervisory authority in the GDPR sense: kept apart from the DPA ("other"), so that
    # nothing that looks for the authority to complain to can pick the committee.
    (
        "information-security-committee",
        Kind.OTHER,
        {
            "name_fr": "Comité de sécurité de l'information, chambre sécurité sociale et santé",
            "name_nl": "Informatieveiligheidscomité, kamer sociale zekerheid en gezondheid",
        },
    ),
    # Processor of the newsletter ("le transmetteur" in the declaration).
    (
        "mailchimp",
        Kind.PROCESSOR,
        {
            "name_fr": "Mailchimp (The Rocket Science Group LLC)",
            "name_nl": "Mailchimp (The Rocket Science Group LLC)",
            "short_name_fr": "Mailchimp",
            "short_name_nl": "Mailchimp",
            "country": "US",
            "website_fr": "https://mailchimp.com",
            "website_nl": "https://mailchimp.com",
        },
    ),
    # "l'autorité de contrôle Belge chargée de l'application de la protection des données".
    (
        "dpa-apd-gba",
        Kind.AUTHORITY,
        {
            "name_fr": "Autorité de protection des données",
            "name_nl": "Gegevensbeschermingsautoriteit",
            "short_name_fr": "APD",
            "short_name_nl": "GBA",
            "address_fr": "Rue de la Presse 35, 1000 Bruxelles",
            "address_nl": "Drukpersstraat 35, 1000 Brussel",
            "website_fr": "https://www.autoriteprotectiondonnees.be",
            "website_nl": "https://www.gegevensbeschermingsautoriteit.be",
            "rights_postal_address_fr": "Rue de la Presse 35, 1000 Bruxelles",
            "rights_postal_address_nl": "Drukpersstraat 35, 1000 Brussel",
            "rights_phone": "+32 2 274 48 00",
        },
    ),
]

# Every translated or optional field an organisation row may carry: a field the seed does not
# give is written empty, so that a value removed from the seed disappears on the next load.
ORGANISATION_FIELDS_EMPTY = {
    "insurer_code": None,
    "short_name_fr": "",
    "short_name_nl": "",
    "enterprise_number": "",
    "country": "BE",
    "address_fr": "",
    "address_nl": "",
    "website_fr": "",
    "website_nl": "",
    "email": "",
    "rights_web_form_fr": "",
    "rights_web_form_nl": "",
    "rights_email": "",
    "rights_postal_address_fr": "",
    "rights_postal_address_nl": "",
    "rights_phone": "",
    "privacy_statement_url_fr": "",
    "privacy_statement_url_nl": "",
    "contact_directory_url_fr": "",
    "contact_directory_url_nl": "",
    "notes": "",
}

STORED_COPY = (
    "Found in a stored copy of the insurer's own page (GLOSSARY.md, data-protection contacts as "
    "published by the insurers themselves); the date of that copy is unknown: re-check the page "
    "and record the date checked."
)
DECLARATION = "AIM's declaration (seed/declaration-fr.txt)."
GLOSSARY_NL = (
    "Dutch wording from GLOSSARY.md (AIM itself): street name checked, building wording to confirm."
)
AUTHORITY_NOTE = "GLOSSARY.md (Partners and authorities), from the Authority's own website."


def _found_on(url, note=STORED_COPY):
    return {"source_url": url, "source_note": note}


def _noted(note):
    return {"source_url": "", "source_note": note}


# Where each channel the seed gives was found (ChannelSource); checked_on stays empty: AIM has
# not checked them itself. Every channel an organisation above gives has its entry here.
CHANNEL_SOURCES = {
    "aim": {
        "rights_email": _noted(DECLARATION),
        "rights_postal_address_fr": _noted(DECLARATION),
        "rights_postal_address_nl": _noted(GLOSSARY_NL),
        "address_fr": _noted(DECLARATION),
        "address_nl": _noted(GLOSSARY_NL),
    },
    "insurer-100": {
        "privacy_statement_url_fr": _found_on(PRIVACY_100_FR),
        "privacy_statement_url_nl": _found_on(PRIVACY_100_NL),
        "address_nl": _found_on(PRIVACY_100_NL),
    },
    "insurer-200": {
        "privacy_statement_url_nl": _found_on(PRIVACY_200_NL),
        "address_nl": _found_on(PRIVACY_200_NL),
    },
    "insurer-300": {
        "address_nl": _noted(
            STORED_COPY + " The address of the page was not recorded, and no current privacy "
            "statement of the union was found."
        ),
    },
    "insurer-400": {
        "privacy_statement_url_nl": _found_on(PRIVACY_400_NL),
        "address_fr": _found_on(PRIVACY_400_NL),
        "address_nl": _found_on(PRIVACY_400_NL),
    },
    "insurer-500": {
        channel: _found_on(PRIVACY_500_FR)
        for channel in (
            "privacy_statement_url_fr",
            "rights_email",
            "rights_web_form_fr",
            "rights_web_form_nl",
            "rights_postal_address_fr",
            "rights_postal_address_nl",
            "address_fr",
            "address_nl",
        )
    },
    "insurer-600": {
        channel: _found_on(PRIVACY_600_FR)
        for channel in (
            "privacy_statement_url_fr",
            "rights_postal_address_fr",
            "address_fr",
            "address_nl",
        )
    },
    "insurer-900": {
        channel: _found_on(PRIVACY_900_NL)
        for channel in (
            "privacy_statement_url_nl",
            "rights_email",
            "rights_postal_address_nl",
            "address_fr",
            "address_nl",
        )
    },
    "inami-riziv": {
        "contact_directory_url_fr": _noted(DECLARATION),
        "contact_directory_url_nl": _noted("GLOSSARY.md (INAMI/RIZIV pages on the insurers)."),
    },
    "dpa-apd-gba": {
        "address_fr": _found_on("https://www.autoriteprotectiondonnees.be", AUTHORITY_NOTE),
        "address_nl": _found_on("https://www.gegevensbeschermingsautoriteit.be", AUTHORITY_NOTE),
        "rights_postal_address_fr": _found_on(
            "https://www.autoriteprotectiondonnees.be", AUTHORITY_NOTE
        ),
        "rights_postal_address_nl": _found_on(
            "https://www.gegevensbeschermingsautoriteit.be", AUTHORITY_NOTE
        ),
        "rights_phone": _found_on("https://www.autoriteprotectiondonnees.be", AUTHORITY_NOTE),
    },
}

LEGAL_BASES = [
    (
        "programme-law-2002",
        {
            "name_fr": "Loi-programme (I) du 24 décembre 2002, art. 278 à 281",
            "name_nl": "Programmawet (I) van 24 december 2002, art. 278 tot 281",
            "description_fr": (
                "Dans le cadre de sa mission légale, l'AIM traite les données sur la base de la "
                "Loi-programme du 24 décembre 2002, articles 278 jusque 281 compris."
            ),
            "description_nl": (
                "In het kader van zijn wettelijke opdracht verwerkt het IMA de gegevens op basis "
                "van de Programmawet van 24 december 2002, artikelen 278 tot en met 281."
            ),
            "national_law_fr": "Loi-programme (I) du 24 décembre 2002",
            "national_law_nl": "Programmawet (I) van 24 december 2002",
            "national_law_articles_fr": "articles 278 à 281",
            "national_law_articles_nl": "artikelen 278 tot 281",
            # The declaration does not say which point of Art. 6(1) or 9(2): left for the DPO.
            "article_6": "",
            "article_9": "",
            "rests_on_deliberation": False,
        },
    ),
    (
        "isc-deliberations",
        {
            "name_fr": (
                "Délibérations de la chambre sécurité sociale et santé du Comité de sécurité "
                "de l'information"
            ),
            "name_nl": (
                "Beraadslagingen van de kamer sociale zekerheid en gezondheid van het "
                "Informatieveiligheidscomité"
            ),
            "description_fr": (
                "Dans le cadre de ses objectifs scientifiques, l'AIM traite les données sur la "
                "base des délibérations délivrées par la chambre sécurité sociale et santé du "
                "Comité de sécurité de l'information."
            ),
            "description_nl": (
                "In het kader van zijn wetenschappelijke doelstellingen verwerkt het IMA de "
                "gegevens op basis van de beraadslagingen van de kamer sociale zekerheid en "
                "gezondheid van het Informatieveiligheidscomité."
            ),
            "national_law_fr": "",
            "national_law_nl": "",
            "national_law_articles_fr": "",
            "national_law_articles_nl": "",
            "article_6": "",
            "article_9": "",
            "rests_on_deliberation": True,
        },
    ),
]

DATA_CATEGORIES = [
    (
        "members-administrative",
        {
            "name_fr": "Données administratives des membres des organismes assureurs",
            "name_nl": "Administratieve gegevens van de leden van de verzekeringsinstellingen",
            "description_fr": (
                "Les données administratives de tous les membres des organismes assureurs. "
                "L'AIM ne dispose pas des noms et adresses des membres."
            ),
            "description_nl": (
                "De administratieve gegevens van alle leden van de verzekeringsinstellingen. "
                "Het IMA beschikt niet over de namen en adressen van de leden."
            ),
            "kind": DataCategory.Kind.ADMINISTRATIVE,
            "is_special_category": False,
        },
    ),
    (
        "members-billing",
        {
            "name_fr": "Données de facturation des membres des organismes assureurs",
            "name_nl": "Facturatiegegevens van de leden van de verzekeringsinstellingen",
            "description_fr": (
                "Les données de facturation des membres des organismes assureurs. L'AIM ne "
                "dispose pas des données issues des dossiers médicaux des membres."
            ),
            "description_nl": (
                "De facturatiegegevens van de leden van de verzekeringsinstellingen. Het IMA "
                "beschikt niet over gegevens uit de medische dossiers van de leden."
            ),
            "kind": DataCategory.Kind.BILLING,
            # The billing of health care reveals the care received: health data (Art. 9(1)).
            "is_special_category": True,
        },
    ),
    (
        "external-research-data",
        {
            "name_fr": "Données sensibles, sociales ou de santé de sources extérieures",
            "name_nl": "Gevoelige, sociale of gezondheidsgegevens uit externe bronnen",
            "description_fr": (
                "Dans le cadre de projets de recherche spécifiques, sous les conditions strictes "
                "imposées par les délibérations spécifiques et pour un nombre limité d'individus."
            ),
            "description_nl": (
                "In het kader van specifieke onderzoeksprojecten, onder de strikte voorwaarden "
                "die de specifieke beraadslagingen opleggen en voor een beperkt aantal personen."
            ),
            "kind": DataCategory.Kind.OTHER,
            "is_special_category": True,
        },
    ),
    (
        "newsletter-email",
        {
            "name_fr": "Adresse e-mail du destinataire de la lettre d'information",
            "name_nl": "E-mailadres van de ontvanger van de nieuwsbrief",
            "description_fr": "",
            "description_nl": "",
            "kind": DataCategory.Kind.CONTACT,
            "is_special_category": False,
        },
    ),
    (
        "newsletter-names",
        {
            "name_fr": "Prénom et nom éventuels du destinataire de la lettre d'information",
            "name_nl": "Eventuele voornaam en naam van de ontvanger van de nieuwsbrief",
            "description_fr": "",
            "description_nl": "",
            "kind": DataCategory.Kind.CONTACT,
            "is_special_category": False,
        },
    ),
]

SUBJECT_CATEGORIES = [
    (
        "socially-insured",
        {
            "name_fr": "Toute la population belge assurée sociale",
            "name_nl": "De volledige sociaal verzekerde Belgische bevolking",
        },
    ),
    (
        "care-providers",
        {
            "name_fr": "Tous les prestataires de soins",
            "name_nl": "Alle zorgverleners",
        },
    ),
    (
        "newsletter-subscribers",
        {
            "name_fr": "Destinataires de la lettre d'information",
            "name_nl": "Ontvangers van de nieuwsbrief",
        },
    ),
    (
        "contacts",
        {
            "name_fr": "Personnes qui contactent les services de l'AIM",
            "name_nl": "Personen die contact opnemen met de diensten van het IMA",
        },
    ),
]

# slug, {fields}, slugs of the organisations named.
RECIPIENTS = [
    (
        "insurers",
        {
            "name_fr": "Organismes assureurs",
            "name_nl": "Verzekeringsinstellingen",
            "condition_fr": "",
            "condition_nl": "",
        },
        INSURERS,
    ),
    (
        "health-care-actors",
        {
            "name_fr": "Acteurs et institutions du domaine des soins de santé",
            "name_nl": "Actoren en instellingen uit de gezondheidszorg",
            "condition_fr": "",
            "condition_nl": "",
        },
        [],
    ),
    (
        "social-security-institutions",
        {
            "name_fr": (
                "Organismes de sécurité sociale, notamment la Banque Carrefour de la sécurité "
                "sociale"
            ),
            "name_nl": (
                "Instellingen van sociale zekerheid, met name de Kruispuntbank van de Sociale "
                "Zekerheid"
            ),
            "condition_fr": "",
            "condition_nl": "",
        },
        ["bcss-ksz"],
    ),
    (
        "control-services",
        {
            "name_fr": "Services de contrôle de l'INAMI et des mutualités",
            "name_nl": "Controlediensten van het RIZIV en van de ziekenfondsen",
            "condition_fr": "Dans le cadre de leurs missions légales de contrôle.",
            "condition_nl": "In het kader van hun wettelijke controleopdrachten.",
        },
        ["inami-riziv"],
    ),
    (
        "authorised-research",
        {
            "name_fr": "Institution ou groupe de recherche autorisé par délibération",
            "name_nl": "Onderzoeksinstelling of -groep gemachtigd door een beraadslaging",
            "condition_fr": (
                "Qui y a droit grâce à une délibération délivrée par la chambre sécurité sociale "
                "et santé du Comité de sécurité de l'information."
            ),
            "condition_nl": (
                "Die daartoe gemachtigd is door een beraadslaging van de kamer sociale zekerheid "
                "en gezondheid van het Informatieveiligheidscomité."
            ),
        },
        [],
    ),
    (
        "authorised-third-party",
        {
            "name_fr": "Tiers dûment autorisé (légalement ou contractuellement)",
            "name_nl": "Naar behoren (wettelijk of contractueel) gemachtigde derde",
            "condition_fr": "",
            "condition_nl": "",
        },
        [],
    ),
]

RETENTION_RULES = [
    (
        "insurer-data",
        {
            "name_fr": "Données issues des organismes assureurs",
            "name_nl": "Gegevens afkomstig van de verzekeringsinstellingen",
            "duration": 30,
            "unit": RetentionRule.Unit.YEARS,
            # The declaration does not say what starts the 30 years.
            "starts_at_fr": "",
            "starts_at_nl": "",
            "fixed_by_deliberation": False,
        },
    ),
    (
        "external-research-data",
        {
            "name_fr": "Données reçues de sources externes dans le cadre de projets de recherche",
            "name_nl": (
                "Gegevens ontvangen van externe bronnen in het kader van onderzoeksprojecten"
            ),
            "duration": None,
            "unit": "",
            "starts_at_fr": "",
            "starts_at_nl": "",
            "fixed_by_deliberation": True,
        },
    ),
]

SECURITY_FR = (
    "Toutes ces données sont traitées par du personnel habilité et soumis contractuellement à "
    "une obligation de secret professionnel. Des mesures de sécurité informatiques sont par "
    "ailleurs mises en place en vue de garantir la confidentialité, l'intégrité et la "
    "disponibilité de vos données."
)
SECURITY_NL = (
    "Al deze gegevens worden verwerkt door gemachtigd personeel dat contractueel gebonden is "
    "aan het beroepsgeheim. Daarnaast zijn er informaticabeveiligingsmaatregelen genomen om de "
    "vertrouwelijkheid, de integriteit en de beschikbaarheid van uw gegevens te waarborgen."
)

ALL_RECIPIENTS = [slug for slug, _fields, _orgs in RECIPIENTS]

Role = ProcessingActivity.Role
Rights = ProcessingActivity.RightsHandler
Pseudo = ProcessingActivity.Pseudonymisation

# slug, {fields}, {relation: slugs}, transfer or None.
# Activities 1 and 2: the declaration contradicts itself. Its first section says AIM "agit en
# tant que responsable du traitement pour les données des organismes assureurs"; its rights
# section says AIM acts "en tant que sous-traitant" and sends people to their mutuality. The
# seed records the explicit first sentence (controller: AIM) and the rights routing of the
# second (own insurer); the DPO must settle which is true.
ACTIVITIES = [
    (
        "legal-missions",
        {
            "position": 1,
            "name_fr": "Missions légales : analyse des données des organismes assureurs",
            "name_nl": (
                "Wettelijke opdrachten: analyse van de gegevens van de verzekeringsinstellingen"
            ),
            "purposes_fr": (
                "Afin de remplir ses missions légales, à savoir : analyser les données "
                "collectées par les organismes assureurs dans le cadre de leurs missions et leur "
                "procurer l'information en la matière. Cela peut se faire de sa propre "
                "initiative ou à la demande de partenaires légaux : l'Institut national "
                "d'assurance maladie-invalidité (INAMI), le Service public fédéral (SPF) Santé "
                "publique, le Service public fédéral (SPF) Sécurité sociale ainsi que le Centre "
                "fédéral d'expertise des soins de santé (KCE)."
            ),
            "purposes_nl": (
                "Om zijn wettelijke opdrachten te vervullen, namelijk: de gegevens analyseren "
                "die de verzekeringsinstellingen in het kader van hun opdrachten verzamelen, en "
                "hun daarover informatie verstrekken. Dat kan op eigen initiatief of op verzoek "
                "van wettelijke partners: het Rijksinstituut voor ziekte- en "
                "invaliditeitsverzekering (RIZIV), de Federale Overheidsdienst (FOD) "
                "Volksgezondheid, de Federale Overheidsdienst (FOD) Sociale Zekerheid en het "
                "Federaal Kenniscentrum voor de Gezondheidszorg (KCE)."
            ),
            "status": ProcessingActivity.Status.APPROVED,
            "aim_role": Role.CONTROLLER,
            "rights_handled_by": Rights.OWN_INSURER,
            "rights_organisation": None,
            "pseudonymisation": Pseudo.MULTIPLE,
            "security_measures_fr": SECURITY_FR,
            "security_measures_nl": SECURITY_NL,
            "profiling": True,
            "profiling_description_fr": (
                "Dans le cadre de ses missions légales, l'AIM peut être amené à créer des profils "
                "des acteurs du domaine de l'assurance maladie et les transmet alors aux services "
                "de contrôle de l'INAMI et aux mutualités."
            ),
            "profiling_description_nl": (
                "In het kader van zijn wettelijke opdrachten kan het IMA profielen opstellen van "
                "de actoren in de ziekteverzekering en bezorgt het die dan aan de controlediensten "
                "van het RIZIV en aan de ziekenfondsen."
            ),
            "automated_decisions": False,
            "automated_decisions_description_fr": "",
            "automated_decisions_description_nl": "",
        },
        {
            "legal_bases": ["programme-law-2002"],
            "data_categories": ["members-administrative", "members-billing"],
            "subject_categories": ["socially-insured", "care-providers"],
            "sources": INSURERS,
            "recipients": ALL_RECIPIENTS,
            "processors": [],
            "retention_rules": ["insurer-data"],
        },
        Transfer.Safeguard.DELIBERATION,
    ),
    (
        "research-projects",
        {
            "position": 2,
            "name_fr": "Projets de recherche scientifique",
            "name_nl": "Wetenschappelijke onderzoeksprojecten",
            "purposes_fr": (
                "Afin de réaliser ses objectifs scientifiques pertinents pour la politique de "
                "soins de santé : l'AIM réalise également des projets de recherche scientifiques "
                "en collaboration avec et/ou à la demande d'autres services publics fédéraux, "
                "des Régions et Communautés, mais aussi en collaboration avec des universités. "
                "Conformément à la loi, dans le cadre de chaque transfert de données ou de tout "
                "projet de recherche où l'AIM fait usage de données personnelles couplées, une "
                "demande de délibération est introduite, avant le début du projet, auprès de la "
                "chambre sécurité sociale et santé du Comité de sécurité de l'information. Seule "
                "une délibération positive peut permettre au traitement d'avoir lieu."
            ),
            "purposes_nl": (
                "Om zijn wetenschappelijke doelstellingen te verwezenlijken die relevant zijn "
                "voor het gezondheidszorgbeleid: het IMA voert ook wetenschappelijke "
                "onderzoeksprojecten uit in samenwerking met en/of op verzoek van andere "
                "federale overheidsdiensten, de Gewesten en Gemeenschappen, maar ook in "
                "samenwerking met universiteiten. Overeenkomstig de wet wordt voor elke "
                "doorgifte van gegevens en voor elk onderzoeksproject waarin het IMA gekoppelde "
                "persoonsgegevens gebruikt, vóór de start van het project een aanvraag tot "
                "beraadslaging ingediend bij de kamer sociale zekerheid en gezondheid van het "
                "Informatieveiligheidscomité. Alleen een positieve beraadslaging maakt de "
                "verwerking mogelijk."
            ),
            "status": ProcessingActivity.Status.APPROVED,
            "aim_role": Role.CONTROLLER,
            "rights_handled_by": Rights.OWN_INSURER,
            "rights_organisation": None,
            "pseudonymisation": Pseudo.MULTIPLE,
            "security_measures_fr": SECURITY_FR,
            "security_measures_nl": SECURITY_NL,
            # The declaration describes profiling only for the legal missions.
            "profiling": False,
            "profiling_description_fr": "",
            "profiling_description_nl": "",
            "automated_decisions": False,
            "automated_decisions_description_fr": "",
            "automated_decisions_description_nl": "",
        },
        {
            "legal_bases": ["isc-deliberations"],
            "data_categories": [
                "members-administrative",
                "members-billing",
                "external-research-data",
            ],
            "subject_categories": ["socially-insured", "care-providers"],
            "sources": [
                *INSURERS,
                "bcss-ksz",
                "statbel",
                "healthdata",
                "cancer-registry",
                "sciensano",
                "inami-riziv",
            ],
            "recipients": ALL_RECIPIENTS,
            "processors": [],
            # The insurers' data keep their 30 years; data from external sources what each
            # deliberation fixes.
            "retention_rules": ["insurer-data", "external-research-data"],
        },
        Transfer.Safeguard.DELIBERATION,
    ),
    (
        "newsletter",
        {
            "position": 3,
            "name_fr": "Lettre d'information",
            "name_nl": "Nieuwsbrief",
            "purposes_fr": (
                "Les données récoltées pour la newsletter (l'adresse mail du destinataire, son "
                "prénom et son nom éventuels) sont stockées sur un compte lié à "
                "https://mailchimp.com, ci-après dénommé « le transmetteur ». L'AIM, faisant "
                "usage des services et des conditions du transmetteur en ce qui concerne le "
                "traitement de ces données, garantit une utilisation de ces données pour ce seul "
                "traitement. En aucun cas l'AIM ne transmet ni ne revend ces données stockées "
                "chez le transmetteur. Un lien de désinscription automatique figure "
                "systématiquement dans nos newsletters. Toute modification ou retrait de notre "
                "liste peut être demandé à l'adresse suivante : dpo@intermut.be."
            ),
            "purposes_nl": (
                "De gegevens die voor de nieuwsbrief worden verzameld (het e-mailadres van de "
                "ontvanger, en eventueel zijn voornaam en naam) worden opgeslagen op een account "
                "bij https://mailchimp.com, hierna „de verzender” genoemd. Het IMA maakt "
                "gebruik van de diensten en de voorwaarden van de verzender voor de verwerking "
                "van deze gegevens en waarborgt dat ze uitsluitend voor deze verwerking worden "
                "gebruikt. Het IMA geeft de gegevens die bij de verzender zijn opgeslagen in geen "
                "geval door en verkoopt ze evenmin. Elke nieuwsbrief bevat een link waarmee u "
                "zich kunt uitschrijven. Elke wijziging of uitschrijving uit onze lijst kan "
                "worden gevraagd op het volgende adres: dpo@intermut.be."
            ),
            "status": ProcessingActivity.Status.APPROVED,
            "aim_role": Role.CONTROLLER,
            "rights_handled_by": Rights.AIM,
            "rights_organisation": None,
            # "En aucun cas l'AIM ne transmet ni ne revend ces données stockées chez le
            # transmetteur": no recipient; Mailchimp is its processor, listed as such.
            "no_recipients": True,
            # An e-mail address with a name identifies the person directly.
            "pseudonymisation": Pseudo.NONE,
            # "Par qui vos données sont-elles traitées ?" speaks of the insurers' data only.
            "security_measures_fr": "",
            "security_measures_nl": "",
            "profiling": False,
            "profiling_description_fr": "",
            "profiling_description_nl": "",
            "automated_decisions": False,
            "automated_decisions_description_fr": "",
            "automated_decisions_description_nl": "",
        },
        {
            # The declaration names no legal basis and no retention period: gaps, left empty.
            # Its unsubscription link says how to leave the list, not that the data are then
            # erased: no "until you unsubscribe" rule is inferred from it.
            "legal_bases": [],
            "data_categories": ["newsletter-email", "newsletter-names"],
            "subject_categories": ["newsletter-subscribers"],
            "sources": [],
            "recipients": [],
            "processors": ["mailchimp"],
            "retention_rules": [],
        },
        # Mailchimp is in the US, yet the declaration names no safeguard: no transfer recorded,
        # so that the completeness check reports the processor outside the EEA.
        None,
    ),
    (
        "contacts",
        {
            "position": 4,
            "name_fr": "Gestion des contacts avec nos services",
            "name_nl": "Beheer van de contacten met onze diensten",
            "purposes_fr": (
                "L'AIM traite certaines données pour gérer vos contacts avec nos services, quel "
                "que soit le canal utilisé."
            ),
            "purposes_nl": (
                "Het IMA verwerkt bepaalde gegevens om uw contacten met onze diensten te beheren, "
                "ongeacht het gebruikte kanaal."
            ),
            "status": ProcessingActivity.Status.APPROVED,
            "aim_role": Role.CONTROLLER,
            "rights_handled_by": Rights.AIM,
            "rights_organisation": None,
            "pseudonymisation": "",
            "security_measures_fr": "",
            "security_measures_nl": "",
            "profiling": False,
            "profiling_description_fr": "",
            "profiling_description_nl": "",
            "automated_decisions": False,
            "automated_decisions_description_fr": "",
            "automated_decisions_description_nl": "",
        },
        {
            # The declaration says neither which data, nor on what basis, nor for how long.
            "legal_bases": [],
            "data_categories": [],
            "subject_categories": ["contacts"],
            "sources": [],
            "recipients": [],
            "processors": [],
            "retention_rules": [],
        },
        None,
    ),
]

RELATION_MODELS = {
    "legal_bases": LegalBasis,
    "data_categories": DataCategory,
    "subject_categories": DataSubjectCategory,
    "sources": Organisation,
    "recipients": Recipient,
    "processors": Organisation,
    "retention_rules": RetentionRule,
}


def _differs(obj, values):
    for name, value in values.items():
        field = obj._meta.get_field(name)
        current = getattr(obj, field.attname)
        if field.is_relation:
            wanted = value.pk if value is not None else None
        else:
            current, wanted = field.get_prep_value(current), field.get_prep_value(value)
        if current != wanted:
            return True
    return False


def _upsert(model, lookup, values):
    """update_or_create, without a save (nor a history row) when nothing would change."""
    obj = model.objects.filter(**lookup).first()
    if obj is not None and not _differs(obj, values):
        return obj
    obj, _created = model.objects.update_or_create(defaults=values, **lookup)
    return obj


def _by_slug(model, slugs):
    found = {obj.slug: obj for obj in model.objects.filter(slug__in=slugs)}
    return [found[slug] for slug in slugs]


def _channel_sources_load(organisations):
    """The seed's sources, never checked by AIM; a source for a channel the seed no longer
    gives disappears with it."""
    for slug, organisation in organisations.items():
        sources = CHANNEL_SOURCES.get(slug, {})
        ChannelSource.objects.filter(organisation=organisation).exclude(
            channel__in=list(sources)
        ).delete()
        for channel, values in sources.items():
            _upsert(
                ChannelSource,
                {"organisation": organisation, "channel": channel},
                {**values, "checked_on": None},
            )


def registry_seed_load() -> dict:
    """Load (or bring back to) the facts of AIM's declaration; return how many rows per model."""
    with transaction.atomic():
        organisations = {}
        for slug, kind, fields in ORGANISATIONS:
            values = {**ORGANISATION_FIELDS_EMPTY, "kind": kind, **fields}
            organisations[slug] = _upsert(Organisation, {"slug": slug}, values)

        _channel_sources_load(organisations)

        _upsert(
            DataProtectionOfficer,
            {"organisation": organisations["aim"]},
            {
                "name": "Dirk De Kesel",
                "email": AIM_DPO_EMAIL,
                "postal_address_fr": AIM_ADDRESS_FR,
                "postal_address_nl": AIM_ADDRESS_NL,
                "phone": "",
            },
        )

        simple_rows = (
            (LegalBasis, LEGAL_BASES + seed_portal.LEGAL_BASES),
            (DataCategory, DATA_CATEGORIES + seed_portal.DATA_CATEGORIES),
            (DataSubjectCategory, SUBJECT_CATEGORIES + seed_portal.SUBJECT_CATEGORIES),
            (RetentionRule, RETENTION_RULES + seed_portal.RETENTION_RULES),
        )
        for model, rows in simple_rows:
            for slug, fields in rows:
                _upsert(model, {"slug": slug}, fields)

        for slug, fields, organisation_slugs in RECIPIENTS + seed_portal.RECIPIENTS:
            recipient = _upsert(Recipient, {"slug": slug}, fields)
            recipient.organisations.set([organisations[s] for s in organisation_slugs])

        transfers = 0
        for slug, fields, relations, safeguard in ACTIVITIES + seed_portal.ACTIVITIES:
            activity = _upsert(
                ProcessingActivity,
                {"slug": slug},
                {
                    "no_recipients": False,
                    **fields,
                    "controller": organisations["aim"],
                    "ended_on": None,
                },
            )
            for relation, slugs in relations.items():
                getattr(activity, relation).set(_by_slug(RELATION_MODELS[relation], slugs))
            if safeguard:
                # The declaration: transfers abroad, outside the EEA included, only when a
                # deliberation of the committee authorises them; the destination varies.
                _upsert(
                    Transfer,
                    {"activity": activity, "any_country": True, "country": ""},
                    {
                        "recipient_organisation": None,
                        "safeguard": safeguard,
                        "reference_fr": DELIBERATION_FR,
                        "reference_nl": DELIBERATION_NL,
                    },
                )
                transfers += 1

    return {
        "organisation": len(ORGANISATIONS),
        "dataprotectionofficer": 1,
        "channelsource": sum(len(sources) for sources in CHANNEL_SOURCES.values()),
        "legalbasis": len(LEGAL_BASES) + len(seed_portal.LEGAL_BASES),
        "datacategory": len(DATA_CATEGORIES) + len(seed_portal.DATA_CATEGORIES),
        "datasubjectcategory": len(SUBJECT_CATEGORIES) + len(seed_portal.SUBJECT_CATEGORIES),
        "recipient": len(RECIPIENTS) + len(seed_portal.RECIPIENTS),
        "retentionrule": len(RETENTION_RULES) + len(seed_portal.RETENTION_RULES),
        "processingactivity": len(ACTIVITIES) + len(seed_portal.ACTIVITIES),
        "transfer": transfers,
    }
