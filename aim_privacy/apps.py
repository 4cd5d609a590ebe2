from django.apps import AppConfig


class AimPrivacyConfig(AppConfig):
    name = "aim_privacy"
    verbose_name = "AIM privacy portal"

    def ready(self):
        from aim_privacy import checks  # noqa: F401  (registers the system checks)
