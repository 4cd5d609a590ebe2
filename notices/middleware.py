"""The declaration's busiest pages without the machinery they do not use.

The current declaration, the archive and the feed are read by anyone, set no cookie, read no
session and no user, and are answered from the page cache (notices/page_cache.py). Put after
LocaleMiddleware, this middleware answers them itself, like Django's FetchFromCacheMiddleware:
the URL resolver and the middleware after it (CSRF, authentication, second factor, messages,
history, lockouts), which do nothing for these pages, are skipped; what those would add to
such a response is added here (X-Frame-Options, Content-Length). Every other request, and
these pages with a query string (the archive's date form), take the usual path; so does one
that meets a database error, so that DatabaseUnavailableMiddleware answers it as any other.
tests/notices/test_fast_path.py checks the responses are the same as by the usual path.
"""

from django.conf import settings
from django.db import DatabaseError
from django.urls import reverse
from django.utils import translation

from notices import views

PAGES = {"notices:current": views.current, "notices:archive": views.archive}


class PublishedPagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._routes = None

    def routes(self):
        """{path: view} for each language, built on first use (the URLconf is loaded then)."""
        if self._routes is None:
            routes = {}
            for language, _name in settings.LANGUAGES:
                with translation.override(language):
                    for name, view in PAGES.items():
                        routes[reverse(name)] = view
                    routes[reverse("notices:feed")] = views.feed
            self._routes = routes
        return self._routes

    def __call__(self, request):
        view = None
        if request.method in ("GET", "HEAD") and not request.META.get("QUERY_STRING"):
            view = self.routes().get(request.path_info)
        if view is None:
            return self.get_response(request)
        try:
            response = view(request)
        except DatabaseError:
            return self.get_response(request)
        # What XFrameOptionsMiddleware and CommonMiddleware would have added.
        response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        if not response.streaming and "Content-Length" not in response:
            response.headers["Content-Length"] = str(len(response.content))
        return response
