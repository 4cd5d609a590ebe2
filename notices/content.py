"""Version 1 of AIM's privacy declaration, as data: the text in force before the portal existed.

The French text is AIM's declaration (`seed/declaration-fr.txt`) with the structure its PDF
extraction lost put back: one section per heading, paragraphs and lists. Its sentences are kept
as written; only what the registry holds as lists (sources, recipients, retention periods,
transfers, the DPO's contact, the insurers' contacts and the supervisory authority) is left to
the section's registry block, so that the text and the registry cannot disagree. The Dutch text
translates it with the official terms of `GLOSSARY.md`.

`notices.demo.demo_content_load()` turns this into a published version 1.
"""

NOTICE = {
    "slug": "declaration",
    "title_fr": "Déclaration relative à la protection des données à caractère personnel",
    "title_nl": "Verklaring betreffende de bescherming van persoonsgegevens",
}

CHANGE_SUMMARY_V1_FR = (
    "Première version publiée sur le portail : la déclaration en vigueur de l'AIM."
)
CHANGE_SUMMARY_V1_NL = (
    "Eerste versie gepubliceerd op het portaal: de verklaring van het IMA die van kracht is."
)


def _paragraphs(*blocks):
    """Markdown blocks (paragraphs, lists, sub-headings) separated by a blank line."""
    return "\n\n".join(blocks)


TITLE_PURPOSES_FR = "Pourquoi vos données sont-elles traitées ?"
TITLE_PURPOSES_NL = "Waarom worden uw gegevens verwerkt?"
TITLE_PROFILING_FR = "Faites-vous l'objet de décisions automatisées, en ce compris le profilage ?"
TITLE_PROFILING_NL = (
    "Wordt u onderworpen aan geautomatiseerde besluitvorming, waaronder profilering?"
)

