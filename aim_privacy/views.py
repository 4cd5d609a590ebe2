from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe


@require_safe
def language_redirect(request):
    """/ sends the reader to /fr/ or /nl/ by Accept-Language; French when nothing matches.

    The language then lives in the URL: no cookie is set for it.
    """
    language = translation.get_language_from_request(request)
    with translation.override(language):
        response = HttpResponseRedirect(reverse("home"))
    patch_vary_headers(response, ["Accept-Language"])
    return response


@require_safe
@cache_control(public=True, max_age=300)
def home(request):
    return render(request, "home.html")


@require_safe
@cache_control(public=True, max_age=300)
def about(request):
    return render(request, "about.html")


@require_safe
@never_cache
def healthz(request):
    """For the load balancer: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any database error means "not ready"; details go to the server log
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
