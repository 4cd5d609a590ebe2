"""When a public page of the declaration changed, and how it answers conditional requests.

The validators (ETag, Last-Modified) and cache lifetimes of the public pages (views.py,
machine_views.py), and the date-dependent parts of the current page: which material change's
banner shows, and since when the page is what it is.
"""

import datetime
import hashlib

from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag

from notices.models import NoticeVersion

MATERIAL_CHANGE_NOTICE_DAYS = 30
# Last-Modified of a list with nothing published yet.
EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
CURRENT_MAX_AGE = 300
IMMUTABLE_MAX_AGE = 365 * 24 * 3600


def etag(*parts):
    return quote_etag(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32])


def conditional(request, response_factory, *, etag, last_modified, max_age, immutable=False):
    """Answer 304 when the client's copy is current; otherwise build and stamp the response."""
    timestamp = int(last_modified.timestamp())
    response = get_conditional_response(request, etag=etag, last_modified=timestamp)
    if response is None:
        response = response_factory()
    response["ETag"] = etag
    response["Last-Modified"] = http_date(timestamp)
    patch_cache_control(response, public=True, max_age=max_age)
    if immutable:
        patch_cache_control(response, immutable=True)
    return response


def midnight(day):
    """The moment a day starts in Brussels (a date-dependent page changes then)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def material_change(versions, today):
    """The banner's parts: the latest material change in force today, and the version before it.

    The banner shows from the day that change takes effect until MATERIAL_CHANGE_NOTICE_DAYS
    later, whatever minor versions follow it (they do not restart or end it). `versions` are the
    published versions, newest first. Returns (material, previous, shown); material is None
    when no material change is in force yet.
    """
    material = next(
        (
            v
            for v in versions
            if v.change_kind == NoticeVersion.ChangeKind.MATERIAL
            and v.effective_from is not None
            and v.effective_from <= today
        ),
        None,
    )
    if material is None:
        return None, None, False
    previous = next(
        (
            v
            for v in versions
            if v.number < material.number
            and (v.effective_from is None or v.effective_from <= material.effective_from)
        ),
        None,
    )
    shown = previous is not None and today < banner_end(material)
    return material, previous, shown


def banner_end(material):
    """The first day the banner of a material change is no longer shown."""
    return material.effective_from + datetime.timedelta(days=MATERIAL_CHANGE_NOTICE_DAYS)


def current_last_modified(version, upcoming, material, today):
    """When the current page last changed: a version involved was published, the current
    version took effect, or the material-change banner appeared or went away."""
    moments = [v.published_at for v in (version, upcoming, material) if v is not None]
    if version.effective_from is not None:
        moments.append(midnight(version.effective_from))
    if material is not None:
        moments.append(midnight(material.effective_from))
        if banner_end(material) <= today:
            moments.append(midnight(banner_end(material)))
    return max(moments)
