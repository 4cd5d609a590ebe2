"""A URLconf for the letter tests: the site's URLs, plus `rights:letter` at /<lang>/letter/ in
case the site does not wire it yet.

Listed last, this `rights` namespace is only the one `reverse()` finds when the site has none:
once the site wires the wizard, the tests exercise the real URL.
"""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from aim_privacy.urls import urlpatterns as site_urlpatterns
from requests.letter_views import letter

urlpatterns = [
    *site_urlpatterns,
    *i18n_patterns(
        path("", include(([path("letter/", letter, name="letter")], "rights"))),
        prefix_default_language=True,
    ),
]
