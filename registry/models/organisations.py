"""Organisations that appear in AIM's record of processing activities, and their DPOs."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from stdnum.be import vat as be_enterprise_number

# EEA member states (EU 27 + Iceland, Liechtenstein, Norway): transfers elsewhere need a
# safeguard under GDPR Chapter V.
EEA_COUNTRIES = frozenset(
    {
        *("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU"),
        *("IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"),
        *("IS", "LI", "NO"),
    }
)


def validate_enterprise_number(value):
    """A Belgian enterprise number: 10 digits whose last two are the mod-97 check."""
    if not value:
        return
    try:
        be_enterprise_number.validate(value)
    except Exception as exc:  # stdnum raises one of several ValidationError subclasses
        raise ValidationError(
            _("%(value)s is not a valid Belgian enterprise number (10 digits, mod-97 check)."),
            code="invalid_enterprise_number",
            params={"value": value},
        ) from exc


def normalise_enterprise_number(value):
    if not value:
        return ""
    compact = be_enterprise_number.compact(value)
    # A 9-digit number from before 2005 takes a leading 0, as the Crossroads Bank writes it.
    return compact.zfill(10) if compact.isdigit() and len(compact) == 9 else compact


def format_enterprise_number(value):
    """0478655210 → 0478.655.210, the form the Crossroads Bank for Enterprises shows."""
    if len(value or "") != 10:
        return value or ""
    return f"{value[:4]}.{value[4:7]}.{value[7:]}"


class EnterpriseNumberField(models.CharField):
    """Stored as 10 digits; typed with or without dots, spaces or the BE prefix."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 10)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_enterprise_number(value) if value else value

    def formfield(self, **kwargs):
        # Room for "BE 0478.655.210" as people copy it; to_python compacts it.
        return super().formfield(**{"max_length": 16, **kwargs})


class OrganisationQuerySet(models.QuerySet):
    def insurers(self):
        return self.filter(kind=Organisation.Kind.INSURER).order_by("insurer_code")

    def aim(self):
        return self.get(kind=Organisation.Kind.AIM)


class Organisation(models.Model):
    class Kind(models.TextChoices):
        AIM = "aim", _("AIM itself")
        INSURER = "insurer", _("Health insurer")
        PARTNER = "partner", _("Partner or source")
        PROCESSOR = "processor", _("Processor")
        AUTHORITY = "authority", _("Supervisory authority")
        OTHER = "other", _("Other")

    class InsurerCode(models.IntegerChoices):
        CHRISTIAN = 100, "100"
        NEUTRAL = 200, "200"
        SOCIALIST = 300, "300"
        LIBERAL = 400, "400"
        INDEPENDENT = 500, "500"
        CAAMI_HZIV = 600, "600"
        HR_RAIL = 900, "900"

    slug = models.SlugField(_("identifier"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    insurer_code = models.PositiveSmallIntegerField(
        _("INAMI/RIZIV code"), choices=InsurerCode.choices, null=True, blank=True, unique=True
    )
    enterprise_number = EnterpriseNumberField(
        _("enterprise number"),
        blank=True,
        validators=[validate_enterprise_number],
        help_text=_("Belgian enterprise number, for example 0478.655.210."),
    )
    country = CountryField(_("country"), default="BE")
    address = models.TextField(_("postal address"), blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # How the organisation takes data-subject requests. Each channel is optional: an insurer
    # without any falls back to the official list of insurers' contacts.
    rights_web_form = models.URLField(_("rights requests: web form"), blank=True)
    rights_email = models.EmailField(_("rights requests: e-mail"), blank=True)
    rights_postal_address = models.TextField(_("rights requests: postal address"), blank=True)
    rights_phone = models.CharField(_("rights requests: phone"), max_length=40, blank=True)
    contact_directory_url = models.URLField(
        _("official contact list"),
        blank=True,
        help_text=_(
            "A page this organisation publishes with the contacts of others "
            "(INAMI/RIZIV: every mutuality)."
        ),
    )
    notes = models.TextField(_("internal notes"), blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["kind", "insurer_code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"], condition=Q(kind="aim"), name="registry_single_aim"
            ),
            models.UniqueConstraint(
                fields=["enterprise_number"],
                condition=~Q(enterprise_number=""),
                name="registry_unique_enterprise_number",
            ),
            models.CheckConstraint(
                condition=Q(insurer_code__isnull=True) | Q(kind="insurer"),
                name="registry_insurer_code_only_for_insurers",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.kind == self.Kind.INSURER and not self.insurer_code:
            raise ValidationError(
                {"insurer_code": _("A health insurer needs its INAMI/RIZIV code.")}
            )

    @property
    def enterprise_number_display(self):
        return format_enterprise_number(self.enterprise_number)

    @property
    def in_eea(self):
        return self.country.code in EEA_COUNTRIES

    @property
    def has_rights_channel(self):
        return any(
            (self.rights_web_form, self.rights_email, self.rights_postal_address, self.rights_phone)
        )


class DataProtectionOfficer(models.Model):
    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="dpo",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    postal_address = models.TextField(_("postal address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("data protection officer")
        verbose_name_plural = _("data protection officers")
        ordering = ["organisation__name"]

    def __str__(self):
        return f"{self.name} ({self.organisation})"
