"""The DPO's queue of data subject requests in the admin, and what editors never see of it."""

import datetime
import itertools
import re

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from registry.models import Organisation, ProcessingActivity
from requests import services
from requests.models import DataSubjectRequest, Notification, RequestEvent
from tests.registry import factories

pytestmark = pytest.mark.django_db

Status = DataSubjectRequest.Status
Kind = RequestEvent.Kind

# Noon in Brussels on Tuesday 10 March 2026: received that day, due on 10 April.
NOW = datetime.datetime(2026, 3, 10, 11, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 3, 10)

# Unique markers: none of them may ever reach a page an editor can open.
NAME = "Zebulon Markerfield"
EMAIL = "zebulon.markerfield@example.org"
DESCRIPTION = "Quokka-description-marker: please send me my reimbursements of 2024."
MARKERS = ["Markerfield", "markerfield", "Quokka-description-marker"]

CHANGELIST = "admin:rights_requests_datasubjectrequest_changelist"
# The decision pages (requests/admin/decisions.py).
DECISIONS = ("answer", "ask", "received", "refuse", "close")


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def submit(django_capture_on_commit_callbacks):
    """submit(language=..., confirm=True, **data) → a request, stored and (by default)
    confirmed through the services, its e-mails sent to mail.outbox."""
    numbers = itertools.count(1)

    def _submit(language="fr", confirm=True, **data):
        number = next(numbers)
        fields = {
            "right": "access",
            "name": f"Requester {number}",
            "email": f"requester{number}@example.org",
            "phone": "",
            "description": f"Description {number}",
            **data,
        }
        with django_capture_on_commit_callbacks(execute=True):
            request, token = services.request_submit(data=fields, language=language)
            if confirm:
                request = services.request_confirm(token=token)
        return request

    return _submit


@pytest.fixture
def marked(submit):
    """A confirmed request carrying the unique markers."""
    return submit(name=NAME, email=EMAIL, description=DESCRIPTION, phone="+32 2 555 01 23")


@pytest.fixture
def post(dpo_client, django_capture_on_commit_callbacks):
    """POST as the DPO with the on-commit callbacks run, so e-mails reach mail.outbox."""

    def _post(url, data):
        with django_capture_on_commit_callbacks(execute=True):
            return dpo_client.post(url, data)

    return _post


def url(name, obj):
    return reverse(f"admin:rights_requests_datasubjectrequest_{name}", args=[obj.pk])


def listed(response):
    return [obj.pk for obj in response.context["cl"].result_list]


def in_french(message):
    with translation.override("fr"):
        return translation.gettext(message)


def success_messages(response):
    return [m for m in response.wsgi_request._messages if m.level_tag == "success"]


# --- The list ----------------------------------------------------------------------------------


def test_queue_lists_confirmed_requests_never_unconfirmed(dpo_client, submit, marked):
    unconfirmed = submit(confirm=False, name="Nobody Typo", email="typo@example.org")
    response = dpo_client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert listed(response) == [marked.pk]
    html = response.content.decode()
    assert marked.reference in html
    assert "typo@example.org" not in html
    # Not by its address either, nor its history.
    assert dpo_client.get(url("change", unconfirmed)).status_code == 302
    assert dpo_client.get(url("history", unconfirmed)).status_code == 404
    assert dpo_client.get(url("extend", unconfirmed)).status_code == 404
    outbox = dpo_client.get(reverse("admin:rights_requests_notification_changelist"))
    assert unconfirmed.notifications.get().pk not in listed(outbox)
    assert marked.notifications.count() == 2
    assert set(listed(outbox)) == set(marked.notifications.values_list("pk", flat=True))


def test_deadline_column_and_filter(dpo_client, submit):
    overdue, soon, later, closed = (submit() for _ in range(4))
    DataSubjectRequest.objects.filter(pk=overdue.pk).update(due_on=TODAY - relativedelta(days=3))
    DataSubjectRequest.objects.filter(pk=soon.pk).update(due_on=TODAY + relativedelta(days=5))
    DataSubjectRequest.objects.filter(pk=closed.pk).update(
        status=Status.CLOSED, due_on=TODAY - relativedelta(days=10)
    )
    changelist = reverse(CHANGELIST)

    # The queue opens on open requests; "all" lists the closed one too.
    assert listed(dpo_client.get(changelist)) == [overdue.pk, soon.pk, later.pk]
    response = dpo_client.get(changelist, {"status": "all"})
    # Ordered by deadline; a closed request has none running, however old its date.
    assert listed(response) == [closed.pk, overdue.pk, soon.pk, later.pk]
    html = response.content.decode()
    assert re.search(r'<span class="due due--overdue">[^<]*\b3\b[^<]*</span>', html)
    assert re.search(r'<span class="due due--soon">[^<]*\b5\b[^<]*</span>', html)
    assert re.search(r'<span class="due due--later">[^<]*\b31\b[^<]*</span>', html)
    assert '<span class="due due--none">' in html
    assert "css/admin-requests.css" in html

    expected = {"overdue": [overdue], "soon": [soon], "later": [later], "closed": [closed]}
    for value, requests in expected.items():
        response = dpo_client.get(changelist, {"deadline": value})
        assert listed(response) == [r.pk for r in requests], value


