"""The DPO's dashboard (issue #12): on a known set of requests every figure equals the value
computed by hand below; the CSV says the same; charts are well-formed, named SVG followed by
tables; only the DPO sees it; and it costs a fixed number of queries."""

import csv
import datetime
import io
import re
from decimal import Decimal
from xml.etree import ElementTree

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from requests import charts, dashboard
from requests.models import DataSubjectRequest, Right, RoutingCount, Topic

pytestmark = pytest.mark.django_db

Status = DataSubjectRequest.Status
DASHBOARD_URL = "admin:rights_requests_dashboard"
CSV_URL = "admin:rights_requests_dashboard_csv"
# 15 April 2026, noon in Brussels.
NOW = datetime.datetime(2026, 4, 15, 10, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 4, 15)
QUARTER = dashboard.Period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 1))
QUARTER_QUERY = {"since": "2026-01", "until": "2026-03"}
CHART = re.compile(r'<svg role="img".*?</svg>', re.S)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def d(month, day, year=2026):
    return datetime.date(year, month, day)


def make(reference, received_on, due_on, status, *, right="access", channel="web", **dates):
    """A request as the services leave it; `dates` are answered_on, transferred_on..."""
    return DataSubjectRequest.objects.create(
        reference=reference,
        status=status,
        language="fr",
        right=right,
        channel=channel,
        name="Test Requester",
        email="requester@example.org",
        description="Some question.",
        received_on=received_on,
        due_on=due_on,
        **dates,
    )


@pytest.fixture
def known_requests():
    """The known set. Days to answer of the quarter's answers, in order:
    K 1, G 2, O 2, D 7, A 15, M 21, N 23, B 31, E 31, C 69 (ten answers).
    Nearest rank: median = rank ceil(5.0) = 5th = 15; p90 = rank ceil(9.0) = 9th = 31.
    Late: E only (due 28 February, a short month; answered 3 March) -> 9 of 10 on time, 90.0 %.
    C was extended: due 20 April, answered 30 March, on time (late against one month)."""
    answered = Status.ANSWERED
    # January: 6 received.
    make("A", d(1, 5), d(2, 5), answered, answered_on=d(1, 20))
    make("B", d(1, 10), d(2, 10), answered, channel="email", answered_on=d(2, 10))
    make("C", d(1, 20), d(4, 20), answered, right="erasure", channel="post", answered_on=d(3, 30))
    make("D", d(1, 25), d(2, 25), Status.REFUSED, right="objection", answered_on=d(2, 1))
    make("E", d(1, 31), d(2, 28), answered, channel="phone", answered_on=d(3, 3))
    make(
        "O",
        d(1, 12),
        d(2, 12),
        answered,
        right="restriction",
        channel="email",
        answered_on=d(1, 14),
    )
    # February: 5 received.
    make("F", d(2, 3), d(3, 3), Status.TRANSFERRED, transferred_on=d(2, 5))
    anonymised = make(
        "G", d(2, 10), d(3, 10), Status.CLOSED, right="rectification", channel="email",
        answered_on=d(2, 12), anonymised_at=NOW,
    )  # fmt: skip
    DataSubjectRequest.objects.filter(pk=anonymised.pk).update(name="", email="", description="")
    make("H", d(2, 14), d(3, 14), Status.IN_PROGRESS, right="erasure")  # overdue
    make("I", d(2, 20), d(5, 20), Status.EXTENDED, channel="in_person")
    make("N", d(2, 25), d(3, 25), answered, answered_on=d(3, 20))
    # March: 4 received (and one unconfirmed, which never counts).
    make("J", d(3, 2), d(4, 2), Status.WAITING, channel="email")  # overdue
    make("K", d(3, 10), d(4, 10), Status.CLOSED, right="portability", answered_on=d(3, 11))
    make("L", d(3, 15), d(4, 15), Status.NEW, right="objection", channel="post")  # due today
    make("M", d(3, 20), d(4, 20), answered, right="erasure", channel="email", answered_on=d(4, 10))
    DataSubjectRequest.objects.create(
        status=Status.UNCONFIRMED, language="fr", right="access", name="X", email="x@example.org",
        description="?", received_on=d(3, 5), due_on=d(3, 6), answered_on=d(3, 6),
    )  # fmt: skip
    # Outside the quarter: they count only in "open today" and "overdue today".
    make("P", d(12, 20, 2025), d(1, 20), Status.IN_PROGRESS)  # overdue
    make("Q", d(12, 20, 2025), d(1, 20), answered, answered_on=d(1, 10))
    make("R", d(4, 1), d(5, 1), Status.NEW)


