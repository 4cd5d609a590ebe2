"""The wizard's URLs and download names in the page's language, mapped to the values it stores.

The database, the routing and the forms keep the internal values (`insurer-data`, `access`,
`unknown`); only URLs and file names speak the reader's language. The path converters below do
the mapping at the URL edge: `reverse()` given an internal value writes the slug of the active
language, and a path in either language (or an old English one) resolves to the internal value —
the wizard then answers a slug that is not the page's own with a permanent redirect.
"""

from django.urls import register_converter
from django.utils import translation

from requests.models import Right, Topic
from requests.routing import UNKNOWN_INSURER

# Short, natural slugs, after the rights' names in the glossary (FR "Droit d'accès", NL "Recht
# van inzage"). Each slug is unique within its position, across both languages.
TOPIC_SLUGS = {
    Topic.INSURER_DATA: {"fr": "donnees-mutualite", "nl": "gegevens-ziekenfonds"},
    Topic.AIM_DATA: {"fr": "donnees-aim", "nl": "gegevens-ima"},
    Topic.COMPLAINT: {"fr": "reclamation", "nl": "klacht"},
    Topic.OTHER: {"fr": "autre-chose", "nl": "iets-anders"},
}
RIGHT_SLUGS = {
    Right.ACCESS: {"fr": "acces", "nl": "inzage"},
    Right.RECTIFICATION: {"fr": "rectification", "nl": "rectificatie"},
    Right.ERASURE: {"fr": "effacement", "nl": "gegevenswissing"},
    Right.RESTRICTION: {"fr": "limitation", "nl": "beperking"},
    Right.PORTABILITY: {"fr": "portabilite", "nl": "overdraagbaarheid"},
    Right.OBJECTION: {"fr": "opposition", "nl": "bezwaar"},
    Right.AUTOMATED: {"fr": "decision-automatisee", "nl": "geautomatiseerde-besluitvorming"},
}
# An insurer is its INAMI/RIZIV code in every language; only "I don't know" has words.
INSURER_SLUGS = {
    UNKNOWN_INSURER: {"fr": "je-ne-sais-pas", "nl": "weet-ik-niet"},
}
# The first word of a letter's file name: lettre-acces.pdf, brief-inzage.pdf.
LETTER_FILE_WORD = {"fr": "lettre", "nl": "brief"}


def _value_of(slugs):
    """slug → value, for every language's slug and for the value itself (the old English URLs)."""
    found = {str(value): str(value) for value in slugs}
    for value, by_language in slugs.items():
        for slug in by_language.values():
            if found.get(slug, value) != value:
                raise ValueError(f"slug {slug!r} stands for two values")
            found[slug] = str(value)
    return found


def slug_for(slugs, value, language=None):
    """The slug of `value` in `language` (the active one by default); other text unchanged."""
    language = language or translation.get_language()
    return slugs.get(value, {}).get(language, str(value))


class _SlugConverter:
    regex = "[-a-zA-Z0-9_]+"
    slugs = {}

    def __init__(self):
        self.values = _value_of(self.slugs)

    def to_python(self, slug):
        # A slug nobody knows stays as it is: the wizard answers it with its own 404.
        return self.values.get(slug, slug)

    def to_url(self, value):
        return slug_for(self.slugs, str(value))


class TopicConverter(_SlugConverter):
    slugs = TOPIC_SLUGS


class RightConverter(_SlugConverter):
    slugs = RIGHT_SLUGS


class InsurerConverter(_SlugConverter):
    slugs = INSURER_SLUGS


register_converter(TopicConverter, "wizard_topic")
register_converter(RightConverter, "wizard_right")
register_converter(InsurerConverter, "wizard_insurer")


def letter_filename(right, language=None):
    """The PDF's file name in the page's language, e.g. lettre-acces.pdf or brief-inzage.pdf."""
    language = language or translation.get_language()
    word = LETTER_FILE_WORD.get(language, "letter")
    return f"{word}-{slug_for(RIGHT_SLUGS, right, language)}.pdf"
