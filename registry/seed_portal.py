"""The portal's own processing: the requests AIM's DPO receives (eat our own cooking).

AIM's declaration predates the portal and does not describe it, so these rows do not come from
the declaration: they describe what the code in `requests/` does, nothing more. The activity is
seeded as a *draft*: it enters the notice only once the DPO has approved it and published a new
version. The retention rule is live from the start, because the daily job
`anonymise_closed_requests` reads it (`settings.RIGHTS_REQUESTS_RETENTION_RULE`).

The retention period is a proposal for the DPO to confirm or change in the admin: five years from
the end of AIM's handling of the request (answer, refusal, transfer or closure), the limitation
period of a claim for damages under Belgian law (old Civil Code art. 2262bis §1, second
paragraph), during which AIM may have to show how it handled the request (GDPR Art. 5(2)).
"""

from registry.models import DataCategory, ProcessingActivity, RetentionRule

REQUESTS_RETENTION_SLUG = "data-subject-requests"
ACTIVITY_SLUG = "portal-rights-requests"

LEGAL_BASES = [
    (
        "gdpr-rights-requests",
        {
            "name_fr": "RGPD, articles 12 à 22 : obligation de répondre aux demandes",
            "name_nl": "AVG, artikelen 12 tot en met 22: verplichting om verzoeken te beantwoorden",
            "description_fr": (
                "Le RGPD oblige l'AIM à répondre aux demandes d'exercice des droits qui lui "
                "sont adressées, dans le délai de l'article 12, paragraphe 3."
            ),
            "description_nl": (
                "De AVG verplicht het IMA om de verzoeken tot uitoefening van de rechten die "
                "het ontvangt te beantwoorden, binnen de termijn van artikel 12, lid 3."
            ),
            "national_law_fr": "",
            "national_law_nl": "",
            "national_law_articles_fr": "",
            "national_law_articles_nl": "",
            "article_6": "c",
            "article_9": "",
            "rests_on_deliberation": False,
        },
    ),
]

DATA_CATEGORIES = [
    (
        "requester-identity-contact",
        {
            "name_fr": "Identité et coordonnées du demandeur",
            "name_nl": "Identiteit en contactgegevens van de verzoeker",
            "description_fr": (
                "Le nom, l'adresse e-mail et, si vous le donnez, le numéro de téléphone."
            ),
            "description_nl": (
                "De naam, het e-mailadres en, als u het opgeeft, het telefoonnummer."
            ),
            "kind": DataCategory.Kind.CONTACT,
            "is_special_category": False,
        },
    ),
    (
        "request-content",
        {
            "name_fr": "Contenu de la demande et suivi",
            "name_nl": "Inhoud van het verzoek en opvolging",
            "description_fr": (
                "Le droit exercé, la description de la demande, les dates, les e-mails "
                "échangés et les notes internes du délégué à la protection des données."
            ),
            "description_nl": (
                "Het uitgeoefende recht, de beschrijving van het verzoek, de data, de "
                "uitgewisselde e-mails en de interne notities van de functionaris voor "
                "gegevensbescherming."
            ),
            "kind": DataCategory.Kind.ADMINISTRATIVE,
            "is_special_category": False,
        },
    ),
]

SUBJECT_CATEGORIES = [
    (
        "requesters",
        {
            "name_fr": "Personnes qui exercent leurs droits auprès de l'AIM",
            "name_nl": "Personen die hun rechten uitoefenen bij het IMA",
        },
    ),
]

RECIPIENTS = [
    (
        "competent-controller",
        {
            "name_fr": (
                "L'organisation qui doit répondre à votre demande, lorsque ce n'est pas l'AIM"
            ),
            "name_nl": "De organisatie die op uw verzoek moet antwoorden, als dat niet het IMA is",
            "condition_fr": (
                "Lorsque l'AIM transmet votre demande à cette organisation ; vous en êtes "
                "informé par e-mail."
            ),
            "condition_nl": (
                "Wanneer het IMA uw verzoek aan die organisatie doorstuurt; u wordt daarvan per "
                "e-mail op de hoogte gebracht."
            ),
        },
        [],
    ),
]

