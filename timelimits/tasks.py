"""Celery tasks of the deadline engine, each defined beside the work it wraps and listed here
for Celery's autodiscovery: the sweep (``timelimits.sweep``) and the outbox delivery
(``timelimits.delivery``)."""

from timelimits.delivery import DeliveryIncomplete, deliver_notifications
from timelimits.sweep import sweep_deadlines

__all__ = ["DeliveryIncomplete", "deliver_notifications", "sweep_deadlines"]