def test_status_right_and_assignee_filters(dpo_client, dpo, submit):
    access, erasure = submit(right="access"), submit(right="erasure")
    services.request_assign(subject_request=erasure, to=dpo, by=dpo)
    services.request_set_status(subject_request=erasure, status=Status.WAITING, by=dpo)
    changelist = reverse(CHANGELIST)

    assert listed(dpo_client.get(changelist, {"status": Status.NEW})) == [access.pk]
    assert listed(dpo_client.get(changelist, {"status": Status.WAITING})) == [erasure.pk]
    assert listed(dpo_client.get(changelist, {"right__exact": "erasure"})) == [erasure.pk]
    assigned = dpo_client.get(changelist, {"assignee__id__exact": dpo.pk})
    assert listed(assigned) == [erasure.pk]
    # The unconfirmed status is no choice: such a request is never in the queue.
    choices = dpo_client.get(changelist).context["cl"].filter_specs[0].lookup_choices
    assert Status.UNCONFIRMED not in [value for value, _label in choices]


def test_search_by_reference_name_or_email(dpo_client, submit, marked):
    other = submit()
    changelist = reverse(CHANGELIST)
    assert listed(dpo_client.get(changelist, {"q": marked.reference})) == [marked.pk]
    assert listed(dpo_client.get(changelist, {"q": other.reference[-6:]})) == [other.pk]
    assert listed(dpo_client.get(changelist, {"q": EMAIL.upper()})) == [marked.pk]
    # Part of a name or an address, as the requester spells it on the phone
    # (tests/requests/test_queue_defaults.py has the rest).
    assert listed(dpo_client.get(changelist, {"q": "markerfield"})) == [marked.pk]


# --- Bulk actions ------------------------------------------------------------------------------


def test_assign_to_me_records_the_assignee_and_the_timeline(post, dpo, submit):
    first, second = submit(), submit()
    response = post(
        reverse(CHANGELIST), {"action": "assign_to_me", "_selected_action": [first.pk, second.pk]}
    )
    assert response.status_code == 302
    for request in (first, second):
        request.refresh_from_db()
        assert request.assignee == dpo
        event = request.events.get(kind=Kind.ASSIGNED)
        assert event.actor == dpo
        assert event.text == dpo.get_username()
        assert LogEntry.objects.get(object_id=str(request.pk)).object_repr == request.reference


def test_mark_in_progress_moves_new_requests_only(post, dpo, submit):
    new, answered = submit(), submit()
    services.request_set_status(subject_request=answered, status=Status.ANSWERED, by=dpo)
    response = post(
        reverse(CHANGELIST),
        {"action": "mark_in_progress", "_selected_action": [new.pk, answered.pk]},
    )
    assert response.status_code == 302
    new.refresh_from_db()
    answered.refresh_from_db()
    assert new.status == Status.IN_PROGRESS
    assert new.events.filter(kind=Kind.STATUS, actor=dpo).count() == 1
    # An answered request is not reopened by a bulk action.
    assert answered.status == Status.ANSWERED
    assert answered.events.filter(kind=Kind.STATUS).count() == 1


# --- One request: extend, transfer, status, note ----------------------------------------------


