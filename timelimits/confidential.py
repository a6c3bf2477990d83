"""Confidential fields of the notification outbox (see efficiency_portal.privacy).

A notice to someone without an account — a complainant — goes to a phone number or
an e-mail address; the outbox shows them masked and must not find rows by them.
"""

CONFIDENTIAL = {
    "timelimits.Notification": ("to_phone", "to_email"),
}