EXPECTED_SUMMARY = {
    "received": 15,
    "answered": 10,
    "on_time": 9,
    "late": 1,
    "on_time_share": Decimal("90.0"),
    "median_days": 15,
    "p90_days": 31,
    "transferred": 1,
    "open": 6,  # H, I, J, L, P, R
    "overdue": 3,  # H, J, P (L is due today: not overdue)
}
# Per month (January, February, March), in the order of Right and Channel.
EXPECTED_BY_RIGHT = {
    "access": [3, 3, 1],
    "rectification": [0, 1, 0],
    "erasure": [1, 1, 1],
    "restriction": [1, 0, 0],
    "portability": [0, 0, 1],
    "objection": [1, 0, 1],
    "automated": [0, 0, 0],
}
EXPECTED_BY_CHANNEL = {
    "web": [2, 3, 1],
    "email": [2, 1, 2],
    "post": [1, 0, 1],
    "phone": [1, 0, 0],
    "in_person": [0, 1, 0],
}


def test_summary_figures_equal_the_hand_computed_values(known_requests):
    assert dashboard.summary(QUARTER, TODAY) == EXPECTED_SUMMARY


def test_counts_per_month_by_right_and_by_channel_equal_the_hand_computed_values(known_requests):
    counts = dashboard.monthly_counts(QUARTER)

    by_right = dashboard.per_month(counts, QUARTER, 1, Right.choices)
    by_channel = dashboard.per_month(counts, QUARTER, 2, DataSubjectRequest.Channel.choices)

    assert [values for _label, values in by_right] == list(EXPECTED_BY_RIGHT.values())
    assert [values for _label, values in by_channel] == list(EXPECTED_BY_CHANNEL.values())
    assert sum(counts.values()) == 15


def test_a_transferred_request_is_not_an_answer_by_aim_even_with_an_answer_date():
    make("T", d(1, 5), d(2, 5), Status.TRANSFERRED, transferred_on=d(1, 7), answered_on=d(1, 7))
    make("U", d(1, 6), d(2, 6), Status.CLOSED, transferred_on=d(1, 8), answered_on=d(1, 9))

    figures = dashboard.summary(QUARTER, TODAY)

    assert (figures["received"], figures["transferred"], figures["answered"]) == (2, 2, 0)
    assert figures["median_days"] is None


@pytest.mark.parametrize(
    ("histogram", "median", "p90"),
    [
        ({}, None, None),
        ({4: 1}, 4, 4),
        ({1: 1, 2: 1, 3: 1, 4: 1}, 2, 4),  # nearest rank: no 2.5, a day count that occurred
        (dict.fromkeys(range(1, 11), 1), 5, 9),
        (dict.fromkeys(range(1, 12), 1), 6, 10),  # rank ceil(9.9) = 10
        ({3: 9, 40: 1}, 3, 3),  # 9 of 10 answers took 3 days
        ({3: 8, 40: 2}, 3, 40),
    ],
)
def test_nearest_rank(histogram, median, p90):
    assert dashboard.nearest_rank(histogram, 50) == median
    assert dashboard.nearest_rank(histogram, 90) == p90


