"""組版したサイトのテスト：警告なしで組版でき、各章のページと起動ボタンがそろっていること。"""

import re
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from conftest import ROOT

CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
TOC = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
REPO = CONFIG["repository"]["url"].rstrip("/").removeprefix("https://github.com/")
BRANCH = CONFIG["repository"]["branch"]
PAGES = [TOC["root"]] + [ch["file"] for part in TOC["parts"] for ch in part["chapters"]]
CHAPTERS = [p for p in PAGES if p.startswith("chapters/")]


def _page(built_site, name):
    html, _ = built_site
    path = html / f"{name}.html"
    assert path.is_file(), f"{name}.html が組版されていません"
    return path.read_text(encoding="utf-8")


def test_build_has_no_warnings(built_site):
    _, log = built_site
    assert "WARNING" not in log and "ERROR" not in log, log[-4000:]


@pytest.mark.parametrize("name", PAGES)
def test_every_toc_page_is_built_in_japanese(built_site, name):
    page = _page(built_site, name)
    assert re.search(r'<html lang="ja"', page), f'{name}: <html lang="ja"> ではありません'
    assert "検索" in page, f"{name}: テーマの表示が日本語になっていません"


def test_parts_are_in_the_sidebar_with_chapter_numbers(built_site):
    page = _page(built_site, CHAPTERS[0])
    for part in TOC["parts"]:
        assert part["caption"] in page, f"目次の部「{part['caption']}」がサイドバーにありません"
    assert re.search(r"1\.\s*パーセプトロン", page), "章番号がサイドバーにありません"


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_has_launch_repository_and_download_buttons(built_site, name):
    page = _page(built_site, name)
    colab = f"https://colab.research.google.com/github/{REPO}/blob/{BRANCH}/{name}.ipynb"
    assert colab in page, f"{name}: Colab のボタン {colab} がありません"
    binder = re.search(r'href="(https://mybinder\.org/v2/gh/[^"]+)"', page)
    assert binder, f"{name}: Binder のボタンがありません"
    assert f"/v2/gh/{REPO}/{BRANCH}?" in binder.group(1)
    assert f"{name}.ipynb" in binder.group(1)
    assert f'href="https://github.com/{REPO}"' in page, "リポジトリのボタンがありません"
    assert f"{name.split('/')[-1]}.ipynb" in page and "download" in page.lower()


def test_search_index_covers_japanese_pages(built_site):
    html, _ = built_site
    assert (html / "pagefind" / "pagefind.js").is_file()
    entry = (html / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8")
    assert '"ja"' in entry, "Pagefind の索引が日本語（ja）として作られていません"


class _Links(HTMLParser):
    """ページの id と、リンク・画像・動画などの参照先を集める。"""

    def __init__(self):
        super().__init__()
        self.ids, self.hrefs, self.images = set(), [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        if tag in ("img", "source", "video") and attrs.get("src"):
            self.images.append(attrs["src"])


def _parse(path):
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _html_pages(html):
    skip = {"genindex.html", "search.html"}
    return [
        p
        for p in sorted(html.rglob("*.html"))
        if "_static" not in p.parts
        and p.relative_to(html).parts[0] != "lite"  # JupyterLite（tests/test_lite.py）
        and p.name not in skip
    ]


def test_no_broken_internal_links_or_anchors(built_site):
    html, _ = built_site
    parsed = {p: _parse(p) for p in _html_pages(html)}
    broken = []
    for page, links in parsed.items():
        for href in links.hrefs:
            url = urlsplit(href)
            if url.scheme or url.netloc or href.startswith(("mailto:", "javascript:")):
                continue
            target = (page.parent / unquote(url.path)).resolve() if url.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(html)} → {href}（ファイルがない）")
            elif url.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else _parse(target).ids
                if unquote(url.fragment) not in ids:
                    broken.append(f"{page.relative_to(html)} → {href}（アンカーがない）")
    assert not broken, "\n".join(broken)


@pytest.mark.parametrize("name", PAGES)
def test_page_weight_including_images_is_at_most_1_5_mb(built_site, name):
    html, _ = built_site
    page = html / f"{name}.html"
    total = page.stat().st_size
    for src in _parse(page).images:
        if src.startswith("data:") or urlsplit(src).scheme:
            continue  # data: の画像・動画は HTML の大きさに含まれている
        total += (page.parent / unquote(urlsplit(src).path)).stat().st_size
    assert total <= 1_500_000, f"{name}: {total / 1e6:.2f} MB（画像を含む）"
