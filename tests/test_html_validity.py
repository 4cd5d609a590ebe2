"""Every public page, in both languages, is valid HTML for the Nu HTML Checker (the W3C's).

With the demo content and two more versions of the declaration, the crawler of
tests/html_validity.py walks the site from each language's home page: every link, every wizard
step answered every way (every topic, right and insurer, the unknown one too), every form sent
empty and filled in. Added to that are the pages no link leads to: the states of the forms that
need a condition to appear (rate limit, database down, expired link, CSRF failure, another
site's post) and the error pages (400, 403, 404, 500, 503). All of it is written to a temporary
folder and vnu.jar checks it in one run; the test fails listing each error with its page.

It needs Java; without it the test skips, unless AIM_REQUIRE_BROWSER is set (CI), where a
missing Java fails the run as a missing Chromium does.
"""

import datetime
import os
from pathlib import Path
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import OperationalError
from django.db.models import F
from django.test import Client, RequestFactory
from django.test.signals import template_rendered
from django.urls import reverse
from django.utils import timezone, translation
from django.views import defaults

from aim_privacy import views as site_views
from aim_privacy.middleware import database_unavailable_response
from requests.models import DataSubjectRequest, Notification
from requests.request_forms import HONEYPOT_FIELD
from requests.services import request_submit
from tests.html_validity import Crawler, Page, missing_validator, validate

LANGUAGES = ("fr", "nl")
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# Page templates that are not pages of their own.
NOT_PAGES = {"base.html"}
REQUEST_DATA = {
    "right": "access",
    "name": "Marie Dupont",
    "email": "marie.dupont@example.org",
    "description": "Je souhaite recevoir une copie de mes données.",
}

pytestmark = [pytest.mark.django_db, pytest.mark.validator]


@pytest.fixture(autouse=True)
def java_or_skip():
    reason = missing_validator()
    if reason and os.environ.get("AIM_REQUIRE_BROWSER"):
        pytest.fail(f"AIM_REQUIRE_BROWSER is set but {reason}")
    if reason:
        pytest.skip(reason)


@pytest.fixture
def site(settings):
    """The demo content, two more versions (one material, coming into force in a month), no
    rate limit left from another test, and e-mails sent at once."""
    from notices.demo import demo_content_load
    from notices.models import NoticeVersion
    from notices.services import notice_version_create_draft, notice_version_publish

    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.RIGHTS_LETTER_RATE_LIMIT = "10000/h"
    settings.RIGHTS_REQUESTS_RATE_LIMIT = "10000/h"
    settings.RIGHTS_REQUESTS_RATE_LIMIT_PER_EMAIL = "10000/h"
    cache.clear()
    first = demo_content_load()
    # Version 1 may carry no date (it took effect before the portal) or one in the past.
    known = first.notice.versions.exclude(effective_from=None).values_list("effective_from")
    start = max([timezone.localdate(), *(day for (day,) in known)])
    for kind, days, words in [
        (NoticeVersion.ChangeKind.MINOR, 0, ("Correction.", "Verbetering.")),
        (NoticeVersion.ChangeKind.MATERIAL, 30, ("Nouvelle finalité.", "Nieuw doeleinde.")),
    ]:
        draft = notice_version_create_draft(notice=first.notice)
        section = draft.sections.order_by("position").first()
        section.body_fr += f"\n\n{words[0]}"
        section.body_nl += f"\n\n{words[1]}"
        section.save()
        draft.change_kind = kind
        draft.change_summary_fr, draft.change_summary_nl = words
        draft.save()
        notice_version_publish(
            version=draft,
            by=None,
            effective_from=start + datetime.timedelta(days=days),
            acknowledge_registry_gaps=True,
            gaps_reason="Demo content: the seed leaves gaps for the DPO.",
        )
    yield
    cache.clear()