@pytest.mark.parametrize(("language", "month"), [("fr", "juin"), ("nl", "juni")])
def test_extend_tells_the_requester_in_their_language(
    dpo_client, post, dpo, submit, language, month
):
    request = submit(language=language, email=f"{language}@example.org")
    assert request.received_on == TODAY
    page = dpo_client.get(url("extend", request))
    assert page.status_code == 200
    assert page.context["new_due_on"] == datetime.date(2026, 6, 10)
    mail.outbox.clear()

    reason = "Votre dossier couvre dix années de remboursements."
    response = post(url("extend", request), {"reason": reason})

    assert response.status_code == 302
    assert response["Location"] == url("change", request)
    request.refresh_from_db()
    assert request.status == Status.EXTENDED
    assert request.due_on == request.received_on + relativedelta(months=3)
    assert request.extension_reason == reason
    assert request.events.get(kind=Kind.EXTENDED).actor == dpo
    assert request.notifications.filter(kind=Notification.Kind.EXTENDED).count() == 1
    [email] = mail.outbox
    assert email.to == [f"{language}@example.org"]
    assert reason in email.body
    assert f"10 {month} 2026" in email.body
    assert request.reference in email.subject
    assert len(success_messages(dpo_client.get(response["Location"]))) == 1


def test_extending_twice_is_an_error_on_the_page_not_a_500(post, dpo, submit):
    request = submit()
    services.request_extend(subject_request=request, reason="Complex", by=dpo)
    mail.outbox.clear()

    response = post(url("extend", request), {"reason": "Again"})

    assert response.status_code == 200
    expected = in_french("This request has already been extended.")
    assert response.context["form"].non_field_errors() == [expected]
    assert expected in response.content.decode()
    request.refresh_from_db()
    assert request.extension_reason == "Complex"
    assert request.notifications.filter(kind=Notification.Kind.EXTENDED).count() == 1
    assert mail.outbox == []


def test_extension_needs_a_reason(post, submit):
    request = submit()
    response = post(url("extend", request), {"reason": "   "})
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    request.refresh_from_db()
    assert request.status == Status.NEW


def insurer_data_activity():
    """An activity whose rights requests the person's own insurer answers (requests/transfers.py
    offers only such transfers)."""
    return factories.ProcessingActivityFactory(
        rights_handled_by=ProcessingActivity.RightsHandler.OWN_INSURER
    )


def transfer_target():
    """(activity, organisation) the transfer page accepts."""
    organisation = factories.InsurerFactory(rights_email="privacy@insurer.example")
    return insurer_data_activity(), organisation


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_transfer_names_the_organisation_in_the_requesters_language(
    dpo_client, post, dpo, submit, language
):
    organisation = factories.OrganisationFactory(
        kind=Organisation.Kind.INSURER,
        name_fr="Mutualité Témoin",
        name_nl="Ziekenfonds Getuige",
        rights_email="privacy@witness.example",
    )
    activity = insurer_data_activity()
    request = submit(language=language)
    page = dpo_client.get(url("transfer", request))
    assert page.status_code == 200
    assert organisation in page.context["form"].fields["organisation"].queryset
    mail.outbox.clear()

    response = post(
        url("transfer", request),
        {
            "activity": activity.pk,
            "organisation": organisation.pk,
            "transferred_on": "2026-03-09",
            "acknowledged_on": "",
        },
    )

    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == Status.TRANSFERRED
    assert request.transferred_to == organisation
    assert request.transferred_on == datetime.date(2026, 3, 9)
    assert request.controller_acknowledged_on is None
    assert request.events.get(kind=Kind.TRANSFERRED).actor == dpo
    [email] = mail.outbox
    assert email.to == [request.email]
    own, other = ("Mutualité Témoin", "Ziekenfonds Getuige")[:: 1 if language == "fr" else -1]
    assert own in email.body
    assert other not in email.body


def test_transfer_dates_are_checked(post, submit):
    activity, organisation = transfer_target()
    request = submit()
    response = post(
        url("transfer", request),
        {
            "activity": activity.pk,
            "organisation": organisation.pk,
            "transferred_on": "2026-03-09",
            "acknowledged_on": "2026-03-01",
        },
    )
    assert response.status_code == 200
    assert "acknowledged_on" in response.context["form"].errors
    tomorrow = post(
        url("transfer", request),
        {"activity": activity.pk, "organisation": organisation.pk, "transferred_on": "2026-03-11"},
    )
    assert "transferred_on" in tomorrow.context["form"].errors
    request.refresh_from_db()
    assert request.status == Status.NEW
    assert request.transferred_to is None


def test_status_page_marks_in_progress_with_the_note_in_the_timeline(post, dpo, submit):
    request = submit()
    response = post(url("status", request), {"status": Status.IN_PROGRESS, "note": "Started."})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == Status.IN_PROGRESS
    assert request.closed_at is None
    event = request.events.get(kind=Kind.STATUS)
    assert event.actor == dpo
    assert event.text.endswith("Started.")


