"""The rights wizard: what is it about → which right → which insurer → who answers.

Every step has its own URL (/fr/vos-droits/<topic>/<right>/<insurer>/), so the back button and
deep links work without JavaScript. Choices are POSTed and answered with a 303 redirect to the
next step's URL; the POST that completes a route adds one to the day's anonymous count. Nothing
here reads or sets a cookie: the wizard forms are CSRF-exempt because they change nothing but
that anonymous counter and store nothing about the person.

Without a CSRF token, two things keep that counter honest: a POST must come from a page of this
site (Origin, else Sec-Fetch-Site, else Referer), so another site cannot make its visitors'
browsers count for it; and one client address counts one route at most once an hour.
"""

import contextlib
import logging
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import Http404, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from registry.models import Organisation
from requests.letter_forms import LetterForm, letter_offered
from requests.models import RIGHT_ARTICLES, Right, RoutingCount, Topic
from requests.rate_limits import client_ip, keyed_hash
from requests.routing import TOPIC_STEPS, UNKNOWN_INSURER, Answerer, route

logger = logging.getLogger(__name__)

# One client address counts one route once in this many seconds.
ROUTE_COUNTED_SECONDS = 3600

TOPIC_DESCRIPTIONS = {
    Topic.INSURER_DATA: _(
        "The administrative and billing data of your health insurance, which AIM analyses in "
        "pseudonymised form."
    ),
    Topic.AIM_DATA: _(
        "Your e-mail address for AIM's newsletter, or what you exchanged with AIM's services."
    ),
    Topic.COMPLAINT: _(
        "You disagree with how an organisation handled your personal data or your request."
    ),
    Topic.OTHER: _("Another question about your personal data at AIM."),
}

RIGHT_DESCRIPTIONS = {
    Right.ACCESS: _("Know whether your data are processed and get a copy of them."),
    Right.RECTIFICATION: _("Have incorrect or incomplete data corrected."),
    Right.ERASURE: _("Have your data deleted when there is no longer a reason to keep them."),
    Right.RESTRICTION: _(
        "Have the use of your data put on hold, for example while their accuracy is checked."
    ),
    Right.PORTABILITY: _(
        "Receive the data you provided in a format a computer can read, or have them sent to "
        "another organisation."
    ),
    Right.OBJECTION: _(
        "Object to the processing of your data for reasons related to your particular situation."
    ),
    Right.AUTOMATED: _(
        "Not be subject to a decision taken solely by a computer that significantly affects you."
    ),
}


class ValueRadioSelect(forms.RadioSelect):
    """Radios whose ids carry their value (`choice-<value>`, as wizard_step.html writes them), so
    that the error summary's link to the group lands on its first radio."""

    def id_for_label(self, id_, index=None):
        first = next(iter(self.choices), None)
        return f"choice-{first[0]}" if first else ""


