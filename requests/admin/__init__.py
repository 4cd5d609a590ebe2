"""The routing counts in the admin: a read-only list, a statistics page with charts, and CSV.

Nobody adds, changes or deletes a count in the admin: the wizard writes them
(RoutingCount.objects.record). The statistics page and the CSV are wired by get_urls with
admin_site.admin_view (URL names admin:rights_requests_statistics and
admin:rights_requests_statistics_csv) and need the permission to view the counts (group "DPO").
Every page costs a fixed number of queries (tests/requests/test_statistics.py).

Stored data subject requests: the DPO's triage queue (queue.DataSubjectRequestAdmin) and the
outbox (outbox.NotificationAdmin), both read-only forms; every change goes through
requests/services.py or requests/outbox.py (tests/requests/test_request_admin.py,
tests/requests/test_outbox_delivery.py).
"""

from requests.admin import outbox, queue, routing, templates  # noqa: F401 (registers the model admins)
