"""Similar open complaints against the same agency (duplicate suggestions), for Chinese text.

Chinese has no spaces, and a paraphrase rarely repeats three characters in a row:
"窗口工作人员态度恶劣，办营业执照被推诿三次" and "办理营业执照时窗口人员推来推去，跑了三趟，
服务态度很差" share only 6% of their pg_trgm trigrams, but a third of their character
bigrams (窗口 人员 态度 营业 业执 执照). So the text is cut into overlapping character
bigrams (ASCII words kept whole) and compared with the Dice coefficient
2·|A∩B| / (|A|+|B|). The candidates are the most recent open complaints against the
agency (index ``complaint_accused_state``), at most ``PublicPolicy.duplicate_candidates``;
the threshold is ``PublicPolicy.duplicate_min_score``. Suggestions only: merging is
``complaints.services.merging.complaint_merge``, decided by a person.

Callers: the intake page (before submitting, at most 5, through ``similar_for_citizen``:
what the public pages would show of each, never the case as filed) and the admin change
page (``similar_to_complaint``, among the cases the user may open).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models.functions import Substr

from complaints import publication
from complaints.models import Complaint, PublicPolicy
from complaints.selectors import complaint_list_visible_to
from complaints.selectors import public as public_selectors
from complaints.workflow import OPEN_STATES
from organizations.models import Agency

MOST_SUGGESTIONS = 5  # issue 5: "at most 5" similar complaints are suggested on intake
_RUNS = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[A-Za-z0-9]+")
_COMPARED_CHARS = 400  # title plus the start of the description: where the matter is named


@dataclass(frozen=True)
class Similar:
    complaint: Complaint
    score: float


def bigrams(text: str) -> frozenset[str]:
    grams: set[str] = set()
    for run in _RUNS.findall(text or ""):
        if run.isascii():
            grams.add(run.lower())
        elif len(run) == 1:
            grams.add(run)
        else:
            grams.update(run[i : i + 2] for i in range(len(run) - 1))
    return frozenset(grams)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def similar_open_complaints(
    *,
    agency: Agency,
    title: str,
    description: str,
    exclude_pk: int | None = None,
    limit: int = MOST_SUGGESTIONS,
    user=None,
) -> list[Similar]:
    """Open complaints against ``agency`` most like the given text, best first."""
    policy = PublicPolicy.current()
    query = bigrams(f"{title} {description[:_COMPARED_CHARS]}")
    if not query:
        return []
    candidates = (
        Complaint.objects.filter(agency_accused=agency, state__in=OPEN_STATES)
        .exclude(pk=exclude_pk)
        .annotate(head=Substr("description", 1, _COMPARED_CHARS))
        .only(
            "pk",
            "tracking_no",
            "title",
            "state",
            "submitted_at",
            # Read to mask the names a suggestion shown to a citizen may contain.
            "complainant_name",
            "accused_person",
            "agency_accused",
            "handling_agency",
        )
        .order_by("-submitted_at")
    )
    if user is not None:  # staff see only suggestions they may open (the selectors' scoping)
        candidates = complaint_list_visible_to(user=user, queryset=candidates)
    candidates = candidates[: policy.duplicate_candidates]
    found = []
    for candidate in candidates:
        score = similarity(query, bigrams(f"{candidate.title} {candidate.head}"))
        if score >= policy.duplicate_min_score:
            found.append(Similar(complaint=candidate, score=round(score, 3)))
    found.sort(key=lambda s: (-s.score, -s.complaint.pk))
    return found[:limit]


def similar_to_complaint(
    *, complaint: Complaint, user, limit: int = MOST_SUGGESTIONS
) -> list[Similar]:
    """For the admin change page: open complaints against the same agency that look alike,
    among those ``user`` may see."""
    return similar_open_complaints(
        agency=complaint.agency_accused,
        title=complaint.title,
        description=complaint.description,
        exclude_pk=complaint.pk,
        limit=limit,
        user=user,
    )


@dataclass(frozen=True)
class PublicSimilar:
    """A suggestion as a citizen may see it: what the public pages would show of the case."""

    tracking_no: str
    summary: str  # the title masked as the public pages mask it
    step: str  # the step the case is waiting for, or its state
    agency: str  # the accused agency
    submitted_at: dt.datetime


def similar_for_citizen(*, agency: Agency, title: str, description: str) -> list[PublicSimilar]:
    """For the intake page: the open complaints like this one, each as the public may see it.

    They are other people's complaints, not yet answered, let alone published: never
    their text as filed, which names people and gives phone numbers. Only the title with
    every number and known personal name masked (complaints.publication), the step it
    is waiting for, and the agency."""
    found = [
        s.complaint
        for s in similar_open_complaints(agency=agency, title=title, description=description)
    ]
    names = publication.names_known(found)
    shown = []
    for case in found:
        step = public_selectors.current_step(complaint=case)
        shown.append(
            PublicSimilar(
                tracking_no=case.tracking_no,
                summary=public_selectors.anonymise(case.title, names[case.pk]),
                step=step.name if step else case.get_state_display(),
                agency=agency.display_name,
                submitted_at=case.submitted_at,
            )
        )
    return shown
