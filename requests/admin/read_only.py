"""What the three admins of this app share: nobody adds, changes or deletes a row by hand."""


class NoHandEditsMixin:
    """Rows are written by the services (requests/services.py, requests/outbox.py) or the
    wizard; the admin only shows them and runs the named actions."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
