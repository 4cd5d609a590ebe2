from django.urls import path
from django.utils.translation import gettext_lazy as _

from requests import letter, views

app_name = "rights"

urlpatterns = [
    path("", views.wizard, name="wizard"),
    path(_("letter/"), letter.letter, name="letter"),
    path("<slug:topic>/", views.wizard, name="wizard"),
    path("<slug:topic>/<slug:right>/", views.wizard, name="wizard"),
    path("<slug:topic>/<slug:right>/<slug:insurer>/", views.wizard, name="wizard"),
]
