"""The DPO's page assigning a request to any member of the DPO group, or reassigning it."""


class AssignPageMixin:
    """Used with RequestActionPagesMixin (requests/admin/actions.py), which supplies
    _action_page, page_urls and page_refusals."""

    def page_urls(self, page):
        return [*super().page_urls(page)]

    def page_refusals(self, obj):
        return super().page_refusals(obj)