def test_status_page_offers_no_decision_the_requester_must_be_told_of(dpo_client, post, submit):
    """Answered, refused, closed, waiting: each has its page with its e-mail (decisions.py)."""
    request = submit()
    choices = dict(dpo_client.get(url("status", request)).context["form"].fields["status"].choices)
    assert set(choices) == {Status.IN_PROGRESS}
    for status in (Status.EXTENDED, Status.ANSWERED, Status.REFUSED, Status.CLOSED, Status.WAITING):
        response = post(url("status", request), {"status": status})
        assert response.status_code == 200
        assert "status" in response.context["form"].errors
    request.refresh_from_db()
    assert request.status == Status.NEW


def test_note_shows_in_the_timeline_with_the_emails_but_not_their_bodies(
    dpo_client, post, dpo, marked
):
    response = post(url("note", marked), {"text": "Called the requester: <b>agreed</b>."})
    assert response.status_code == 302
    assert marked.events.get(kind=Kind.NOTE).actor == dpo

    page = dpo_client.get(url("change", marked))
    assert page.status_code == 200
    html = page.content.decode()
    timeline = html[html.index('class="module request-timeline"') :]
    assert "Called the requester: &lt;b&gt;agreed&lt;/b&gt;." in timeline
    assert [e.kind for e in page.context["timeline"]] == [
        Kind.SUBMITTED,
        Kind.EMAIL,
        Kind.CONFIRMED,
        Kind.EMAIL,
        Kind.NOTE,
    ]
    assert {e.kind for e in page.context["emails"]} == {
        Notification.Kind.CONFIRM,
        Notification.Kind.ACKNOWLEDGE,
    }
    # The requester's data is shown to the DPO, read-only; the e-mails' bodies are not.
    assert NAME in html and EMAIL in html and DESCRIPTION in html
    for notification in marked.notifications.all():
        for line in notification.body.splitlines():
            if len(line) > 40 and NAME not in line:
                assert escape(line) not in html, line
    assert 'name="name"' not in html
    assert 'name="_save"' not in html


def test_an_empty_note_is_refused(post, submit):
    request = submit()
    response = post(url("note", request), {"text": "  "})
    assert response.status_code == 200
    assert "text" in response.context["form"].errors
    assert not request.events.filter(kind=Kind.NOTE).exists()


def test_history_page_shows_the_changes_and_never_reverts(dpo_client, post, dpo, submit):
    request = submit()
    post(url("status", request), {"status": Status.IN_PROGRESS, "note": ""})
    response = dpo_client.get(url("history", request))
    assert response.status_code == 200
    assert request.reference in response.content.decode()

    first = request.history.earliest("history_date")
    past = reverse(
        "admin:rights_requests_datasubjectrequest_simple_history",
        args=[request.pk, first.history_id],
    )
    assert dpo_client.get(past).status_code == 200
    assert dpo_client.post(past, {}).status_code == 405
    request.refresh_from_db()
    assert request.status == Status.IN_PROGRESS


def test_the_form_itself_changes_nothing(dpo_client, submit):
    request = submit()
    response = dpo_client.post(url("change", request), {"status": Status.CLOSED, "name": "X"})
    assert response.status_code == 403
    request.refresh_from_db()
    assert request.status == Status.NEW
    # The add URL is the page recording a letter or a call (requests/intake.py): a form of its
    # own, which knows no status and sets none.
    add = reverse("admin:rights_requests_datasubjectrequest_add")
    assert 'name="status"' not in dpo_client.get(add).content.decode()
    assert dpo_client.post(add, {"status": Status.CLOSED, "name": "X"}).status_code == 200
    assert DataSubjectRequest.objects.count() == 1
    assert dpo_client.post(url("delete", request), {"post": "yes"}).status_code == 403


def test_action_pages_need_the_csrf_token(dpo, submit):
    request = submit()
    client = Client(enforce_csrf_checks=True)
    client.force_login(dpo)
    assert client.post(url("note", request), {"text": "Forged"}).status_code == 403
    assert not request.events.filter(kind=Kind.NOTE).exists()


def test_action_pages_answer_only_get_and_post(dpo_client, submit):
    request = submit()
    assert dpo_client.put(url("note", request)).status_code == 405


def test_pages_follow_the_csp(dpo_client, post, submit):
    """No inline style or script in the pages this module adds (the CSP would block them)."""
    request = submit()
    post(url("note", request), {"text": "A note."})
    pages = [reverse(CHANGELIST), url("change", request)]
    pages += [url(name, request) for name in ("status", "extend", "transfer", "note", *DECISIONS)]
    for page in pages:
        html = dpo_client.get(page).content.decode()
        assert " style=" not in html, page
        assert "<style" not in html, page
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), page


