"""What every page's footer shows about AIM, from the settings alone.

The footer is part of templates/base.html, which the 503 page extends: nothing here may read the
database (the registry holds the same facts, and a test keeps the two equal).
"""

from django.conf import settings
from django.utils import translation


def institution(request):
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    addresses = settings.AIM_FOOTER_ADDRESS
    return {
        "aim_footer": {
            "address": addresses.get(language) or addresses[settings.LANGUAGE_CODE],
            "dpo_email": settings.DPO_FALLBACK_EMAIL,
            "enterprise_number": settings.AIM_ENTERPRISE_NUMBER,
        }
    }
