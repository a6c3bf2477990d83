import datetime as dt
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from organizations import services
from organizations.models import DutyStatus, KeyPost
from tests.conftest import login


@pytest.mark.django_db
def test_home_links_every_public_feature(citizen_client):
    html = citizen_client.get("/").content.decode()
    for url in ("/key-posts/", "/on-duty/", "/agencies/"):
        assert f'href="{url}' in html


@pytest.mark.django_db
def test_key_post_is_published_with_how_to_complain(citizen_client, agency_a, clerk_a):
    KeyPost.objects.create(
        agency=agency_a,
        title="行政许可受理岗",
        holder=clerk_a.staff_profile,
        duties="受理食品经营许可申请",
        powers="受理、补正告知",
        complaint_channel="拨打 12345 或在本站投诉",
    )
    KeyPost.objects.create(
        agency=agency_a,
        title="内部岗位",
        duties="-",
        powers="-",
        complaint_channel="-",
        is_published=False,
    )
    html = citizen_client.get("/key-posts/", {"agency": agency_a.pk}).content.decode()
    assert "行政许可受理岗" in html and "拨打 12345 或在本站投诉" in html
    assert "内部岗位" not in html


@pytest.mark.django_db
def test_duty_board_shows_status_set_by_staff_today(citizen_client, agency_a, clerk_a):
    services.duty_status_set(
        actor=clerk_a,
        staff=clerk_a.staff_profile,
        status=DutyStatus.Status.MEETING,
        date=timezone.localdate(),
        note="参加全市效能会议",
    )
    html = citizen_client.get(f"/on-duty/{agency_a.pk}/").content.decode()
    assert "开会" in html and "参加全市效能会议" in html


@pytest.mark.django_db
def test_yesterdays_status_is_not_shown_today(citizen_client, agency_a, clerk_a):
    services.duty_status_set(
        actor=clerk_a,
        staff=clerk_a.staff_profile,
        status=DutyStatus.Status.LEAVE,
        date=timezone.localdate() - dt.timedelta(days=1),
        note="病假",
    )
    html = citizen_client.get(f"/on-duty/{agency_a.pk}/").content.decode()
    assert "病假" not in html


@pytest.mark.django_db
def test_clerk_cannot_set_duty_status_of_another_agency(clerk_a, clerk_b):
    from efficiency_portal.errors import ApplicationError

    with pytest.raises(ApplicationError, match="无权管理"):
        services.duty_status_set(
            actor=clerk_a, staff=clerk_b.staff_profile, status="leave", date=timezone.localdate()
        )
    assert not DutyStatus.objects.exists()


@pytest.mark.django_db
def test_admin_duty_form_refuses_colleague_of_other_agency(clerk_a, clerk_b):
    response = login(clerk_a).post(
        "/admin/organizations/dutystatus/add/",
        {
            "staff": clerk_b.staff_profile.pk,
            "date": timezone.localdate().isoformat(),
            "status": "leave",
            "note": "x",
        },
    )
    assert response.status_code == 200  # the form comes back with an error, nothing saved
    assert not DutyStatus.objects.exists()


# --- accessibility, phone layout, the tree, the no-JavaScript picker ---------------------


class _PageAudit(HTMLParser):
    """Collects what the accessibility checks need from one page."""

    def __init__(self):
        super().__init__()
        self.h1 = 0
        self.labels: set[str] = set()
        self.controls: list[dict] = []
        self.inline_scripts = 0
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.meta_viewport = False
        self.html_lang = ""
        self.li_stack: list[str | None] = []
        self.agency_parent: dict[str, str | None] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "html":
            self.html_lang = a.get("lang", "")
        elif tag == "h1":
            self.h1 += 1
        elif tag == "label" and a.get("for"):
            self.labels.add(a["for"])
        elif tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit"):
            self.controls.append(a)
        elif tag == "script" and not a.get("src"):
            self.inline_scripts += 1
        elif tag == "a":
            self.links.append(a.get("href", ""))
        elif tag == "meta" and a.get("name") == "viewport":
            self.meta_viewport = True
        elif tag == "li":
            enclosing = next((x for x in reversed(self.li_stack) if x), None)
            if a.get("data-agency"):
                self.agency_parent[a["data-agency"]] = enclosing
            self.li_stack.append(a.get("data-agency"))

    def handle_endtag(self, tag):
        if tag == "li" and self.li_stack:
            self.li_stack.pop()


