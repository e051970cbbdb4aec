"""The standalone HTML report in a real headless browser (Debian's chromium, driven by selenium).

The page must load without a console error, its case tree must expand and collapse, and a
screenshot is written for review (to pytest's tmp_path; set FISCALCHECK_SCREENSHOT=path.png to
keep one, as docs/outputs-report.png was made). The network is closed: chromium runs with every
background fetch switched off and a fresh profile.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from fiscalcheck import load
from fiscalcheck.render import render

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1280,1800")

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists() or not Path(DRIVER).exists(),
    reason="the browser test needs Debian's chromium: apt-get update && apt-get install -y chromium chromium-driver",
)


@pytest.fixture(scope="module")
def browser():
    webdriver = pytest.importorskip("selenium.webdriver", reason='the browser test needs selenium: pip install ".[test]"')
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for flag in FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="fiscalcheck-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    options.binary_location = str(CHROMIUM)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.mark.needs_report
def test_the_report_loads_without_errors_and_its_tree_expands(browser, tmp_path):
    from selenium.webdriver.common.by import By

    case = load(ROOT / "cases" / "2020.yaml")
    page = tmp_path / "report.html"
    page.write_text(render([case.check()], "html", cases=[case]), encoding="utf-8")
    browser.get(page.as_uri())
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []
    assert browser.execute_script("return document.documentElement.lang") == "en"
    assert "9970万元" in browser.find_element(By.CSS_SELECTOR, "section.finding").text

    def opened() -> int:
        return browser.execute_script("return document.querySelectorAll('details.node[open]').length")

    total = browser.execute_script("return document.querySelectorAll('details.node').length")
    flagged = opened()
    assert 0 < flagged < total  # the paths down to nodes with findings start open
    browser.find_element(By.XPATH, "//button[text()='collapse all']").click()
    assert opened() == 0
    first = browser.find_element(By.CSS_SELECTOR, "details.node > summary")
    first.click()  # a click on a node opens it, as a reader would
    assert opened() == 1
    browser.find_element(By.XPATH, "//button[text()='expand all']").click()
    assert opened() == total
    culture = browser.find_element(By.CSS_SELECTOR, 'details.node[data-node="culture-zone"]')
    assert culture.is_displayed() and "9970万元" in culture.text  # the disputed figures are visible
    shot = tmp_path / "report.png"
    browser.find_element(By.XPATH, "//button[text()='collapse all']").click()
    browser.get(page.as_uri())  # as a reader first sees it
    assert browser.save_screenshot(str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    keep = os.environ.get("FISCALCHECK_SCREENSHOT")
    if keep:
        shutil.copyfile(shot, keep)
