"""Walking the rights wizard as a person would, for the wizard tests."""

from django.urls import reverse
from django.utils import translation


def wizard(language="fr", *choices):
    """The wizard's URL after `choices` (stored values; the URL converters write the slugs of
    the language)."""
    names = ["topic", "right", "insurer"][: len(choices)]
    with translation.override(language):
        return reverse("rights:wizard", kwargs=dict(zip(names, choices, strict=True)) or None)


def walk(client, language, *choices):
    """Post each choice in turn as a person would; return the final response and its URL."""
    url = wizard(language)
    for choice in choices:
        response = client.post(url, {"choice": choice})
        assert response.status_code == 303, (url, choice, response.status_code)
        url = response["Location"]
    return client.get(url), url
