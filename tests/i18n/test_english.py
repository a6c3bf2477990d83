"""Chinese first, complete English second: the catalogue, its compiled form, the switch."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation

from efficiency_portal import i18n_compile
from organizations.models import KeyPost

PO_PATH = Path(django_settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfi]|%\d+\$s|\{\w*\}")


@pytest.fixture(autouse=True)
def compiled_catalog(settings):
    """Build the .mo like `make install` does, and make Django reload its catalogues."""
    i18n_compile.main()
    settings.LOCALE_PATHS = list(
        settings.LOCALE_PATHS
    )  # the setting_changed signal drops the cache


def test_every_english_entry_is_translated_and_none_is_fuzzy():
    po = polib.pofile(str(PO_PATH))
    live = [e for e in po if not e.obsolete]
    assert len(live) > 100
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated in {PO_PATH.name}: {untranslated}"
    assert not fuzzy, f"fuzzy in {PO_PATH.name}: {fuzzy}"


def test_english_translations_keep_every_placeholder_and_contain_no_chinese():
    po = polib.pofile(str(PO_PATH))
    for entry in po.translated_entries():
        targets = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
        for target in targets:
            assert (
                sorted(PLACEHOLDER.findall(entry.msgid)) == sorted(PLACEHOLDER.findall(target))
                or entry.msgid_plural
            ), (entry.msgid, target)
            assert not CJK.search(target), (entry.msgid, target)


def test_django_loads_the_compiled_english_catalogue():
    with translation.override("en"):
        assert translation.gettext("关键岗位公示") == "Key posts"
        assert translation.gettext("不能把单位移到它自己或其下属单位之下。") == (
            "An agency cannot be moved under itself or one of its sub-agencies."
        )
        assert translation.ngettext("共 %(n)s 个岗位", "共 %(n)s 个岗位", 2) == "%(n)s posts"
    with translation.override("zh-hans"):
        assert translation.gettext("关键岗位公示") == "关键岗位公示"


def _english_client() -> Client:
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _chrome_chinese(html: str, *, data: list[str]) -> list[str]:
    """Chinese left in a page once the data (names, titles) and the language's own name are removed."""
    for text in [*data, "简体中文"]:
        html = html.replace(text, "")
    return CJK.findall(html)


@pytest.mark.django_db
def test_home_and_public_pages_in_english_have_english_headings_and_no_chinese_chrome(
    agency_a, clerk_a
):
    agency_a.name_en = "Municipal Administration for Market Regulation"
    agency_a.save(update_fields=["name_en"])
    KeyPost.objects.create(
        agency=agency_a,
        title="行政许可受理岗",
        holder=clerk_a.staff_profile,
        duties="受理申请",
        powers="受理",
        complaint_channel="拨打 12345",
    )
    profile = clerk_a.staff_profile
    data = [profile.name, profile.post, "行政许可受理岗", "受理申请", "受理", "拨打 12345"]
    client = _english_client()
    pages = {
        "/": "Government Efficiency Portal",
        "/key-posts/": "<h1>Key posts</h1>",
        f"/on-duty/{agency_a.pk}/": "<h1>Today's duty board</h1>",
        "/agencies/": "<h1>Agency directory</h1>",
    }
    for url, heading in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert '<html lang="en">' in html, url
        assert heading in html, url
        assert "Municipal Administration for Market Regulation" in html or url == "/", url
        leftover = _chrome_chinese(html, data=data)
        assert not leftover, f"{url}: untranslated chrome {leftover}"


@pytest.mark.django_db
def test_language_switch_sets_the_cookie_and_returns_to_the_same_page(citizen_client):
    html = citizen_client.get("/key-posts/").content.decode()
    assert 'action="/i18n/setlang/"' in html and 'name="language"' in html
    assert "<h1>关键岗位公示</h1>" in html

    response = citizen_client.post("/i18n/setlang/", {"language": "en", "next": "/key-posts/?q=x"})
    assert response.status_code == 302 and response.url == "/key-posts/?q=x"
    assert response.cookies[django_settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "<h1>Key posts</h1>" in citizen_client.get("/key-posts/").content.decode()

    citizen_client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/key-posts/"})
    assert "<h1>关键岗位公示</h1>" in citizen_client.get("/key-posts/").content.decode()


@pytest.mark.django_db
def test_language_switch_refuses_to_redirect_off_site(citizen_client):
    response = citizen_client.post(
        "/i18n/setlang/", {"language": "en", "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and not response.url.startswith("https://evil")


@pytest.mark.django_db
def test_agency_shows_its_english_name_only_on_english_pages(agency_a):
    agency_a.name_en = "Municipal Administration for Market Regulation"
    with translation.override("en"):
        assert agency_a.display_name == "Municipal Administration for Market Regulation"
    with translation.override("zh-hans"):
        assert agency_a.display_name == "市市场监督管理局"
    agency_a.name_en = ""
    with translation.override("en"):
        assert agency_a.display_name == "市市场监督管理局"


def _public_pages(patterns=None, prefix: str = ""):
    """Every parameterless page outside the admin, the APIs and the language switch."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _public_pages(entry.url_patterns, route)
        elif isinstance(entry, URLPattern) and not (
            "<" in route
            or "(?P" in route
            or route.startswith(("^", "admin", "api", "i18n", "open311"))
        ):
            yield "/" + route


@pytest.mark.parametrize("url", sorted(set(_public_pages())))
@pytest.mark.django_db
def test_every_public_page_in_english_carries_no_chinese(url):
    """With no data to show, nothing Chinese may be left on an English page but the language's
    own name in the switch. Pages added by later apps are covered automatically."""
    response = _english_client().get(url)
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        pytest.skip(f"{url} answers {response.status_code} to a plain GET")
    leftover = _chrome_chinese(response.content.decode(), data=[])
    assert not leftover, f"{url}: untranslated {sorted(set(leftover))}"
