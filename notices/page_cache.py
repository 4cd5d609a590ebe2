"""Published pages at the framework's floor: decided from a small cached index, rendered once.

A published version never changes, so each public page of it is rendered once per language and
kept in the cache (Redis in production), and a conditional request is answered from the index
alone, without loading a snapshot:

- the *index* of a notice (`notice_index`): its id and, for each published version, the few
  columns that decide which version a page shows and its validators (number, SHA-256,
  effective date, kind of change, publication time). One query when it is not cached; it is
  dropped when a version is published (`index_forget`, after commit) and expires after
  INDEX_TIMEOUT seconds in any case, so a publication made while the cache was unreachable
  shows within minutes.
- *page bodies* (`cached_body`): keyed by what the page shows (versions' SHA-256, language,
  what depends on the date) and by the render fingerprint (`render_fingerprint`: the templates,
  template tags, catalogs, static manifest and the settings the templates read). A key never
  names changing content, so an entry is never stale: a new deployment or a new version simply
  uses new keys, and old ones expire.

Each web process also keeps what it read in memory, in front of Redis (whose client costs more
per call than the rest of the request): page bodies, which never go stale, up to LOCAL_BODIES of
them; the index for LOCAL_INDEX_SECONDS, so that a publication shows on every process within
those seconds (at once on the one that published).

Every cache operation copes with the cache failing: the page is then built as without it.
"""

import collections
import dataclasses
import datetime
import hashlib
import logging
import time
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.utils import timezone, translation

logger = logging.getLogger(__name__)

INDEX_TIMEOUT = 300
BODY_TIMEOUT = 7 * 24 * 3600
LOCAL_INDEX_SECONDS = 5
LOCAL_BODIES = 64
_local_index = {}  # slug -> (monotonic expiry, NoticeIndex)
_local_bodies = collections.OrderedDict()  # key -> (content type, bytes), least recent first
# Settings read by the templates of public pages (context processors, footer).
TEMPLATE_SETTINGS = (
    "AIM_FOOTER_ADDRESS",
    "AIM_ENTERPRISE_NUMBER",
    "DPO_FALLBACK_EMAIL",
    "ADMIN_PATH",
    "STATIC_URL",
    "LANGUAGES",
)
_WARN_EVERY = 60.0
_last_warning = [0.0]


def _warn(action, error):
    """One line a minute at most: in a surge with the cache down, every request would log."""
    now = time.monotonic()
    if now - _last_warning[0] >= _WARN_EVERY:
        _last_warning[0] = now
        logger.warning(
            "Page cache unavailable (%s: %s); pages are built without it",
            action,
            type(error).__name__,
        )


@lru_cache(maxsize=1)
def render_fingerprint() -> str:
    """What, besides the snapshot, decides a public page's bytes: computed once per process."""
    base = Path(settings.BASE_DIR)
    files = sorted(
        [
            *base.glob("templates/**/*.html"),
            *base.glob("templates/**/*.txt"),
            *base.glob("*/templatetags/*.py"),
            base / "aim_privacy" / "context_processors.py",
            *base.glob("locale/*/LC_MESSAGES/*.mo"),
            Path(settings.STATIC_ROOT) / "staticfiles.json",
        ]
    )
    digest = hashlib.sha256()
    for path in files:
        if path.is_file():
            digest.update(
                str(path.relative_to(base) if path.is_relative_to(base) else path).encode()
            )
            digest.update(path.read_bytes())
    for name in TEMPLATE_SETTINGS:
        digest.update(f"{name}={getattr(settings, name, None)!r}".encode())
    return digest.hexdigest()[:16]


@dataclasses.dataclass(frozen=True)
class Entry:
    """A published version as the decisions need it (never its snapshot)."""

    number: int
    sha256: str
    effective_from: datetime.date | None
    change_kind: str
    published_at: datetime.datetime


