"""The public bulletins and open data are reachable from every public page's navigation."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page", ["home", "complaints:statistics"])
def test_the_site_navigation_links_the_bulletins_and_the_open_data(client, page):
    html = client.get(reverse(page)).content.decode()
    nav = re.search(r'<nav class="wrap site-nav".*?</nav>', html, re.S).group(0)
    assert f'href="{reverse("bulletins:list")}"' in nav
    assert f'href="{reverse("open_data:index")}"' in nav
    for url in (reverse("bulletins:list"), reverse("open_data:index")):
        assert client.get(url).status_code == 200