class StepForm(forms.Form):
    choice = forms.ChoiceField(
        widget=ValueRadioSelect,
        error_messages={
            "required": _("Choose one of the options."),
            "invalid_choice": _("Choose one of the options shown."),
        },
    )

    def __init__(self, *args, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = options
        self.fields["choice"].choices = [(option["value"], option["label"]) for option in options]


def topic_options():
    return [
        {"value": value, "label": label, "description": TOPIC_DESCRIPTIONS[value]}
        for value, label in Topic.choices
    ]


def right_options():
    return [
        {
            "value": value,
            "label": label,
            "description": RIGHT_DESCRIPTIONS[value],
            "article": RIGHT_ARTICLES[value],
        }
        for value, label in Right.choices
    ]


def insurer_options():
    options = []
    for insurer in Organisation.objects.insurers():
        known_as = insurer.other_name
        options.append(
            {
                "value": str(insurer.insurer_code),
                "label": known_as or insurer.name,
                "description": insurer.name if known_as else "",
            }
        )
    options.append(
        {
            "value": UNKNOWN_INSURER,
            "label": _("I don't know"),
            "description": _("We explain where to find out."),
        }
    )
    return options


STEPS = {
    "topic": {
        "options": topic_options,
        "legend": _("What is your request about?"),
        "title": _("Exercise your rights: what is it about?"),
    },
    "right": {
        "options": right_options,
        "legend": _("Which right do you want to exercise?"),
        "title": _("Exercise your rights: which right?"),
    },
    "insurer": {
        "options": insurer_options,
        "legend": _("Which health insurer are you a member of?"),
        "title": _("Exercise your rights: which insurer?"),
    },
}


# The most questions any path asks (the topic, then its own steps).
MOST_STEPS = 1 + max(len(steps) for steps in TOPIC_STEPS.values())


def wizard_url(*choices):
    """The URL of the step after `choices` (stored values), with the slugs of the active language
    (requests.slugs converts them)."""
    choices = [choice for choice in choices if choice]
    names = ["topic", "right", "insurer"][: len(choices)]
    return reverse("rights:wizard", kwargs=dict(zip(names, choices, strict=True)) or None)


def _parse(topic, right, insurer):
    """The choices in the URL, checked against the flow; 404 for a path the wizard never makes."""
    if topic is None:
        return [], "topic"
    if topic not in Topic.values:
        raise Http404(_("This step does not exist."))
    steps = TOPIC_STEPS[Topic(topic)]
    given = [value for value in (right, insurer) if value is not None]
    if len(given) > len(steps):
        raise Http404(_("This step does not exist."))
    for step, value in zip(steps, given, strict=False):
        valid = Right.values if step == "right" else [o["value"] for o in insurer_options()]
        if value not in valid:
            raise Http404(_("This step does not exist."))
    chosen = [topic, *given]
    missing = steps[len(given) :]
    return chosen, (missing[0] if missing else None)


def _origin(url):
    parts = urlsplit(url or "")
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()


def site_origins(request):
    """The origins this site answers on: its own (as this request reached it), SITE_URL's,
    CSRF_TRUSTED_ORIGINS (a proxy on another host name) and each ALLOWED_HOSTS name."""
    origins = {_origin(settings.SITE_URL)}
    with contextlib.suppress(DisallowedHost):  # refused by CommonMiddleware already
        origins.add(_origin(f"{request.scheme}://{request.get_host()}"))
    origins.update(_origin(origin) for origin in settings.CSRF_TRUSTED_ORIGINS if "*" not in origin)
    for host in settings.ALLOWED_HOSTS:
        if host and host != "*" and not host.startswith("."):
            origins.add(_origin(f"{request.scheme}://{host}"))
    origins.discard(None)
    return origins


def same_origin(request):
    """Whether a POST was sent from a page of this site.

    Browsers have sent Origin with every POST since 2020; "null" (a sandboxed frame, a
    cross-origin redirect) is refused. Without it, Sec-Fetch-Site; without that, Referer (the
    site's pages send it to themselves: Referrer-Policy same-origin). A POST with none of them
    passes: it comes from a very old browser, or one told to send no Referer, or a script —
    and a script can forge any header, so refusing it would stop people, not robots; the
    hourly count per address is what limits a script.
    """
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin.lower() in site_origins(request)
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site:
        return fetch_site in ("same-origin", "none")  # "none": the person's own action
    referer = request.headers.get("Referer")
    if referer:
        return _origin(referer) in site_origins(request)
    return True


def cross_origin_refused(request):
    """403, in the site's layout, for a form posted from another site."""
    return render(
        request,
        "requests/cross_origin.html",
        {"title": _("This form was sent from another website"), "wizard_url": wizard_url()},
        status=403,
    )


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def wizard(request, topic=None, right=None, insurer=None):
    if request.method == "POST" and not same_origin(request):
        return cross_origin_refused(request)
    chosen, step = _parse(topic, right, insurer)
    canonical = wizard_url(*chosen)
    if request.method != "POST" and request.path != canonical:
        # An old English slug, or the other language's: the page's own URL, for good.
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(canonical + (f"?{query}" if query else ""))
    if step is None:
        if request.method == "POST":
            return HttpResponseRedirect(wizard_url(*chosen), status=303)
        return result(request, chosen)

    config = STEPS[step]
    options = config["options"]()
    form = StepForm(request.POST if request.method == "POST" else None, options=options)
    if request.method == "POST":
        if form.is_valid():
            path = [*chosen, form.cleaned_data["choice"]]
            next_chosen, next_step = _parse(*(path + [None] * (3 - len(path))))
            if next_step is None and _first_in_the_hour(request, next_chosen):
                _record(next_chosen)
            return HttpResponseRedirect(wizard_url(*next_chosen), status=303)
        status = 400
    else:
        status = 200
    total = 1 + len(TOPIC_STEPS[Topic(chosen[0])]) if chosen else None
    context = {
        "form": form,
        "step": step,
        "options": options,
        "legend": config["legend"],
        "title": config["title"],
        "chosen": chosen,
        "step_number": len(chosen) + 1,
        # Before the topic is chosen, the number of steps is only known as a maximum.
        "step_total": total or MOST_STEPS,
        "step_total_known": total is not None,
        "page_has_errors": status == 400,
        "back_url": wizard_url(*chosen[:-1]) if chosen else None,
        "selected": request.POST.get("choice", ""),
    }
    return render(request, "requests/wizard_step.html", context, status=status)


def _first_in_the_hour(request, chosen):
    """Whether this client address has not completed this route in the last hour (noting that
    it now has). The cache holds a keyed hash of the address and the route, never the address.
    With the cache down, every route counts: the statistics stay whole through an outage (the
    inflation it allows lasts only as long), and cross-site posts are refused all the same."""
    digest = keyed_hash("route-counted", " ".join([client_ip(request), *chosen]))
    try:
        return cache.add(f"rights-route-counted:{digest}", 1, timeout=ROUTE_COUNTED_SECONDS)
    except Exception as exc:
        logger.warning("Route counted unchecked, cache unavailable (%s)", type(exc).__name__)
        return True


def _record(chosen):
    topic, right, insurer = [*chosen, "", ""][:3]
    RoutingCount.objects.record(
        day=timezone.localdate(),
        language=translation.get_language(),
        topic=topic,
        right=right,
        insurer=insurer,
    )


def result(request, chosen):
    topic, right, insurer = [*chosen, "", ""][:3]
    found = route(topic=topic, right=right, insurer=insurer)
    context = {
        "route": found,
        "Answerer": Answerer,
        "chosen": chosen,
        "back_url": wizard_url(*chosen[:-1]),
        "title": _("Who answers your request"),
    }
    if letter_offered(found):
        context["letter_form"] = LetterForm.for_route(found)
    if found.answerer == Answerer.INSURER_UNKNOWN:
        context["insurer_choices"] = [
            (option, wizard_url(topic, right, option["value"]))
            for option in insurer_options()
            if option["value"] != UNKNOWN_INSURER
        ]
    return render(request, "requests/result.html", context)
