"""办理公开 (publication): a case's text as the public may read it — written once, when the
case is answered, and then both shown and searched.

``public_title``, ``public_description`` and ``public_reply`` are the title, the matter
and the reply with every phone, ID number and e-mail address masked and every personal
name the case knows of masked (``public_selectors.anonymise``): the complainant, the
accused person(s), and the staff of the accused and the handling agency — staff of every
account, active or not, since a former clerk's name in a reply is still a person's name.

Why stored and not masked on display: the public search must match only what the page
shows. Searching the original text found a case by the full phone number its
complainant had written into it, and missed it for a near miss, however well the page
masked the number. So the page shows these columns and the search reads them (trigram
index ``complaint_public_search``); the originals never leave the building.

``complaint_reply`` writes them (``public_text``); migration 0012 filled them for the
cases answered before.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from complaints.models import Complaint
from complaints.selectors.public import NAME_MIN_LENGTH, anonymise
from organizations.models import StaffProfile

# The accused-person field may list several people ("李娟、张三") or add a post to a name.
_NAME_SEPARATORS = re.compile(r"[\s,，、;；/|]+")


def names_of(*, complainant: str, accused: str, staff: Iterable[str]) -> tuple[str, ...]:
    """The personal names a case knows of, as ``anonymise`` takes them."""
    names = {(complainant or "").strip(), *_NAME_SEPARATORS.split(accused or "")}
    names.update(n.strip() for n in staff)
    return tuple(sorted(n for n in names if len(n) >= NAME_MIN_LENGTH))


def staff_names(agency_ids: Iterable[int | None], *, staff_model=StaffProfile) -> dict:
    """{agency id: its staff's names}, one query for all of them."""
    wanted = {pk for pk in agency_ids if pk is not None}
    names: dict[int, set[str]] = defaultdict(set)
    if wanted:
        rows = staff_model.objects.filter(agency_id__in=wanted).values_list("agency_id", "name")
        for agency_id, name in rows:
            names[agency_id].add(name)
    return names


def names_known(cases: Iterable[Complaint]) -> dict[int, tuple[str, ...]]:
    """{case pk: the personal names it knows of}, one query for the staff of all of them."""
    cases = list(cases)
    staff = staff_names(
        [c.agency_accused_id for c in cases] + [c.handling_agency_id for c in cases]
    )
    return {
        c.pk: names_of(
            complainant=c.complainant_name,
            accused=c.accused_person,
            staff=staff[c.agency_accused_id] | staff[c.handling_agency_id],
        )
        for c in cases
    }


def published(*, title: str, description: str, reply: str, names: Iterable[str]) -> dict:
    """The three public columns for the given text and names."""
    names = tuple(names)
    return {
        "public_title": anonymise(title, names),
        "public_description": anonymise(description, names),
        "public_reply": anonymise(reply, names),
    }


def public_text(complaint: Complaint, *, reply: str) -> dict:
    """The public columns of ``complaint`` answered with ``reply``, for ``complaint_reply``."""
    return published(
        title=complaint.title,
        description=complaint.description,
        reply=reply,
        names=names_known([complaint])[complaint.pk],
    )
