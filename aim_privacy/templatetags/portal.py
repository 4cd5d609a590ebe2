"""Template helpers of the site shell: the other-language links and hreflang alternates."""

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation

register = template.Library()


def _same_page_in(match, language):
    """The path of the page `match` resolved to, in `language`; None if it has none there.

    Built by reversing the view that answered, never from the request line: a path such as
    `//evil.example/fr/declaration/` reads as a host to anything that parses it as a URL
    (translate_url does), and a query string is the client's text.
    """
    if match is None or not match.url_name:
        return None
    with translation.override(language):
        try:
            return reverse(match.view_name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            return None


@register.simple_tag(takes_context=True)
def language_alternates(context):
    """The current page in every language: [{code, name, url, absolute_url, current}].

    A page that matched no URL (a 404) links to each language's home page and has no
    `absolute_url` (no hreflang alternates). Absolute URLs start with SITE_URL, never with the
    host the request named.
    """
    match = context["request"].resolver_match
    current = translation.get_language()
    alternates = []
    for code, name in settings.LANGUAGES:
        url = _same_page_in(match, code)
        with translation.override(code):
            local_name = translation.gettext(name)
            home = reverse("home")
        alternates.append(
            {
                "code": code,
                "name": local_name,
                "url": url or home,
                "absolute_url": f"{settings.SITE_URL}{url}" if url else None,
                "current": code == current,
            }
        )
    return alternates
