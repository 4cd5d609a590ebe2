"""The project's one Celery app. Without REDIS_URL it runs tasks eagerly, in-process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aim_privacy.settings")

app = Celery("aim_privacy")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
