"""The building blocks an activity is made of: legal bases, categories, recipients, retention."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from registry.models.organisations import Organisation


class LegalBasis(models.Model):
    class Article6(models.TextChoices):
        CONSENT = "a", _("Art. 6(1)(a): consent")
        CONTRACT = "b", _("Art. 6(1)(b): contract")
        LEGAL_OBLIGATION = "c", _("Art. 6(1)(c): legal obligation")
        VITAL_INTERESTS = "d", _("Art. 6(1)(d): vital interests")
        PUBLIC_TASK = "e", _("Art. 6(1)(e): public interest or official authority")
        LEGITIMATE_INTERESTS = "f", _("Art. 6(1)(f): legitimate interests")

    class Article9(models.TextChoices):
        EXPLICIT_CONSENT = "a", _("Art. 9(2)(a): explicit consent")
        EMPLOYMENT = "b", _("Art. 9(2)(b): employment and social security")
        VITAL_INTERESTS = "c", _("Art. 9(2)(c): vital interests")
        NOT_FOR_PROFIT = "d", _("Art. 9(2)(d): not-for-profit body")
        MADE_PUBLIC = "e", _("Art. 9(2)(e): made public by the data subject")
        LEGAL_CLAIMS = "f", _("Art. 9(2)(f): legal claims")
        SUBSTANTIAL_PUBLIC_INTEREST = "g", _("Art. 9(2)(g): substantial public interest")
        HEALTH_CARE = "h", _("Art. 9(2)(h): health or social care")
        PUBLIC_HEALTH = "i", _("Art. 9(2)(i): public health")
        RESEARCH = "j", _("Art. 9(2)(j): archiving, research or statistics")

    slug = models.SlugField(_("identifier"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    article_6 = models.CharField(
        _("GDPR Art. 6(1) point"), max_length=1, choices=Article6.choices, blank=True
    )
    article_9 = models.CharField(
        _("GDPR Art. 9(2) point"),
        max_length=1,
        choices=Article9.choices,
        blank=True,
        help_text=_("Required when the activity processes special categories of data."),
    )
    national_law = models.CharField(_("national law"), max_length=300, blank=True)
    national_law_articles = models.CharField(_("articles"), max_length=100, blank=True)
    rests_on_deliberation = models.BooleanField(
        _("rests on deliberations of the Information Security Committee"), default=False
    )

    class Meta:
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")
        ordering = ["name"]

    def __str__(self):
        return self.name


class DataCategory(models.Model):
    class Kind(models.TextChoices):
        ADMINISTRATIVE = "administrative", _("Administrative")
        BILLING = "billing", _("Billing")
        HEALTH = "health", _("Health")
        SOCIAL = "social", _("Social")
        CONTACT = "contact", _("Contact and identity")
        OTHER = "other", _("Other")

    slug = models.SlugField(_("identifier"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    is_special_category = models.BooleanField(
        _("special category (GDPR Art. 9)"),
        default=False,
        help_text=_("Health data and other categories listed in Art. 9(1)."),
    )

    class Meta:
        verbose_name = _("data category")
        verbose_name_plural = _("data categories")
        ordering = ["name"]

    def __str__(self):
        return self.name


class DataSubjectCategory(models.Model):
    slug = models.SlugField(_("identifier"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("data subject category")
        verbose_name_plural = _("data subject categories")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Recipient(models.Model):
    """An organisation or a category of them to whom data may be disclosed."""

    slug = models.SlugField(_("identifier"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=300)
    condition = models.TextField(
        _("condition"), blank=True, help_text=_("When and on what ground they may receive data.")
    )
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="recipient_of", verbose_name=_("organisations")
    )

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        ordering = ["name"]

    def __str__(self):
        return self.name


class RetentionRule(models.Model):
    """How long data are kept: a period (from `starts_at`), the period each deliberation fixes,
    or until an event, then for an optional period after it."""

    class Unit(models.TextChoices):
        DAYS = "days", _("days")
        MONTHS = "months", _("months")
        YEARS = "years", _("years")

    # The label is the notice's own wording: the citizen reads it as it is.
    class Event(models.TextChoices):
        UNSUBSCRIPTION = "unsubscription", _("until you unsubscribe")
        CONTRACT_END = "contract_end", _("until the end of the contract")

    slug = models.SlugField(_("identifier"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    duration = models.PositiveIntegerField(
        _("maximum duration"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, blank=True)
    starts_at = models.CharField(
        _("starts at"), max_length=200, blank=True, help_text=_("What starts the period.")
    )
    fixed_by_deliberation = models.BooleanField(
        _("as fixed by the deliberation"),
        default=False,
        help_text=_("The duration is the one set by each deliberation of the committee."),
    )
    until_event = models.CharField(
        _("kept until"),
        max_length=20,
        choices=Event.choices,
        blank=True,
        help_text=_(
            "The data are kept until this event; the duration, if given, is how long they are "
            "kept after it. Leave empty for a period."
        ),
    )

    class Meta:
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(fixed_by_deliberation=True, duration__isnull=True, until_event="")
                    | Q(fixed_by_deliberation=False, until_event="", duration__gte=1) & ~Q(unit="")
                    | Q(fixed_by_deliberation=False)
                    & ~Q(until_event="")
                    & (Q(duration__isnull=True) | Q(duration__gte=1) & ~Q(unit=""))
                ),
                name="registry_retention_duration_deliberation_or_event",
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.until_event:
            self._clean_event()
        elif self.fixed_by_deliberation:
            if self.duration is not None:
                raise ValidationError(
                    {"duration": _("Leave the duration empty when the deliberation fixes it.")}
                )
        elif self.duration is None:
            raise ValidationError(
                {"duration": _("Give a maximum duration, or tick “as fixed by the deliberation”.")}
            )
        elif not self.unit:
            raise ValidationError({"unit": _("Give the unit of the duration.")})

    def _clean_event(self):
        errors = {}
        if self.fixed_by_deliberation:
            errors["fixed_by_deliberation"] = _(
                "Keep the data until an event or as the deliberation fixes, not both."
            )
        if self.duration is not None and not self.unit:
            errors["unit"] = _("Give the unit of the duration.")
        # The admin edits the start in each language (starts_at_fr, starts_at_nl).
        started = [
            f"starts_at_{code}" for code in ("fr", "nl") if getattr(self, f"starts_at_{code}")
        ]
        if started:
            errors[started[0]] = _(
                "The period after an event starts at that event: leave “starts at” empty."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def duration_display(self):
        """The rule in words, in the active language: "10 years", "until you unsubscribe",
        "until you unsubscribe, then at most 30 days more"."""
        if self.until_event:
            event = str(self.Event(self.until_event).label)
            if self.duration is None:
                return event
            return _("%(event)s, then at most %(period)s more") % {
                "event": event,
                "period": self._period(),
            }
        if self.fixed_by_deliberation or self.duration is None:
            return str(_("as fixed by the deliberation"))
        return self._period()

    def _period(self):
        words = {
            self.Unit.DAYS: ngettext("%(count)d day", "%(count)d days", self.duration),
            self.Unit.MONTHS: ngettext("%(count)d month", "%(count)d months", self.duration),
            self.Unit.YEARS: ngettext("%(count)d year", "%(count)d years", self.duration),
        }
        return words[self.unit] % {"count": self.duration}
