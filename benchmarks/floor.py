"""The floor of `make bench`: a bare Django project answering the same bytes as the portal's
current declaration page, through Django's default middleware (as `startproject` writes it),
under the same gunicorn settings (deploy/gunicorn.conf.py).

Settings, URLs and the WSGI application in one module:
    DJANGO_SETTINGS_MODULE=floor FLOOR_BODY=/path/page.html \
        gunicorn --config deploy/gunicorn.conf.py --pythonpath benchmarks floor:application
"""

import os
from pathlib import Path

from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

SECRET_KEY = "benchmark-floor-only"  # noqa: S105 - signs nothing
DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = __name__
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]
# Django 5.2's startproject list.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
DATABASES = {}
USE_TZ = True

BODY = Path(os.environ.get("FLOOR_BODY", "/dev/null")).read_bytes()


def page(request):
    return HttpResponse(BODY, content_type="text/html; charset=utf-8")


urlpatterns = [path("", page)]

application = get_wsgi_application()