def url(name, language, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def confirmation_tokens(django_capture_on_commit_callbacks, language):
    """(pending, expired): tokens of two unconfirmed requests, one link past its 48 hours."""
    tokens = []
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            _request, token = request_submit(data=REQUEST_DATA, language=language)
        tokens.append(token)
    expired = DataSubjectRequest.objects.order_by("-pk").first()
    DataSubjectRequest.objects.filter(pk=expired.pk).update(
        created_at=F("created_at") - datetime.timedelta(hours=49)
    )
    Notification.objects.filter(request=expired).update(
        sent_at=F("sent_at") - datetime.timedelta(hours=49)
    )
    return tokens


def starting_points(crawler, language, tokens):
    """What no link of the site leads to, or not in every state."""
    for name in (
        "home",
        "about",
        "accessibility",
        "notices:current",
        "notices:archive",
        "notices:compare",
    ):
        crawler.add(url(name, language))
    crawler.add(url("rights:wizard", language))
    crawler.add(url("rights:request", language))
    crawler.add(url("rights:request", language) + "?right=erasure")
    crawler.add(url("rights:request-sent", language))
    for token in [*tokens, "not-a-token"]:
        crawler.add(url("rights:request-confirm", language, token=token))
    today = timezone.localdate().isoformat()
    for day in (today, "1990-01-01", "2026-02-30", "not-a-date"):
        crawler.add(url("notices:on-date", language, date=day))
    archive = url("notices:archive", language)
    for day in ("not-a-date", "2026-02-30", "1990-01-01"):
        crawler.add(f"{archive}?date={day}")
    compare = url("notices:compare", language)
    crawler.add(f"{compare}?old=1&new=1")
    crawler.add(f"{compare}?old=1&new=99")
    crawler.add(url("notices:changes", language, old=1, new=3))
    crawler.add(url("notices:changes", language, old=1, new=9))
    crawler.add(url("notices:version", language, number=99))
    crawler.add(f"/{language}/this-page-does-not-exist/")
    crawler.add(url("rights:wizard", language) + "no-such-topic/")


def download_states(crawler, language, django_capture_on_commit_callbacks):
    """The download page of an answer's files: its form, refused details, the list of files,
    and an expired link."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from requests.attachments import attachment_add, download_link_create
    from requests.models import DownloadLink, RequestAttachment
    from requests.services import request_confirm

    with django_capture_on_commit_callbacks(execute=True):
        subject_request, token = request_submit(data=REQUEST_DATA, language=language)
        subject_request = request_confirm(token=token)
    attachment_add(
        subject_request=subject_request,
        uploaded_file=SimpleUploadedFile("copie.pdf", b"%PDF-1.7\n%%EOF\n"),
        direction=RequestAttachment.Direction.ANSWER,
        by=None,
    )
    paths = []
    for _ in range(2):
        link, _expires = download_link_create(subject_request=subject_request)
        paths.append(link[link.index(f"/{language}/") :])
    valid, expired = paths
    DownloadLink.objects.filter(pk=DownloadLink.objects.order_by("-pk").first().pk).update(
        expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    crawler.visit("GET", valid)
    crawler.visit("GET", expired)
    crawler.visit("POST", valid, {"reference": "AIM-1999-000001", "email": "x@example.org"})
    crawler.visit(
        "POST", valid, {"reference": subject_request.reference, "email": REQUEST_DATA["email"]}
    )


def form_states(crawler, language, settings):
    """The request and letter forms refused by a rate limit, or with the database down; the
    wizard and the letter posted from another site; a form posted without its CSRF cookie."""
    request_url = url("rights:request", language)
    with mock.patch("requests.request_views.request_submit", side_effect=OperationalError):
        crawler.visit("POST", request_url, REQUEST_DATA)
    letter_url = url("rights:letter", language)
    made = [p for p in crawler.pages if p.method == "POST" and p.status == 200]
    letter = next((p for p in made if p.url == letter_url), None)
    assert letter is not None, f"The walk made no letter at {letter_url}"
    # The rate limits: one use allowed, the second refused (per address, then per e-mail).
    for setting in ("RIGHTS_REQUESTS_RATE_LIMIT", "RIGHTS_REQUESTS_RATE_LIMIT_PER_EMAIL"):
        cache.clear()
        original = getattr(settings, setting)
        setattr(settings, setting, "1/h")
        for _ in range(2):
            crawler.visit("POST", request_url, REQUEST_DATA)
        setattr(settings, setting, original)
    cache.clear()
    settings.RIGHTS_LETTER_RATE_LIMIT = "1/h"
    for _ in range(2):
        crawler.visit("POST", letter.url, letter.data)
    settings.RIGHTS_LETTER_RATE_LIMIT = "10000/h"
    cache.clear()
    foreign = {"HTTP_ORIGIN": "https://another-site.example"}
    crawler.visit("POST", url("rights:wizard", language), {"choice": "other"}, **foreign)
    crawler.visit("POST", letter.url, letter.data, **foreign)
    # A form posted without the CSRF cookie (cookies blocked): the CSRF failure page.
    crawler.visit("POST", request_url, REQUEST_DATA, client=Client(enforce_csrf_checks=True))


def error_pages(language):
    """The error pages the handlers and middleware render, as they render them."""
    factory = RequestFactory()
    pages = []
    with translation.override(language):
        path = f"/{language}/"
        get, post = factory.get(path), factory.post(path)
        for request in (get, post):
            request.LANGUAGE_CODE = language
        answers = [
            ("400 handler", site_views.bad_request(get)),
            ("403 handler", defaults.permission_denied(get, PermissionError())),
            ("404 handler", defaults.page_not_found(get, Exception())),
            ("500 handler", site_views.server_error(get)),
            ("503 database down (GET)", database_unavailable_response(get)),
            ("503 database down (POST)", database_unavailable_response(post)),
        ]
    for label, response in answers:
        html = response.content.decode()
        pages.append(Page("RENDER", f"{label} [{language}]", response.status_code, html))
    return pages


def page_templates():
    """The templates of whole public pages (not includes, blocks, e-mails, PDFs, the admin)."""
    folders = [TEMPLATES, TEMPLATES / "requests", TEMPLATES / "notices"]
    return {
        str(path.relative_to(TEMPLATES))
        for folder in folders
        for path in folder.glob("*.html")
        if str(path.relative_to(TEMPLATES)) not in NOT_PAGES
    }


def test_every_public_page_is_valid_html(
    site, settings, tmp_path, django_capture_on_commit_callbacks
):
    rendered = set()

    def note(sender, template, **kwargs):
        rendered.add(template.name)

    template_rendered.connect(note, dispatch_uid="html-validity")
    try:
        # A page that fails is listed (its 500 page checked) rather than ending the walk.
        crawler = Crawler(
            Client(raise_request_exception=False),
            skip_fields={HONEYPOT_FIELD, "csrfmiddlewaretoken"},
        )
        for language in LANGUAGES:
            tokens = confirmation_tokens(django_capture_on_commit_callbacks, language)
            starting_points(crawler, language, tokens)
        crawler.run()
        for language in LANGUAGES:
            form_states(crawler, language, settings)
            download_states(crawler, language, django_capture_on_commit_callbacks)
            crawler.pages.extend(error_pages(language))
    finally:
        template_rendered.disconnect(dispatch_uid="html-validity")

    # The walk reached every page template: a new page no link leads to needs a starting point.
    missed = sorted(page_templates() - rendered)
    assert not missed, f"No page rendered these templates, add a starting point: {missed}"
    pages = crawler.pages
    assert len(pages) > 150, f"only {len(pages)} pages reached"

    problems = validate([(page.label, page.html) for page in pages], tmp_path)
    listed = "\n".join(str(problem) for problem in problems)
    failed = "".join(f"\n{line}" for line in crawler.server_errors)
    assert not (problems or failed), (
        f"The Nu HTML Checker found {len(problems)} error(s) in {len(pages)} pages "
        f"(written to {tmp_path}, listed in index.tsv):\n{listed}"
        + (f"\n\nPages that failed with a server error:{failed}" if failed else "")
    )
