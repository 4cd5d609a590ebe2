"""Staff members' authenticator apps (TOTP devices) in the admin.

The DPO sees who has one and deletes a lost one (the owner then gets a new one with
`manage.py add_totp_device USERNAME`); nobody reads or changes a secret key here, and devices
are added only by that command, which shows the key once, on the terminal of whoever enrols.
Replaces django-otp's own admin, which shows the key on its add page.
"""

from django.contrib import admin
from django_otp.plugins.otp_totp.models import TOTPDevice

from aim_privacy.third_party_strings import otp_device_labels_translate

# django-otp names the device's fields in plain English: translated names, once, before the
# admin below reads them.
otp_device_labels_translate()

if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    list_select_related = ["user"]
    search_fields = ["user__username"]
    fields = [
        "user",
        "name",
        "confirmed",
        "created_at",
        "last_used_at",
        "throttling_failure_count",
        "throttling_failure_timestamp",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
