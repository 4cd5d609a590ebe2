"""The letter's wording: what a request under each GDPR right says, and to whom, in one language.

The name and address a person types pass through here only to be laid out: nothing is kept.
"""

import re

from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from notices.templatetags.dates import long_date
from requests.letter_forms import letter_offered
from requests.models import Right
from requests.routing import Answerer

# A Belgian postcode opening the last line of an address names the place the letter is written.
POSTCODE_PLACE = re.compile(r"^(?:B-?\s*)?\d{4}\s+(?P<place>\S.*)$")


def _lines(text):
    """The lines of an address; one typed on a single line is split at its commas."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len(lines) == 1 and "," in lines[0]:
        lines = [part.strip() for part in lines[0].split(",") if part.strip()]
    return lines


def _place(address_lines):
    match = POSTCODE_PLACE.match(address_lines[-1]) if address_lines else None
    return match.group("place") if match else ""


def _right_paragraphs(right, article):
    """What is asked, for each right, with where to leave room for the person's own details."""
    if right == Right.ACCESS:
        return [
            _(
                "I ask you to confirm whether or not you process personal data concerning me "
                "and, if so, to give me a copy of those data (Article 15(3) GDPR)."
            ),
            _(
                "I also ask for the information listed in Article 15(1) GDPR: the purposes of "
                "the processing; the categories of data concerned; the recipients or categories "
                "of recipients to whom the data have been or will be disclosed; how long the "
                "data will be kept, or the criteria used to decide it; my rights to "
                "rectification, erasure, restriction and objection; my right to lodge a "
                "complaint with the Data Protection Authority; where the data come from, if "
                "they were not collected from me; and whether automated decision-making, "
                "including profiling, is used. If data are transferred to a country outside "
                "the European Economic Area, please tell me the safeguards applied "
                "(Article 15(2) GDPR)."
            ),
        ], ""
    if right == Right.RECTIFICATION:
        return [
            _(
                "Some personal data concerning me that you process are inaccurate or "
                "incomplete. I ask you to correct or complete them without undue delay "
                "(Article 16 GDPR), as follows:"
            ),
        ], _("The data to correct, and the correct data:")
    if right == Right.ERASURE:
        return [
            _(
                "I ask you to erase the personal data concerning me without undue delay "
                "(Article 17 GDPR). If you consider that you must or may keep some of them, "
                "in particular under Article 17(3) GDPR, please tell me which data, on what "
                "legal basis and for how long."
            ),
        ], ""
    if right == Right.RESTRICTION:
        return [
            _(
                "I ask you to restrict the processing of the personal data concerning me "
                "(Article 18 GDPR): while it is restricted, the data may only be stored, and "
                "used otherwise only in the cases listed in Article 18(2) GDPR. Please inform "
                "me before the restriction is lifted (Article 18(3) GDPR)."
            ),
        ], _("My reasons (optional):")
    if right == Right.PORTABILITY:
        return [
            _(
                "I ask you to provide me with the personal data concerning me that I have "
                "provided to you, in a structured, commonly used and machine-readable format "
                "(Article 20(1) GDPR)."
            ),
        ], ""
    if right == Right.OBJECTION:
        return [
            _(
                "On grounds relating to my particular situation, I object to the processing "
                "of personal data concerning me (Article 21(1) GDPR). I ask you to stop that "
                "processing, unless you demonstrate compelling legitimate grounds that override "
                "my interests, rights and freedoms, or need the data for the establishment, "
                "exercise or defence of legal claims."
            ),
        ], _("My particular situation:")
    if right == Right.AUTOMATED:
        return [
            _(
                "I ask not to be subject to a decision based solely on automated processing, "
                "including profiling, which produces legal effects concerning me or similarly "
                "significantly affects me (Article 22 GDPR)."
            ),
            _(
                "Where such a decision has been or will be taken, I ask for human intervention "
                "on your part, to express my point of view and to contest the decision "
                "(Article 22(3) GDPR), and for meaningful information about the logic involved "
                "(Article 15(1)(h) GDPR)."
            ),
        ], ""
    raise ValueError("right")


def _contains(text, part):
    return part.casefold() in text.casefold()


