"""``manage.py seed_demo``: build the demo city from every app's ``<app>/demo.py``.

An app takes part by defining ``seed(*, rng, stdout)`` in its ``demo.py``; the
seeders run in INSTALLED_APPS order (an app may rely on the apps before it),
each with its own generator derived from ``--seed`` and the app label, so adding
an app never changes what the others build. A seeder writes through its app's
services, each of which is its own (outermost, durable) transaction, so the
command wraps none around them. Every seeder must be idempotent: a second run
changes nothing.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from django.core.management.base import BaseCommand

from efficiency_portal.discovery import app_modules

DEFAULT_SEED = 2026


def demo_seeders() -> list[tuple[str, Callable]]:
    """(app label, seed function) for every installed app with a ``demo.py``, in order."""
    return [
        (label, module.seed)
        for label, module in app_modules("demo")
        if callable(getattr(module, "seed", None))
    ]


class Command(BaseCommand):
    help = "Build (or top up) the demo city: agencies, staff, key posts, duty boards, and each app's demo data."

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"random seed; the same seed builds the same city (default {DEFAULT_SEED})",
        )

    def handle(self, *args, seed: int, **options):
        started = time.monotonic()
        for label, seed_app in demo_seeders():
            rng = random.Random(f"{seed}:{label}")  # noqa: S311 — demo data, not security
            seed_app(rng=rng, stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(f"demo data ready in {time.monotonic() - started:.1f} s")
        )