def _audit(client, url) -> _PageAudit:
    response = client.get(url)
    assert response.status_code == 200, url
    page = _PageAudit()
    page.feed(response.content.decode())
    return page


@pytest.mark.django_db
def test_public_pages_have_one_heading_a_skip_link_labelled_controls_and_no_inline_script(
    citizen_client, agency_a, clerk_a
):
    for url in ("/", "/key-posts/", "/on-duty/", f"/on-duty/{agency_a.pk}/", "/agencies/"):
        page = _audit(citizen_client, url)
        assert page.h1 == 1, url
        assert "#main" in page.links and "main" in page.ids, url
        assert page.meta_viewport and page.html_lang == "zh-hans", url
        assert page.inline_scripts == 0, f"{url}: inline <script> is forbidden by the CSP"
        for control in page.controls:
            assert control.get("id") in page.labels or control.get("aria-label"), (url, control)


@pytest.mark.django_db
def test_agency_directory_nests_sub_agencies_under_their_parent(
    citizen_client, agency_a, sub_agency_a, agency_b
):
    page = _audit(citizen_client, "/agencies/")
    assert page.agency_parent[str(sub_agency_a.pk)] == str(agency_a.pk)
    assert page.agency_parent[str(agency_a.pk)] is None
    assert page.agency_parent[str(agency_b.pk)] is None


@pytest.mark.django_db
def test_duty_board_picker_works_without_javascript(citizen_client, agency_a):
    html = citizen_client.get("/on-duty/").content.decode()
    assert 'method="get"' in html and 'name="a"' in html and 'type="submit"' in html
    response = citizen_client.get("/on-duty/", {"a": agency_a.pk})
    assert response.status_code == 302 and response.url == f"/on-duty/{agency_a.pk}/"
    assert citizen_client.get("/on-duty/", {"a": "abc"}).status_code == 200
    assert citizen_client.get("/on-duty/99999999/").status_code == 404


@pytest.mark.django_db
def test_duty_board_counts_each_status_and_names_who_is_away(
    citizen_client, agency_a, clerk_a, unit_admin_a
):
    services.duty_status_set(
        actor=unit_admin_a,
        staff=clerk_a.staff_profile,
        status=DutyStatus.Status.RESEARCH,
        date=timezone.localdate(),
        note="到窗口现场督查",
    )
    html = citizen_client.get(f"/on-duty/{agency_a.pk}/").content.decode()
    assert '<span class="badge badge-research">调研</span> 1' in html
    assert '<span class="badge badge-on_duty">在岗</span> 1' in html  # the unit admin, not set
    assert "张承办" in html and "到窗口现场督查" in html


@pytest.mark.django_db
def test_key_posts_filter_by_keyword_and_agency(citizen_client, agency_a, agency_b):
    for agency, title in ((agency_a, "食品许可受理岗"), (agency_b, "建筑许可受理岗")):
        KeyPost.objects.create(
            agency=agency, title=title, duties="受理", powers="受理", complaint_channel="12345"
        )
    html = citizen_client.get("/key-posts/", {"q": "食品"}).content.decode()
    assert "食品许可受理岗" in html and "建筑许可受理岗" not in html
    html = citizen_client.get("/key-posts/", {"agency": agency_b.pk}).content.decode()
    assert "建筑许可受理岗" in html and "食品许可受理岗" not in html
    assert citizen_client.get("/key-posts/", {"agency": 99999999}).status_code == 404
    html = citizen_client.get("/key-posts/", {"q": "不存在的岗位"}).content.decode()
    assert "没有符合条件的公示岗位。" in html


@pytest.mark.django_db
def test_each_key_post_links_to_the_complaint_form_for_its_agency(citizen_client, agency_a):
    KeyPost.objects.create(
        agency=agency_a, title="收费岗", duties="-", powers="-", complaint_channel="12345"
    )
    html = citizen_client.get("/key-posts/").content.decode()
    assert f'href="/complaints/new/?agency={agency_a.pk}"' in html
