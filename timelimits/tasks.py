"""Celery tasks of the deadline engine, each defined beside the work it wraps and listed here
for Celery's autodiscovery: the sweep (``timelimits.sweep``), the outbox delivery
(``timelimits.delivery``) and the daily digest (``timelimits.digest``)."""

from timelimits.delivery import DeliveryIncomplete, deliver_notifications
from timelimits.digest import compose_digests
from timelimits.sweep import sweep_deadlines

__all__ = ["DeliveryIncomplete", "compose_digests", "deliver_notifications", "sweep_deadlines"]
