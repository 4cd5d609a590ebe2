from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsConfig(AppConfig):
    # The folder is called requests/ by the project's layout; it shadows the PyPI package of
    # that name, which the project therefore never installs (tests/test_dependencies.py).
    name = "requests"
    label = "rights_requests"
    verbose_name = _("Data subject requests")

    def ready(self):
        from requests import (
            signals,  # noqa: F401  (files leave the disk with their rows)
            staff_language,
        )

        # The admin's language at sign-in, for the e-mails staff receive (the DPO's digest).
        staff_language.connect()
