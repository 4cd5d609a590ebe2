"""Files kept with a request: adding one (an incoming letter) and opening it, for staff."""


class AttachmentPagesMixin:
    """Used with RequestActionPagesMixin (requests/admin/actions.py), which supplies
    _action_page, page_urls and page_refusals."""

    def page_urls(self, page):
        return [*super().page_urls(page)]

    def page_refusals(self, obj):
        return super().page_refusals(obj)
