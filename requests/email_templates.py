"""The DPO's e-mail templates (EmailTemplate): checked on save, rendered for one request.

A template is Django template text, but rendered by an engine of its own with no tag, no filter
and no loader: the DPO's text can only insert one of a fixed set of plain strings, so it can
neither reach a request's other fields (the requester's name or description, which an e-mail
must never repeat: anyone may type any address into the public form) nor include a file. The
values are computed here for the requester's language:

- reference: the request's reference (AIM-2026-000123);
- right: the right exercised, its label in that language;
- received_on, due_on: dates in words in that language (notices.templatetags.dates.long_date);
- message: the DPO's text for this decision (the answer, the question, the reasons...);
- dpo_email: the address replies go to (settings.DPO_REPLY_TO).

A variable outside that list, a tag or a filter is an error when the template is saved (and, if
a row was changed some other way, when it is rendered), never an empty string: a sentence that
silently lost its date would still be sent. Every body must contain {{ message }} and
{{ reference }}: the decision itself, and what the requester quotes when they answer.
"""

from email.utils import parseaddr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import Variable, VariableNode
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from notices.templatetags.dates import long_date

VARIABLES = ("reference", "right", "received_on", "due_on", "message", "dpo_email")
REQUIRED_IN_BODY = ("message", "reference")


class PlainEngine(Engine):
    """No builtins (Engine always adds its defaults): not even {% if %} or |upper, only plain
    text with {{ variable }} holes."""

    default_builtins = []


ENGINE = PlainEngine(autoescape=False, libraries={}, loaders=[], debug=False)

VARIABLES_HELP = _(
    "Plain text. Insert a value with {{ name }}, using only these names: {{ reference }} (the "
    "reference), {{ right }} (the right exercised), {{ received_on }} and {{ due_on }} (dates in "
    "words), {{ message }} (your text for this decision), {{ dpo_email }} (the address replies go "
    "to). No other tag or filter. The text must contain {{ message }} and {{ reference }}."
)


def _variables(template):
    """Every {{ ... }} of a compiled template as (name, is_plain_variable)."""
    for node in template.nodelist.get_nodes_by_type(VariableNode):
        var = node.filter_expression.var
        if isinstance(var, Variable) and var.literal is None and len(var.lookups) == 1:
            yield var.lookups[0], True
        else:
            yield node.filter_expression.token, False


def template_errors(text, *, required=()) -> list[str]:
    """What is wrong with this template text, in words the DPO can act on; [] when nothing."""
    try:
        template = ENGINE.from_string(text or "")
    except TemplateSyntaxError:
        return [
            gettext(
                "This text contains a {%% ... %%} tag or a filter (a “|” inside {{ }}). An "
                "e-mail template can only insert values, written {{ name }} with one of these "
                "names: %(names)s."
            )
            % {"names": ", ".join(VARIABLES)}
        ]
    errors, found = [], set()
    for name, plain in _variables(template):
        if plain and name in VARIABLES:
            found.add(name)
            continue
        errors.append(
            gettext("“{{ %(name)s }}” is not one of the values an e-mail can use: %(names)s.")
            % {"name": name, "names": ", ".join(VARIABLES)}
        )
    for name in required:
        if name not in found:
            errors.append(gettext("The text must contain {{ %(name)s }}.") % {"name": name})
    return errors


def validate_subject(text):
    errors = template_errors(text)
    if errors:
        raise ValidationError(errors)


def validate_body(text):
    errors = template_errors(text, required=REQUIRED_IN_BODY)
    if errors:
        raise ValidationError(errors)


def reply_address():
    """The bare address of DPO_REPLY_TO ("AIM DPO <dpo@...>" gives "dpo@...")."""
    return parseaddr(settings.DPO_REPLY_TO)[1] or settings.DPO_REPLY_TO


def values_for(subject_request, language, message) -> dict[str, str]:
    """The fixed set of plain strings, for this request in `language`."""
    with translation.override(language):
        right = str(subject_request.get_right_display())
    return {
        "reference": subject_request.reference or "",
        "right": right,
        "received_on": long_date(subject_request.received_on, language),
        "due_on": long_date(subject_request.due_on, language),
        "message": (message or "").strip(),
        "dpo_email": reply_address(),
    }


def render_text(text, values, *, required=()) -> str:
    errors = template_errors(text, required=required)
    if errors:
        raise ValidationError(errors, code="invalid_template")
    return ENGINE.from_string(text).render(Context(values, autoescape=False))


def render(email_template, subject_request, language, message) -> tuple[str, str]:
    """(subject, body) of this template for this request, in `language` (fr or nl)."""
    values = values_for(subject_request, language, message)
    subject = render_text(getattr(email_template, f"subject_{language}") or "", values)
    body = render_text(
        getattr(email_template, f"body_{language}") or "", values, required=REQUIRED_IN_BODY
    )
    return " ".join(subject.split()), body.strip() + "\n"


def decision_email(subject_request, kind, message, *, block="") -> tuple[str, str]:
    """(subject, body) of the decision e-mail `kind` (EmailTemplate.Kind) for this request, in
    the requester's language. `block` is the code's own text (the Art. 12(4) rights, a download
    link): it follows the DPO's message inside {{ message }}, which every body must contain, so
    it is always sent, and before the template's closing lines."""
    from requests.models import EmailTemplate

    template = EmailTemplate.objects.filter(kind=kind).first()
    if template is None:
        raise ValidationError(
            gettext(
                "The e-mail template “%(kind)s” does not exist: nothing was sent or changed. "
                "Ask an administrator to restore it (migration 0011)."
            )
            % {"kind": EmailTemplate.Kind(kind).label},
            code="no_template",
        )
    message = (message or "").strip()
    if block.strip():
        message = f"{message}\n\n{block.strip()}".strip()
    return render(template, subject_request, subject_request.language, message)
