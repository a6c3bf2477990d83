"""One clear line, not a stack trace, when a server starts with a bad configuration.

``manage.py`` catches ``ImproperlyConfigured`` itself; gunicorn (through
``wsgi.py``) and the Celery command line (through ``celery.py``) call
``load_settings_or_exit`` so the same mistake reads the same way everywhere.
"""

from __future__ import annotations

import sys

from django.core.exceptions import ImproperlyConfigured

# Gunicorn halts instead of respawning workers forever when a worker exits with its
# APP_LOAD_ERROR status (4); Celery and plain Python just see a non-zero exit.
EXIT_STATUS = 4


def load_settings_or_exit() -> None:
    from django.conf import settings

    try:
        settings.INSTALLED_APPS  # noqa: B018 (reading one setting loads the module)
    except ImproperlyConfigured as exc:
        print(f"Configuration error: {exc}", file=sys.stderr, flush=True)
        raise SystemExit(EXIT_STATUS) from None


def running_celery_cli() -> bool:
    """True inside `celery …` / `python -m celery …`, where settings load lazily mid-parse."""
    from pathlib import Path

    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    return Path(sys.argv[0]).name == "celery" or (
        spec is not None and spec.name.split(".")[0] == "celery"
    )
