"""Settings of the intake benchmark's gunicorn: the project's settings plus a bench-only URL.

The baseline view lives only here (``tests.bench.bench_urls``), so the product
never ships it. Request logging is turned down for both views alike: the
benchmark measures the application, not writing a JSON line per request.
"""

import os

from efficiency_portal.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench.bench_urls"
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
LOGGING["loggers"]["efficiency_portal.request"] = {"level": "WARNING"}  # noqa: F405
# The complainant's SMS/e-mail notice is still published to Redis on commit, as in
# production, but to a queue of this run's own that the benchmark deletes afterwards.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("BENCH_CELERY_QUEUE", "celery")
