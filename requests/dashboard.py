"""The DPO's figures on the requests AIM answers itself: what came in, how fast it was answered,
what is open now. Nothing about any person: counts and day counts only.

Which requests count:
- only confirmed ones (an unconfirmed request may be anyone's typo, and has no deadline);
- anonymised ones too: anonymisation keeps the right, channel, dates and statuses, and a
  request does not stop having been received when its requester's name is erased;
- a period is a run of whole months of receipt (`received_on`, a Brussels date).

Days to answer run from `received_on` to `answered_on` (the day the answer or refusal was sent),
for the requests of the period AIM answered; a transferred request is counted apart, since
the controller it went to answers it. "On time" means answered on or before `due_on`, which is
the extended deadline for an extended request (GDPR Art. 12(3)).

Median and 90th percentile use the nearest-rank method: the smallest day count such that at
least half (90 %) of the answers took that many days or fewer; with n answers, the value of rank
ceil(p x n / 100) in increasing order. It is always a day count that really occurred.

Every function costs a fixed number of queries whatever the number of requests: the counts are
grouped in the database (a month x right x channel grid, a histogram of day counts).
"""

import csv
import dataclasses
import datetime
import io
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from requests.models import RIGHT_ARTICLES, DataSubjectRequest, Right

Channel = DataSubjectRequest.Channel
DEFAULT_MONTHS = 12

CSV_HEADER = (
    _("Month"),
    _("Right code"),
    _("Right"),
    _("GDPR article"),
    _("Channel code"),
    _("Channel"),
    _("Requests received"),
)


@dataclasses.dataclass(frozen=True)
class Period:
    """Whole months from `first_month` to `last_month` (both the first day of their month)."""

    first_month: datetime.date
    last_month: datetime.date

    @property
    def since(self):
        return self.first_month

    @property
    def until(self):
        """The last day of the last month, included."""
        return self.last_month + relativedelta(months=1, days=-1)

    @property
    def months(self):
        months, month = [], self.first_month
        while month <= self.last_month:
            months.append(month)
            month += relativedelta(months=1)
        return months


def default_period(today=None):
    """The last twelve months, the current (Brussels) month included."""
    today = today or timezone.localdate()
    last = today.replace(day=1)
    return Period(last - relativedelta(months=DEFAULT_MONTHS - 1), last)


def received(period):
    """The confirmed requests received in `period`, anonymised ones included."""
    return DataSubjectRequest.objects.in_queue().filter(
        received_on__gte=period.since, received_on__lte=period.until
    )


def answered_by_aim():
    """Answered or refused by AIM: a transferred request is the other controller's to answer."""
    return Q(answered_on__isnull=False, transferred_on__isnull=True) & ~Q(
        status=DataSubjectRequest.Status.TRANSFERRED
    )


def monthly_counts(period):
    """{(month, right, channel): requests received}, only the combinations that occurred."""
    rows = (
        received(period)
        .annotate(month=TruncMonth("received_on"))
        .values_list("month", "right", "channel")
        .annotate(Count("pk"))
        .order_by()
    )
    return {(month, right, channel): total for month, right, channel, total in rows}


def per_month(counts, period, position, choices):
    """[(label, [requests per month of the period])] for every choice, in the choices' order,
    from monthly_counts() summed over the other key (`position` 1: right, 2: channel)."""
    months = {month: index for index, month in enumerate(period.months)}
    series = {code: [0] * len(months) for code, _label in choices}
    labels = {code: str(label) for code, label in choices}
    for key, total in counts.items():
        code = key[position]
        if code not in series:  # a value no longer offered still counts, under its code
            series[code], labels[code] = [0] * len(months), code
        series[code][months[key[0]]] += total
    return [(labels[code], values) for code, values in series.items()]


def nearest_rank(histogram, percent):
    """The nearest-rank percentile of {value: how many times it occurs}; None when empty."""
    size = sum(histogram.values())
    if not size:
        return None
    rank = -(-percent * size // 100)  # ceil(percent x size / 100) in integers
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    raise AssertionError("unreachable: the rank is at most the size")


def days_to_answer(period):
    """{days from receipt to answer: how many answers took that long}, in one grouped query."""
    rows = (
        received(period)
        .filter(answered_by_aim())
        .annotate(days=F("answered_on") - F("received_on"))
        .values_list("days")
        .annotate(Count("pk"))
        .order_by()
    )
    return {days.days: total for days, total in rows}


def share(part, whole):
    """part / whole as a percentage with one decimal (half up), None when whole is 0."""
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def summary(period, today=None):
    """The period's answer figures, and the queue as it stands today (whatever the period)."""
    today = today or timezone.localdate()
    answered = answered_by_aim()
    figures = received(period).aggregate(
        received=Count("pk"),
        answered=Count("pk", filter=answered),
        on_time=Count("pk", filter=answered & Q(answered_on__lte=F("due_on"))),
        transferred=Count(
            "pk",
            filter=Q(transferred_on__isnull=False)
            | Q(status=DataSubjectRequest.Status.TRANSFERRED),
        ),
    )
    figures |= DataSubjectRequest.objects.open().aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today))
    )
    histogram = days_to_answer(period)
    figures["median_days"] = nearest_rank(histogram, 50)
    figures["p90_days"] = nearest_rank(histogram, 90)
    figures["late"] = figures["answered"] - figures["on_time"]
    figures["on_time_share"] = share(figures["on_time"], figures["answered"])
    return figures


def figure_rows(figures):
    """(label, value) for the summary: what the page's figure table and the CSV show."""
    return [
        (_("Requests received"), figures["received"]),
        (_("Answered or refused by AIM"), figures["answered"]),
        (_("Answered on time"), figures["on_time"]),
        (_("Answered late"), figures["late"]),
        (_("Share answered on time, in percent"), _blank(figures["on_time_share"])),
        (_("Median days to answer (nearest rank)"), _blank(figures["median_days"])),
        (_("90th percentile of days to answer (nearest rank)"), _blank(figures["p90_days"])),
        (_("Transferred to another controller"), figures["transferred"]),
        (_("Open today"), figures["open"]),
        (_("Overdue today"), figures["overdue"]),
    ]


def _blank(value):
    return "" if value is None else value


def dashboard_csv(period, counts, figures):
    """The month x right x channel counts (only combinations with a request), an empty line,
    then the summary figures; labels in the active language, no personal data at all.

    The caller encodes it as utf-8-sig: the BOM tells Excel the file is UTF-8.
    """
    rights, channels = dict(Right.choices), dict(Channel.choices)
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow([str(label) for label in CSV_HEADER])
    right_order = {code: index for index, code in enumerate(rights)}
    channel_order = {code: index for index, code in enumerate(channels)}

    def order(item):
        (month, right, channel), _total = item
        rank = (right_order.get(right, len(rights)), right)
        return (month, *rank, channel_order.get(channel, len(channels)), channel)

    for (month, right, channel), total in sorted(counts.items(), key=order):
        writer.writerow(
            [
                month.strftime("%Y-%m"),
                right,
                str(rights.get(right, right)),
                RIGHT_ARTICLES.get(right, ""),
                channel,
                str(channels.get(channel, channel)),
                total,
            ]
        )
    writer.writerow([])
    writer.writerow([str(_("Figure")), str(_("Value"))])
    rows = [
        (_("First day of the period"), period.since.isoformat()),
        (_("Last day of the period"), period.until.isoformat()),
        *figure_rows(figures),
    ]
    for label, value in rows:
        writer.writerow([str(label), value])
    return output.getvalue()
