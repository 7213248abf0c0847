"""What the browser tests share: a headless Chromium that reaches nothing off the machine,
logging in, the console's errors and full-page screenshots (written to ``test-output/``)."""
from __future__ import annotations

import base64
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

OUTPUT = Path(__file__).resolve().parents[4] / "test-output"
PASSWORD = "correct-horse-battery-staple"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1280,1600")


def chromium(javascript: bool = True) -> Any:
    """A headless Chromium with its console log kept; skipped where it is not installed,
    except in CI, where its absence fails."""
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        if os.environ.get("CI"):
            pytest.fail("chromium and chromium-driver must be installed in CI (.ci/run does)")
        pytest.skip("chromium and chromium-driver are not installed")
    from selenium import webdriver
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in FLAGS:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    if not javascript:
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2})
    service = webdriver.ChromeService(executable_path=shutil.which("chromedriver"))
    return webdriver.Chrome(options=options, service=service)


def log_in(browser: Any, base: str, user: dict[str, Any]) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    browser.get(base + "/user/login")
    browser.find_element(By.ID, "field-login").send_keys(user["name"])
    browser.find_element(By.ID, "field-password").send_keys(PASSWORD)
    browser.find_element(By.ID, "field-password").submit()
    WebDriverWait(browser, 30).until(lambda b: "/user/login" not in b.current_url)


def console_errors(browser: Any) -> list[str]:
    return [entry["message"] for entry in browser.get_log("browser")
            if entry["level"] == "SEVERE"]


def screenshot(browser: Any, name: str) -> None:
    """The whole page, not only the window."""
    OUTPUT.mkdir(exist_ok=True)
    shot = browser.execute_cdp_cmd("Page.captureScreenshot",
                                   {"captureBeyondViewport": True, "fromSurface": True})
    (OUTPUT / name).write_bytes(base64.b64decode(shot["data"]))
