"""The DPO's decisions on a request, each e-mailed to the requester: answer, ask for information
or identity, extend, refuse, close."""


class DecisionPagesMixin:
    """Used with RequestActionPagesMixin (requests/admin/actions.py), which supplies
    _action_page, page_urls and page_refusals."""

    def page_urls(self, page):
        return [*super().page_urls(page)]

    def page_refusals(self, obj):
        return super().page_refusals(obj)
