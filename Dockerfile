# The portal's image: gunicorn (web), Celery worker and beat all run from it (docker-compose.yml).
# Slim Debian, non-root, WeasyPrint's system libraries and fonts, the runtime dependencies only
# (requirements.runtime.lock, with hashes), catalogs compiled and static files collected at
# build time. Build: docker build -t aim-privacy .

FROM python:3.11-slim-bookworm AS base
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/venv/bin:$PATH
# Pango and HarfBuzz for WeasyPrint; DejaVu and Liberation for the PDFs' text.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation \
    && rm -rf /var/lib/apt/lists/*

FROM base AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.runtime.lock ./
RUN python -m venv /opt/venv \
    && pip install --require-hashes --no-deps -r requirements.runtime.lock
COPY . .
# Placeholders for the settings' start-up checks only: nothing of this build talks to a database
# or keeps these values.
RUN for po in locale/*/LC_MESSAGES/django.po; do msgfmt --check -o "${po%.po}.mo" "$po"; done \
    && SECRET_KEY=build-only ALLOWED_HOSTS=localhost SITE_URL=https://build.invalid \
       STATIC_ROOT=/app/var/static python manage.py collectstatic --noinput --verbosity 0

FROM base
RUN groupadd --system --gid 10001 aim \
    && useradd --system --uid 10001 --gid aim --home-dir /app --shell /usr/sbin/nologin aim \
    && mkdir -p /srv/media /srv/private /srv/static \
    && chown aim:aim /srv/media /srv/private /srv/static
COPY --from=build /opt/venv /opt/venv
COPY --from=build --chown=root:root /app /app
WORKDIR /app
# (PRIVATE_MEDIA_ROOT is a directory, not a secret.)
# hadolint ignore=DL3064
ENV STATIC_ROOT=/app/var/static \
    MEDIA_ROOT=/srv/media \
    PRIVATE_MEDIA_ROOT=/srv/private
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "deploy/healthcheck.py"]
CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py", "aim_privacy.wsgi"]