SECTIONS_V1 = [
    {
        "anchor": "controller",
        "registry_block": "controller",
        "title_fr": "Responsable du traitement",
        "title_nl": "Verwerkingsverantwoordelijke",
        "body_fr": _paragraphs(
            (
                "L'asbl Agence Intermutualiste (ci-après appelée « AIM ») est une association "
                "de partage de frais qui a pour objectif d'analyser les données collectées par "
                "les organismes assureurs dans le cadre de leurs missions et à leur procurer "
                "l'information en la matière."
            ),
            (
                "L'AIM a pour administrateurs les représentants des cinq unions nationales des "
                "mutualités, de la Caisse Auxiliaire d'Assurance Maladie-Invalidité et de la "
                "Caisse des Soins de Santé de HR Rail, ainsi que de l'Institut national "
                "d'assurance maladie-invalidité, du Service public fédéral Sécurité sociale, du "
                "Service public fédéral Santé publique et du Centre fédéral d'Expertise des Soins "
                "de Santé."
            ),
            (
                "L'AIM agit en tant que responsable du traitement pour les données des "
                "organismes assureurs."
            ),
            (
                "L'AIM accorde une importance particulière à la protection de la vie privée et, "
                "conformément au Règlement européen du 27 avril 2016 relatif à la protection des "
                "données (RGPD), a désigné un délégué à la protection des données. Celui-ci est "
                "joignable par e-mail ou par courrier. Ses coordonnées figurent ci-dessous, avec "
                "le numéro d'entreprise et l'adresse de l'AIM."
            ),
        ),
        "body_nl": _paragraphs(
            (
                "De vzw InterMutualistisch Agentschap (hierna „IMA” genoemd) is een kostendelende "
                "vereniging die tot doel heeft de gegevens te analyseren die de "
                "verzekeringsinstellingen in het kader van hun opdrachten verzamelen, en hun "
                "daarover informatie te verstrekken."
            ),
            (
                "De bestuurders van het IMA zijn de vertegenwoordigers van de vijf landsbonden "
                "van ziekenfondsen, van de Hulpkas voor Ziekte- en Invaliditeitsverzekering en "
                "van de Kas der geneeskundige verzorging van HR Rail, alsook van het "
                "Rijksinstituut voor ziekte- en invaliditeitsverzekering, de Federale "
                "Overheidsdienst Sociale Zekerheid, de Federale Overheidsdienst Volksgezondheid "
                "en het Federaal Kenniscentrum voor de Gezondheidszorg."
            ),
            (
                "Het IMA treedt op als verwerkingsverantwoordelijke voor de gegevens van de "
                "verzekeringsinstellingen."
            ),
            (
                "Het IMA hecht bijzonder veel belang aan de bescherming van de persoonlijke "
                "levenssfeer en heeft, overeenkomstig de Europese Verordening van 27 april 2016 "
                "betreffende gegevensbescherming (AVG), een functionaris voor "
                "gegevensbescherming aangesteld. Hij is bereikbaar per e-mail of per post. Zijn "
                "contactgegevens staan hieronder, samen met het ondernemingsnummer en het adres "
                "van het IMA."
            ),
        ),
    },
    {
        "anchor": "population",
        "registry_block": "",
        "title_fr": (
            "L'AIM traite les données personnelles de toute la population belge assurée "
            "sociale et de tous les prestataires de soins"
        ),
        "title_nl": (
            "Het IMA verwerkt de persoonsgegevens van de volledige sociaal verzekerde Belgische "
            "bevolking en van alle zorgverleners"
        ),
        "body_fr": (
            f"Les sections suivantes, de « {TITLE_PURPOSES_FR} » à « {TITLE_PROFILING_FR} », "
            "portent sur ces données. La dernière section décrit les données que l'AIM traite "
            "pour gérer vos contacts avec ses services, dont sa lettre d'information."
        ),
        "body_nl": (
            f"De volgende onderdelen, van „{TITLE_PURPOSES_NL}” tot „{TITLE_PROFILING_NL}”, "
            "gaan over deze gegevens. Het laatste onderdeel beschrijft de gegevens die het IMA "
            "verwerkt om uw contacten met zijn diensten te beheren, waaronder zijn nieuwsbrief."
        ),
    },
    {
        "anchor": "purposes",
        "registry_block": "",
        "title_fr": TITLE_PURPOSES_FR,
        "title_nl": TITLE_PURPOSES_NL,
        "body_fr": _paragraphs(
            "- **Afin de remplir ses missions légales**, à savoir :",
            (
                "  Analyser les données collectées par les organismes assureurs dans le cadre de "
                "leurs missions et à leur procurer l'information en la matière."
            ),
            (
                "  Cela peut se faire de sa propre initiative ou à la demande de partenaires "
                "légaux : l'Institut national d'assurance maladie-invalidité (INAMI), le Service "
                "Public Fédéral (SPF) Santé publique, le Service Public Fédéral (SPF) Sécurité "
                "sociale ainsi que le Centre d'Expertises Fédéral en matière de soins de santé "
                "(KCE)."
            ),
            (
                "- **Afin de réaliser ses objectifs scientifiques pertinents pour la politique de "
                "soins de santé** :"
            ),
            (
                "  L'AIM réalise également des projets de recherche scientifiques en "
                "collaboration avec et/ou à la demande d'autres services publics fédéraux, des "
                "Régions et Communautés, mais aussi en collaboration avec des universités."
            ),
            (
                "Conformément à la loi, dans le cadre de chaque transfert de données ou de tout "
                "projet de recherche où l'AIM fait usage de données personnelles couplées, une "
                "demande de délibération est introduite, avant le début du projet, auprès de la "
                "chambre sécurité sociale et santé du Comité de sécurité de l'information. Seule "
                "une délibération positive peut permettre au traitement d'avoir lieu."
            ),
        ),
        "body_nl": _paragraphs(
            "- **Om zijn wettelijke opdrachten te vervullen**, namelijk:",
            (
                "  De gegevens analyseren die de verzekeringsinstellingen in het kader van hun "
                "opdrachten verzamelen, en hun daarover informatie verstrekken."
            ),
            (
                "  Dat kan op eigen initiatief of op verzoek van wettelijke partners: het "
                "Rijksinstituut voor ziekte- en invaliditeitsverzekering (RIZIV), de Federale "
                "Overheidsdienst (FOD) Volksgezondheid, de Federale Overheidsdienst (FOD) Sociale "
                "Zekerheid en het Federaal Kenniscentrum voor de Gezondheidszorg (KCE)."
            ),
            (
                "- **Om zijn wetenschappelijke doelstellingen te verwezenlijken die relevant zijn "
                "voor het gezondheidszorgbeleid**:"
            ),
            (
                "  Het IMA voert ook wetenschappelijke onderzoeksprojecten uit in samenwerking met "
                "en/of op verzoek van andere federale overheidsdiensten, de Gewesten en "
                "Gemeenschappen, maar ook in samenwerking met universiteiten."
            ),
            (
                "Overeenkomstig de wet wordt voor elke doorgifte van gegevens en voor elk "
                "onderzoeksproject waarin het IMA gekoppelde persoonsgegevens gebruikt, vóór de "
                "start van het project een aanvraag tot beraadslaging ingediend bij de kamer "
                "sociale zekerheid en gezondheid van het Informatieveiligheidscomité. Alleen een "
                "positieve beraadslaging maakt de verwerking mogelijk."
            ),
        ),
    },
    {
        "anchor": "legal-basis",
        "registry_block": "",
        "title_fr": "Quelle est la base légale de traitement de vos données ?",
        "title_nl": "Wat is de rechtsgrond voor de verwerking van uw gegevens?",
        "body_fr": _paragraphs(
            (
                "Dans le cadre de sa mission légale, l'AIM traite les données sur la base de la "
                "Loi-Programme du 24/12/2002, articles 278 jusque 281 compris."
            ),
            (
                "Dans le cadre de ses objectifs scientifiques, l'AIM traite les données sur la "
                "base des délibérations délivrées par la chambre sécurité sociale et santé du "
                "Comité de sécurité de l'information."
            ),
        ),
        "body_nl": _paragraphs(
            (
                "In het kader van zijn wettelijke opdracht verwerkt het IMA de gegevens op basis "
                "van de Programmawet (I) van 24 december 2002, artikelen 278 tot en met 281."
            ),
            (
                "In het kader van zijn wetenschappelijke doelstellingen verwerkt het IMA de "
                "gegevens op basis van de beraadslagingen van de kamer sociale zekerheid en "
                "gezondheid van het Informatieveiligheidscomité."
            ),
        ),
    },
    {
        "anchor": "data",
        "registry_block": "",
        "title_fr": "Quelles sont les données traitées ?",
        "title_nl": "Welke gegevens worden verwerkt?",
        "body_fr": _paragraphs(
            (
                "L'AIM collecte les données administratives de tous les membres des organismes "
                "assureurs ainsi que les données de facturation de ces membres."
            ),
            (
                "L'AIM utilise exclusivement et toujours des données pseudonymisées deux ou trois "
                "fois. Cela permet d'éviter toute référence ou possible identification directe "
                "de personnes. De cette manière, l'AIM respecte la vie privée de tous les "
                "membres, aussi bien dans le cadre de la recherche que de ses missions légales."
            ),
            (
                "- L'AIM ne dispose pas des noms et adresses des membres.\n"
                "- L'AIM ne dispose pas des données issues des dossiers médicaux des membres."
            ),
            (
                "Dans le cadre de projets de recherche spécifiques, l'AIM peut également, sous "
                "les conditions strictes imposées par les délibérations spécifiques et pour un "
                "nombre limité d'individus, recevoir et traiter des données personnelles de la "
                "part de sources extérieures comme des données sensibles, sociales ou de santé."
            ),
        ),
        "body_nl": _paragraphs(
            (
                "Het IMA verzamelt de administratieve gegevens van alle leden van de "
                "verzekeringsinstellingen en de facturatiegegevens van die leden."
            ),
            (
                "Het IMA gebruikt uitsluitend en altijd gegevens die twee- of driemaal "
                "gepseudonimiseerd zijn. Zo wordt elke verwijzing naar personen en elke "
                "mogelijke rechtstreekse identificatie van personen vermeden. Op die manier "
                "respecteert het IMA de persoonlijke levenssfeer van alle leden, zowel bij "
                "onderzoek als bij de uitvoering van zijn wettelijke opdrachten."
            ),
            (
                "- Het IMA beschikt niet over de namen en adressen van de leden.\n"
                "- Het IMA beschikt niet over gegevens uit de medische dossiers van de leden."
            ),
            (
                "In het kader van specifieke onderzoeksprojecten kan het IMA ook, onder de "
                "strikte voorwaarden die de specifieke beraadslagingen opleggen en voor een "
                "beperkt aantal personen, persoonsgegevens van externe bronnen ontvangen en "
                "verwerken, zoals gevoelige, sociale of gezondheidsgegevens."
            ),
        ),
    },
    {
        "anchor": "sources",
        "registry_block": "sources",
        "title_fr": "Quelles sont nos sources d'informations ?",
        "title_nl": "Wat zijn onze informatiebronnen?",
        "body_fr": (
            "Nos données proviennent essentiellement des organismes assureurs. Dans le cadre de "
            "projets où les données sont couplées, elles viennent également de partenaires tels "
            "que ceux repris ci-dessous, avec les organismes assureurs :"
        ),
        "body_nl": (
            "Onze gegevens zijn hoofdzakelijk afkomstig van de verzekeringsinstellingen. Bij "
            "projecten waarin gegevens worden gekoppeld, komen ze ook van partners, zoals die "
            "welke hieronder staan, samen met de verzekeringsinstellingen:"
        ),
    },
    {
        "anchor": "staff-and-security",
        "registry_block": "",
        "title_fr": "Par qui vos données sont-elles traitées ?",
        "title_nl": "Door wie worden uw gegevens verwerkt?",
        "body_fr": (
            "Toutes ces données sont traitées par du personnel habilité et soumis "
            "contractuellement à une obligation de secret professionnel. Des mesures de "
            "sécurité informatiques sont par ailleurs mises en place en vue de garantir la "
            "confidentialité, l'intégrité et la disponibilité de vos données."
        ),
        "body_nl": (
            "Al deze gegevens worden verwerkt door gemachtigde personeelsleden, contractueel "
            "gebonden aan het beroepsgeheim. Daarnaast zijn er "
            "informaticabeveiligingsmaatregelen genomen om de vertrouwelijkheid, de integriteit "
            "en de beschikbaarheid van uw gegevens te waarborgen."
        ),
    },
    {
        "anchor": "recipients",
        "registry_block": "recipients",
        "title_fr": "À qui vos données peuvent-elles être communiquées ?",
        "title_nl": "Aan wie kunnen uw gegevens worden meegedeeld?",
        "body_fr": (
            "Vos données à caractère personnel codées peuvent être communiquées aux "
            "destinataires suivants :"
        ),
        "body_nl": (
            "Uw gecodeerde persoonsgegevens kunnen aan de volgende ontvangers worden meegedeeld:"
        ),
    },
    {
        "anchor": "data-flows",
        "registry_block": "diagram",
        "title_fr": "D'où viennent vos données et où vont-elles ?",
        "title_nl": "Waar komen uw gegevens vandaan en waar gaan ze naartoe?",
        "body_fr": (
            "Ce schéma résume le parcours de vos données : leurs sources, l'AIM et leurs "
            "destinataires."
        ),
        "body_nl": (
            "Dit schema vat de weg van uw gegevens samen: hun bronnen, het IMA en hun ontvangers."
        ),
    },
    {
        "anchor": "transfers",
        "registry_block": "transfers",
        "title_fr": "Vos données sont-elles transférées vers des pays en dehors de l'EEE ?",
        "title_nl": "Worden uw gegevens doorgegeven aan landen buiten de EER?",
        "body_fr": (
            "Vos données peuvent uniquement être transférées à l'étranger, y compris vers des "
            "pays situés en dehors de l'EEE (Espace économique européen), si cela est autorisé. "
            "Les transferts possibles et leurs garanties sont les suivants :"
        ),
        "body_nl": (
            "Uw gegevens mogen alleen naar het buitenland worden doorgegeven, ook naar landen "
            "buiten de EER (Europese Economische Ruimte), als dat toegestaan is. De mogelijke "
            "doorgiften en hun waarborgen zijn de volgende:"
        ),
    },
    {
        "anchor": "retention",
        "registry_block": "retention",
        "title_fr": "Combien de temps vos données sont-elles conservées ?",
        "title_nl": "Hoelang worden uw gegevens bewaard?",
        "body_fr": (
            "Vos données ne sont pas conservées plus longtemps que les durées maximales suivantes :"
        ),
        "body_nl": "Uw gegevens worden niet langer bewaard dan de volgende maximale termijnen:",
    },
    {
        "anchor": "rights",
        "registry_block": "rights",
        "title_fr": "Quels sont vos droits ?",
        "title_nl": "Wat zijn uw rechten?",
        "body_fr": _paragraphs(
            (
                "Étant donné que l'AIM effectue le traitement de ces données en tant que "
                "sous-traitant, il vous faudra, afin d'appliquer vos droits, adresser votre "
                "demande à l'institution responsable et la source authentique de vos données, à "
                "savoir la mutualité à laquelle vous êtes affilié. Vous trouverez ci-dessous les "
                "organismes assureurs et les coordonnées que ce portail connaît pour chacun, puis "
                "le lien vers la page web de l'INAMI qui publie la liste officielle des "
                "coordonnées des mutualités."
            ),
            (
                "En cas de désaccord, vous pouvez toujours contacter l'autorité de contrôle belge "
                "chargée de l'application de la protection des données : ses coordonnées "
                "figurent également ci-dessous."
            ),
        ),
        "body_nl": _paragraphs(
            (
                "Aangezien het IMA deze gegevens als verwerker verwerkt, moet u, om uw rechten "
                "uit te oefenen, uw verzoek richten aan de verantwoordelijke instelling en "
                "authentieke bron van uw gegevens, namelijk het ziekenfonds waarbij u aangesloten "
                "bent. Hieronder vindt u de verzekeringsinstellingen en de contactgegevens die dit "
                "portaal voor elk ervan kent, en daarna de link naar de webpagina van het "
                "RIZIV met de officiële lijst van de contactgegevens van de ziekenfondsen."
            ),
            (
                "Bent u het niet eens, dan kunt u zich altijd wenden tot de Belgische "
                "toezichthoudende autoriteit die belast is met de handhaving van de "
                "gegevensbescherming: haar contactgegevens staan eveneens hieronder."
            ),
        ),
    },
    {
        "anchor": "consent",
        "registry_block": "",
        "title_fr": "Pouvez-vous retirer votre consentement ?",
        "title_nl": "Kunt u uw toestemming intrekken?",
        "body_fr": "L'AIM ne traite pas de données sur la base du consentement.",
        "body_nl": "Het IMA verwerkt geen gegevens op basis van toestemming.",
    },
    {
        "anchor": "automated-decisions",
        "registry_block": "",
        "title_fr": TITLE_PROFILING_FR,
        "title_nl": TITLE_PROFILING_NL,
        "body_fr": (
            "- Décisions automatisées : non\n"
            "- Dans le cadre de ses missions légales, l'AIM peut être amené à créer des profils "
            "des acteurs du domaine de l'assurance maladie et les transmet alors aux services de "
            "contrôle de l'INAMI et aux mutualités."
        ),
        "body_nl": (
            "- Geautomatiseerde besluiten: nee\n"
            "- In het kader van zijn wettelijke opdrachten kan het IMA profielen opstellen van de "
            "actoren in de ziekteverzekering en bezorgt het die dan aan de controlediensten van "
            "het RIZIV en aan de ziekenfondsen."
        ),
    },
    {
        "anchor": "contacts-and-newsletter",
        "registry_block": "",
        "title_fr": (
            "L'AIM traite certaines données pour gérer vos contacts avec nos services, quel que "
            "soit le canal utilisé"
        ),
        "title_nl": (
            "Het IMA verwerkt bepaalde gegevens om uw contacten met onze diensten te beheren, "
            "ongeacht het gebruikte kanaal"
        ),
        "body_fr": _paragraphs(
            "### La lettre d'information",
            "Les données récoltées pour la newsletter sont :",
            "- l'adresse mail du destinataire ;\n- son prénom et son nom éventuels.",
            (
                "Elles sont stockées sur un compte lié à <https://mailchimp.com>, ci-après "
                "dénommé « le transmetteur »."
            ),
            (
                "L'AIM, faisant usage des services et des conditions du transmetteur en ce qui "
                "concerne le traitement de ces données, garantit une utilisation de ces données "
                "pour ce seul traitement. En aucun cas l'AIM ne transmet ni ne revend ces données "
                "stockées chez le transmetteur."
            ),
            (
                "Un lien de désinscription automatique figure systématiquement dans nos "
                "newsletters. Toute modification ou retrait de notre liste peut être demandé à "
                "l'adresse suivante : <dpo@intermut.be>."
            ),
        ),
        "body_nl": _paragraphs(
            "### De nieuwsbrief",
            "Voor de nieuwsbrief worden de volgende gegevens verzameld:",
            "- het e-mailadres van de ontvanger;\n- eventueel zijn voornaam en naam.",
            (
                "Ze worden opgeslagen op een account bij <https://mailchimp.com>, hierna „de "
                "verzender” genoemd."
            ),
            (
                "Het IMA maakt voor de verwerking van deze gegevens gebruik van de diensten en de "
                "voorwaarden van de verzender en waarborgt dat ze uitsluitend voor deze "
                "verwerking worden gebruikt. Het IMA geeft de gegevens die bij de verzender zijn "
                "opgeslagen in geen geval door en verkoopt ze evenmin."
            ),
            (
                "Elke nieuwsbrief bevat een link waarmee u zich kunt uitschrijven. Elke "
                "wijziging of uitschrijving uit onze lijst kan worden gevraagd op het volgende "
                "adres: <dpo@intermut.be>."
            ),
        ),
    },
]
