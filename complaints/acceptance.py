"""Intake through the API at volume: accept in one statement, file a moment later (接收 → 立案).

    complaint_accept       a system hands a complaint over: checked, numbered, promised a date
    accepted_file_due      a worker files what was accepted (complaint_file: same number,
                           submission time, query code and promised date), with the receipt

Other systems (the 12345 hotline, the government service platform) file in bursts.
Filing writes the complaint, its event, its accept clock and its receipt; accepting
writes one ``AcceptedFiling`` row, in one statement, and answers with the tracking
number, the query code and the expected completion date at once. The accept clock
still counts from the moment of acceptance, so the wait costs the complainant
nothing, and a complainant following the number before it is filed sees "received"
(``complaints.selectors``). The complainant's SMS/e-mail receipt is written when the
complaint is filed (the outbox delivers it after that run either way): until then
the row's payload holds the query code with the identity, and both are cleared once
filed — the receipt itself quotes the code, as every receipt does.

Nothing is lost between the two: the accepted row is committed before the answer;
the worker is nudged after commit, and beat runs it every few seconds as a safety
net. A row that fails to file is pushed back (attempts, last error) instead of
blocking the ones behind it.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import clocks, numbers
from complaints.models import AcceptedFiling, Complaint
from complaints.services import complaint_fields, complaint_file
from efficiency_portal.errors import ApplicationError
from efficiency_portal.rowgraph import Guard, NewRow, Sql, write_new_rows
from timelimits import services as engine
from timelimits import versions

log = logging.getLogger(__name__)

# A run drains every due row, so one queued run serves all acceptances before it starts.
FILING_QUEUED_SECONDS = 30
# The payload's key of the query code, kept (with the identity) until the receipt is written.
RECEIPT_CODE = "receipt_code"
# A row that failed to file is tried again after this many seconds times its attempts.
RETRY_BACKOFF_SECONDS = 60


@dataclass(frozen=True)
class Accepted:
    tracking_no: str
    query_code: str  # shown once; only its hash is stored
    expected_by: dt.date
    created: bool  # False: the same submission key was accepted before
    complaint_id: int | None  # known once filed


def complaint_accept(
    *,
    account,
    submission_key: str | None = None,
    still_authorised: Guard | None = None,
    **fields,
) -> Accepted:
    """Accept a complaint for filing; ``fields`` are ``complaint_fields``'s (checked the same way).

    One statement writes the accepted row. Its guards re-check the
    configuration the expected date was computed with and, for an account
    authenticated from a cache, ``still_authorised``; a submission key accepted
    before writes nothing and is answered with the first number and code.
    """
    checked = complaint_fields(**fields, channel="api")
    key_hash = numbers.hash_submission_key(submission_key) if submission_key else None
    query_code = numbers.new_query_code(submission_key=submission_key)
    now = timezone.now()
    payload = {
        **{k: v for k, v in checked.items() if k not in ("category", "agency_accused")},
        "category_id": checked["category"].pk,
        "agency_accused_id": checked["agency_accused"].pk,
        RECEIPT_CODE: query_code,  # for the receipt written at filing; cleared with the payload
    }
    extra = [still_authorised] if still_authorised is not None else []
    try:
        for _attempt in range(3):
            with versions.assumed():
                expected_by = clocks.expected_by_at(now, is_urgent=checked["is_urgent"])
                row = AcceptedFiling(
                    tracking_no=numbers.next_tracking_no_sql(year=timezone.localdate(now).year),
                    query_code_hash=numbers.hash_query_code(query_code),
                    submission_key_hash=key_hash or "",
                    account=account,
                    payload=payload,
                    received_at=now,
                    expected_by=expected_by,
                    next_attempt_at=now,
                )
                written = write_new_rows(
                    [NewRow(row, where=_not_accepted_yet(key_hash))],
                    guards=[*extra, versions.guard()],
                )
            if written.guards["configuration"]:
                break
            versions.forget()  # a policy or the calendar changed: read them and compute again
        else:
            raise ApplicationError(_("时限配置正在更新，请稍后重试。"), code="retry")
    except IntegrityError as exc:  # the same key raced past the check: the first one won
        if key_hash is None or "accepted_filing_key_once" not in str(exc):
            raise
        return _replayed(key_hash, submission_key)
    if not written.ok:
        raise ApplicationError(
            _("该账号已无权提交投诉。"), code="not_authorised", field="authorisation"
        )
    if not written.has(row):
        return _replayed(key_hash, submission_key)
    enqueue_filing()
    return Accepted(
        tracking_no=row.tracking_no,
        query_code=query_code,
        expected_by=expected_by,
        created=True,
        complaint_id=None,
    )


def _not_accepted_yet(key_hash: str | None) -> Sql | None:
    if key_hash is None:
        return None
    return Sql(
        # The repeated predicate lets a prepared (generic) plan use the partial unique index.
        "NOT EXISTS (SELECT 1 FROM complaints_acceptedfiling"
        " WHERE submission_key_hash = %s AND NOT submission_key_hash = '')",
        [key_hash],
    )


def _replayed(key_hash: str, submission_key: str) -> Accepted:
    row = AcceptedFiling.objects.get(submission_key_hash=key_hash)
    return Accepted(
        tracking_no=row.tracking_no,
        query_code=numbers.new_query_code(submission_key=submission_key),
        expected_by=row.expected_by,
        created=False,
        complaint_id=row.complaint_id,
    )


# --- Filing --------------------------------------------------------------------------------


def accepted_file_due(*, batch: int = 50, now: dt.datetime | None = None) -> int:
    """File every accepted complaint that is due; returns how many were filed.

    Batches are claimed ``FOR UPDATE SKIP LOCKED`` (two workers never file the same
    row); each row is filed in a savepoint, so one that fails is pushed back with
    its error and the rest of the batch goes on. The receipts written go out with
    one delivery run, enqueued after the last batch.
    """
    now = now or timezone.now()
    filed = 0
    while True:
        with transaction.atomic():
            rows = list(
                AcceptedFiling.objects.select_for_update(skip_locked=True)
                .filter(next_attempt_at__lte=now)
                .order_by("next_attempt_at", "id")[:batch]
            )
            if not rows:
                if filed:
                    engine.enqueue_delivery()
                return filed
            for row in rows:
                try:
                    with transaction.atomic():
                        _file_one(row, now=now)
                    filed += 1
                except Exception as exc:  # a poison row must not block the queue
                    log.error(
                        "could not file accepted complaint %s: %s",
                        row.tracking_no,
                        _error_summary(exc),
                    )
                    row.attempts += 1
                    row.last_error = _error_summary(exc)
                    row.next_attempt_at = now + dt.timedelta(
                        seconds=RETRY_BACKOFF_SECONDS * row.attempts
                    )
                    row.save(update_fields=["attempts", "last_error", "next_attempt_at"])


def _error_summary(exc: Exception) -> str:
    """The error's type and first line: PostgreSQL's DETAIL lines (and tracebacks) can
    quote the row being written, and with it the complainant's name and number."""
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {first}"[:500]


