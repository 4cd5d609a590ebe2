from django.apps import AppConfig


class AimPrivacyConfig(AppConfig):
    name = "aim_privacy"
    verbose_name = "AIM privacy portal"