def addressee(route):
    """Who the letter goes to, each name once, and where: {names, address_lines, address_note}.

    The organisation's name, then the name people know it by only when that is another name
    (not the same, not a part of it). Where the address itself names the organisation (the
    insurer's published "Mutualités Libres - DPO"), its lines up to that one are the names.
    Without a known address, an honest line pointing to where the address is published, never
    blank lines.
    """
    organisation = route.organisation
    address_lines = _lines(route.letter_address or organisation.address)
    address_known = bool(address_lines)
    short = (organisation.short_name or "").strip()
    known_as = [name for name in (organisation.name, short) if name]
    naming = next(
        (
            index
            for index, line in enumerate(address_lines)
            if any(_contains(line, name) for name in known_as)
        ),
        None,
    )
    if naming is not None:
        names, address_lines = address_lines[: naming + 1], address_lines[naming + 1 :]
    else:
        names = [name for name in (organisation.name, organisation.other_name) if name]
    note = ""
    if not address_known:
        statement = route.privacy_statement
        if statement is not None and (statement.href or statement.value):
            note = _("Address: see the privacy statement at %(url)s") % {
                "url": statement.href or statement.value
            }
        elif route.contact_list_url:
            note = _("Address: see the list of the health insurers' contacts at %(url)s") % {
                "url": route.contact_list_url
            }
    return {"names": names, "address_lines": address_lines, "address_note": note}


@sensitive_variables("name", "address", "address_lines")
def letter_context(*, route, name, address, today, language):
    """Everything the letter templates show, in `language`. Only for routes with a letter."""
    if not letter_offered(route):
        raise ValueError("no letter for this route")
    with translation.override(language):
        address_lines = _lines(address)
        date = long_date(today, language)  # « 1er mai 2026 », "1 mei 2026"
        place = _place(address_lines)
        right_label = str(route.right_label)
        right_phrase = right_label[:1].lower() + right_label[1:]
        article = route.article

        if route.answerer == Answerer.AIM and route.dpo and route.dpo.name:
            attention = _("For the attention of %(name)s, data protection officer") % {
                "name": route.dpo.name
            }
        else:
            attention = _("For the attention of the data protection officer")
        if route.answerer == Answerer.INSURER:
            source = _(
                "This request concerns the personal data concerning me that you process as my "
                "health insurer, including those you pass on to the Intermutualist Agency (AIM)."
            )
        else:
            source = _(
                "This request concerns the personal data concerning me that you process, in "
                "particular for your newsletter and your contacts with the public."
            )
        asked, details_label = _right_paragraphs(route.right, article)

        return {
            "language": language,
            "right": route.right,
            "article": article,
            "answerer": route.answerer,
            "sender": {"name": name, "address_lines": address_lines},
            "addressee": {"attention": attention, **addressee(route)},
            "email": route.email,
            "channels": route.channels,
            "contact_list_url": route.contact_list_url,
            "contact_list_language": route.contact_list_language,
            "date_iso": today.isoformat(),
            "place_date": (
                _("%(place)s, %(date)s") % {"place": place, "date": date} if place else date
            ),
            "subject_label": _("Subject:"),
            "subject": _("Exercise of my %(right)s (Article %(article)s of the GDPR)")
            % {"right": right_phrase, "article": article},
            "salutation": _("Dear Sir or Madam,"),
            "paragraphs": [
                _(
                    "In accordance with Article %(article)s of the General Data Protection "
                    "Regulation (Regulation (EU) 2016/679, “GDPR”), I hereby exercise my "
                    "%(right)s."
                )
                % {"article": article, "right": right_phrase},
                source,
                *asked,
            ],
            "details_label": details_label,
            "closing_paragraphs": [
                _("So that you can verify my identity, I enclose a copy of my identity card."),
                _(
                    "Under Article 12(3) GDPR, you must answer this request without undue delay "
                    "and at the latest within one month of receiving it. Where necessary, that "
                    "period may be extended by two further months; you must then inform me "
                    "within the first month, with the reasons for the delay."
                ),
                _("Thank you in advance for your answer."),
            ],
            "closing": _("Yours faithfully,"),
            "signature_label": _("Signature"),
            "enclosure": _("Enclosure: a copy of my identity card"),
            "details_lines": range(6) if details_label else range(0),
        }
