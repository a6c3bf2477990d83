"""Container health probe for the web service: GET /healthz, exit 0 on 200.

    python -m efficiency_portal.probe [URL]    # default http://127.0.0.1:8000/healthz

Standard library only (the slim image has no curl) and no Django import, so a
probe costs a few milliseconds. It sends the first ALLOWED_HOSTS name as the
Host header, because production sets ALLOWED_HOSTS to the public name only.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request

DEFAULT_URL = "http://127.0.0.1:8000/healthz"


def probe_host() -> str:
    """A Host header the site accepts: the first concrete ALLOWED_HOSTS entry."""
    for entry in os.environ.get("ALLOWED_HOSTS", "").split(","):
        entry = entry.strip().lstrip(".")
        if entry and entry != "*":
            return entry
    return "localhost"


def main(argv: list[str]) -> int:
    url = argv[1] if len(argv) > 1 else DEFAULT_URL
    request = urllib.request.Request(url, headers={"Host": probe_host()})  # noqa: S310 (fixed scheme)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            print(response.read(500).decode(errors="replace"))
            return 0
    except urllib.error.HTTPError as exc:  # 503 carries the failing check in its body
        print(f"{exc.code}: {exc.read(500).decode(errors='replace')}", file=sys.stderr)
    except OSError as exc:
        print(f"{url}: {exc}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
