"""Who must answer a person's request, and how to reach them: the routing rules, in one place.

The rules read the registry, not templates: a topic stands for the activities whose
`rights_handled_by` says who answers (their own insurer, AIM's DPO), and the channels are the
organisation's own. A channel, privacy statement or head office published only in the other
language is given all the same, with its `language` set so that the page says so. An insurer
always comes with its privacy statement and head office where the registry has them, and with
the official list of insurers' contacts in the reader's language where it exists.
"""

from dataclasses import dataclass, field

from django.utils import translation

from registry.models import DataProtectionOfficer, Organisation, ProcessingActivity
from requests.models import RIGHT_ARTICLES, Right, Topic

UNKNOWN_INSURER = "unknown"

# Which activities a topic is about, by who answers for them in the registry.
TOPIC_HANDLER = {
    Topic.INSURER_DATA: ProcessingActivity.RightsHandler.OWN_INSURER,
    Topic.AIM_DATA: ProcessingActivity.RightsHandler.AIM,
    Topic.OTHER: ProcessingActivity.RightsHandler.AIM,
}
# The steps each topic asks for, in order.
TOPIC_STEPS = {
    Topic.INSURER_DATA: ("right", "insurer"),
    Topic.AIM_DATA: ("right",),
    Topic.COMPLAINT: (),
    Topic.OTHER: (),
}


class Answerer:
    INSURER = "insurer"
    INSURER_UNKNOWN = "insurer_unknown"
    AIM = "aim"
    AUTHORITY = "authority"


@dataclass(frozen=True)
class Channel:
    kind: str  # web_form, email, postal_address, phone, privacy_statement
    value: str
    href: str = ""
    # "" when the channel is in the reader's language (or has none); otherwise "fr" or "nl":
    # the page then says the channel is published in that language only.
    language: str = ""


@dataclass(frozen=True)
class Route:
    topic: str
    right: str
    insurer: str
    answerer: str
    organisation: Organisation | None = None
    channels: tuple[Channel, ...] = ()
    insurers: tuple[Organisation, ...] = ()
    contact_list_url: str = ""
    contact_list_language: str = ""
    dpo: DataProtectionOfficer | None = None
    activities: tuple[ProcessingActivity, ...] = field(default_factory=tuple)
    # The insurer's own privacy statement (kind "privacy_statement"), and its head office
    # address: shown where no direct channel for privacy requests is known.
    privacy_statement: Channel | None = None
    head_office: str = ""
    # "" when the head office address is in the reader's language, else "fr" or "nl".
    head_office_language: str = ""

    @property
    def direct_channel_known(self):
        """True when the registry holds at least one channel for rights requests."""
        return bool(self.channels)

    @property
    def email(self):
        return next((c.value for c in self.channels if c.kind == "email"), "")

    @property
    def letter_address(self):
        """The address a letter goes to: the channel for rights requests, else the head office."""
        return self.postal_address or self.head_office

    @property
    def article(self):
        return RIGHT_ARTICLES.get(self.right, "")

    @property
    def right_label(self):
        return Right(self.right).label if self.right else ""

    @property
    def postal_address(self):
        return next((c.value for c in self.channels if c.kind == "postal_address"), "")


def _other(language):
    return "nl" if language == "fr" else "fr"


def in_language(obj, name):
    """(value, language) of a translated field: the reader's language, else the other one with
    that language named ("" when it is the reader's own)."""
    if obj is None:
        return "", ""
    language = translation.get_language()
    own = getattr(obj, f"{name}_{language}", "")
    if own:
        return own, ""
    other = getattr(obj, f"{name}_{_other(language)}", "")
    return (other, _other(language)) if other else ("", "")


