"""Where each contact channel was found and when AIM last checked it: the model and the admin
that shows the DPO the channels never checked or checked more than a year ago."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import capfirst

from registry import models
from registry.seed import registry_seed_load
from tests.registry import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
RECENT = TODAY - datetime.timedelta(days=30)
OLD = TODAY - datetime.timedelta(days=400)


def insurer_with_email(checked_on, **kwargs):
    insurer = factories.InsurerFactory(rights_email="dpo@insurer.example", **kwargs)
    factories.ChannelSourceFactory(
        organisation=insurer, channel="rights_email", checked_on=checked_on
    )
    return insurer


def changelist(client, **params):
    url = reverse("admin:registry_organisation_changelist")
    response = client.get(url, params)
    assert response.status_code == 200
    return response


def listed(response):
    return {obj.pk for obj in response.context["cl"].result_list}


def test_a_channel_needs_checking_when_never_or_over_a_year_ago_checked():
    never = factories.ChannelSourceFactory(checked_on=None)
    old = factories.ChannelSourceFactory(checked_on=OLD)
    recent = factories.ChannelSourceFactory(checked_on=RECENT)

    assert never.needs_check() and old.needs_check()
    assert not recent.needs_check()
    assert old.needs_check(today=OLD + datetime.timedelta(days=1)) is False


def test_a_channel_given_without_any_source_is_to_check():
    insurer = factories.InsurerFactory(rights_email="dpo@insurer.example")

    assert [channel for channel, _label in insurer.channels_to_check()] == ["rights_email"]
    assert insurer.channels_without_source() == ["rights_email"]


def test_a_source_says_where_the_channel_was_found():
    source = factories.ChannelSourceFactory.build(
        organisation=factories.InsurerFactory(), source_url="", source_note=""
    )
    with pytest.raises(ValidationError):
        source.full_clean()


def test_a_source_without_address_or_description_is_refused():
    insurer = factories.InsurerFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        models.ChannelSource.objects.create(
            organisation=insurer, channel="rights_email", source_url="", source_note=""
        )


def test_one_source_per_channel():
    source = factories.ChannelSourceFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.ChannelSourceFactory(organisation=source.organisation, channel=source.channel)


def test_the_organisation_list_filters_the_channels_to_check(admin_client):
    never = insurer_with_email(None)
    old = insurer_with_email(OLD)
    recent = insurer_with_email(RECENT)
    unsourced = factories.InsurerFactory(rights_email="x@insurer.example")
    silent = factories.OrganisationFactory()  # no channel: nothing to check

    assert listed(changelist(admin_client, channels="to_check")) == {
        never.pk,
        old.pk,
        unsourced.pk,
    }
    assert listed(changelist(admin_client, channels="checked")) == {recent.pk, silent.pk}


def test_the_organisation_list_counts_the_channels_to_check(admin_client):
    insurer = factories.InsurerFactory(
        rights_email="dpo@insurer.example", address_fr="Rue de la Loi 1, 1000 Bruxelles"
    )
    factories.ChannelSourceFactory(organisation=insurer, channel="address_fr", checked_on=RECENT)
    response = changelist(admin_client)

    cl = response.context["cl"]
    row = next(obj for obj in cl.result_list if obj.pk == insurer.pk)
    assert cl.model_admin.channels_to_check_column(row) == 1
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        heading = capfirst(str(cl.model_admin.channels_to_check_column.short_description))
    assert heading in response.content.decode()


def test_the_change_page_warns_about_the_channels_to_check(admin_client):
    insurer = insurer_with_email(OLD, address_nl="Wetstraat 1, 1000 Brussel")
    url = reverse("admin:registry_organisation_change", args=[insurer.pk])
    response = admin_client.get(url)

    assert response.status_code == 200
    (warning,) = [str(m) for m in get_messages(response.wsgi_request)]
    Channel = models.ChannelSource.Channel
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        assert str(Channel.RIGHTS_EMAIL.label) in warning
        assert str(Channel.ADDRESS_NL.label) in warning
        assert str(Channel.ADDRESS_FR.label) not in warning


def test_the_change_page_is_quiet_when_every_channel_was_checked_recently(admin_client):
    insurer = insurer_with_email(RECENT)
    url = reverse("admin:registry_organisation_change", args=[insurer.pk])
    response = admin_client.get(url)

    assert list(get_messages(response.wsgi_request)) == []


def test_the_sources_list_filters_by_last_check(admin_client):
    never = factories.ChannelSourceFactory(checked_on=None)
    old = factories.ChannelSourceFactory(checked_on=OLD)
    recent = factories.ChannelSourceFactory(checked_on=RECENT)
    url = reverse("admin:registry_channelsource_changelist")

    def pks(value):
        response = admin_client.get(url, {"checked": value})
        assert response.status_code == 200
        return {obj.pk for obj in response.context["cl"].result_list}

    assert pks("never") == {never.pk}
    assert pks("old") == {old.pk}
    assert pks("recent") == {recent.pk}


def test_the_seeded_insurer_channels_are_all_listed_as_never_checked(admin_client):
    registry_seed_load()
    insurers = set(models.Organisation.objects.insurers().values_list("pk", flat=True))

    assert insurers <= listed(changelist(admin_client, channels="to_check"))


def test_a_source_is_recorded_inline_on_the_organisation(admin_client):
    insurer = factories.InsurerFactory(slug="insurer-x", rights_email="dpo@insurer.example")
    url = reverse("admin:registry_organisation_change", args=[insurer.pk])
    data = {
        "slug": "insurer-x",
        "kind": "insurer",
        "insurer_code": str(insurer.insurer_code),
        "name_fr": insurer.name_fr,
        "name_nl": insurer.name_nl,
        "country": "BE",
        "rights_email": "dpo@insurer.example",
        "dpo-TOTAL_FORMS": "0",
        "dpo-INITIAL_FORMS": "0",
        "dpo-MIN_NUM_FORMS": "0",
        "dpo-MAX_NUM_FORMS": "1",
        "channel_sources-TOTAL_FORMS": "1",
        "channel_sources-INITIAL_FORMS": "0",
        "channel_sources-MIN_NUM_FORMS": "0",
        "channel_sources-MAX_NUM_FORMS": "1000",
        "channel_sources-0-channel": "rights_email",
        "channel_sources-0-source_url": "https://www.insurer.example/privacy",
        "channel_sources-0-source_note": "",
        "channel_sources-0-checked_on": RECENT.isoformat(),
    }

    assert admin_client.post(url, data).status_code == 302
    source = insurer.channel_sources.get()
    assert (source.channel, source.checked_on) == ("rights_email", RECENT)
    assert source.history.count() == 1

    data["channel_sources-0-source_url"] = ""
    data["slug"] = "insurer-x"
    source.delete()
    response = admin_client.post(url, data)
    assert response.status_code == 200  # the form again, with the error
    assert not insurer.channel_sources.exists()