RETENTION_RULES = [
    (
        REQUESTS_RETENTION_SLUG,
        {
            "name_fr": "Demandes d'exercice des droits adressées à l'AIM",
            "name_nl": "Verzoeken tot uitoefening van de rechten gericht aan het IMA",
            "duration": 5,
            "unit": RetentionRule.Unit.YEARS,
            "starts_at_fr": (
                "la fin du traitement de la demande par l'AIM (réponse, refus, transmission ou "
                "clôture)"
            ),
            "starts_at_nl": (
                "het einde van de behandeling van het verzoek door het IMA (antwoord, weigering, "
                "doorzending of afsluiting)"
            ),
            "fixed_by_deliberation": False,
        },
    ),
]

SECURITY_FR = (
    "Seuls les membres du groupe du délégué à la protection des données voient les demandes dans "
    "l'administration du portail. Une demande dont l'adresse e-mail n'est pas confirmée est "
    "supprimée 48 heures après l'envoi du lien de confirmation. À la fin de la durée de "
    "conservation, le nom, l'adresse e-mail, le téléphone, la description, les e-mails et "
    "l'historique sont effacés ; seuls la référence, le droit, les dates et les statuts restent."
)
SECURITY_NL = (
    "Alleen de leden van de groep van de functionaris voor gegevensbescherming zien de verzoeken "
    "in het beheer van het portaal. Een verzoek waarvan het e-mailadres niet is bevestigd, wordt "
    "48 uur na het versturen van de bevestigingslink gewist. Aan het einde van de bewaartermijn "
    "worden de naam, het e-mailadres, het telefoonnummer, de beschrijving, de e-mails en de "
    "geschiedenis gewist; alleen de referentie, het recht, de data en de statussen blijven."
)

ACTIVITIES = [
    (
        ACTIVITY_SLUG,
        {
            "position": 5,
            "name_fr": "Traitement des demandes d'exercice des droits adressées à l'AIM",
            "name_nl": "Behandeling van de verzoeken tot uitoefening van de rechten gericht aan "
            "het IMA",
            "purposes_fr": (
                "L'AIM traite les données que vous donnez en lui adressant une demande d'exercice "
                "de vos droits (par ce portail, par e-mail ou par courrier) pour y répondre dans "
                "le délai légal, vous tenir informé et pouvoir démontrer qu'elle y a répondu."
            ),
            "purposes_nl": (
                "Het IMA verwerkt de gegevens die u verstrekt wanneer u het een verzoek tot "
                "uitoefening van uw rechten stuurt (via dit portaal, per e-mail of per post) om "
                "het binnen de wettelijke termijn te beantwoorden, u op de hoogte te houden en te "
                "kunnen aantonen dat het geantwoord heeft."
            ),
            # Not in the declaration AIM published before the portal: the DPO approves it.
            "status": ProcessingActivity.Status.DRAFT,
            "aim_role": ProcessingActivity.Role.CONTROLLER,
            "rights_handled_by": ProcessingActivity.RightsHandler.AIM,
            "rights_organisation": None,
            "pseudonymisation": ProcessingActivity.Pseudonymisation.NONE,
            "security_measures_fr": SECURITY_FR,
            "security_measures_nl": SECURITY_NL,
            "profiling": False,
            "profiling_description_fr": "",
            "profiling_description_nl": "",
            "automated_decisions": False,
            "automated_decisions_description_fr": "",
            "automated_decisions_description_nl": "",
        },
        {
            "legal_bases": ["gdpr-rights-requests"],
            "data_categories": ["requester-identity-contact", "request-content"],
            "subject_categories": ["requesters"],
            "sources": [],
            "recipients": ["competent-controller"],
            "processors": [],
            "retention_rules": [REQUESTS_RETENTION_SLUG],
        },
        None,
    ),
]