def _file_one(row: AcceptedFiling, *, now: dt.datetime) -> None:
    fields = dict(row.payload)
    filed = complaint_file(
        fields=fields,
        key_hash=row.submission_key_hash or None,
        query_code_hash=row.query_code_hash,
        submitted_at=row.received_at,
        # None for a row accepted before receipts moved here: its receipt was written then.
        receipt_code=fields.pop(RECEIPT_CODE, None),
        tracking_no=row.tracking_no,
        promised_by=row.expected_by,
        deliver=False,  # the run enqueues delivery once (accepted_file_due)
    )
    if filed is None:  # filed before (its key is on the complaint): link it
        complaint = Complaint.objects.get(submission_key_hash=row.submission_key_hash)
    else:
        complaint = filed[0]
    row.complaint = complaint
    row.filed_at = now
    row.payload = {}  # the identity now lives (protected) on the complaint only
    row.next_attempt_at = None
    row.last_error = ""
    row.save(update_fields=["complaint", "filed_at", "payload", "next_attempt_at", "last_error"])


def filing_queued_key() -> str:
    return f"complaints:filing-queued:{connection.settings_dict['NAME']}"


# When this process last saw a filing run queued and not yet started (time.monotonic()).
_nudged_at: float | None = None


def share_seconds() -> float:
    return settings.COMPLAINTS_FILING_SHARE_MS / 1000


def enqueue_filing() -> None:
    """Ask a worker to file after commit; acceptances before the run starts share one run.

    Across processes the sharing is a Redis ``SET NX`` flag the run clears when it
    starts. Within a process, acceptances committed less than ``share_seconds()`` after
    this process saw the flag set skip even that call: the run behind the flag starts
    after that moment and keeps looking for new rows for twice as long before it ends
    (``accepted_file_draining``), so it finds theirs.
    """

    def _send() -> None:
        global _nudged_at
        from complaints.tasks import file_accepted

        now = time.monotonic()
        if _nudged_at is not None and now - _nudged_at < share_seconds():
            return
        key = filing_queued_key()
        try:
            if cache.add(key, 1, timeout=FILING_QUEUED_SECONDS):
                file_accepted.delay()
            _nudged_at = now
        except Exception:  # the broker is down: beat's run files it a few seconds later
            _nudged_at = None
            cache.delete(key)
            log.warning("could not enqueue filing of accepted complaints", exc_info=True)

    transaction.on_commit(_send)


def accepted_file_draining(*, poll_seconds: float = 0.1) -> int:
    """File what is due, then keep looking until nothing new came for twice ``share_seconds()``.

    The filing task's body: acceptances that shared the nudge of this run (they did
    not call Redis) commit at most ``share_seconds()`` after this run was queued.
    """
    quiet_for = 2 * share_seconds()
    filed = accepted_file_due()
    quiet_since = time.monotonic()
    while time.monotonic() - quiet_since < quiet_for:
        time.sleep(poll_seconds)
        more = accepted_file_due()
        if more:
            filed += more
            quiet_since = time.monotonic()
    return filed
