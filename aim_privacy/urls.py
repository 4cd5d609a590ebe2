from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from aim_privacy import views

admin.site.site_header = _("AIM privacy portal")
admin.site.site_title = _("AIM privacy portal")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("", views.language_redirect, name="language-redirect"),
    path("healthz", views.healthz, name="healthz"),
    path(".well-known/security.txt", views.security_txt, name="security-txt"),
]

# Error pages that never read request.POST or the database, in the site's layout (400) or
# static (500), with the security headers even when a middleware failed.
handler400 = views.bad_request
handler500 = views.server_error

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path(_("about-this-site/"), views.about, name="about"),
    path(_("accessibility/"), views.accessibility, name="accessibility"),
    path(_("declaration/"), include("notices.urls")),
    path(_("your-rights/"), include("requests.urls")),
    path(settings.ADMIN_PATH, admin.site.urls),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