def test_the_default_period_and_today_are_brussels_dates():
    """At 22:30 UTC on 30 April it is already 1 May in Brussels: the default period ends with
    May, and a request due on 30 April is overdue."""
    make("Z", d(3, 30), d(4, 30), Status.IN_PROGRESS)
    with time_machine.travel(datetime.datetime(2026, 4, 30, 22, 30, tzinfo=datetime.UTC)):
        period = dashboard.default_period()
        figures = dashboard.summary(period)

    assert (period.since, period.until) == (d(6, 1, 2025), d(5, 31))
    assert len(period.months) == 12
    assert (figures["open"], figures["overdue"]) == (1, 1)


# --- The page -----------------------------------------------------------------------------


def main_content(response):
    return response.content.decode().split('id="content-main"', 1)[1]


def test_page_shows_the_figures_charts_and_tables_to_the_dpo(dpo_client, known_requests):
    RoutingCount.objects.create(
        day=d(2, 3), language="nl", topic=Topic.AIM_DATA, right="access", count=7
    )
    RoutingCount.objects.create(day=d(4, 3), language="nl", topic=Topic.COMPLAINT, count=50)

    response = dpo_client.get(reverse(DASHBOARD_URL), QUARTER_QUERY)

    assert response.status_code == 200
    assert response.context["figures"] == EXPECTED_SUMMARY
    by_right, by_channel = response.context["charts"]
    assert [row[1] for row in by_right["rows"]] == [
        [values[month] for values in EXPECTED_BY_RIGHT.values()] for month in range(3)
    ]
    assert [row[2] for row in by_channel["rows"]] == [6, 5, 4]
    assert by_channel["totals"] == [sum(values) for values in EXPECTED_BY_CHANNEL.values()]
    assert response.context["routing_total"] == 7  # April's 50 are outside the quarter
    page = main_content(response)
    assert page.count('<svg role="img"') == 3
    assert page.count("<table>") == 4  # key figures, two charts, the routing statistics
    assert "<script" not in page
    assert "style=" not in page
    assert f"{reverse(CSV_URL)}?since=2026-01&amp;until=2026-03" in page
    assert "?since=2026-01-01&amp;until=2026-03-31" in page  # the routing statistics
    assert "Test Requester" not in page and "requester@example.org" not in page


def test_every_chart_is_well_formed_svg_named_by_its_title_and_description(
    dpo_client, known_requests
):
    page = main_content(dpo_client.get(reverse(DASHBOARD_URL), QUARTER_QUERY))

    svgs = CHART.findall(page)
    assert len(svgs) == 3
    namespace = {"svg": charts.SVG_NAMESPACE}
    for markup in svgs:
        # Our own markup (ElementTree raises on any that is not well-formed XML).
        svg = ElementTree.fromstring(markup)  # noqa: S314
        title, desc = svg.find("svg:title", namespace), svg.find("svg:desc", namespace)
        assert svg.get("role") == "img"
        assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        assert title.text.strip() and desc.text.strip()
    pattern_ids = re.findall(r'<pattern id="([^"]+)"', page)
    assert len(pattern_ids) == len(set(pattern_ids)) == 7 + 5


def test_chart_labels_are_escaped_into_well_formed_svg():
    markup = charts.stacked_columns_svg(
        key="t",
        title="<b>&",
        description='"quoted"',
        categories=[("jan", "2026")],
        series=[("A & <B>", [2]), ("C", [0])],
    )
    svg = ElementTree.fromstring(markup)  # noqa: S314
    assert svg.find(f"{{{charts.SVG_NAMESPACE}}}title").text == "<b>&"
    assert "A & <B>" in ElementTree.tostring(svg, encoding="unicode", method="text")


def test_series_colours_have_3_to_1_contrast_and_their_own_pattern():
    assert charts.contrast_ratio(charts.INK, charts.GROUND) >= 4.5
    for colour, _pattern in charts.SERIES_STYLES:
        assert charts.contrast_ratio(colour, charts.GROUND) >= 3, colour
    patterns = [pattern for _colour, pattern in charts.SERIES_STYLES]
    assert len(set(patterns)) == len(patterns) >= len(Right.choices)


