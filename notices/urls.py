from django.urls import path
from django.utils.translation import gettext_lazy as _

from notices import feeds, views

app_name = "notices"

urlpatterns = [
    path("", views.current, name="current"),
    path(_("versions/"), views.archive, name="archive"),
    path(_("versions/<int:number>/"), views.version_detail, name="version"),
    path(_("versions/<int:number>.json"), views.version_json, name="version-json"),
    path(_("versions/<int:number>/pdf/"), views.version_pdf, name="version-pdf"),
    path(_("on/<str:date>/"), views.on_date, name="on-date"),
    path(_("compare/"), views.compare, name="compare"),
    path(_("changes/<int:old>-<int:new>/"), views.changes, name="changes"),
    path(_("feed.atom"), feeds.VersionFeed(), name="feed"),
]
