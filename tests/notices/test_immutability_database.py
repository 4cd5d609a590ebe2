"""A published version and its sections never change: the ORM says so clearly, and on
PostgreSQL the database refuses whatever route goes around the ORM (migration notices 0005).

Each database test goes around the ORM guard first (bulk_create, a queryset update moving a
section, raw SQL), so it fails only if the trigger is missing.
"""

import pytest
from django.db import IntegrityError, connection, models, transaction

from notices.models import NoticeVersion, PublishedVersionIsImmutable, Section
from notices.services import notice_version_create_draft

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the triggers exist on PostgreSQL only"
)


@pytest.fixture
def published_and_draft(complete_registry, publish, notice):
    published = publish()
    draft = notice_version_create_draft(notice=notice)
    return published, draft


def _refused_by_database(statement):
    """Run `statement` in a savepoint; True when PostgreSQL refused it."""
    try:
        with transaction.atomic():
            statement()
    except IntegrityError as error:
        assert "published version" in str(error)
        return True
    return False


# --- The ORM routes: a clear error before the database is asked


@pytest.mark.django_db
def test_moving_a_section_out_of_a_published_version_is_refused(published_and_draft):
    published, draft = published_and_draft
    section = published.sections.first()
    section.version = draft
    with pytest.raises(PublishedVersionIsImmutable):
        section.save()
    assert published.sections.filter(pk=section.pk).exists()


@pytest.mark.django_db
def test_bulk_create_into_a_published_version_is_refused(published_and_draft):
    published, _draft = published_and_draft
    count = published.sections.count()
    with pytest.raises(PublishedVersionIsImmutable):
        Section.objects.bulk_create(
            [Section(version=published, position=99, anchor="extra", title_fr="x", title_nl="x")]
        )
    assert published.sections.count() == count


@pytest.mark.django_db
def test_update_moving_a_draft_section_into_a_published_version_is_refused(
    published_and_draft,
):
    published, draft = published_and_draft
    section = draft.sections.first()
    with pytest.raises(PublishedVersionIsImmutable):
        Section.objects.filter(pk=section.pk).update(version=published)
    section.refresh_from_db()
    assert section.version_id == draft.pk


@pytest.mark.django_db
def test_bulk_update_of_a_published_section_is_refused(published_and_draft):
    published, _draft = published_and_draft
    section = published.sections.first()
    section.body_fr = "Autre texte"
    with pytest.raises(PublishedVersionIsImmutable):
        Section.objects.bulk_update([section], ["body_fr"])


@pytest.mark.django_db
def test_drafts_stay_editable(published_and_draft):
    _published, draft = published_and_draft
    section = draft.sections.first()
    section.body_fr = "Texte revu"
    section.save()
    Section.objects.filter(pk=section.pk).update(body_nl="Herziene tekst")
    Section.objects.bulk_create(
        [Section(version=draft, position=99, anchor="extra", title_fr="x", title_nl="x")]
    )
    draft.sections.filter(anchor="extra").delete()
    assert draft.sections.get(pk=section.pk).body_nl == "Herziene tekst"


# --- The database: every route around the ORM


@on_postgresql
@pytest.mark.django_db
def test_database_refuses_bulk_create_into_a_published_version(published_and_draft):
    published, _draft = published_and_draft
    row = Section(version=published, position=99, anchor="extra", title_fr="x", title_nl="x")
    # Django's own QuerySet.bulk_create, not the guarded one.
    assert _refused_by_database(lambda: models.QuerySet.bulk_create(Section.objects.all(), [row]))


@on_postgresql
@pytest.mark.django_db
def test_database_refuses_re_parenting_a_section_into_a_published_version(
    published_and_draft,
):
    published, draft = published_and_draft
    section = draft.sections.first()
    assert _refused_by_database(
        lambda: models.QuerySet.update(Section.objects.filter(pk=section.pk), version=published)
    )


@on_postgresql
@pytest.mark.django_db
def test_database_refuses_moving_a_section_out_of_a_published_version(published_and_draft):
    published, draft = published_and_draft
    section = published.sections.first()

    def move():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE notices_section SET version_id = %s WHERE id = %s", [draft.pk, section.pk]
            )

    assert _refused_by_database(move)


@on_postgresql
@pytest.mark.django_db
def test_database_refuses_raw_sql_on_a_published_section_and_version(published_and_draft):
    published, _draft = published_and_draft
    section = published.sections.first()

    def sql(statement, params):
        def run():
            with connection.cursor() as cursor:
                cursor.execute(statement, params)

        return run

    assert _refused_by_database(
        sql("UPDATE notices_section SET body_fr = 'falsifié' WHERE id = %s", [section.pk])
    )
    assert _refused_by_database(sql("DELETE FROM notices_section WHERE id = %s", [section.pk]))
    assert _refused_by_database(
        sql("UPDATE notices_noticeversion SET sha256 = 'x' WHERE id = %s", [published.pk])
    )
    assert _refused_by_database(
        sql("DELETE FROM notices_noticeversion WHERE id = %s", [published.pk])
    )
    published.refresh_from_db()
    section.refresh_from_db()
    assert section.body_fr != "falsifié"
    assert published.status == NoticeVersion.Status.PUBLISHED


@on_postgresql
@pytest.mark.django_db
def test_database_lets_drafts_change_and_be_published(published_and_draft):
    _published, draft = published_and_draft
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE notices_section SET body_fr = 'ok' WHERE version_id = %s", [draft.pk]
        )
        cursor.execute("DELETE FROM notices_section WHERE version_id = %s", [draft.pk])
    # Publishing is an update of a draft row: allowed (the fixture published one already).
    assert not draft.sections.exists()
