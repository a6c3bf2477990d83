"""办理公开: concluded cases only, anonymised, searchable (CJK through the trigram index)."""

from __future__ import annotations

from django.db import connection
from django.urls import reverse

from complaints.models import Complaint
from tests.complaints.conftest import submit
from tests.complaints.public_helpers import citizen

URL = reverse("complaints:public_cases")


def _case(agency, category, walk, state, **fields):
    return walk(submit(agency=agency, category=category, **fields).complaint, state)


def test_only_answered_cases_are_listed(agency_a, attitude, centre, walk):
    answered = _case(agency_a, attitude, walk, Complaint.State.REPLIED, title="已答复的投诉")
    handling = _case(agency_a, attitude, walk, Complaint.State.HANDLING, title="办理中的投诉")
    page = citizen().get(URL).content.decode()
    assert answered.title in page and handling.title not in page
    assert "答复：经核实，情况如下……" in page  # the reply's start, beside the matter
    assert (
        citizen().get(reverse("complaints:public_case", args=[handling.tracking_no])).status_code
        == 404
    )


def test_public_case_hides_the_complainant_and_masks_numbers_in_text(
    agency_a, attitude, centre, walk
):
    case = _case(
        agency_a,
        attitude,
        walk,
        Complaint.State.CLOSED,
        description="请回电13912345678，身份证110101199001011234，邮箱 wang@example.com。",
        accused_person="赵科员",
    )
    page = (
        citizen().get(reverse("complaints:public_case", args=[case.tracking_no])).content.decode()
    )
    assert "经核实，情况如下……" in page
    assert "139****5678" in page and "110***********1234" in page
    for secret in ("13912345678", "110101199001011234", "wang@example.com", "王小明", "赵科员"):
        assert secret not in page


def test_search_finds_chinese_words_in_title_description_or_reply(agency_a, attitude, centre, walk):
    licence = _case(agency_a, attitude, walk, Complaint.State.REPLIED, title="营业执照办理慢")
    other = _case(
        agency_a,
        attitude,
        walk,
        Complaint.State.REPLIED,
        title="路灯不亮",
        description="小区路灯坏了。",
    )
    page = citizen().get(URL, {"q": "营业执照"}).content.decode()
    assert licence.title in page and other.title not in page
    assert "没有找到相关的投诉。" in citizen().get(URL, {"q": "不存在的词语"}).content.decode()


def test_search_text_with_like_wildcards_is_literal(agency_a, attitude, centre, walk):
    _case(agency_a, attitude, walk, Complaint.State.REPLIED, title="收费问题")
    assert "收费问题" not in citizen().get(URL, {"q": "%"}).content.decode()


def test_search_script_is_escaped(agency_a, attitude, centre):
    page = citizen().get(URL, {"q": '"><script>x</script>'}).content.decode()
    assert "<script>x</script>" not in page


def test_trigram_search_index_exists_and_handles_cjk(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT show_trgm('营业执照')")
        assert len(cursor.fetchone()[0]) >= 2  # CJK characters make trigrams (UTF8 database)
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'complaint_public_search'"
        )
        definition = cursor.fetchone()[0]
    assert "gin_trgm_ops" in definition and "public_description" in definition


def test_the_public_search_can_use_the_trigram_index_on_the_public_text(db):
    """The search's expression is the index's: with every other way to find answered
    cases taken away (in this test's transaction) and full scans off, PostgreSQL plans
    the search on ``complaint_public_search``."""
    from complaints.selectors.public import public_cases

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'complaints_complaint'"
            " AND indexdef LIKE '%%state%%' AND indexname <> 'complaint_public_search'"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = public_cases(query="营业执照").values("pk").query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "complaint_public_search" in plan, plan


def test_list_pages_without_counting(agency_a, attitude, centre, walk, monkeypatch):
    monkeypatch.setattr("complaints.pages.public._PER_PAGE", 2)
    titles = [f"第{i}件" for i in range(3)]
    for title in titles:
        _case(agency_a, attitude, walk, Complaint.State.REPLIED, title=title)
    first = citizen().get(URL).content.decode()
    assert "page=2" in first and "下一页" in first and "上一页" not in first
    second = citizen().get(URL, {"page": "2"}).content.decode()
    assert titles[0] in second and "下一页" not in second and "上一页" in second
    assert citizen().get(URL, {"page": "abc"}).status_code == 200


def test_search_of_newest_cases_first_gives_the_same_page_as_the_full_search(
    agency_a, attitude, centre, walk, monkeypatch
):
    from complaints.selectors import public as public_selectors

    for i in range(5):
        title = f"垃圾清运{i}" if i % 2 == 0 else f"路灯{i}"
        _case(agency_a, attitude, walk, Complaint.State.REPLIED, title=title)
    everything = [c.pk for c in public_selectors.public_cases(query="垃圾清运")]
    assert len(everything) == 3
    for window in (100, 3, 1):  # the newest cases fill the page / too few of them: fallback
        monkeypatch.setattr(public_selectors, "_RECENT_WINDOW", window)
        for offset in (0, 2):
            page = public_selectors.public_case_page(query="垃圾清运", offset=offset, limit=2)
            assert [c.pk for c in page] == everything[offset : offset + 2]


def test_a_reopened_case_is_published_with_its_final_reply(
    agency_a, attitude, centre, walk, clerk_a
):
    """The public page shows the case's answer as it stands — the reply after the reopen —
    and says that it was handled again; the reply the complainant did not accept is not
    published, and the case is not public while it is being handled again."""
    from complaints import services

    c = _case(agency_a, attitude, walk, Complaint.State.REPLIED)
    c = services.complaint_rate(complaint=c, rating=Complaint.Rating.DISSATISFIED)
    c = services.complaint_reopen(complaint=c, reason="问题没有解决")
    detail = reverse("complaints:public_case", args=[c.tracking_no])
    assert citizen().get(detail).status_code == 404
    c = services.complaint_conclude(
        complaint=c, actor=clerk_a, outcome=Complaint.Outcome.UNFOUNDED, findings="复查无误。"
    )
    services.complaint_reply(complaint=c, actor=clerk_a, text="经复查，窗口已按规定告知。")
    page = citizen().get(detail).content.decode()
    assert "经复查，窗口已按规定告知。" in page and 'id="handled-again"' in page
    assert "经核实，情况如下……" not in page
