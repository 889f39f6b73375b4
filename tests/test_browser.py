"""組版したサイトを localhost から配信し、ヘッドレスの Chromium で開いて確かめる。

- 目次のすべてのページで、JavaScript のコンソールにエラーが出ないこと
- 数式が MathJax で組まれていること、画像に代替テキストがあり読み込めること
- 本文の中の日本語の複合語（見出しにない言葉も）で検索できること（Pagefind）

画面写真は test-artifacts/screenshots/ に残す（コミットしない）。
ブラウザは CHROME_BIN・CHROMEDRIVER で指定でき、既定は Debian の /usr/bin/chromium。
"""

import functools
import http.server
import os
import re
import threading

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import ROOT
from test_site import PAGES

CHROME = os.environ.get("CHROME_BIN", "/usr/bin/chromium")
DRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
SHOTS = ROOT / "test-artifacts" / "screenshots"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(built_site):
    html, _ = built_site
    handler = functools.partial(_QuietHandler, directory=str(html))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROME
    for flag in [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,900",
        f"--user-data-dir={tmp_path_factory.mktemp('chrome')}",
    ]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def _console_errors(driver):
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def _screenshot(driver, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SHOTS / (name.replace("/", "__") + ".png")))


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_without_console_errors(server, browser, name):
    browser.get_log("browser")  # 前のページのログを捨てる
    browser.get(f"{server}/{name}.html")
    WebDriverWait(browser, 30).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )
    if browser.find_elements(By.CSS_SELECTOR, ".math"):
        (
            WebDriverWait(browser, 30).until(
                lambda d: d.find_elements(By.CSS_SELECTOR, "mjx-container")
            ),
            f"{name}: 数式が MathJax で組まれていません",
        )
    for img in browser.find_elements(By.CSS_SELECTOR, "article img"):
        src = img.get_attribute("src")
        assert (img.get_attribute("alt") or "").strip(), f"{name}: 代替テキストのない画像 {src}"
        # loading="lazy" の画像は見える位置に来るまで読み込まれないので、スクロールして待つ
        browser.execute_script("arguments[0].scrollIntoView()", img)
        WebDriverWait(browser, 20).until(
            lambda d, i=img: d.execute_script(
                "return arguments[0].complete && arguments[0].naturalWidth > 0", i
            ),
            message=f"{name}: 画像が読み込めません {src}",
        )
    browser.execute_script("window.scrollTo(0, 0)")
    _screenshot(browser, name)
    errors = _console_errors(browser)
    assert not errors, f"{name}: コンソールのエラー {errors}"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("活性化関数", "chapters/02_activation_functions"),  # 題名にも本文にもある
        ("線形分離", "chapters/01_perceptron"),  # 本文の中だけにある複合語
        ("最小二乗法", "chapters/02_activation_functions"),
        ("勾配確認", "chapters/07_backpropagation"),  # 誤差逆伝播法の検算（本文と用語集）
        ("季節", "chapters/12_keras_rnn"),
    ],
)
def test_japanese_search_finds_words_in_body_text(server, browser, query, expected):
    browser.get(f"{server}/search.html?q={query}")
    results = WebDriverWait(browser, 30).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".pagefind-ui__result-link")
    )
    links = [r.get_attribute("href") for r in results]
    _screenshot(browser, f"search-{query}")
    assert any(re.search(rf"/{expected}\.html", href) for href in links), (
        f"「{query}」で {expected} が見つかりません: {links}"
    )
    assert not _console_errors(browser)


def _pages_with_animations():
    """保存された出力に <video>（アニメーション）を持つ章。"""
    import json

    pages = []
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        text = json.dumps(json.loads(path.read_text(encoding="utf-8"))["cells"])
        if "<video" in text and f"chapters/{path.stem}" in PAGES:
            pages.append(f"chapters/{path.stem}")
    return pages


@pytest.mark.parametrize("name", _pages_with_animations())
def test_animation_players_advance_when_played(server, browser, name):
    browser.get(f"{server}/{name}.html")
    videos = browser.find_elements(By.CSS_SELECTOR, "article video")
    assert videos, f"{name}: アニメーションの再生プレーヤーがありません"
    for video in videos:
        assert video.get_attribute("controls") is not None, "再生ボタンがない"
        browser.execute_script("arguments[0].muted = true; arguments[0].play();", video)
        (
            WebDriverWait(browser, 20).until(
                lambda d, v=video: d.execute_script("return arguments[0].currentTime", v) > 0.2
            ),
            f"{name}: 再生してもコマが進みません",
        )
        browser.execute_script("arguments[0].pause();", video)
    assert not _console_errors(browser)
