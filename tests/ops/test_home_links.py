"""The home page links only to pages that exist: every link on it (cards, navigation,
footer) answers 200, or sends a visitor who is not logged in to the login page."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client

HREF = re.compile(r'<a\b[^>]*\bhref="([^"]+)"')


def _internal_links(html: str) -> list[str]:
    links = []
    for href in HREF.findall(html):
        href = href.replace("&amp;", "&")
        if href.startswith(("#", "tel:", "mailto:")) or urlsplit(href).netloc:
            continue
        links.append(href)
    return sorted(set(links))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_home_page_link_resolves(db, language):
    client = Client()
    client.cookies["django_language"] = language
    links = _internal_links(client.get("/").content.decode())
    assert len(links) >= 8, links  # the cards, the navigation and the footer
    for link in links:
        response = client.get(link)
        if response.status_code == 302:
            assert "/login/" in response.url, (link, response.url)
        else:
            assert response.status_code == 200, (link, response.status_code)