@dataclasses.dataclass(frozen=True)
class NoticeIndex:
    notice_id: int
    entries: tuple  # newest first, as NoticeVersionQuerySet.newest_first

    def by_number(self, number):
        return next((entry for entry in self.entries if entry.number == number), None)

    def current(self, at):
        """As NoticeVersionQuerySet.current: the newest dated version in force on `at`, else the
        earliest undated one once it was recorded."""
        dated = next(
            (e for e in self.entries if e.effective_from is not None and e.effective_from <= at),
            None,
        )
        if dated is not None:
            return dated
        undated = min(
            (e for e in self.entries if e.effective_from is None),
            key=lambda e: e.number,
            default=None,
        )
        if undated is not None and _local_date(undated.published_at) <= at:
            return undated
        return None

    def upcoming(self, today):
        """The next version to take effect after today, if one is published."""
        return min(
            (e for e in self.entries if e.effective_from is not None and e.effective_from > today),
            key=lambda e: (e.effective_from, -e.number),
            default=None,
        )

    @property
    def generation(self):
        """Changes whenever a version is published: part of the keys of list pages."""
        return hashlib.sha256("|".join(e.sha256 for e in self.entries).encode()).hexdigest()[:16]

    @property
    def last_published_at(self):
        return max((e.published_at for e in self.entries), default=None)


def _local_date(moment):
    return timezone.localdate(moment)


def _index_key(slug):
    return f"notices:index:{slug}"


def _index_from_database(slug):
    """One query (two when nothing is published yet)."""
    from notices.models import Notice, NoticeVersion

    rows = list(
        NoticeVersion.objects.filter(notice__slug=slug)
        .published()
        .newest_first()
        .values_list(
            "notice_id", "number", "sha256", "effective_from", "change_kind", "published_at"
        )
    )
    if rows:
        notice_id = rows[0][0]
    else:
        notice_id = Notice.objects.filter(slug=slug).values_list("pk", flat=True).first()
        if notice_id is None:
            return None
    return NoticeIndex(notice_id=notice_id, entries=tuple(Entry(*row[1:]) for row in rows))


def local_clear():
    """Forget what this process keeps in memory (tests start each with an empty cache)."""
    _local_index.clear()
    _local_bodies.clear()


def notice_index(slug=None):
    """The index of the notice (the primary one by default); Http404 when it does not exist."""
    slug = slug or settings.NOTICES_PRIMARY_SLUG
    kept = _local_index.get(slug)
    if kept is not None and kept[0] > time.monotonic():
        return kept[1]
    index = _shared_index(slug)
    _local_index[slug] = (time.monotonic() + LOCAL_INDEX_SECONDS, index)
    return index


def _shared_index(slug):
    try:
        index = cache.get(_index_key(slug))
    except Exception as error:  # the cache is down: the database answers
        _warn("read", error)
        index = None
    if index is None:
        index = _index_from_database(slug)
        if index is None:
            raise Http404("No such notice.")
        try:
            cache.set(_index_key(slug), index, INDEX_TIMEOUT)
        except Exception as error:
            _warn("write", error)
    return index


def index_forget(slug):
    """Called after a version is published (notices.services): the next request rebuilds it
    (on the other processes, once their copy is LOCAL_INDEX_SECONDS old)."""
    _local_index.pop(slug, None)
    try:
        cache.delete(_index_key(slug))
    except Exception as error:  # it expires after INDEX_TIMEOUT anyway
        _warn("delete", error)


def cached_body(key_parts, build):
    """The response `build()` gives, its body kept under a key made of `key_parts`, the active
    language and the render fingerprint; a response that is not a 200 is never kept."""
    raw = "|".join(map(str, (*key_parts, translation.get_language(), render_fingerprint())))
    key = "notices:page:" + hashlib.sha256(raw.encode()).hexdigest()
    stored = _local_bodies.get(key)
    if stored is None:
        try:
            stored = cache.get(key)
        except Exception as error:
            _warn("read", error)
    if stored is not None:
        _keep_local(key, stored)
        content_type, content = stored
        return HttpResponse(content, content_type=content_type)
    response = build()
    if response.status_code == 200 and not response.streaming:
        stored = (response["Content-Type"], response.content)
        _keep_local(key, stored)
        try:
            cache.set(key, stored, BODY_TIMEOUT)
        except Exception as error:
            _warn("write", error)
    return response


def _keep_local(key, stored):
    _local_bodies[key] = stored
    _local_bodies.move_to_end(key)
    while len(_local_bodies) > LOCAL_BODIES:
        _local_bodies.popitem(last=False)
