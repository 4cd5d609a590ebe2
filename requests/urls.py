from django.urls import path
from django.utils.translation import gettext_lazy as _

from requests import letter, request_views, views

app_name = "rights"

urlpatterns = [
    path("", views.wizard, name="wizard"),
    path(_("letter/"), letter.letter, name="letter"),
    path(_("request/"), request_views.submit, name="request"),
    path(_("request/sent/"), request_views.sent, name="request-sent"),
    path(_("request/confirm/<str:token>/"), request_views.confirm, name="request-confirm"),
    path("<slug:topic>/", views.wizard, name="wizard"),
    path("<slug:topic>/<slug:right>/", views.wizard, name="wizard"),
    path("<slug:topic>/<slug:right>/<slug:insurer>/", views.wizard, name="wizard"),
]
