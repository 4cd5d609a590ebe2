"""gunicorn's settings for the portal, in the image and for `make serve`.

Workers: WEB_CONCURRENCY, else two per CPU core plus one (gunicorn's own advice for
synchronous workers, which is what the portal's views are: short, database-bound).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# A PDF render of a draft can take a few seconds; nothing legitimate takes 30.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then, with jitter, so no slow leak ever adds up; rarely, since a
# restart costs its worker a second of imports (at 5,000 a surge restarted every worker every
# few seconds, and the restarts were the slowest 1 % of answers).
max_requests = 100_000
max_requests_jitter = 10_000
# The access log keeps no client address and no path: a confirmation or download link's path
# is a capability, and an address is personal data (README, "Privacy").
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG", "1") == "1" else None
access_log_format = '%(t)s "%(m)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
