"""The six decision e-mails, in French and Dutch, as the DPO finds them before editing them.

Only what is true of every request is said here: the values ({{ ... }}) come from the request
and the DPO's own text ({{ message }}) carries the decision. What the law requires whatever the
DPO writes (the Art. 12(4) rights in a refusal, an answer's download link) is added by the code
(requests/answers.py). A template the DPO already changed is left as it is.
"""

from django.db import migrations

SIGNATURE_FR = "Le délégué à la protection des données de l'AIM"
SIGNATURE_NL = "De functionaris voor gegevensbescherming van het IMA"
REPLY_FR = (
    "Pour toute question, répondez à ce message ou écrivez à {{ dpo_email }} en mentionnant "
    "la référence {{ reference }}."
)
REPLY_NL = (
    "Hebt u vragen, antwoord dan op dit bericht of schrijf naar {{ dpo_email }} met vermelding "
    "van de referentie {{ reference }}."
)


def _fr(text):
    return f"Madame, Monsieur,\n\n{text}\n\n{SIGNATURE_FR}\n"


def _nl(text):
    return f"Geachte mevrouw, geachte heer,\n\n{text}\n\n{SIGNATURE_NL}\n"


TEMPLATES = {
    "answered": {
        "subject_fr": "Votre demande {{ reference }} : notre réponse",
        "subject_nl": "Uw verzoek {{ reference }}: ons antwoord",
        "body_fr": _fr(
            "Vous trouverez ci-dessous notre réponse à votre demande {{ reference }} "
            "({{ right }}), reçue le {{ received_on }}.\n\n{{ message }}\n\n" + REPLY_FR
        ),
        "body_nl": _nl(
            "Hieronder vindt u ons antwoord op uw verzoek {{ reference }} ({{ right }}), "
            "ontvangen op {{ received_on }}.\n\n{{ message }}\n\n" + REPLY_NL
        ),
    },
    "info_requested": {
        "subject_fr": "Votre demande {{ reference }} : informations complémentaires nécessaires",
        "subject_nl": "Uw verzoek {{ reference }}: bijkomende informatie nodig",
        "body_fr": _fr(
            "Pour traiter votre demande {{ reference }} ({{ right }}), reçue le "
            "{{ received_on }}, nous avons besoin des précisions suivantes :\n\n{{ message }}\n\n"
            "Vous pouvez nous les transmettre en répondant à ce message ou en écrivant à "
            "{{ dpo_email }}, en mentionnant la référence {{ reference }}."
        ),
        "body_nl": _nl(
            "Om uw verzoek {{ reference }} ({{ right }}), ontvangen op {{ received_on }}, te "
            "behandelen, hebben wij de volgende verduidelijking nodig:\n\n{{ message }}\n\n"
            "U kunt ze ons bezorgen door op dit bericht te antwoorden of door te schrijven naar "
            "{{ dpo_email }}, met vermelding van de referentie {{ reference }}."
        ),
    },
    "identity_requested": {
        "subject_fr": "Votre demande {{ reference }} : confirmation de votre identité",
        "subject_nl": "Uw verzoek {{ reference }}: bevestiging van uw identiteit",
        "body_fr": _fr(
            "Avant de répondre à votre demande {{ reference }} ({{ right }}), reçue le "
            "{{ received_on }}, nous devons nous assurer que vous êtes bien la personne "
            "concernée (article 12, paragraphe 6, du RGPD). Nous vous demandons :\n\n"
            "{{ message }}\n\n"
            "Vous pouvez nous les transmettre en répondant à ce message ou en écrivant à "
            "{{ dpo_email }}, en mentionnant la référence {{ reference }}. Elles ne serviront "
            "qu'à vérifier votre identité."
        ),
        "body_nl": _nl(
            "Voordat wij op uw verzoek {{ reference }} ({{ right }}), ontvangen op "
            "{{ received_on }}, antwoorden, moeten wij nagaan of u wel degelijk de betrokkene "
            "bent (artikel 12, lid 6, van de AVG). Wij vragen u:\n\n{{ message }}\n\n"
            "U kunt ze ons bezorgen door op dit bericht te antwoorden of door te schrijven naar "
            "{{ dpo_email }}, met vermelding van de referentie {{ reference }}. Ze dienen "
            "enkel om uw identiteit na te gaan."
        ),
    },
    "extended": {
        "subject_fr": "Votre demande {{ reference }} : le délai de réponse est prolongé",
        "subject_nl": "Uw verzoek {{ reference }}: de antwoordtermijn wordt verlengd",
        "body_fr": _fr(
            "Nous avons besoin de plus de temps pour répondre à votre demande {{ reference }} "
            "({{ right }}), reçue le {{ received_on }}. Comme le permet l'article 12, "
            "paragraphe 3, du RGPD, le délai est prolongé de deux mois : vous recevrez une "
            "réponse au plus tard le {{ due_on }}.\n\nLa raison :\n{{ message }}\n\n" + REPLY_FR
        ),
        "body_nl": _nl(
            "Wij hebben meer tijd nodig om op uw verzoek {{ reference }} ({{ right }}), "
            "ontvangen op {{ received_on }}, te antwoorden. Zoals artikel 12, lid 3, van de AVG "
            "toelaat, wordt de termijn met twee maanden verlengd: u ontvangt uiterlijk op "
            "{{ due_on }} een antwoord.\n\nDe reden:\n{{ message }}\n\n" + REPLY_NL
        ),
    },
    "refused": {
        "subject_fr": "Votre demande {{ reference }} : notre décision",
        "subject_nl": "Uw verzoek {{ reference }}: onze beslissing",
        "body_fr": _fr(
            "Nous ne pouvons pas donner suite à votre demande {{ reference }} ({{ right }}), "
            "reçue le {{ received_on }}, pour les motifs suivants :\n\n{{ message }}"
        ),
        "body_nl": _nl(
            "Wij kunnen niet ingaan op uw verzoek {{ reference }} ({{ right }}), ontvangen op "
            "{{ received_on }}, om de volgende redenen:\n\n{{ message }}"
        ),
    },
    "closed": {
        "subject_fr": "Votre demande {{ reference }} est clôturée",
        "subject_nl": "Uw verzoek {{ reference }} is afgesloten",
        "body_fr": _fr(
            "Votre demande {{ reference }} ({{ right }}), reçue le {{ received_on }}, est "
            "clôturée.\n\n{{ message }}\n\n" + REPLY_FR
        ),
        "body_nl": _nl(
            "Uw verzoek {{ reference }} ({{ right }}), ontvangen op {{ received_on }}, is "
            "afgesloten.\n\n{{ message }}\n\n" + REPLY_NL
        ),
    },
}


def seed(apps, schema_editor):
    EmailTemplate = apps.get_model("rights_requests", "EmailTemplate")
    for kind, fields in TEMPLATES.items():
        # The untranslated columns hold the French text, as modeltranslation's fallback.
        EmailTemplate.objects.get_or_create(
            kind=kind,
            defaults={**fields, "subject": fields["subject_fr"], "body": fields["body_fr"]},
        )


class Migration(migrations.Migration):
    dependencies = [("rights_requests", "0010_request_desk")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
