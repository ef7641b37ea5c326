"""gunicorn, sized for the production server (2 vCPUs by default; README « Montée en charge »).

The application is Python-bound (13–50 ms of CPU per request against 7–13 ms in
PostgreSQL): one process per core plus one keeps both cores busy while a process waits on
the database, and a few threads per process overlap those waits without the memory of more
processes. Long work (PDF summaries, the annual report, e-mails) is off the request path, in
the Celery workers, so a request never holds a thread for seconds. Every value can be set
from the environment: GUNICORN_WORKERS, GUNICORN_THREADS, GUNICORN_TIMEOUT."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# 2 vCPUs: 3 processes × 4 threads = 12 requests in flight; each thread keeps its database
# connection (CONN_MAX_AGE), so PostgreSQL sees at most workers × threads connections.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5
# A process is replaced now and then: memory a long run would pile up is given back.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = 200
backlog = 512
accesslog = "-"
# The longest request line (method, address, version) accepted; past it gunicorn answers
# 414 itself, with an HTML page (documented on every operation of the API's schema).
limit_request_line = 4094
