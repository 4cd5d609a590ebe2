from django.urls import path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from notices import machine_views, views

# The machine-readable exports live under a version's own (translated) URL; the language in
# the file name is the document's (…/versions/3/tilt-fr.json, …/versies/3/dpv-nl.jsonld).
VERSION = _("versions/<int:number>/")

app_name = "notices"

urlpatterns = [
    path("", views.current, name="current"),
    path(_("versions/"), views.archive, name="archive"),
    path(_("versions/<int:number>/"), views.version_detail, name="version"),
    path(_("versions/<int:number>.json"), views.version_json, name="version-json"),
    path(_("versions/<int:number>/pdf/"), views.version_pdf, name="version-pdf"),
    path(
        format_lazy("{}tilt-<slug:language>.json", VERSION),
        machine_views.version_tilt,
        name="version-tilt",
    ),
    path(
        format_lazy("{}dpv-<slug:language>.jsonld", VERSION),
        machine_views.version_dpv,
        name="version-dpv",
    ),
    path(_("on/<str:date>/"), views.on_date, name="on-date"),
    path(_("compare/"), views.compare, name="compare"),
    path(_("changes/<int:old>-<int:new>/"), views.changes, name="changes"),
    path(_("feed.atom"), views.feed, name="feed"),
]
