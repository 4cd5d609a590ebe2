"""Organisations that appear in AIM's record of processing activities, and their DPOs."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from stdnum.be import vat as be_enterprise_number

# The European Economic Area: the 27 EU member states (Treaty on European Union, Art. 52(1), as
# of 1 February 2020) and the three EFTA states party to the Agreement on the European Economic
# Area (OJ L 1, 3.1.1994, p. 3; Art. 2 and 126): Iceland, Liechtenstein, Norway. GDPR Chapter V
# applies to transfers to any other country (EEA Joint Committee Decision 154/2018 incorporates
# the GDPR into the Agreement). ISO 3166-1 alpha-2 codes; Greece is "GR" in ISO (not "EL").
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
    privacy_statement_url = models.URLField(
        _("privacy statement"),
        blank=True,
        help_text=_(
            "The organisation's own privacy statement, which gives its contacts: shown where no "
            "channel for rights requests is known."
        ),
    )
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
    def other_name(self):
        """The name people know it by, when that is another name: "" when it is empty, the same,
        or a part of the full name ("Solidaris" in "... - Solidaris"), so no name is said twice."""
        short, name = (self.short_name or "").strip(), self.name or ""
        if not short or short.casefold() in name.casefold() or name.casefold() in short.casefold():
            return ""
        return short

    @property
    def enterprise_number_display(self):
        return format_enterprise_number(self.enterprise_number)

    @property
    def in_eea(self):
        return self.country.code in EEA_COUNTRIES

    @property
    def has_rights_channel(self):
        """Whether any channel for rights requests is given, in either language."""
        return any(
            getattr(self, name, "")
            for name in ChannelSource.Channel.values
            if name.startswith("rights_")
        )

    def filled_channels(self):
        """The contact channels (ChannelSource.Channel values) this organisation gives."""
        return [value for value in ChannelSource.Channel.values if getattr(self, value, "")]

    def channels_to_check(self, *, today=None):
        """The channels given without a recorded source, never checked, or checked more than
        CHECK_INTERVAL ago, with their label. Reads `channel_sources` (prefetch it for lists)."""
        sources = {source.channel: source for source in self.channel_sources.all()}
        return [
            (channel, ChannelSource.Channel(channel).label)
            for channel in self.filled_channels()
            if channel not in sources or sources[channel].needs_check(today=today)
        ]

    def channels_without_source(self):
        recorded = {source.channel for source in self.channel_sources.all() if source.has_source}
        return [channel for channel in self.filled_channels() if channel not in recorded]


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


class ChannelSource(models.Model):
    """Where one of an organisation's contact channels was found, and when AIM last checked it."""

    # A channel is named after the field (in each language for a translated one) that holds it.
    class Channel(models.TextChoices):
        RIGHTS_EMAIL = "rights_email", _("rights requests: e-mail")
        RIGHTS_WEB_FORM_FR = "rights_web_form_fr", _("rights requests: web form (French)")
        RIGHTS_WEB_FORM_NL = "rights_web_form_nl", _("rights requests: web form (Dutch)")
        RIGHTS_POSTAL_ADDRESS_FR = (
            "rights_postal_address_fr",
            _("rights requests: postal address (French)"),
        )
        RIGHTS_POSTAL_ADDRESS_NL = (
            "rights_postal_address_nl",
            _("rights requests: postal address (Dutch)"),
        )
        RIGHTS_PHONE = "rights_phone", _("rights requests: phone")
        PRIVACY_STATEMENT_URL_FR = "privacy_statement_url_fr", _("privacy statement (French)")
        PRIVACY_STATEMENT_URL_NL = "privacy_statement_url_nl", _("privacy statement (Dutch)")
        ADDRESS_FR = "address_fr", _("head office address (French)")
        ADDRESS_NL = "address_nl", _("head office address (Dutch)")
        CONTACT_DIRECTORY_URL_FR = "contact_directory_url_fr", _("official contact list (French)")
        CONTACT_DIRECTORY_URL_NL = "contact_directory_url_nl", _("official contact list (Dutch)")

    # A channel not checked for longer than this is shown to the DPO as to check again.
    CHECK_INTERVAL = datetime.timedelta(days=365)

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="channel_sources",
        verbose_name=_("organisation"),
    )
    channel = models.CharField(_("channel"), max_length=40, choices=Channel.choices)
    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    source_note = models.TextField(
        _("source description"),
        blank=True,
        help_text=_("Where it was found, when no web address says it (a letter, a phone call)."),
    )
    checked_on = models.DateField(
        _("last checked on"),
        null=True,
        blank=True,
        help_text=_("Empty: never checked by AIM."),
    )

    class Meta:
        verbose_name = _("source of a contact channel")
        verbose_name_plural = _("sources of contact channels")
        ordering = ["organisation", "channel"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "channel"], name="registry_one_source_per_channel"
            ),
            models.CheckConstraint(
                condition=~Q(source_url="") | ~Q(source_note=""),
                name="registry_channel_source_given",
            ),
        ]

    def __str__(self):
        return f"{self.organisation}: {self.get_channel_display()}"

    @property
    def has_source(self):
        return bool(self.source_url or self.source_note)

    def needs_check(self, *, today=None):
        """Never checked, or checked longer ago than CHECK_INTERVAL."""
        if self.checked_on is None:
            return True
        today = today or timezone.localdate()
        return self.checked_on < today - self.CHECK_INTERVAL

    def clean(self):
        if not self.has_source:
            raise ValidationError(
                _("Give the address of the page where the channel was found, or describe where.")
            )
