"""What the routing wizard keeps: anonymous counts, nothing about the person.

One row per (day, language, topic, right, insurer) with a counter: no IP address, no
identifier, no time finer than the day, and no row per person (rows do not even tell the order
in which people used the wizard).
"""

from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _


class Topic(models.TextChoices):
    INSURER_DATA = "insurer-data", _("Data AIM holds via your health insurer")
    AIM_DATA = "aim-data", _("AIM's newsletter or your contacts with AIM")
    COMPLAINT = "complaint", _("A complaint about how your data is handled")
    OTHER = "other", _("Something else")


class Right(models.TextChoices):
    ACCESS = "access", _("Right of access")
    RECTIFICATION = "rectification", _("Right to rectification")
    ERASURE = "erasure", _("Right to erasure (“right to be forgotten”)")
    RESTRICTION = "restriction", _("Right to restriction of processing")
    PORTABILITY = "portability", _("Right to data portability")
    OBJECTION = "objection", _("Right to object")
    AUTOMATED = "automated", _("Right not to be subject to automated decisions")


RIGHT_ARTICLES = {
    Right.ACCESS: "15",
    Right.RECTIFICATION: "16",
    Right.ERASURE: "17",
    Right.RESTRICTION: "18",
    Right.PORTABILITY: "20",
    Right.OBJECTION: "21",
    Right.AUTOMATED: "22",
}


class RoutingCountQuerySet(models.QuerySet):
    def record(self, *, day, language, topic, right="", insurer=""):
        """Add one completed routing to the day's count (safe under concurrent requests)."""
        key = {
            "day": day,
            "language": language,
            "topic": topic,
            "right": right or "",
            "insurer": insurer or "",
        }
        updated = self.filter(**key).update(count=F("count") + 1)
        if not updated:
            row, created = self.get_or_create(**key, defaults={"count": 1})
            if not created:
                self.filter(pk=row.pk).update(count=F("count") + 1)


class RoutingCount(models.Model):
    day = models.DateField(_("day"))
    language = models.CharField(_("language"), max_length=2)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    right = models.CharField(_("right"), max_length=20, choices=Right.choices, blank=True)
    insurer = models.CharField(
        _("insurer"),
        max_length=10,
        blank=True,
        help_text=_(
            "The insurer's INAMI/RIZIV code, “unknown” when the person did not know it, "
            "empty when the topic needs none."
        ),
    )
    count = models.PositiveIntegerField(_("routings"), default=0)

    objects = RoutingCountQuerySet.as_manager()

    class Meta:
        verbose_name = _("routing count")
        verbose_name_plural = _("routing counts")
        ordering = ["-day", "language", "topic", "right"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "language", "topic", "right", "insurer"],
                name="rights_requests_one_count_per_combination",
            )
        ]

    def __str__(self):
        return f"{self.day} {self.language} {self.topic} {self.right} {self.insurer}"