def channels_of(organisation, dpo=None):
    """The organisation's channels for rights requests, those that exist: in the reader's
    language, else in the other one (marked with it)."""
    if organisation is None:
        return ()
    found = []
    web_form, language = in_language(organisation, "rights_web_form")
    if web_form:
        found.append(Channel("web_form", web_form, web_form, language))
    email = organisation.rights_email or (dpo.email if dpo else "")
    if email:
        found.append(Channel("email", email, f"mailto:{email}"))
    postal, language = in_language(organisation, "rights_postal_address")
    if not postal and dpo is not None:
        postal, language = in_language(dpo, "postal_address")
    if postal:
        found.append(Channel("postal_address", postal, "", language))
    phone = organisation.rights_phone or (dpo.phone if dpo else "")
    if phone:
        found.append(
            Channel("phone", phone, "tel:" + "".join(c for c in phone if c in "+0123456789"))
        )
    return tuple(found)


def privacy_statement_of(organisation):
    url, language = in_language(organisation, "privacy_statement_url")
    return Channel("privacy_statement", url, url, language) if url else None


def contact_list():
    """(url, language) of the official list of insurers' contacts, in the reader's language if
    it exists, otherwise in the other one (a link, not text in place of the reader's own)."""
    directory = (
        Organisation.objects.exclude(contact_directory_url_fr="", contact_directory_url_nl="")
        .order_by("pk")
        .first()
    )
    if directory is None:
        return "", ""
    language = translation.get_language()
    own = getattr(directory, f"contact_directory_url_{language}")
    if own:
        return own, language
    other = "nl" if language == "fr" else "fr"
    return getattr(directory, f"contact_directory_url_{other}"), other


def valid_insurers():
    return {str(code) for code in Organisation.InsurerCode.values} | {UNKNOWN_INSURER}


def route(*, topic, right="", insurer=""):
    """Who answers, and how to reach them. Raises ValueError on a choice that is not offered."""
    topic = Topic(topic)
    steps = TOPIC_STEPS[topic]
    if ("right" in steps) != bool(right) or (right and right not in Right.values):
        raise ValueError("right")
    if ("insurer" in steps) != bool(insurer) or (insurer and insurer not in valid_insurers()):
        raise ValueError("insurer")

    if topic == Topic.COMPLAINT:
        authority = Organisation.objects.filter(kind=Organisation.Kind.AUTHORITY).first()
        return Route(
            topic=topic,
            right="",
            insurer="",
            answerer=Answerer.AUTHORITY,
            organisation=authority,
            channels=channels_of(authority),
        )

    activities = tuple(
        ProcessingActivity.objects.in_force().filter(rights_handled_by=TOPIC_HANDLER[topic])
    )
    if topic == Topic.INSURER_DATA:
        url, url_language = contact_list()
        if insurer == UNKNOWN_INSURER:
            return Route(
                topic=topic,
                right=right,
                insurer=insurer,
                answerer=Answerer.INSURER_UNKNOWN,
                insurers=tuple(Organisation.objects.insurers()),
                contact_list_url=url,
                contact_list_language=url_language,
                activities=activities,
            )
        organisation = Organisation.objects.insurers().get(insurer_code=int(insurer))
        head_office, head_office_language = in_language(organisation, "address")
        return Route(
            topic=topic,
            right=right,
            insurer=insurer,
            answerer=Answerer.INSURER,
            organisation=organisation,
            channels=channels_of(organisation),
            contact_list_url=url,
            contact_list_language=url_language,
            activities=activities,
            privacy_statement=privacy_statement_of(organisation),
            head_office=head_office,
            head_office_language=head_office_language,
        )

    aim = Organisation.objects.filter(kind=Organisation.Kind.AIM).first()
    dpo = DataProtectionOfficer.objects.filter(organisation=aim).first() if aim else None
    head_office, head_office_language = in_language(aim, "address")
    return Route(
        topic=topic,
        right=right,
        insurer="",
        answerer=Answerer.AIM,
        organisation=aim,
        channels=channels_of(aim, dpo),
        dpo=dpo,
        activities=activities,
        privacy_statement=privacy_statement_of(aim),
        head_office=head_office,
        head_office_language=head_office_language,
    )
