"""The declaration's busiest pages without the machinery they do not use.

The current declaration, the archive and the feed are read by anyone, set no cookie, read no
session and no user, and are answered from the page cache (notices/page_cache.py). Put after
LocaleMiddleware, this middleware answers them itself, like Django's FetchFromCacheMiddleware:
the URL resolver and the middleware after it (CSRF, authentication, second factor, messages,
history, lockouts), which do nothing for these pages, are skipped; what those would add to
such a response is added here (X-Frame-Options, Content-Length). Every other request, and
these pages with a query string (the archive's date form), take the usual path. A database
error is answered as DatabaseUnavailableMiddleware answers it on the usual path (a 503).
tests/notices/test_fast_path.py checks the responses are the same as by the usual path.
"""

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.urls import resolve, reverse
from django.utils import translation

from aim_privacy.middleware import DatabaseUnavailableMiddleware
from notices import views

PAGES = {
    "notices:current": views.current,
    "notices:archive": views.archive,
    "notices:feed": views.feed,
}
_ROUTES = {}  # ROOT_URLCONF -> {path: (view, ResolverMatch)}, for every handler of the process


class PublishedPagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def routes(self):
        """{path: (view, its ResolverMatch)} for each language, built on first use (the URLconf
        is loaded then). The match is what the resolver would give the request: the pages'
        language links are built from it (aim_privacy.templatetags.portal)."""
        routes = _ROUTES.get(settings.ROOT_URLCONF)
        if routes is None:
            routes = {}
            for language, _name in settings.LANGUAGES:
                with translation.override(language):
                    for name, view in PAGES.items():
                        path = reverse(name)
                        routes[path] = (view, resolve(path))
            _ROUTES[settings.ROOT_URLCONF] = routes
        return routes

    def __call__(self, request):
        route = None
        if request.method in ("GET", "HEAD") and not request.META.get("QUERY_STRING"):
            route = self.routes().get(request.path_info)
        if route is None:
            return self.get_response(request)
        view, request.resolver_match = route
        try:
            response = view(request)
        except (OperationalError, InterfaceError) as exception:
            # What DatabaseUnavailableMiddleware answers on the usual path (not the usual path
            # itself: it would wait on the same unreachable database a second time).
            return DatabaseUnavailableMiddleware(self.get_response).process_exception(
                request, exception
            )
        # What XFrameOptionsMiddleware and CommonMiddleware would have added.
        response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        if not response.streaming and "Content-Length" not in response:
            response.headers["Content-Length"] = str(len(response.content))
        return response
