"""juesuan serve in a real browser: Debian's chromium, headless, driven by selenium through Debian's
chromedriver (nothing is downloaded: the machine has no network).  Marked ``browser`` so it can be
chosen or left out with -m, but it runs in the normal suite, and a missing chromium fails it."""

from __future__ import annotations

import re
import subprocess
import threading
import time
from pathlib import Path

import pytest

from web_helpers import ADMIN, ADMIN_PASSWORD, UNIT_PASSWORD, WORKBOOK, add_unit_accounts, app_for, make_county

pytestmark = pytest.mark.browser

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
SCREENSHOTS = Path(__file__).resolve().parent.parent / "output" / "screenshots"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from waitress import create_server

    county = make_county(tmp_path_factory.mktemp("county"))
    app = app_for(county)
    ids = add_unit_accounts(app)
    http = create_server(app, host="127.0.0.1", port=0, threads=8)
    thread = threading.Thread(target=http.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.effective_port}", ids, county
    http.close()
    app.extensions["juesuan"].close()


def _browser(downloads: Path, profile: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    assert CHROMIUM.is_file() and CHROMEDRIVER.is_file(), \
        "chromium and chromium-driver are needed (bash scripts/setup.sh installs them)"
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1366,768", "--lang=zh-CN"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False,
                                              "safebrowsing.enabled": False})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.set_page_load_timeout(300)
    return driver


@pytest.fixture
def browser(tmp_path):
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    driver = _browser(downloads, tmp_path / "profile")
    driver.downloads = downloads
    yield driver
    driver.quit()