def test_page_without_any_request_shows_zeros_and_dashes(dpo_client):
    response = dpo_client.get(reverse(DASHBOARD_URL))

    assert response.status_code == 200
    figures = response.context["figures"]
    assert (figures["received"], figures["median_days"], figures["on_time_share"]) == (
        0,
        None,
        None,
    )
    assert len(response.context["charts"][0]["rows"]) == 12
    assert "—" in main_content(response)


@pytest.mark.parametrize(
    "query",
    [
        {"since": "last year"},
        {"until": "2026-13"},
        {"since": "1999-12"},
        {"since": "2026-03", "until": "2026-01"},
        {"since": "2020-01", "until": "2026-01"},  # 73 months
    ],
)
def test_a_bad_period_shows_a_message_on_the_form(dpo_client, query):
    response = dpo_client.get(reverse(DASHBOARD_URL), query)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert "charts" not in response.context
    assert 'class="errornote"' in response.content.decode()
    csv_response = dpo_client.get(reverse(CSV_URL), query)
    assert csv_response.status_code == 302
    assert csv_response["Location"].startswith(reverse(DASHBOARD_URL) + "?")


def test_only_since_or_only_until_completes_the_period(dpo_client):
    since = dpo_client.get(reverse(DASHBOARD_URL), {"since": "2026-02"}).context["period"]
    until = dpo_client.get(reverse(DASHBOARD_URL), {"until": "2025-12"}).context["period"]

    assert (since.since, since.until) == (d(2, 1), d(4, 30))
    assert (until.since, until.until) == (d(1, 1, 2025), d(12, 31, 2025))


def test_page_and_csv_are_refused_to_editors_and_staff_without_access(
    client, editor, staff_without_access
):
    for user in (editor, staff_without_access):
        client.force_login(user)
        assert client.get(reverse(DASHBOARD_URL)).status_code == 403
        assert client.get(reverse(CSV_URL)).status_code == 403


def test_page_and_csv_send_anonymous_visitors_to_the_login(client, known_requests):
    for name in (DASHBOARD_URL, CSV_URL):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]


def test_page_and_csv_answer_get_only(dpo_client):
    assert dpo_client.post(reverse(DASHBOARD_URL)).status_code == 405
    assert dpo_client.post(reverse(CSV_URL)).status_code == 405


# --- CSV ----------------------------------------------------------------------------------


def read_csv(response):
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_csv_equals_the_expected_rows(dpo_client, known_requests):
    with translation.override("fr"):
        response = dpo_client.get(reverse(CSV_URL), QUARTER_QUERY)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="request-dashboard-2026-04-15.csv"'
    )
    assert "no-store" in response["Cache-Control"]
    rows = read_csv(response)
    with translation.override("fr"):
        header = [str(label) for label in dashboard.CSV_HEADER]
        rights = {code: str(label) for code, label in Right.choices}
        channels = {code: str(label) for code, label in DataSubjectRequest.Channel.choices}
    articles = {"access": "15", "rectification": "16", "erasure": "17", "restriction": "18"}
    articles |= {"portability": "20", "objection": "21"}

    def line(month, right, channel, count):
        return [month, right, rights[right], articles[right], channel, channels[channel], count]

    assert rows[0] == header
    assert rows[1:15] == [
        line("2026-01", "access", "web", "1"),  # A
        line("2026-01", "access", "email", "1"),  # B
        line("2026-01", "access", "phone", "1"),  # E
        line("2026-01", "erasure", "post", "1"),  # C
        line("2026-01", "restriction", "email", "1"),  # O
        line("2026-01", "objection", "web", "1"),  # D
        line("2026-02", "access", "web", "2"),  # F, N
        line("2026-02", "access", "in_person", "1"),  # I
        line("2026-02", "rectification", "email", "1"),  # G, anonymised
        line("2026-02", "erasure", "web", "1"),  # H
        line("2026-03", "access", "email", "1"),  # J
        line("2026-03", "erasure", "email", "1"),  # M
        line("2026-03", "portability", "web", "1"),  # K
        line("2026-03", "objection", "post", "1"),  # L
    ]
    assert rows[15:] == [
        [],
        ["Chiffre", "Valeur"],
        ["Premier jour de la période", "2026-01-01"],
        ["Dernier jour de la période", "2026-03-31"],
        ["Demandes reçues", "15"],
        ["Réponses ou refus envoyés par l'AIM", "10"],
        ["Réponses dans le délai", "9"],
        ["Réponses en retard", "1"],
        ["Part des réponses dans le délai, en pour cent", "90.0"],
        ["Médiane des jours pour répondre (rang le plus proche)", "15"],
        ["90e centile des jours pour répondre (rang le plus proche)", "31"],
        ["Transmises à un autre responsable du traitement", "1"],
        ["Ouvertes aujourd'hui", "6"],
        ["En retard aujourd'hui", "3"],
    ]


