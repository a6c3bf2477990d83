"""Every write of supervision, by concept (keyword-only, one transaction, audited):

* indicators — ``indicator_setting_update`` (minimum sample, active)
"""

from supervision.services.indicators import indicator_setting_update

__all__ = ["indicator_setting_update"]
