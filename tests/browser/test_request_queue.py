"""The DPO's queue fits a 1,366 x 768 window (the laptops AIM's staff use) without scrolling
sideways, with thirty requests whose names and e-mail addresses are as long as the form allows
(static/css/admin-requests.css), in French and in Dutch."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import translation

from requests import intake
from requests.models import DataSubjectRequest
from tests.browser.conftest import format_violations
from tests.conftest import StaffClient

WIDTH, HEIGHT = 1366, 768
LONG_NAME = "Maximiliaan-Alexander Vandenbroucke-Van Oudenhove de Saint-Hubert d'Ursel"
# No hyphen: a browser breaks a line at a hyphen, never inside such an address by itself.
LONG_EMAIL = "maximiliaan.alexander.vandenbroucke.vanoudenhove.sainthubert@voorbeeldziekenfonds.be"

# What scrolls sideways: the page itself, and the results table inside its container (the
# admin gives .results overflow-x: auto, so a table too wide scrolls there, not on the page).
OVERFLOW = """() => {
  const results = document.querySelector("#changelist-form .results");
  const table = document.querySelector("#result_list");
  return {
    page: document.documentElement.scrollWidth,
    window: window.innerWidth,
    results: results.scrollWidth,
    resultsBox: results.clientWidth,
    table: table.getBoundingClientRect().width,
    rows: table.querySelectorAll("tbody tr").length,
  };
}"""


@pytest.fixture
def dpo(transactional_db, django_user_model):
    """The DPO, in a group "DPO" as migration 0004 makes it: a live-server test empties the
    tables after it runs, the migration's rows with them."""
    group, _created = Group.objects.get_or_create(name=intake.DPO_GROUP)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="rights_requests",
            content_type__model__in=["datasubjectrequest", "requestevent", "notification"],
        ).exclude(codename__in=["add_datasubjectrequest", "delete_datasubjectrequest"])
    )
    user = django_user_model.objects.create_user(username="dpo", is_staff=True)
    user.groups.add(group)
    return user


@pytest.fixture
def queue(dpo):
    """Thirty open requests, every third with the longest name and e-mail address."""
    for number in range(30):
        long = number % 3 == 0
        intake.request_enter(
            data={
                "channel": ["email", "post", "phone", "in_person"][number % 4],
                "received_on": datetime.date.today() - datetime.timedelta(days=number),
                "right": ["access", "erasure", "automated", "restriction"][number % 4],
                "name": LONG_NAME if long else f"Requester {number}",
                "email": LONG_EMAIL if long else f"r{number}@example.org",
                "phone": "",
                "postal_address": "",
                "language": "fr" if number % 2 else "nl",
                "description": "A request.",
            },
            by=dpo,
        )
    return dpo


def logged_in_page(visit_factory, live_server, user):
    """A browser page logged in as `user`, past the second factor: the session the test
    client's force_login creates (tests/conftest.py), handed to the browser as its cookie."""
    client = StaffClient()
    client.force_login(user)
    visit = visit_factory(width=WIDTH, height=HEIGHT)
    cookie = client.cookies["sessionid"]
    visit.page.context.add_cookies(
        [{"name": "sessionid", "value": cookie.value, "url": live_server.url}]
    )
    return visit


@pytest.mark.parametrize("language", ["fr", "nl"])
@pytest.mark.parametrize("query", ["", "?status=all"])
def test_the_queue_fits_the_window_without_scrolling_sideways(
    visit_factory, live_server, queue, language, query
):
    visit = logged_in_page(visit_factory, live_server, queue)
    with translation.override(language):
        path = reverse("admin:rights_requests_datasubjectrequest_changelist")
    visit.open(path + query)
    assert visit.page.locator("#result_list").is_visible()
    sizes = visit.page.evaluate(OVERFLOW)
    assert sizes["rows"] == 30
    assert sizes["page"] <= sizes["window"], sizes
    assert sizes["results"] <= sizes["resultsBox"], sizes
    # The long name and address are shown whole, wrapped, not cut off.
    assert visit.page.get_by_text(LONG_NAME).first.is_visible()
    assert visit.page.get_by_text(LONG_EMAIL).first.is_visible()


def test_the_check_sees_a_queue_that_does_not_fit(visit_factory, live_server, queue):
    """The measure itself can fail: without the queue's layout rules (the stylesheet's rules
    for the columns switched off in the page), the long addresses push the table wider than
    its container."""
    visit = logged_in_page(visit_factory, live_server, queue)
    visit.open(reverse("admin:rights_requests_datasubjectrequest_changelist"))
    visit.page.evaluate(
        """() => {
          for (const sheet of document.styleSheets) {
            if (!sheet.href || !sheet.href.includes("/css/admin-requests.css")) continue;
            for (let index = sheet.cssRules.length - 1; index >= 0; index--) {
              if (sheet.cssRules[index].cssText.includes("#result_list")) sheet.deleteRule(index);
            }
          }
        }"""
    )
    sizes = visit.page.evaluate(OVERFLOW)
    assert sizes["results"] > sizes["resultsBox"] or sizes["page"] > sizes["window"], sizes


def test_the_queue_and_the_record_page_pass_axe(visit_factory, live_server, queue):
    visit = logged_in_page(visit_factory, live_server, queue)
    visit.open(reverse("admin:rights_requests_datasubjectrequest_changelist"))
    assert (violations := visit.axe_violations()) == [], format_violations(violations)
    # The record page as it comes back with every error shown.
    visit.open(reverse("admin:rights_requests_datasubjectrequest_add"))
    with visit.page.expect_navigation():
        visit.page.click("#content-main input[type=submit]")
    assert visit.page.locator(".errornote").is_visible()
    assert (violations := visit.axe_violations()) == [], format_violations(violations)
    first = DataSubjectRequest.objects.order_by("pk").first()
    visit.open(reverse("admin:rights_requests_datasubjectrequest_assign", args=[first.pk]))
    assert (violations := visit.axe_violations()) == [], format_violations(violations)
