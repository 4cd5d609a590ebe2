"""Factories for the registry. Translated fields are set in both languages (name_fr, name_nl)."""

import factory
from factory.django import DjangoModelFactory

from registry import models


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = models.Organisation
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"org-{n}")
    kind = models.Organisation.Kind.PARTNER
    name_fr = factory.Sequence(lambda n: f"Organisation {n}")
    name_nl = factory.Sequence(lambda n: f"Organisatie {n}")
    country = "BE"


class AimFactory(OrganisationFactory):
    slug = "aim"
    kind = models.Organisation.Kind.AIM
    name_fr = "Agence Intermutualiste"
    name_nl = "InterMutualistisch Agentschap"
    enterprise_number = "0478655210"


class InsurerFactory(OrganisationFactory):
    kind = models.Organisation.Kind.INSURER
    insurer_code = factory.Iterator([100, 200, 300, 400, 500, 600, 900])


class DataProtectionOfficerFactory(DjangoModelFactory):
    class Meta:
        model = models.DataProtectionOfficer

    organisation = factory.SubFactory(AimFactory)
    name = "Dirk De Kesel"
    email = "dpo@intermut.be"


class LegalBasisFactory(DjangoModelFactory):
    class Meta:
        model = models.LegalBasis

    slug = factory.Sequence(lambda n: f"basis-{n}")
    name_fr = factory.Sequence(lambda n: f"Base légale {n}")
    name_nl = factory.Sequence(lambda n: f"Rechtsgrond {n}")
    article_6 = models.LegalBasis.Article6.PUBLIC_TASK


class DataCategoryFactory(DjangoModelFactory):
    class Meta:
        model = models.DataCategory

    slug = factory.Sequence(lambda n: f"data-{n}")
    name_fr = factory.Sequence(lambda n: f"Données {n}")
    name_nl = factory.Sequence(lambda n: f"Gegevens {n}")
    kind = models.DataCategory.Kind.ADMINISTRATIVE


class DataSubjectCategoryFactory(DjangoModelFactory):
    class Meta:
        model = models.DataSubjectCategory

    slug = factory.Sequence(lambda n: f"subjects-{n}")
    name_fr = factory.Sequence(lambda n: f"Personnes {n}")
    name_nl = factory.Sequence(lambda n: f"Personen {n}")


class RecipientFactory(DjangoModelFactory):
    class Meta:
        model = models.Recipient

    slug = factory.Sequence(lambda n: f"recipient-{n}")
    name_fr = factory.Sequence(lambda n: f"Destinataire {n}")
    name_nl = factory.Sequence(lambda n: f"Ontvanger {n}")


class RetentionRuleFactory(DjangoModelFactory):
    class Meta:
        model = models.RetentionRule

    slug = factory.Sequence(lambda n: f"retention-{n}")
    name_fr = factory.Sequence(lambda n: f"Conservation {n}")
    name_nl = factory.Sequence(lambda n: f"Bewaring {n}")
    duration = 10
    unit = models.RetentionRule.Unit.YEARS


def requests_retention_rule(**kwargs):
    """The rule that limits how long the portal keeps requests to AIM's DPO (the completeness
    check asks for it as soon as an activity sends rights requests to AIM)."""
    from django.conf import settings

    return RetentionRuleFactory(slug=settings.RIGHTS_REQUESTS_RETENTION_RULE, **kwargs)


class ProcessingActivityFactory(DjangoModelFactory):
    class Meta:
        model = models.ProcessingActivity
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"activity-{n}")
    name_fr = factory.Sequence(lambda n: f"Traitement {n}")
    name_nl = factory.Sequence(lambda n: f"Verwerking {n}")
    purposes_fr = "Analyser les données."
    purposes_nl = "De gegevens analyseren."
    status = models.ProcessingActivity.Status.APPROVED
    aim_role = models.ProcessingActivity.Role.CONTROLLER
    controller = factory.SubFactory(AimFactory)
    rights_handled_by = models.ProcessingActivity.RightsHandler.AIM
    pseudonymisation = models.ProcessingActivity.Pseudonymisation.MULTIPLE
    security_measures_fr = "Personnel habilité."
    security_measures_nl = "Gemachtigd personeel."

    @factory.post_generation
    def complete(self, create, extracted, **kwargs):
        """complete=True gives the activity one of every related element Art. 30 asks for."""
        if not (create and extracted):
            return
        self.legal_bases.add(LegalBasisFactory())
        self.data_categories.add(DataCategoryFactory())
        self.subject_categories.add(DataSubjectCategoryFactory())
        self.sources.add(OrganisationFactory())
        self.recipients.add(RecipientFactory())
        self.retention_rules.add(RetentionRuleFactory())


class TransferFactory(DjangoModelFactory):
    class Meta:
        model = models.Transfer

    activity = factory.SubFactory(ProcessingActivityFactory)
    country = "US"
    safeguard = models.Transfer.Safeguard.STANDARD_CLAUSES


class ChannelSourceFactory(DjangoModelFactory):
    class Meta:
        model = models.ChannelSource

    organisation = factory.SubFactory(InsurerFactory)
    channel = models.ChannelSource.Channel.RIGHTS_EMAIL
    source_url = "https://www.example.be/privacy"
    source_note = ""
    checked_on = None
