"""The admin app with the portal's own default site (Django's documented way to replace
`admin.site`): every `admin.site.register()` and `@admin.register` in registry/, notices/ and
requests/ keeps working, and reaches the site that asks for the second factor."""

from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    default_site = "aim_privacy.admin_site.PortalAdminSite"

    def ready(self):
        super().ready()
        from aim_privacy.security import connect_receivers

        connect_receivers()
