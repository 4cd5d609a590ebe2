"""Registry blocks: parts of the notice rendered from the registry data of a snapshot.

Each block kind (notices.models.Section.Block) has a template templates/notices/blocks/<kind>.html
that receives the registry data (notices.registry_data.registry_data()) and the language.
"""

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe


def render_block(kind, registry, language):
    with translation.override(language):
        html = render_to_string(
            f"notices/blocks/{kind}.html",
            {"registry": registry, "lang": language, "LANGUAGE_CODE": language},
        )
    return mark_safe(html)  # noqa: S308 - autoescaped template output