# --- Editors and other staff see nothing of it -------------------------------------------------


@pytest.fixture
def dpo_at_work(post, dpo, submit, marked):
    """The full life of the marked request, through the admin, and a registry to browse."""
    activity, organisation = transfer_target()
    factories.ProcessingActivityFactory()
    changelist = reverse(CHANGELIST)
    post(changelist, {"action": "assign_to_me", "_selected_action": [marked.pk]})
    post(changelist, {"action": "mark_in_progress", "_selected_action": [marked.pk]})
    post(url("note", marked), {"text": f"Phoned {NAME}."})
    post(url("extend", marked), {"reason": "Ten years of data."})
    post(
        url("transfer", marked),
        {"activity": activity.pk, "organisation": organisation.pk, "transferred_on": "2026-03-10"},
    )
    marked.refresh_from_db()
    assert marked.status == Status.TRANSFERRED
    return marked


@pytest.mark.parametrize("person", ["editor", "staff_without_access"])
def test_others_get_403_on_every_request_page(client, request, dpo_at_work, person):
    client.force_login(request.getfixturevalue(person))
    notification = dpo_at_work.notifications.first()
    pages = [
        reverse(CHANGELIST),
        url("change", dpo_at_work),
        url("history", dpo_at_work),
        *(url(name, dpo_at_work) for name in ("status", "extend", "transfer", "note", *DECISIONS)),
        reverse("admin:rights_requests_notification_changelist"),
        reverse("admin:rights_requests_notification_change", args=[notification.pk]),
    ]
    for page in pages:
        assert client.get(page).status_code == 403, page
    for name in ("status", "extend", "transfer", "note", *DECISIONS):
        assert client.post(url(name, dpo_at_work), {"text": "x", "reason": "x"}).status_code == 403
    assert not dpo_at_work.events.filter(actor__username=person).exists()


def _admin_links(html, prefix):
    """The app indexes and changelists linked from an admin page."""
    pattern = re.compile(rf'href="({re.escape(prefix)}[a-z_]+/(?:[a-z_]+/)?)"')
    return set(pattern.findall(html))


@pytest.mark.parametrize("person", ["editor", "staff_without_access"])
def test_no_page_others_can_open_shows_the_requester(client, request, dpo_at_work, person):
    client.force_login(request.getfixturevalue(person))
    index = reverse("admin:index")
    to_visit, seen, opened = [index], set(), []
    while to_visit:
        page = to_visit.pop()
        if page in seen:
            continue
        seen.add(page)
        response = client.get(page)
        if response.status_code != 200:
            continue
        opened.append(page)
        html = response.content.decode()
        for marker in MARKERS:
            assert marker not in html, (page, marker)
        if page == index or page.count("/") == index.count("/") + 1:  # index or app index
            to_visit.extend(_admin_links(html, index) - seen)

    assert not any("/rights_requests/" in page for page in opened)
    if person == "editor":
        # The editor reads the registry: the crawl did open its pages.
        assert reverse("admin:app_list", args=["registry"]) in opened
        assert reverse("admin:registry_organisation_changelist") in opened
    else:
        assert not any("/registry/" in page for page in opened)


def test_recent_actions_name_the_reference_only(dpo_client, dpo_at_work):
    entries = LogEntry.objects.filter(object_id=str(dpo_at_work.pk))
    assert entries.count() == 5
    assert set(entries.values_list("object_repr", flat=True)) == {dpo_at_work.reference}
    for entry in entries:
        for marker in MARKERS:
            assert marker not in entry.change_message
    html = dpo_client.get(reverse("admin:index")).content.decode()
    assert dpo_at_work.reference in html
    for marker in MARKERS:
        assert marker not in html


# --- Cost ---------------------------------------------------------------------------------------


def test_changelist_costs_the_same_queries_for_5_or_40_requests(dpo_client, dpo, submit):
    def create(count):
        for number in range(count):
            request = submit(language="fr" if number % 2 else "nl")
            if number % 3 == 0:
                services.request_assign(subject_request=request, to=dpo, by=dpo)

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert dpo_client.get(reverse(CHANGELIST)).status_code == 200
        return len(context.captured_queries)

    create(5)
    dpo_client.get(reverse(CHANGELIST))  # warm-up: session, content types, permissions
    few = queries()
    create(35)
    assert DataSubjectRequest.objects.in_queue().count() == 40
    assert queries() == few