def _submit(driver, button_id: str, timeout: float = 300) -> None:
    """Click a form's button and wait until the browser shows the next page, loaded (a click
    returns at once).  The page left behind is told by a mark set on its window, which a new
    document does not have; asking an element of the old page whether it is stale races the
    navigation (chromedriver then answers "Node with given id does not belong to the
    document" instead of "stale element"), so the wait retries while the browser is between
    pages."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.execute_script("window.__juesuanLeft = true;")
    driver.find_element(By.ID, button_id).click()
    WebDriverWait(driver, timeout, ignored_exceptions=(WebDriverException,)).until(
        lambda d: d.execute_script("return window.__juesuanLeft === undefined && document.readyState === 'complete'"))


def _login(driver, base, username, password):
    from selenium.webdriver.common.by import By

    driver.get(f"{base}/login")
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(password)
    _submit(driver, "login-button")


def _downloaded(folder: Path, suffix: str, timeout: float = 300) -> Path:
    start = time.time()
    while time.time() - start < timeout:
        done = [p for p in folder.iterdir() if p.name.endswith(suffix)]
        if done and not any(p.name.endswith(".crdownload") for p in folder.iterdir()):
            return done[0]
        time.sleep(0.3)
    raise AssertionError(f"no {suffix} downloaded into {folder}: {list(folder.iterdir())}")


def _shot(driver, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SCREENSHOTS / name))


def test_a_unit_imports_its_workbook_edits_a_reason_previews_and_downloads_the_pdf(server, browser):
    from selenium.webdriver.common.by import By

    base, ids, county = server
    unit = ids["yiyang"]
    _login(browser, base, "yiyang", UNIT_PASSWORD)
    assert browser.current_url.endswith(f"/units/{unit}")
    browser.find_element(By.ID, "workbook-file").send_keys(str(WORKBOOK))
    _submit(browser, "upload-workbook")
    assert "工作簿已导入" in browser.find_element(By.ID, "upload-done").text
    browser.get(browser.find_element(By.ID, "back-to-unit").get_attribute("href"))
    issues = browser.find_element(By.ID, "issues").text
    assert issues.count("尾数误差") == 3, issues                    # 02表, 06表 302 and 年初预算合计
    _shot(browser, "unit-after-import.png")

    browser.get(f"{base}/units/{unit}/edit")
    _shot(browser, "edit.png")
    reason = browser.find_element(By.ID, "i-reasons.total_change")
    reason.clear()
    reason.send_keys("浏览器中修改的原因压减会议支出")
    _submit(browser, "save")
    assert "已保存 1 处改动" in browser.page_source
    assert "浏览器中修改的原因压减会议支出" in (county / "yiyang-2024-shebao.yaml").read_text(encoding="utf-8")

    browser.get(f"{base}/units/{unit}/preview")
    images = browser.find_elements(By.CSS_SELECTOR, "figure.page img")
    assert len(images) > 10
    browser.execute_script("arguments[0].scrollIntoView()", images[0])
    time.sleep(0.5)
    assert browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth", images[0]) > 500
    _shot(browser, "preview.png")

    browser.get(f"{base}/units/{unit}")
    browser.find_element(By.ID, "download-pdf").click()
    pdf = _downloaded(browser.downloads, ".pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "浏览器中修改的原因压减会议支出" in re.sub(r"\s+", "", text)


def test_the_bureau_runs_the_county_batch_and_downloads_the_review_workbook(server, browser):
    from openpyxl import load_workbook
    from selenium.webdriver.common.by import By

    base, ids, _ = server
    _login(browser, base, ADMIN, ADMIN_PASSWORD)
    assert browser.current_url.endswith("/county")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#county tbody tr")) == 4
    _shot(browser, "county.png")
    browser.get(f"{base}/county/batch")
    _submit(browser, "start-batch")
    start = time.time()
    while not browser.find_elements(By.ID, "batch-finished"):
        assert not browser.find_elements(By.ID, "batch-failed"), browser.page_source
        assert time.time() - start < 900
        time.sleep(1)
        if time.time() - start > 2 and not browser.find_elements(By.ID, "batch-progress"):
            browser.refresh()
    browser.find_element(By.ID, "download-review").click()
    review = _downloaded(browser.downloads, ".xlsx")
    sheet = load_workbook(review)["单位"]
    assert sheet.max_row == 5


def test_a_unit_gets_403_for_another_units_page_preview_file_and_download(server, browser):
    from selenium.webdriver.common.by import By

    base, ids, _ = server
    _login(browser, base, "demo", UNIT_PASSWORD)
    other = ids["lanshan"]
    for url in (f"/units/{other}", f"/units/{other}/preview", f"/units/{other}/unit.yaml",
                f"/units/{other}/download/0.pdf"):
        browser.get(base + url)
        assert "没有权限" in browser.find_element(By.ID, "error-message").text or "没有权限" in browser.title, url
    status = browser.execute_script(
        "return fetch(arguments[0]).then(r => r.status)", f"{base}/units/{other}/download/0.pdf")
    assert status == 403


def test_a_form_posted_without_its_token_is_refused_in_the_browser(server, browser):
    from selenium.webdriver.common.by import By

    base, ids, _ = server
    _login(browser, base, "demo", UNIT_PASSWORD)
    browser.get(f"{base}/units/{ids['demo']}/edit")
    browser.execute_script("document.querySelector('form.edit input[name=csrf_token]').remove()")
    _submit(browser, "save")
    assert "安全令牌" in browser.find_element(By.ID, "error-message").text


def test_an_upload_past_the_limit_is_refused_in_the_browser(server, browser, tmp_path):
    from selenium.webdriver.common.by import By

    base, ids, _ = server
    big = tmp_path / "太大的工作簿.xlsx"
    big.write_bytes(b"PK\x03\x04" + b"\0" * (22 * 1024 * 1024))
    _login(browser, base, "demo", UNIT_PASSWORD)
    browser.get(f"{base}/units/{ids['demo']}")
    browser.find_element(By.ID, "workbook-file").send_keys(str(big))
    _submit(browser, "upload-workbook")
    assert "文件太大" in browser.page_source
    wrong = tmp_path / "不是工作簿.xlsx"
    wrong.write_text("这不是工作簿", encoding="utf-8")
    browser.get(f"{base}/units/{ids['demo']}")
    browser.find_element(By.ID, "workbook-file").send_keys(str(wrong))
    _submit(browser, "upload-workbook")
    assert "不是 Excel 工作簿" in browser.find_element(By.ID, "upload-refused").text
