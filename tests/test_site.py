"""組版したサイトのテスト：警告なしで組版でき、各章のページと起動ボタンがそろっていること。"""

import re

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
