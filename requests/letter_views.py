"""The ready-to-send letter: a person's request to whoever must answer it, as HTML or PDF.

The name and address a person types exist only while the letter is built: they are not stored,
logged, cached or put in a URL, and no error message or error report carries them.

A letter costs real work (a PDF is about 0.15 s of CPU), so each client address may have
RIGHTS_LETTER_RATE_LIMIT of them (a keyed hash of the address is the cache key, and a count its
value), and only from the site's own pages.
"""

from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods

from aim_privacy.pdf import render_pdf
from requests.letter_forms import OUTPUT_PDF, PERSONAL_FIELDS, LetterForm
from requests.letter_wording import letter_context
from requests.rate_limits import Quota, client_ip, keyed_hash, parse_rate, quotas_take
from requests.slugs import letter_filename
from requests.views import cross_origin_refused, same_origin

DEFAULT_LETTER_RATE_LIMIT = "10/10m"


def letter_quota(request):
    """Letters per client address, from RIGHTS_LETTER_RATE_LIMIT ("10/10m")."""
    digest = keyed_hash("letter-rate-limit", client_ip(request))
    return Quota(
        "letter",
        f"rights-letter-rate:{digest}",
        *parse_rate("RIGHTS_LETTER_RATE_LIMIT", DEFAULT_LETTER_RATE_LIMIT),
    )


# CSRF-exempt on purpose: this view changes nothing on the server and stores nothing — it only
# turns what was posted into a letter shown back to the same person. The wizard's pages are
# reading pages that set no cookie, so there is no CSRF cookie to check against; a forged post
# could at most show someone a letter they could have made themselves.
@csrf_exempt
@sensitive_post_parameters(*PERSONAL_FIELDS)
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_variables("name", "address", "context", "html")
def letter(request):
    if request.method != "POST":
        # Nothing to show without answers (for instance after switching language on the
        # letter page): back to the start of the wizard, in this page's language.
        return HttpResponseRedirect(reverse("rights:wizard"), status=303)
    if not same_origin(request):
        return cross_origin_refused(request)
    language = translation.get_language()
    form = LetterForm(request.POST)
    if not form.is_valid():
        if not form.route_is_valid:
            # No letter can be made from these answers, so the form is not shown again: its
            # fields' errors would point to nothing.
            for name in (*PERSONAL_FIELDS, "output"):
                form.errors.pop(name, None)
        return render(
            request,
            "requests/letter_form_page.html",
            {"form": form, "title": _("Prepare your letter"), "page_has_errors": True},
            status=400,
        )
    # Only a letter that will be made counts (HTML or PDF alike); a form error costs nothing.
    refused, _taken = quotas_take([letter_quota(request)])
    if refused:
        response = render(
            request,
            "requests/letter_form_page.html",
            {
                "form": form,
                "title": _("Prepare your letter"),
                "rate_limited": True,
                "retry_minutes": -(-refused.period // 60),
            },
            status=429,
        )
        response["Retry-After"] = str(refused.period)
        return response
    data = form.cleaned_data
    context = letter_context(
        route=form.route,
        name=data["name"],
        address=data["address"],
        today=timezone.localdate(),
        language=language,
    )
    if data["output"] == OUTPUT_PDF:
        html = render_to_string("pdf/letter.html", {**context, "in_pdf": True})
        pdf = render_pdf(html, title=context["subject"], language=language, purpose="letter")
        filename = letter_filename(form.route.right, language)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response
    return render(
        request,
        "requests/letter.html",
        {**context, "form": form, "route": form.route, "title": _("Your letter")},
    )
