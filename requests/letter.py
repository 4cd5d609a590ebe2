"""The ready-to-send letter: a person's request to whoever must answer it, as HTML or PDF.

The name and address a person types exist only while the letter is built: they are not stored,
logged, cached or put in a URL, and no error message or error report carries them.

A letter costs real work (a PDF is about 0.15 s of CPU), so each client address may have
RIGHTS_LETTER_RATE_LIMIT of them (a keyed hash of the address is the cache key, and a count its
value), and only from the site's own pages.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods

from aim_privacy.pdf import render_pdf
from registry.models import Organisation
from requests.models import Right
from requests.rate_limits import Quota, client_ip, keyed_hash, parse_rate, quotas_take
from requests.routing import Answerer, route
from requests.views import cross_origin_refused, same_origin

# The one note every personal field points to (aria-describedby).
PRIVACY_NOTE_ID = "letter-privacy-note"
PERSONAL_FIELDS = ("name", "address")
ROUTING_FIELDS = ("topic", "right", "insurer")
OUTPUT_HTML = "html"
OUTPUT_PDF = "pdf"

DEFAULT_LETTER_RATE_LIMIT = "10/10m"

# A Belgian postcode opening the last line of an address names the place the letter is written.
POSTCODE_PLACE = re.compile(r"^(?:B-?\s*)?\d{4}\s+(?P<place>\S.*)$")


def letter_offered(found_route):
    """Whether a letter can be prepared for this route (a complaint to the DPA is not a letter)."""
    return (
        found_route.answerer in (Answerer.INSURER, Answerer.AIM)
        and bool(found_route.right)
        and found_route.organisation is not None
    )


class LetterForm(forms.Form):
    topic = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)
    right = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)
    insurer = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)
    name = forms.CharField(
        label=gettext_lazy("Your first name and surname"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": gettext_lazy("Enter your name: the letter must be signed.")},
    )
    address = forms.CharField(
        label=gettext_lazy("Your postal address"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
        error_messages={
            "required": gettext_lazy("Enter your postal address: the answer is sent to it.")
        },
    )
    output = forms.ChoiceField(
        label=gettext_lazy("Output"),
        choices=[(OUTPUT_HTML, gettext_lazy("Web page")), (OUTPUT_PDF, gettext_lazy("PDF"))],
        widget=forms.HiddenInput,
        error_messages={
            "required": gettext_lazy("Choose whether to show the letter or download it."),
            "invalid_choice": gettext_lazy("Choose whether to show the letter or download it."),
        },
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "letter-%s")
        super().__init__(*args, **kwargs)
        self.route = None
        for name in PERSONAL_FIELDS:
            self.fields[name].widget.attrs.update(
                {"class": "form-control", "aria-describedby": PRIVACY_NOTE_ID}
            )

    @classmethod
    def for_route(cls, found_route):
        return cls(
            initial={
                "topic": found_route.topic,
                "right": found_route.right,
                "insurer": found_route.insurer,
            }
        )

    def clean(self):
        cleaned = super().clean()
        if any(name in self.errors for name in ROUTING_FIELDS):
            raise ValidationError(self.not_offered_message(), code="invalid_route")
        try:
            found = route(
                topic=cleaned.get("topic", ""),
                right=cleaned.get("right", ""),
                insurer=cleaned.get("insurer", ""),
            )
        except (ValueError, Organisation.DoesNotExist):
            raise ValidationError(self.not_offered_message(), code="invalid_route") from None
        if found.answerer == Answerer.AUTHORITY:
            raise ValidationError(
                _(
                    "A complaint to the Data Protection Authority is not made with this letter: "
                    "the Authority asks for its own form, dated and signed."
                ),
                code="complaint",
            )
        if found.answerer == Answerer.INSURER_UNKNOWN:
            raise ValidationError(
                _("Choose your health insurer first: the letter must be addressed to it."),
                code="insurer_unknown",
            )
        if not letter_offered(found):
            raise ValidationError(self.not_offered_message(), code="invalid_route")
        self.route = found
        return cleaned

    @staticmethod
    def not_offered_message():
        return _(
            "A letter cannot be prepared from these answers. Please answer the questions again."
        )

    @property
    def route_is_valid(self):
        return self.route is not None

    def full_clean(self):
        super().full_clean()
        # Point each field that has an error to its message as well as to the privacy note.
        for name in PERSONAL_FIELDS:
            attrs = self.fields[name].widget.attrs
            described_by = [PRIVACY_NOTE_ID]
            classes = ["form-control"]
            if name in self.errors:
                described_by.insert(0, f"{self[name].auto_id}_error")
                classes.append("is-invalid")
            attrs["aria-describedby"] = " ".join(described_by)
            attrs["class"] = " ".join(classes)


def _lines(text):
    """The lines of an address; one typed on a single line is split at its commas."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len(lines) == 1 and "," in lines[0]:
        lines = [part.strip() for part in lines[0].split(",") if part.strip()]
    return lines


