"""Rate limits shared by the public forms (request form, wizard, letter): the client's address
as the trusted proxies saw it, keyed hashes (never an address in clear in the cache), and
quotas counted with atomic increments in the cache, given back for what did not happen."""

import logging
import re
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac
from django.views.decorators.debug import sensitive_variables

# The forms' logger, where these lines have always been written (log filters rely on it).
logger = logging.getLogger("requests.request_views")

RATE_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RATE_PATTERN = re.compile(r"^\s*(?P<count>\d+)\s*/\s*(?P<every>\d*)\s*(?P<period>[smhd])\s*$")


def parse_rate(name, default):
    """(count, seconds) from the setting `name`, e.g. "5/h", "3/d" or "10/10m"; fails loudly."""
    value = getattr(settings, name, default)
    match = RATE_PATTERN.match(str(value))
    every = int(match["every"] or 1) if match else 0
    if not every:
        raise ValueError(f"{name} must look like '5/h' or '10/10m', not {value!r}")
    return int(match["count"]), every * RATE_PERIODS[match["period"]]


def client_ip(request):
    """The client's address. Behind TRUSTED_PROXIES reverse proxies (each appending to
    X-Forwarded-For), the address the outermost trusted proxy saw; never a value the client
    could forge by sending its own X-Forwarded-For."""
    proxies = settings.TRUSTED_PROXIES
    if proxies:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


@sensitive_variables("value")
def keyed_hash(purpose, value):
    # Keyed with SECRET_KEY: a plain SHA-256 of an IPv4 address, or of a known e-mail address,
    # is reversed by trying them all.
    return salted_hmac(f"requests.{purpose}", value, algorithm="sha256").hexdigest()


@sensitive_variables("address", "local", "domain")
def normalised_email(address):
    """One mailbox, one counter: letter case, a "+tag" and Gmail's dots make no other mailbox."""
    local, _at, domain = address.strip().casefold().rpartition("@")
    local = local.split("+", 1)[0]
    if domain in ("gmail.com", "googlemail.com"):
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


class Quota(NamedTuple):
    """At most `limit` uses per `period` seconds of one cache counter."""

    name: str  # which limit, for the page that says it was reached ("address", "email", …)
    key: str
    limit: int
    period: int


def _take(quota):
    """Count one use (an atomic increment in the cache); the count, this use included."""
    cache.add(quota.key, 0, timeout=quota.period)
    try:
        return cache.incr(quota.key)
    except ValueError:  # expired between add() and incr()
        cache.set(quota.key, 1, timeout=quota.period)
        return 1


def quotas_give_back(taken):
    """Give back uses taken by `quotas_take` for something that did not happen after all."""
    for quota in taken:
        try:
            cache.decr(quota.key)
        except ValueError:  # expired meanwhile: nothing left to give back
            pass
        except Exception as exc:
            logger.warning("Rate limit not given back, cache unavailable (%s)", type(exc).__name__)
            return


def quotas_take(quotas):
    """Take one use of each quota, or none: (the quota that refused, or None; the uses taken).

    Counting is an atomic increment, so a burst of parallel posts cannot all slip under a limit;
    a refused post gives back what it took, and so does the caller when what it counted did not
    happen (a request not stored): only what was done counts. When the cache fails, everything
    goes through: a person's request matters more than a robot's nuisance, and the honeypot
    still stands.
    """
    taken = []
    try:
        for quota in quotas:
            count = _take(quota)
            taken.append(quota)
            if count > quota.limit:
                quotas_give_back(taken)
                return quota, []
    except Exception as exc:
        logger.warning("Rate limit not checked, cache unavailable (%s)", type(exc).__name__)
        quotas_give_back(taken)
        return None, []
    return None, taken