# --- Queries and languages ----------------------------------------------------------------


def make_many(number):
    rights, channels = list(Right), list(DataSubjectRequest.Channel)
    start = DataSubjectRequest.objects.count()
    DataSubjectRequest.objects.bulk_create(
        DataSubjectRequest(
            reference=f"AIM-2026-{start + index:06d}",
            status=[Status.ANSWERED, Status.NEW, Status.TRANSFERRED][index % 3],
            language="nl",
            right=rights[index % len(rights)],
            channel=channels[index % len(channels)],
            name="Someone",
            email="someone@example.org",
            description="...",
            received_on=d(1, 1) + datetime.timedelta(days=index % 100),
            due_on=d(2, 1) + datetime.timedelta(days=index % 100),
            answered_on=d(1, 10) + datetime.timedelta(days=index % 100) if index % 3 == 0 else None,
        )
        for index in range(number)
    )


def count_queries(client, url, query):
    client.get(url, query)  # warm the per-process caches (content types, session)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, query)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", [DASHBOARD_URL, CSV_URL])
def test_queries_do_not_grow_with_requests(dpo_client, name):
    url = reverse(name)
    make_many(10)
    few = count_queries(dpo_client, url, QUARTER_QUERY)
    make_many(90)
    assert count_queries(dpo_client, url, QUARTER_QUERY) == few


# What the page would show if one of its strings had no translation: the English msgid.
ENGLISH = [
    "Dashboard of the requests AIM answers itself",
    "Confirmed requests only",
    "Key figures",
    "Requests received per month, by right",
    "Requests received per month, by channel",
    "Stacked column chart",
    "nearest-rank",
    "Open today",
    "Overdue today",
    "Answered on time",
    "Median",
    "From the month",
    "Routing statistics of the same period",
    "CSV export of this period",
    "Last twelve months",
    " days",
]


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fr", ["Tableau de bord", "Chiffres clés", "rang le plus proche", "jours"]),
        ("nl", ["Dashboard", "Kerncijfers", "naaste rang", "dagen"]),
    ],
)
def test_page_is_in_the_admins_language(dpo_client, known_requests, language, words):
    with translation.override(language):
        url = reverse(DASHBOARD_URL)
    response = dpo_client.get(url, QUARTER_QUERY)

    page = response.content.decode().split('id="content"', 1)[1]  # with the title
    for text in ENGLISH:
        assert text not in page, (language, text)
    for text in words:
        assert text in page, (language, text)


def test_the_request_queue_and_the_routing_statistics_link_the_dashboard(dpo_client):
    for name in (
        "admin:rights_requests_datasubjectrequest_changelist",
        "admin:rights_requests_statistics",
    ):
        page = main_content(dpo_client.get(reverse(name)))
        assert reverse(DASHBOARD_URL) in page, name