def _place(address_lines):
    match = POSTCODE_PLACE.match(address_lines[-1]) if address_lines else None
    return match.group("place") if match else ""


def _right_paragraphs(right, article):
    """What is asked, for each right, with where to leave room for the person's own details."""
    if right == Right.ACCESS:
        return [
            _(
                "I ask you to confirm whether or not you process personal data concerning me "
                "and, if so, to give me a copy of those data (Article 15(3) GDPR)."
            ),
            _(
                "I also ask for the information listed in Article 15(1) GDPR: the purposes of "
                "the processing; the categories of data concerned; the recipients or categories "
                "of recipients to whom the data have been or will be disclosed; how long the "
                "data will be kept, or the criteria used to decide it; my rights to "
                "rectification, erasure, restriction and objection; my right to lodge a "
                "complaint with the Data Protection Authority; where the data come from, if "
                "they were not collected from me; and whether automated decision-making, "
                "including profiling, is used. If data are transferred to a country outside "
                "the European Economic Area, please tell me the safeguards applied "
                "(Article 15(2) GDPR)."
            ),
        ], ""
    if right == Right.RECTIFICATION:
        return [
            _(
                "Some personal data concerning me that you process are inaccurate or "
                "incomplete. I ask you to correct or complete them without undue delay "
                "(Article 16 GDPR), as follows:"
            ),
        ], _("The data to correct, and the correct data:")
    if right == Right.ERASURE:
        return [
            _(
                "I ask you to erase the personal data concerning me without undue delay "
                "(Article 17 GDPR). If you consider that you must or may keep some of them, "
                "in particular under Article 17(3) GDPR, please tell me which data, on what "
                "legal basis and for how long."
            ),
        ], ""
    if right == Right.RESTRICTION:
        return [
            _(
                "I ask you to restrict the processing of the personal data concerning me "
                "(Article 18 GDPR): while it is restricted, the data may only be stored, and "
                "used otherwise only in the cases listed in Article 18(2) GDPR. Please inform "
                "me before the restriction is lifted (Article 18(3) GDPR)."
            ),
        ], _("My reasons (optional):")
    if right == Right.PORTABILITY:
        return [
            _(
                "I ask you to provide me with the personal data concerning me that I have "
                "provided to you, in a structured, commonly used and machine-readable format "
                "(Article 20(1) GDPR)."
            ),
        ], ""
    if right == Right.OBJECTION:
        return [
            _(
                "On grounds relating to my particular situation, I object to the processing "
                "of personal data concerning me (Article 21(1) GDPR). I ask you to stop that "
                "processing, unless you demonstrate compelling legitimate grounds that override "
                "my interests, rights and freedoms, or need the data for the establishment, "
                "exercise or defence of legal claims."
            ),
        ], _("My particular situation:")
    if right == Right.AUTOMATED:
        return [
            _(
                "I ask not to be subject to a decision based solely on automated processing, "
                "including profiling, which produces legal effects concerning me or similarly "
                "significantly affects me (Article 22 GDPR)."
            ),
            _(
                "Where such a decision has been or will be taken, I ask for human intervention "
                "on your part, to express my point of view and to contest the decision "
                "(Article 22(3) GDPR), and for meaningful information about the logic involved "
                "(Article 15(1)(h) GDPR)."
            ),
        ], ""
    raise ValueError("right")


