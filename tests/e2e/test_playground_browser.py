"""The playground in a real browser: headless Chromium, driven as a trainer would, by clicking and typing.

Needs Debian's `chromium` and `chromium-driver` and the `selenium` package (in the test extra).
Without them the test is skipped, saying how to enable it; with KANOON_REQUIRE_BROWSER=1 (.ci/run
sets it) it fails instead. The screenshot is saved as data/screenshots/playground-browser.png.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.playground.server import running

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = ROOT / "data" / "screenshots" / "playground-browser.png"
HOW_TO_ENABLE = (
    "the browser test needs Chromium and its driver: `apt-get install chromium chromium-driver` "
    "(Debian) and `pip install -e '.[test]'` for selenium; .ci/run installs them and sets "
    "KANOON_REQUIRE_BROWSER=1, which makes this test mandatory"
)
WAIT = 20  # seconds a condition on the page may take (the bot answers in well under one)


def _browser_or_skip() -> tuple[str, str]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    try:
        import selenium  # noqa: F401
    except ImportError:
        chromium = None
    if not (chromium and driver):
        if os.environ.get("KANOON_REQUIRE_BROWSER") == "1":
            pytest.fail("KANOON_REQUIRE_BROWSER=1 but " + HOW_TO_ENABLE)
        pytest.skip(HOW_TO_ENABLE)
    return chromium, driver


@pytest.fixture
def browser() -> Iterator[Any]:
    chromium, driver_path = _browser_or_skip()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="kanoon-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run",
                     "--window-size=1500,1300", f"--user-data-dir={profile}"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


class Page:
    """The page, as a person sees and uses it (every call waits for the page, never for a clock)."""

    def __init__(self, driver: Any) -> None:
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait

        self.driver, self.By = driver, By
        self.wait = WebDriverWait(driver, WAIT)

    def until(self, condition: Callable[[Any], Any], what: str) -> Any:
        from selenium.common.exceptions import TimeoutException

        try:
            return self.wait.until(condition)
        except TimeoutException:
            raise AssertionError(f"the page never showed {what}") from None

    def phone(self, key: str) -> Any:
        return self.until(lambda d: d.find_element(self.By.CSS_SELECTOR, f'section.phone[data-person="{key}"]'),
                          f"the phone of {key}")

    def chat_text(self, key: str) -> str:
        from selenium.common.exceptions import StaleElementReferenceException

        try:
            return self.phone(key).find_element(self.By.CSS_SELECTOR, ".chat").text
        except StaleElementReferenceException:
            return ""

    def expect(self, key: str, text: str) -> None:
        self.until(lambda d: text in self.chat_text(key), f"{text!r} in {key}'s phone")

    def click_button(self, key: str, text: str, where: str = ".chat, .keyboard") -> None:
        """Clicks the last button with that text in the phone (the newest message's, or the keyboard's)."""
        from selenium.common.exceptions import StaleElementReferenceException

        def click(_: Any) -> bool:
            try:
                buttons = [b for b in self.phone(key).find_elements(self.By.CSS_SELECTOR, "button")
                           if b.text.strip() == text and b.is_displayed() and b.is_enabled()
                           and b.find_elements(self.By.XPATH, f"./ancestor::*[{_css_to_xpath(where)}]")]
                if buttons:
                    buttons[-1].click()
                    return True
            except StaleElementReferenceException:  # redrawn as it was found: look again
                pass
            return False

        self.until(click, f"a button {text!r} in {key}'s phone")

    def type(self, key: str, text: str) -> None:
        from selenium.webdriver.common.keys import Keys

        field = self.phone(key).find_element(self.By.CSS_SELECTOR, "input.text")
        field.send_keys(text, Keys.ENTER)


def _css_to_xpath(selectors: str) -> str:
    """'.chat, .keyboard' → an XPath test for an ancestor with one of those classes."""
    names = [s.strip().lstrip(".") for s in selectors.split(",")]
    return " or ".join(f"contains(concat(' ', normalize-space(@class), ' '), ' {n} ')" for n in names)


def _register_and_accept(driver: Any, url: str) -> dict[str, Any]:
    page = Page(driver)
    driver.get(url)
    By = page.By

    # The leader (on Bale) registers a center, clicking and typing as in the app.
    page.click_button("leader", "شروع", ".chat")
    page.click_button("leader", "ثبت کانون", ".keyboard")
    page.expect("leader", "نام کانون را بنویسید")
    page.type("leader", "کانون همیاری محله‌ی نور")
    page.click_button("leader", "هم‌محلی", ".chat")
    page.expect("leader", "کدام استان، شهر یا روستا")
    page.type("leader", "کرمان، محله‌ی شهدای هوتک")
    page.expect("leader", "توضیح کوتاه")
    page.click_button("leader", "رد شدن", ".keyboard")
    page.expect("leader", "نام و نام خانوادگی خود را")
    page.click_button("leader", "حسن جمالی", ".keyboard")
    page.expect("leader", "شماره موبایل")
    page.click_button("leader", "📱 ارسال شماره من", ".keyboard")
    page.expect("leader", "بررسی مشخصات کانون")
    page.click_button("leader", "✅ تأیید", ".chat")
    page.expect("leader", "از شما دعوت کرده است که همیار")

    # The leader forwards the invitation to the assistant (on Telegram), who opens its link.
    invitation = page.until(
        lambda d: [m for m in page.phone("leader").find_elements(By.CSS_SELECTOR, ".msg.bot")
                   if "از شما دعوت کرده است که همیار" in m.text][-1:],
        "the invitation to forward",
    )[0]
    invitation.find_element(By.CSS_SELECTOR, "button.forward-button").click()
    page.until(lambda d: d.find_element(By.ID, "forward-dialog").is_displayed(), "the forward dialog")
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element(By.ID, "forward-to")).select_by_value("assistant")
    driver.find_element(By.CSS_SELECTOR, '#forward-form button[value="forward"]').click()
    link = page.until(
        lambda d: [a for a in page.phone("assistant").find_elements(By.CSS_SELECTOR, ".msg.forward a")
                   if "t.me/" in a.get_attribute("href")][-1:],
        "the forwarded invitation in the assistant's phone",
    )[0]
    link.click()
    page.expect("assistant", "دعوت به همیاری کانون")
    page.click_button("assistant", "✅ قبول", ".chat")
    page.expect("assistant", "نام و نام خانوادگی خود را")
    page.type("assistant", "زهرا قادری")
    page.expect("assistant", "شماره موبایل")
    page.click_button("assistant", "📱 ارسال شماره من", ".keyboard")
    page.expect("assistant", "✅ شما همیار «")

    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SCREENSHOT))
    return {
        "leader": page.chat_text("leader"),
        "assistant": page.chat_text("assistant"),
        "accessibility": driver.execute_script(ACCESSIBILITY_CHECK),
    }


# Runs in the page: the facts of an accessibility smoke check, for the test to judge.
ACCESSIBILITY_CHECK = """
const html = document.documentElement;
function rgb(value) { const m = value.match(/[\\d.]+/g).map(Number); return m.length === 3 ? [...m, 1] : m; }
function luminance([r, g, b]) {
  const c = [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}
function background(element) {
  for (let e = element; e; e = e.parentElement) {
    const color = rgb(getComputedStyle(e).backgroundColor);
    if (color[3] > 0.5) return color;
  }
  return [255, 255, 255, 1];
}
function contrast(element) {
  const a = luminance(rgb(getComputedStyle(element).color)), b = luminance(background(element));
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}
const texts = [...document.querySelectorAll("h1, .subtitle, .clock, button, .msg .body, .meta, .who h2, .who p, .scenario li")]
  .filter((e) => e.offsetParent !== null && e.textContent.trim());
const clickable = [...document.querySelectorAll("[onclick], [role=button], .inline-row > *, .keyboard-row > *")];
return {
  lang: html.lang, dir: html.dir,
  not_buttons: clickable.filter((e) => e.tagName !== "BUTTON").map((e) => e.outerHTML.slice(0, 80)),
  unnamed_buttons: [...document.querySelectorAll("button")].filter((b) => !(b.textContent.trim() || b.getAttribute("aria-label"))).length,
  unlabelled_inputs: [...document.querySelectorAll("input, select")].filter((i) => !i.closest("label") && !i.labels.length).length,
  low_contrast: texts.map((e) => [e.textContent.trim().slice(0, 30), contrast(e), getComputedStyle(e).color,
                                  String(background(e)), e.className]).filter(([, ratio]) => ratio < 4.5),
  checked: texts.length,
};
"""


async def test_a_trainer_registers_a_center_and_accepts_in_the_browser(browser: Any, tmp_path: Path) -> None:
    async with running(tmp_path / "data") as ground:
        seen = await asyncio.to_thread(_register_and_accept, browser, ground.url)
    assert "✅ ثبت شد" in seen["leader"]
    assert "کانون همیاری محله‌ی نور" in seen["assistant"]
    assert "فعال شد" in seen["leader"] or "پذیرفت" in seen["leader"]  # the leader hears of the acceptance
    a11y = seen["accessibility"]
    assert (a11y["lang"], a11y["dir"]) == ("fa", "rtl")
    assert a11y["not_buttons"] == [] and a11y["unnamed_buttons"] == 0 and a11y["unlabelled_inputs"] == 0
    assert a11y["checked"] > 50 and a11y["low_contrast"] == []
    assert SCREENSHOT.stat().st_size > 10_000
