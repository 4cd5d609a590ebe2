"""Routing counts: recording, aggregations, the statistics page, the CSV and the read-only admin."""

import csv
import datetime
import io
import re
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from requests import statistics
from requests.models import Right, RoutingCount, Topic
from tests.registry.factories import InsurerFactory

pytestmark = pytest.mark.django_db

STATISTICS_URL = "admin:rights_requests_statistics"
CSV_URL = "admin:rights_requests_statistics_csv"
CHANGELIST_URL = "admin:rights_requests_routingcount_changelist"


def count(day, *, language="fr", topic=Topic.INSURER_DATA, right=Right.ACCESS, insurer="100", n=1):
    return RoutingCount.objects.create(
        day=day, language=language, topic=topic, right=right, insurer=insurer, count=n
    )


def make_counts(number, *, start=datetime.date(2026, 1, 1)):
    """`number` rows with distinct keys from `start` on, spread over days, rights and insurers."""
    rights = list(Right)
    insurers = ["100", "200", "300", "unknown", ""]
    RoutingCount.objects.bulk_create(
        RoutingCount(
            day=start + datetime.timedelta(days=index // 10),
            language=("fr", "nl")[index % 2],
            topic=Topic.INSURER_DATA,
            right=rights[index % len(rights)],
            insurer=insurers[(index // 2) % len(insurers)],
            count=index + 1,
        )
        for index in range(number)
    )


@pytest.fixture
def insurers():
    return [
        InsurerFactory(insurer_code=100, short_name_fr="MC", short_name_nl="CM"),
        InsurerFactory(
            insurer_code=300, short_name_fr="Solidaris", short_name_nl="Vlaams & Neutraal"
        ),
    ]


def main_content(response):
    """The page without the admin's navigation sidebar, which has tables and links of its own."""
    return response.content.decode().split('id="content-main"', 1)[1]


def count_queries(client, url):
    client.get(url)  # warm the per-process caches (content types, session) before counting
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


# --- Recording ----------------------------------------------------------------------------


def test_record_twice_with_the_same_key_makes_one_row_counting_two():
    key = {"day": datetime.date(2026, 2, 3), "language": "nl", "topic": Topic.INSURER_DATA}
    RoutingCount.objects.record(**key, right=Right.ERASURE, insurer="200")
    RoutingCount.objects.record(**key, right=Right.ERASURE, insurer="200")

    row = RoutingCount.objects.get()
    assert (row.right, row.insurer, row.count) == (Right.ERASURE, "200", 2)


def test_record_with_different_keys_makes_separate_rows():
    day = datetime.date(2026, 2, 3)
    RoutingCount.objects.record(day=day, language="fr", topic=Topic.INSURER_DATA, right="access")
    RoutingCount.objects.record(day=day, language="nl", topic=Topic.INSURER_DATA, right="access")
    RoutingCount.objects.record(day=day, language="fr", topic=Topic.COMPLAINT)
    RoutingCount.objects.record(day=day + datetime.timedelta(days=1), language="fr", topic="other")

    assert RoutingCount.objects.count() == 4
    assert set(RoutingCount.objects.values_list("count", flat=True)) == {1}
    assert RoutingCount.objects.get(topic=Topic.COMPLAINT).right == ""


# --- Aggregations -------------------------------------------------------------------------


def test_routings_per_month_sums_counts_and_shows_empty_months_as_zero():
    count(datetime.date(2026, 1, 15), n=2)
    count(datetime.date(2026, 1, 31), language="nl", n=3)
    count(datetime.date(2026, 3, 1), n=1)

    with translation.override("fr"):
        assert statistics.routings_per_month() == [
            ("janvier 2026", 5),
            ("février 2026", 0),
            ("mars 2026", 1),
        ]
    with translation.override("nl"):
        assert statistics.routings_per_month()[0] == ("januari 2026", 5)


def test_routings_per_month_is_empty_without_counts():
    assert statistics.routings_per_month() == []


def test_routings_per_right_lists_every_right_in_gdpr_order_then_not_asked():
    day = datetime.date(2026, 4, 1)
    count(day, right=Right.ERASURE, n=4)
    count(day, right=Right.ERASURE, language="nl", n=1)
    count(day, right=Right.ACCESS, n=2)
    count(day, topic=Topic.COMPLAINT, right="", insurer="", n=7)

    with translation.override("fr"):
        rows = statistics.routings_per_right()
        labels = [str(label) for label in Right.labels]

    assert [label for label, _total in rows[:7]] == labels
    totals = dict(zip(Right.values, (total for _label, total in rows), strict=False))
    assert totals["erasure"] == 5
    assert totals["access"] == 2
    assert totals["portability"] == 0
    assert rows[7:] == [("Question non posée", 7)]


def test_routings_per_insurer_uses_registry_short_names_in_the_active_language(insurers):
    day = datetime.date(2026, 4, 1)
    count(day, insurer="100", n=3)
    count(day, insurer="100", right=Right.OBJECTION, n=2)
    count(day, insurer="unknown", n=4)
    count(day, topic=Topic.OTHER, right="", insurer="", n=1)

    with translation.override("fr"):
        assert statistics.routings_per_insurer() == [
            ("MC", 5),
            ("Solidaris", 0),
            ("Ne savait pas", 4),
            ("Question non posée", 1),
        ]
    with translation.override("nl"):
        assert [label for label, _total in statistics.routings_per_insurer()][:2] == [
            "CM",
            "Vlaams & Neutraal",
        ]


def test_routings_per_insurer_labels_a_code_missing_from_the_registry_by_its_code(insurers):
    count(datetime.date(2026, 4, 1), insurer="500", n=6)

    assert ("500", 6) in statistics.routings_per_insurer()


def test_aggregations_keep_only_the_days_between_since_and_until_included():
    count(datetime.date(2026, 1, 31), topic=Topic.AIM_DATA, n=100)
    count(datetime.date(2026, 2, 1), topic=Topic.COMPLAINT, right="", n=2)
    count(datetime.date(2026, 2, 28), language="nl", topic=Topic.COMPLAINT, right="", n=3)
    count(datetime.date(2026, 3, 1), topic=Topic.OTHER, right="", n=100)
    period = {"since": datetime.date(2026, 2, 1), "until": datetime.date(2026, 2, 28)}

    with translation.override("fr"):
        topics = dict(statistics.routings_per_topic(**period))
        assert topics[str(Topic.COMPLAINT.label)] == 5
        assert topics[str(Topic.AIM_DATA.label)] == 0
        assert topics[str(Topic.OTHER.label)] == 0
        assert [total for _label, total in statistics.routings_per_language(**period)] == [2, 3]
        assert statistics.routings_per_month(**period) == [("février 2026", 5)]


def test_aggregations_cost_a_constant_number_of_queries(insurers):
    make_counts(50)
    functions = [
        statistics.routings_per_month,
        statistics.routings_per_topic,
        statistics.routings_per_right,
        statistics.routings_per_language,
    ]
    for function in functions:
        with CaptureQueriesContext(connection) as queries:
            function()
        assert len(queries) == 1, function.__name__
    with CaptureQueriesContext(connection) as queries:
        statistics.routings_per_insurer()
    assert len(queries) == 2


# --- Statistics page ----------------------------------------------------------------------


def test_statistics_page_shows_charts_and_tables_to_the_dpo(dpo_client, insurers):
    count(datetime.date(2026, 5, 4), insurer="300", n=42)

    response = dpo_client.get(reverse(STATISTICS_URL))

    assert response.status_code == 200
    page = main_content(response)
    assert page.count('<svg role="img"') == 5
    assert page.count("<table>") == 5
    assert "<caption>" in page
    assert '<th scope="row">Solidaris</th>' in page
    assert ">42</text>" in page
    assert "style" not in page
    assert "<script" not in page
    assert reverse(CSV_URL) in page


def test_statistics_charts_are_well_formed_svg_named_by_title_and_description(dpo_client):
    """The charts are drawn by requests/charts.py (shared with the request dashboard)."""
    count(datetime.date(2026, 5, 4), topic=Topic.COMPLAINT, right="", insurer="", n=3)

    page = main_content(dpo_client.get(reverse(STATISTICS_URL)))

    charts = re.findall(r'<svg role="img".*?</svg>', page, re.S)
    assert len(charts) == 5
    for markup in charts:
        svg = ElementTree.fromstring(markup)  # noqa: S314 (our own markup; raises if malformed)
        title = svg.find("{http://www.w3.org/2000/svg}title")
        desc = svg.find("{http://www.w3.org/2000/svg}desc")
        assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        assert title.text and "3" in desc.text


def test_statistics_page_refuses_staff_without_the_permission(client, staff_without_access):
    client.force_login(staff_without_access)

    assert client.get(reverse(STATISTICS_URL)).status_code == 403
    assert client.get(reverse(CSV_URL)).status_code == 403


def test_statistics_page_answers_get_only(dpo_client):
    assert dpo_client.post(reverse(STATISTICS_URL)).status_code == 405
    assert dpo_client.post(reverse(CSV_URL)).status_code == 405


def test_statistics_page_filters_by_period_and_links_the_same_period_to_csv(dpo_client):
    count(datetime.date(2026, 5, 4), n=11)
    count(datetime.date(2026, 6, 4), n=13)

    response = dpo_client.get(reverse(STATISTICS_URL), {"since": "2026-06-01"})

    assert response.status_code == 200
    assert response.context["total"] == 13
    assert f"{reverse(CSV_URL)}?since=2026-06-01" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"since": "not a date"},
        {"until": "2026-02-31"},
        {"since": "2026-03-01", "until": "2026-02-01"},
    ],
)
def test_statistics_page_shows_form_errors_for_a_bad_period(dpo_client, query):
    count(datetime.date(2026, 5, 4), n=11)

    response = dpo_client.get(reverse(STATISTICS_URL), query)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert response.context["charts"] == []
    assert 'class="errornote"' in response.content.decode()


