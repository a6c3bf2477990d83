"""What supervision declares confidential (supervision/confidential.py) and what it shows
by design; tests/privacy probes every admin and page with the declared fields."""

from __future__ import annotations

from efficiency_portal import privacy
from supervision.models import (
    Finding,
    FindingPhoto,
    Inspection,
    InspectionCheck,
    Rectification,
    RectificationEvidence,
    Sanction,
    SanctionAppeal,
    SanctionProposal,
)


def test_evidence_files_free_text_naming_citizens_and_appeal_texts_are_confidential():
    declared = privacy.declarations()
    assert declared[FindingPhoto] == {"file", "original_name"}
    assert declared[RectificationEvidence] == {"file", "original_name"}
    assert declared[Inspection] == {"note"}
    assert declared[InspectionCheck] == {"note"}
    assert declared[Finding] == {"description"}
    assert declared[Rectification] == {"answer"}
    assert declared[SanctionAppeal] == {"reason"}


def test_the_person_a_sanction_or_finding_is_about_is_shown_by_design_but_not_their_phone():
    for model in (Sanction, SanctionProposal, Finding):
        assert "person" not in privacy.confidential_fields(model)
    assert not privacy.touches_confidential(Sanction, "person__name")
    assert privacy.touches_confidential(Sanction, "person__phone__startswith")


def test_no_supervision_admin_filters_searches_or_sorts_by_a_declared_field():
    assert privacy.admins_keep_confidential_fields_out() == []
