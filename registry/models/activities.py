"""Processing activities: the rows of the record (GDPR Art. 30) that tie everything together."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from registry.models.organisations import EEA_COUNTRIES, Organisation
from registry.models.vocabulary import (
    DataCategory,
    DataSubjectCategory,
    LegalBasis,
    Recipient,
    RetentionRule,
)


class ProcessingActivityQuerySet(models.QuerySet):
    def in_force(self):
        """What the notice describes: approved activities that have not ended."""
        return self.filter(status=ProcessingActivity.Status.APPROVED)

    def with_relations(self):
        """Everything the completeness check, the exports and the notice read, in few queries."""
        return self.select_related(
            "controller", "rights_organisation", "replaced_by"
        ).prefetch_related(
            "legal_bases",
            "data_categories",
            "subject_categories",
            "sources",
            "recipients__organisations",
            "processors",
            "retention_rules",
            "transfers__recipient_organisation",
        )


class ProcessingActivity(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        ENDED = "ended", _("Ended")

    class Role(models.TextChoices):
        CONTROLLER = "controller", _("Controller")
        JOINT_CONTROLLER = "joint_controller", _("Joint controller")
        PROCESSOR = "processor", _("Processor")

    class RightsHandler(models.TextChoices):
        AIM = "aim", _("AIM's data protection officer")
        OWN_INSURER = "own_insurer", _("The person's own health insurer")
        ORGANISATION = "organisation", _("Another organisation")

    class Pseudonymisation(models.TextChoices):
        NONE = "none", _("Directly identifying")
        SINGLE = "single", _("Pseudonymised once")
        MULTIPLE = "multiple", _("Pseudonymised two or three times")
        ANONYMOUS = "anonymous", _("Anonymous")

    slug = models.SlugField(_("identifier"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    purposes = models.TextField(_("purposes"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    aim_role = models.CharField(_("AIM's role"), max_length=20, choices=Role.choices)
    controller = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="controlled_activities",
        verbose_name=_("controller"),
        help_text=_("AIM when it is the controller; otherwise the controller it works for."),
    )
    rights_handled_by = models.CharField(
        _("who answers rights requests"), max_length=20, choices=RightsHandler.choices
    )
    rights_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation that answers"),
    )
    legal_bases = models.ManyToManyField(LegalBasis, blank=True, verbose_name=_("legal bases"))
    data_categories = models.ManyToManyField(
        DataCategory, blank=True, verbose_name=_("data categories")
    )
    subject_categories = models.ManyToManyField(
        DataSubjectCategory, blank=True, verbose_name=_("data subject categories")
    )
    sources = models.ManyToManyField(
        Organisation, blank=True, related_name="source_of", verbose_name=_("sources")
    )
    recipients = models.ManyToManyField(Recipient, blank=True, verbose_name=_("recipients"))
    # An empty list of recipients may mean "not recorded yet" or "none": this says "none", so
    # the notice can state it and no fake recipient is needed (Art. 13(1)(e), 30(1)(d)).
    no_recipients = models.BooleanField(
        _("no recipients"),
        default=False,
        help_text=_(
            "Tick when AIM discloses the data of this activity to no one (its processors "
            "aside); leave the recipients empty then."
        ),
    )
    processors = models.ManyToManyField(
        Organisation, blank=True, related_name="processor_for", verbose_name=_("processors")
    )
    retention_rules = models.ManyToManyField(
        RetentionRule, blank=True, verbose_name=_("retention rules")
    )
    pseudonymisation = models.CharField(
        _("pseudonymisation"), max_length=10, choices=Pseudonymisation.choices, blank=True
    )
    security_measures = models.TextField(_("security measures (Art. 32)"), blank=True)
    profiling = models.BooleanField(_("profiling"), default=False)
    profiling_description = models.TextField(_("profiling: what and for whom"), blank=True)
    automated_decisions = models.BooleanField(
        _("automated individual decisions (Art. 22)"), default=False
    )
    automated_decisions_description = models.TextField(
        _("automated decisions: logic and consequences"), blank=True
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name=_("replaced by"),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ProcessingActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("processing activity")
        verbose_name_plural = _("processing activities")
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="ended", ended_on__isnull=False)
                | (~Q(status="ended") & Q(ended_on__isnull=True)),
                name="registry_activity_end_date_iff_ended",
            ),
            models.CheckConstraint(
                condition=Q(rights_organisation__isnull=False)
                | ~Q(rights_handled_by="organisation"),
                name="registry_activity_rights_organisation_given",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.status == self.Status.ENDED and not self.ended_on:
            errors["ended_on"] = _("An ended activity needs its end date.")
        if self.status != self.Status.ENDED and self.ended_on:
            errors["ended_on"] = _("Only an ended activity has an end date.")
        if self.rights_handled_by == self.RightsHandler.ORGANISATION and not (
            self.rights_organisation_id
        ):
            errors["rights_organisation"] = _("Name the organisation that answers.")
        if self.replaced_by_id and self.replaced_by_id == self.pk:
            errors["replaced_by"] = _("An activity cannot replace itself.")
        if errors:
            raise ValidationError(errors)


class Transfer(models.Model):
    """A transfer of personal data to a country outside the EEA (GDPR Chapter V)."""

    class Safeguard(models.TextChoices):
        ADEQUACY = "adequacy", _("Adequacy decision (Art. 45)")
        STANDARD_CLAUSES = "scc", _("Standard contractual clauses (Art. 46(2)(c))")
        BINDING_RULES = "bcr", _("Binding corporate rules (Art. 47)")
        DELIBERATION = "deliberation", _("Authorised by a deliberation of the committee")
        DEROGATION = "derogation", _("Derogation for a specific situation (Art. 49)")

    activity = models.ForeignKey(
        ProcessingActivity,
        on_delete=models.CASCADE,
        related_name="transfers",
        verbose_name=_("processing activity"),
    )
    country = CountryField(_("country"), blank=True)
    any_country = models.BooleanField(
        _("any country"),
        default=False,
        help_text=_("The destination is decided case by case (for example by a deliberation)."),
    )
    recipient_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfers_received",
        verbose_name=_("recipient"),
    )
    safeguard = models.CharField(
        _("safeguard"), max_length=20, choices=Safeguard.choices, blank=True
    )
    reference = models.CharField(
        _("reference"),
        max_length=300,
        blank=True,
        help_text=_("Decision, clauses or deliberation."),
    )

    class Meta:
        verbose_name = _("third-country transfer")
        verbose_name_plural = _("third-country transfers")
        ordering = ["activity", "country"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(country="") | Q(any_country=True),
                name="registry_transfer_has_destination",
            )
        ]

    def __str__(self):
        return str(self.country.name) if self.country else str(_("any country"))

    @property
    def in_eea(self):
        """Recorded as a third-country transfer but to an EEA country: a contradiction."""
        return bool(self.country) and self.country.code in EEA_COUNTRIES

    def clean(self):
        if not self.country and not self.any_country:
            raise ValidationError(
                {"country": _("Give the destination country, or tick “any country”.")}
            )
        if self.in_eea:
            raise ValidationError(
                {
                    "country": _(
                        "%(country)s is in the European Economic Area: data sent there are not "
                        "a third-country transfer (GDPR Chapter V). Record the organisation as a "
                        "recipient or a processor of the activity instead."
                    )
                    % {"country": self.country.name}
                }
            )