def test_statistics_page_queries_do_not_grow_with_rows(dpo_client, insurers):
    url = reverse(STATISTICS_URL)
    make_counts(10)
    few = count_queries(dpo_client, url)
    make_counts(300, start=datetime.date(2025, 1, 1))
    assert count_queries(dpo_client, url) == few


# --- CSV ----------------------------------------------------------------------------------


def read_csv(response):
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_csv_has_a_header_and_one_line_per_count_in_utf8_with_bom(dpo_client, insurers):
    count(datetime.date(2026, 5, 4), right=Right.PORTABILITY, insurer="100", n=3)
    count(
        datetime.date(2026, 5, 3), language="nl", topic=Topic.COMPLAINT, right="", insurer="", n=2
    )

    with translation.override("fr"):
        response = dpo_client.get(reverse(CSV_URL))
        header = [str(label) for label in statistics.CSV_HEADER]
        portability = str(Right.PORTABILITY.label)
        complaint = str(Topic.COMPLAINT.label)
        insurer_data = str(Topic.INSURER_DATA.label)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="routing-statistics-' in response["Content-Disposition"]
    assert response["Content-Disposition"].endswith('.csv"')
    rows = read_csv(response)
    assert rows[0] == header
    assert rows[1:] == [
        [
            "2026-05-03",
            "nl",
            "complaint",
            complaint,
            "",
            "Question non posée",
            "",
            "",
            "Question non posée",
            "2",
        ],
        [
            "2026-05-04",
            "fr",
            "insurer-data",
            insurer_data,
            "portability",
            portability,
            "20",
            "100",
            "MC",
            "3",
        ],
    ]


