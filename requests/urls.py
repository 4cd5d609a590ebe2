from django.urls import path
from django.utils.translation import gettext_lazy as _

from requests import (
    download_views,
    letter_views,
    request_views,
    slugs,  # noqa: F401  (registers the wizard's path converters)
    views,
)

app_name = "rights"

urlpatterns = [
    path("", views.wizard, name="wizard"),
    path(_("letter/"), letter_views.letter, name="letter"),
    path(_("request/"), request_views.submit, name="request"),
    path(_("request/sent/"), request_views.sent, name="request-sent"),
    path(_("request/confirm/<str:token>/"), request_views.confirm, name="request-confirm"),
    path(_("download/<str:token>/"), download_views.download, name="download"),
    path(_("download/<str:token>/file/"), download_views.download_file, name="download-file"),
    # The wizard's steps: slugs in the page's language, the stored values in the view.
    path("<wizard_topic:topic>/", views.wizard, name="wizard"),
    path("<wizard_topic:topic>/<wizard_right:right>/", views.wizard, name="wizard"),
    path(
        "<wizard_topic:topic>/<wizard_right:right>/<wizard_insurer:insurer>/",
        views.wizard,
        name="wizard",
    ),
]
