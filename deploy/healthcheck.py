"""The container's health check: GET /healthz on this container, as the load balancer would.

Host is the first of ALLOWED_HOSTS (the portal answers 400 to any other); /healthz is exempt
from the HTTPS redirect. Exit 0 when it answers 200 within 4 seconds, 1 otherwise.
"""

import os
import sys
import urllib.request

host = os.environ.get("ALLOWED_HOSTS", "localhost").split(",")[0].strip()
port = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000").rpartition(":")[2]
request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz", headers={"Host": host})
try:
    with urllib.request.urlopen(request, timeout=4) as response:  # noqa: S310 - fixed URL
        sys.exit(0 if response.status == 200 else 1)
except Exception:  # any failure is "unhealthy"
    sys.exit(1)