def test_csv_keeps_the_period_of_the_statistics_page(dpo_client):
    count(datetime.date(2026, 5, 4), n=3)
    count(datetime.date(2026, 7, 4), n=5)

    rows = read_csv(dpo_client.get(reverse(CSV_URL), {"until": "2026-06-30"}))

    assert [row[0] for row in rows[1:]] == ["2026-05-04"]


def test_csv_with_a_bad_period_sends_back_to_the_page_with_the_errors(dpo_client):
    response = dpo_client.get(reverse(CSV_URL), {"since": "yesterday"})

    assert response.status_code == 302
    assert response["Location"] == f"{reverse(STATISTICS_URL)}?since=yesterday"


# --- Read-only admin ----------------------------------------------------------------------


def test_changelist_links_statistics_and_offers_no_add_button(dpo_client, insurers):
    count(datetime.date(2026, 5, 4), insurer="100", n=3)

    response = dpo_client.get(reverse(CHANGELIST_URL))

    assert response.status_code == 200
    page = main_content(response)
    assert reverse("admin:rights_requests_routingcount_add") not in page
    assert 'class="addlink"' not in page
    assert reverse(STATISTICS_URL) in page
    assert reverse(CSV_URL) in page
    assert "100 MC" in page


def test_nobody_adds_changes_or_deletes_a_count(admin_client):
    row = count(datetime.date(2026, 5, 4), n=3)
    data = {"day": "2026-05-05", "language": "fr", "topic": "other", "count": "99"}

    add = admin_client.post(reverse("admin:rights_requests_routingcount_add"), data)
    change = admin_client.post(
        reverse("admin:rights_requests_routingcount_change", args=[row.pk]), data
    )
    delete = admin_client.post(
        reverse("admin:rights_requests_routingcount_delete", args=[row.pk]), {"post": "yes"}
    )

    assert (add.status_code, change.status_code, delete.status_code) == (403, 403, 403)
    row.refresh_from_db()
    assert (row.day, row.count) == (datetime.date(2026, 5, 4), 3)
    assert RoutingCount.objects.count() == 1


def test_changelist_queries_do_not_grow_with_rows(dpo_client, insurers):
    url = reverse(CHANGELIST_URL)
    make_counts(10)
    few = count_queries(dpo_client, url)
    make_counts(300, start=datetime.date(2025, 1, 1))
    assert count_queries(dpo_client, url) == few
