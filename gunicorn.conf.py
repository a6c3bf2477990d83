"""Gunicorn settings for every deployment; gunicorn reads ./gunicorn.conf.py on start.

The bind address stays on the command line (loopback in Procfile.dev, all
interfaces in the container). Workers: WEB_CONCURRENCY (gunicorn's own default
reader), else 2.
"""

import os

from efficiency_portal.logging import JSON_FORMATTER, MASK_FILTER

workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = 4
timeout = 60
# Load the app once in the master: a configuration mistake stops start-up with one
# line before any port is bound, and workers fork with the code already imported.
preload_app = True
# Requests are logged by the app (efficiency_portal.logging.RequestLogMiddleware).
accesslog = None
# Gunicorn's own messages as JSON lines too, like the app's.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": JSON_FORMATTER},
    "filters": {"personal_data": MASK_FILTER},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["personal_data"],
            "stream": "ext://sys.stderr",
        }
    },
    "root": {"level": "INFO", "handlers": ["console"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["console"], "propagate": False},
    },
}
