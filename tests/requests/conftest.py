import pytest


@pytest.fixture(autouse=True)
def eager_celery(settings):
    """E-mails are handed to Celery after commit; in these tests the task runs in-process, also
    when REDIS_URL is set (CI). Tests that need a real broker and worker override this."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
