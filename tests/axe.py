"""Accessibility checks in a real browser, for every test that drives Chromium: axe-core (vendored in
tests/vendor/, see instruct/service/static/vendor/VENDOR.md) injected into the page, and a readable
list of what fails. RGAA / WCAG 2.1 AA: no serious or critical violation is allowed.

    from axe import assert_accessible, at_width, new_browser
    driver = new_browser(tmp_path_factory.mktemp("profil"))   # one per module
    at_width(driver, 375); driver.get(url); assert_accessible(driver, "la liste des dossiers à 375 px")
"""

from __future__ import annotations

import json
import re
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
WIDTHS = (1280, 375)  # a desktop, a phone (CSS pixels)
BLOCKING = ("serious", "critical")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: "tag", values: arguments[0]}, resultTypes: ["violations"]})
  .then(r => done(JSON.stringify(r.violations)))
  .catch(e => done(JSON.stringify({error: String(e)})));
"""


def new_browser(profile: Path, *, width: int = 1280, downloads: Path | None = None):
    """Headless Chromium through chromedriver, French, offline-minded (no background traffic), with the
    browser console kept (CSP refusals show there: see console_errors)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--lang=fr-FR",
        f"--window-size={width},1000",
        f"--user-data-dir={profile}",
    ]:
        options.add_argument(flag)
    prefs = {"intl.accept_languages": "fr-FR,fr"}
    if downloads is not None:
        prefs.update({"download.default_directory": str(downloads), "download.prompt_for_download": False})
    options.add_experimental_option("prefs", prefs)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.implicitly_wait(0)
    driver.set_script_timeout(120)
    return driver


def wait_until_loaded(driver, url: str, timeout: float = 30) -> None:
    """Until the browser shows `url`, loaded. After a form is sent the address changes as soon as the answer
    starts; a get() sent while that page still loads may return before the next page is there (seen under
    load: a dossier page's link reported missing, then found in the same page a moment later)."""
    from selenium.webdriver.support.wait import WebDriverWait

    WebDriverWait(driver, timeout).until(
        lambda d: d.current_url == url and d.execute_script("return document.readyState") == "complete"
    )


def at_width(driver, width: int, height: int = 900) -> None:
    """The viewport as a phone (narrower than 768 px: touch, mobile) or a desktop sees it."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 768},
    )


def violations(driver, impacts: tuple[str, ...] = BLOCKING) -> list[dict]:
    """axe-core's violations on the page now shown, of the given impacts."""
    if not driver.execute_script("return typeof window.axe === 'object'"):
        driver.execute_script(AXE_SOURCE)  # through the driver: the page's CSP does not apply
    found = json.loads(driver.execute_async_script(_RUN, TAGS))
    if isinstance(found, dict):
        raise AssertionError(f"axe-core n'a pas pu s'exécuter : {found['error']}")
    return [v for v in found if v.get("impact") in impacts]


def describe(found: list[dict], limit: int = 5) -> str:
    lines = []
    for v in found:
        lines.append(f"- [{v['impact']}] {v['id']} : {v['help']} ({len(v['nodes'])} élément(s)) {v['helpUrl']}")
        for node in v["nodes"][:limit]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    {' '.join(map(str, node['target']))} : {node['html'][:160]}\n      {summary[:300]}")
    return "\n".join(lines)


def assert_accessible(driver, what: str, impacts: tuple[str, ...] = BLOCKING) -> None:
    """Fails on any serious or critical axe-core violation of the page now shown, listing them."""
    found = violations(driver, impacts)
    if found:
        where = f"{what} ({driver.current_url})"
        raise AssertionError(f"{where} : {len(found)} règle(s) d'accessibilité enfreinte(s)\n" + describe(found))


def assert_no_horizontal_scroll(driver, what: str) -> None:
    """Reflow (WCAG 1.4.10): at 320 to 375 px the page scrolls down, not sideways (tables scroll inside)."""
    wide = driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
    assert wide[0] <= wide[1] + 1, f"{what} : la page déborde en largeur ({wide[0]} px pour {wide[1]} px)"


def console_errors(driver) -> list[str]:
    """The browser console's errors since the last call (CSP refusals, scripts that failed); an error
    page's own status (404, 403, 413: the page itself, as intended) is not one."""
    status = re.compile(r"^(\S+) - Failed to load resource: the server responded with a status of 4\d\d")
    found = []
    for entry in driver.get_log("browser"):
        match = status.match(entry["message"])
        if entry.get("level") == "SEVERE" and not (match and match.group(1).split("#")[0] == driver.current_url):
            found.append(entry["message"])
    return found
