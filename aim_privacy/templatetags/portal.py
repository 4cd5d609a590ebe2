"""Template helpers of the site shell: the other-language links and hreflang alternates."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.urls.base import translate_url
from django.utils import translation

register = template.Library()


@register.simple_tag(takes_context=True)
def language_alternates(context):
    """The current page in every language: [{code, name, url, absolute_url, current}].

    A page that has no counterpart (an unknown URL) links to the other language's home page.
    """
    request = context["request"]
    current = translation.get_language()
    alternates = []
    for code, name in settings.LANGUAGES:
        url = translate_url(request.get_full_path(), code)
        if code != current and url == request.get_full_path():
            with translation.override(code):
                url = reverse("home")
        with translation.override(code):
            local_name = translation.gettext(name)
        alternates.append(
            {
                "code": code,
                "name": local_name,
                "url": url,
                "absolute_url": request.build_absolute_uri(url),
                "current": code == current,
            }
        )
    return alternates