@sensitive_variables("name", "address", "address_lines")
def letter_context(*, route, name, address, today, language):
    """Everything the letter templates show, in `language`. Only for routes with a letter."""
    if not letter_offered(route):
        raise ValueError("no letter for this route")
    with translation.override(language):
        organisation = route.organisation
        address_lines = _lines(address)
        date = formats.date_format(today, "j F Y")
        place = _place(address_lines)
        right_label = str(route.right_label)
        right_phrase = right_label[:1].lower() + right_label[1:]
        article = route.article

        if route.answerer == Answerer.AIM and route.dpo and route.dpo.name:
            attention = _("For the attention of %(name)s, data protection officer") % {
                "name": route.dpo.name
            }
        else:
            attention = _("For the attention of the data protection officer")
        postal = route.postal_address or organisation.address
        short_name = organisation.short_name
        if route.answerer == Answerer.INSURER:
            source = _(
                "This request concerns the personal data concerning me that you process as my "
                "health insurer, including those you pass on to the Intermutualist Agency (AIM)."
            )
        else:
            source = _(
                "This request concerns the personal data concerning me that you process, in "
                "particular for your newsletter and your contacts with the public."
            )
        asked, details_label = _right_paragraphs(route.right, article)

        return {
            "language": language,
            "right": route.right,
            "article": article,
            "answerer": route.answerer,
            "sender": {"name": name, "address_lines": address_lines},
            "addressee": {
                "name": organisation.name,
                "short_name": short_name if short_name and short_name != organisation.name else "",
                "attention": attention,
                "address_lines": _lines(postal),
            },
            "channels": route.channels,
            "contact_list_url": route.contact_list_url,
            "contact_list_language": route.contact_list_language,
            "date_iso": today.isoformat(),
            "place_date": (
                _("%(place)s, %(date)s") % {"place": place, "date": date} if place else date
            ),
            "subject_label": _("Subject:"),
            "subject": _("Exercise of my %(right)s (Article %(article)s of the GDPR)")
            % {"right": right_phrase, "article": article},
            "salutation": _("Dear Sir or Madam,"),
            "paragraphs": [
                _(
                    "In accordance with Article %(article)s of the General Data Protection "
                    "Regulation (Regulation (EU) 2016/679, “GDPR”), I hereby exercise my "
                    "%(right)s."
                )
                % {"article": article, "right": right_phrase},
                source,
                *asked,
            ],
            "details_label": details_label,
            "closing_paragraphs": [
                _("So that you can verify my identity, I enclose a copy of my identity card."),
                _(
                    "Under Article 12(3) GDPR, you must answer this request without undue delay "
                    "and at the latest within one month of receiving it. Where necessary, that "
                    "period may be extended by two further months; you must then inform me "
                    "within the first month, with the reasons for the delay."
                ),
                _("Thank you in advance for your answer."),
            ],
            "closing": _("Yours faithfully,"),
            "signature_label": _("Signature"),
            "enclosure": _("Enclosure: a copy of my identity card"),
            "details_lines": range(6) if details_label else range(0),
        }


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
        return render(
            request,
            "requests/letter_form_page.html",
            {"form": form, "title": _("Prepare your letter")},
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
        filename = f"letter-{form.route.right}-{language}.pdf"
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response
    return render(
        request,
        "requests/letter.html",
        {**context, "form": form, "route": form.route, "title": _("Your letter")},
    )
