"""Check (and, as root, install) the system packages the portal needs.

    python -m efficiency_portal.sysdeps pdf   # a CJK font and Pango for WeasyPrint PDFs
    python -m efficiency_portal.sysdeps all   # plus Chromium for the browser tests

Missing packages are installed with apt-get when we are root (or have sudo);
otherwise one line says what to install and the exit status is 1.
"""

from __future__ import annotations

import ctypes.util
import os
import shutil
import subprocess
import sys

CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")


def _has_cjk_font() -> bool:
    if not shutil.which("fc-list"):
        return False
    out = subprocess.run(
        ["fc-list", ":lang=zh"], capture_output=True, text=True, check=False
    ).stdout
    return bool(out.strip())


def missing(what: str) -> list[str]:
    packages = []
    if not ctypes.util.find_library("pango-1.0") or not ctypes.util.find_library("pangoft2-1.0"):
        packages += ["libpango-1.0-0", "libpangoft2-1.0-0"]
    if not _has_cjk_font():
        packages += ["fonts-noto-cjk", "fontconfig"]
    if what == "all":
        if not any(os.path.exists(p) for p in CHROMIUM_PATHS):
            packages.append("chromium")
        if not shutil.which("pdffonts"):
            packages.append("poppler-utils")  # the PDF tests check embedded CJK fonts with pdffonts
    return packages


def main(argv: list[str]) -> int:
    what = argv[1] if len(argv) > 1 else "all"
    packages = missing(what)
    if not packages:
        return 0
    apt = shutil.which("apt-get")
    prefix: list[str] | None = None
    if apt and os.geteuid() == 0:
        prefix = []
    elif (
        apt
        and shutil.which("sudo")
        and subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode == 0
    ):
        prefix = ["sudo", "-n"]
    if prefix is None:
        print(
            f"Missing system packages: install {' '.join(packages)} (e.g. apt-get install {' '.join(packages)}).",
            file=sys.stderr,
        )
        return 1
    print(f"sysdeps: installing {' '.join(packages)} with apt-get", file=sys.stderr)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*prefix, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(
        [*prefix, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages],
        check=True,
        env=env,
    )
    still = missing(what)
    if still:
        print(f"Missing system packages after install: {' '.join(still)}.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
