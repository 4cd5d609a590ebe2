"""django-csp's middleware, with the portal's fixed policy written once rather than per response.

The portal's Content-Security-Policy is the same on every page (settings
CONTENT_SECURITY_POLICY: no nonce, no per-view change), yet django-csp 4 rebuilds the header
string for every response, which was a tenth of the cost of a cached declaration page. The
header is built once per policy (recomputed when the settings object changes, as in tests) and
set as django-csp would; any response or request that asks for more (a nonce, a decorator's
update, an exemption, a header set by the view) goes through django-csp unchanged.
"""

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings

PER_RESPONSE = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt_ro",
)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    _built = (None, None, "", "")

    def _headers(self):
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", None)
        report_only = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        if self._built[0] is not policy or self._built[1] is not report_only:
            self._built = (
                policy,
                report_only,
                build_policy(),
                build_policy(report_only=True),
            )
        return self._built[2], self._built[3]

    def process_response(self, request, response):
        ordinary = (
            not settings.DEBUG
            and getattr(request, "_csp_nonce", None) is None
            and not any(hasattr(response, name) for name in PER_RESPONSE)
            and HEADER not in response
            and HEADER_REPORT_ONLY not in response
            and not (settings.CONTENT_SECURITY_POLICY or {}).get("EXCLUDE_URL_PREFIXES")
        )
        if not ordinary:
            return super().process_response(request, response)
        csp, csp_ro = self._headers()
        if csp:
            response[HEADER] = csp
        if csp_ro:
            response[HEADER_REPORT_ONLY] = csp_ro
        # As django-csp: a nonce asked for after the header was written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
