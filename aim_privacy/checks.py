"""System checks: configuration mistakes that start fine and fail citizens later.

Registered by AimPrivacyConfig.ready(); they run with `manage.py check` (and `migrate`,
`runserver`), and in the production audit `manage.py check --deploy --fail-level WARNING`.
"""

import datetime

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security)
def proxy_without_trusted_proxies(app_configs, **kwargs):
    """A proxy header is trusted but TRUSTED_PROXIES is 0: every request then seems to come
    from the proxy, so all citizens share one rate-limit bucket and a handful of posts from one
    person shuts the request form, and the letter, for everybody."""
    behind_proxy = bool(getattr(settings, "SECURE_PROXY_SSL_HEADER", None)) or getattr(
        settings, "USE_X_FORWARDED_HOST", False
    )
    if not behind_proxy or getattr(settings, "TRUSTED_PROXIES", 0):
        return []
    return [
        Warning(
            "The portal trusts a reverse proxy's headers (SECURE_PROXY_SSL_HEADER or "
            "USE_X_FORWARDED_HOST) but TRUSTED_PROXIES is 0: every request seems to come from "
            "the proxy's address, so all citizens share one rate-limit bucket and one person "
            "can block the request form for everybody.",
            hint=(
                "Set TRUSTED_PROXIES to the number of reverse proxies in front of the app that "
                "append to X-Forwarded-For (TRUSTED_PROXIES=1 behind one proxy)."
            ),
            id="aim_privacy.W001",
        )
    ]


@register(Tags.security, deploy=True)
def security_txt_configured(app_configs, **kwargs):
    """/.well-known/security.txt (RFC 9116) is served only once AIM has said where to report a
    vulnerability and until when; the portal invents neither. Stale after its Expires date."""
    contact = getattr(settings, "SECURITY_CONTACT", "")
    expires = getattr(settings, "SECURITY_TXT_EXPIRES", None)
    if not (contact and expires):
        return [
            Warning(
                "security.txt is not configured: /.well-known/security.txt answers 404, so a "
                "researcher who finds a vulnerability has no address to report it to.",
                hint=(
                    "Set SECURITY_CONTACT (a mailto:, https:// or tel: URI chosen by AIM) and "
                    "SECURITY_TXT_EXPIRES (a date less than a year ahead, such as 2027-06-30)."
                ),
                id="aim_privacy.W010",
            )
        ]
    today = datetime.date.today()
    if expires < today:
        return [
            Warning(
                f"security.txt expired on {expires.isoformat()}: readers must treat it as stale.",
                hint="Check SECURITY_CONTACT and move SECURITY_TXT_EXPIRES ahead (under a year).",
                id="aim_privacy.W011",
            )
        ]
    if expires > today + datetime.timedelta(days=366):
        return [
            Warning(
                f"SECURITY_TXT_EXPIRES ({expires.isoformat()}) is more than a year ahead: RFC 9116 "
                "recommends less, so that the file is reviewed at least once a year.",
                hint="Set SECURITY_TXT_EXPIRES to a date less than a year ahead.",
                id="aim_privacy.W011",
            )
        ]
    return []
