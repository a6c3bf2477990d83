"""Give every complaint reopened before handling rounds existed its first round back.

Until now a reopen cleared the outcome and the complainant's rating, and the next
round overwrote the finding, the reply and the callback. The timeline is
append-only and kept what was cleared: for each reopened complaint this writes
round 1 from the events before the reopen (conclude: outcome, finding and time;
reply, callback, rating and filing: their times and values) and from the
complaint's own fields where the second round has not overwritten them yet, then
clears on the complaint what belonged to round 1 and numbers it round 2.

A first reply that the second reply already overwrote was never in an event, so
it cannot be recovered: that round keeps its time and an empty text. Remedies
recorded after the reopen belong to round 2.
"""

from django.db import migrations

# The step that writes each group of round fields, as its timeline verb.
WRITTEN_BY = {
    "conclude": ("outcome", "findings", "concluded_at"),
    "reply": ("reply_text", "replied_at"),
    "callback": ("callback_rating",),
    "rate": ("citizen_rating", "citizen_comment", "rated_at"),
    "close": ("closed_at",),
}
CLEARED = {"concluded_at": None, "replied_at": None, "rated_at": None, "closed_at": None}


def _last(events, verb):
    found = [e for e in events if e.verb == verb]
    return found[-1] if found else None


def keep_first_rounds(apps, schema_editor):
    Complaint = apps.get_model("complaints", "Complaint")
    Event = apps.get_model("complaints", "ComplaintEvent")
    Round = apps.get_model("complaints", "HandlingRound")
    Remedy = apps.get_model("complaints", "Remedy")
    reopened = Complaint.objects.filter(reopened_at__isnull=False, round_no=1)
    for complaint in reopened.order_by("pk").iterator():
        events = list(Event.objects.filter(complaint=complaint).order_by("occurred_at", "id"))
        reopen = _last(events, "reopen")
        if reopen is None:
            continue
        cut = events.index(reopen)
        before, after = events[:cut], events[cut + 1 :]
        done_again = {e.verb for e in after}
        # What the complaint still holds of round 1: the groups the second round has not written.
        kept = {
            name: getattr(complaint, name)
            for verb, names in WRITTEN_BY.items()
            if verb not in done_again
            for name in names
        }
        first = Round(
            complaint=complaint,
            number=1,
            reopened_at=complaint.reopened_at,
            reopened_by_id=reopen.actor_id,
            reopen_reason=reopen.internal_note,
            findings=kept.get("findings", ""),
            reply_text=kept.get("reply_text", ""),
            citizen_comment=kept.get("citizen_comment", ""),
        )
        if (conclude := _last(before, "conclude")) is not None:
            first.outcome = conclude.data.get("outcome", "")
            first.findings = conclude.internal_note or first.findings
            first.concluded_at = kept.get("concluded_at") or conclude.occurred_at
        if (reply := _last(before, "reply")) is not None:
            first.replied_at = kept.get("replied_at") or reply.occurred_at
        if (callback := _last(before, "callback")) is not None:
            first.callback_rating = callback.data.get("satisfaction", "")
        if (rate := _last(before, "rate")) is not None:
            first.citizen_rating = rate.data.get("rating", "")
            first.rated_at = kept.get("rated_at") or rate.occurred_at
        if (close := _last(before, "close")) is not None:
            first.closed_at = close.occurred_at
        first.save()
        Complaint.objects.filter(pk=complaint.pk).update(
            round_no=2, **{name: CLEARED.get(name, "") for name in kept}
        )
        Remedy.objects.filter(complaint=complaint, recorded_at__gt=reopen.occurred_at).update(
            round_no=2
        )


class Migration(migrations.Migration):
    dependencies = [("complaints", "0008_handling_rounds")]

    # Not reversible into the old shape without losing round 1 again: going back keeps the rows.
    operations = [migrations.RunPython(keep_first_rounds, migrations.RunPython.noop)]
