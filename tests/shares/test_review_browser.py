"""The review page in a real browser: headless Chromium (Debian's, driven by Selenium
through the system chromedriver; nothing downloads a browser) opens the share link that
`make run` prints, enters its password, plays, steps one frame, posts a comment, and
the studio reads the comment back through gazu. Screenshots at desktop and phone width
go to out/screens/ (git-ignored)."""
import pathlib
import re
import shutil
import time

import gazu
import pytest
import requests

from devstack import demo
from devstack.stack import free_port
from tests.devstack.served import ROOT, ServedStack

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
SCREENS = ROOT / "out" / "screens"
pytestmark = pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER),
                                reason="needs Debian's chromium and chromium-driver (.ci/run installs them)")


@pytest.fixture(scope="module")
def demo_stack():
    served = ServedStack(free_port(), free_port(), demo=True)
    try:
        yield served.started()
    finally:
        served.kill()


@pytest.fixture
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
                     "--autoplay-policy=no-user-gesture-required", "--mute-audio"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def printed(served: ServedStack, pattern: str) -> str:
    return re.search(pattern, served.output).group(1)


def wait_until(condition, seconds: float = 30, what: str = ""):
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def build_movie(served: ServedStack, token: str, playlist_id: str) -> dict:
    api = f"{served.api_url}/api/data/playlists/{playlist_id}"
    headers = {"Authorization": f"Bearer {token}"}
    job = requests.get(f"{api}/build/mp4", headers=headers, timeout=30).json()
    return wait_until(lambda: (lambda j: j if j["status"] == "succeeded" else None)(
        requests.get(f"{api}/jobs/{job['id']}", headers=headers, timeout=30).json()), seconds=90, what="the build")


def test_a_client_opens_the_printed_link_plays_steps_a_frame_and_comments(demo_stack, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    review_url = printed(demo_stack, r"(http://\S+/review/\S+)")
    manager_token = printed(demo_stack, r"manager\s+\S+\s+token: (\S+)")
    playlist_id = printed(demo_stack, r"demo playlist: .* \((\S+)\); build")
    built = build_movie(demo_stack, manager_token, playlist_id)
    browser.get(review_url)
    field = wait_until(lambda: browser.find_element(By.ID, "password").is_displayed()
                       and browser.find_element(By.ID, "password"), what="the password form")
    field.send_keys(demo.DEMO_PASSWORD)
    browser.find_element(By.ID, "password-submit").click()
    wait_until(lambda: browser.find_element(By.ID, "player").is_displayed(), what="the player")
    thumbnails = wait_until(lambda: browser.find_elements(By.CSS_SELECTOR, "#strip button"), what="the strip")
    assert len(thumbnails) == 3
    video = browser.find_element(By.ID, "video")
    # The playlist has a built movie: the page plays it, each entry at its frames.
    wait_until(lambda: f"/jobs/{built['id']}/build/mp4" in (video.get_attribute("src") or ""), what="the build")

    def current_time() -> float:
        return browser.execute_script("return arguments[0].currentTime", video)

    browser.find_element(By.ID, "play").click()
    wait_until(lambda: current_time() > 0.3, what="the movie to play")
    browser.find_element(By.ID, "play").click()  # pause
    thumbnails[1].click()  # seeks to the second entry
    wait_until(lambda: browser.execute_script("return arguments[0].readyState", video) >= 2, what="entry 2")
    assert "current" in thumbnails[1].get_attribute("class")
    frame = int(browser.find_element(By.ID, "frame").text)
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.ARROW_RIGHT)
    wait_until(lambda: int(browser.find_element(By.ID, "frame").text) == frame + 1, what="the next frame")
    browser.find_element(By.ID, "next-frame").click()
    wait_until(lambda: int(browser.find_element(By.ID, "frame").text) == frame + 2, what="one more frame")
    assert re.fullmatch(r"\d\d:\d\d:\d\d:\d\d", browser.find_element(By.ID, "timecode").text)
    SCREENS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SCREENS / "review-desktop.png"))

    browser.find_element(By.ID, "guest-name").send_keys("Cleo Client")
    note = f"the horizon tilts {time.time_ns()}"
    browser.find_element(By.ID, "comment-text").send_keys(note)
    browser.find_element(By.ID, "comment-submit").click()
    wait_until(lambda: browser.find_element(By.ID, "message").text == "Comment posted.", what="the comment")
    browser.set_window_size(390, 844)
    time.sleep(0.3)
    browser.save_screenshot(str(SCREENS / "review-phone.png"))
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide on a phone"

    token = review_url.rsplit("/", 1)[1]
    shared = requests.get(f"{demo_stack.api_url}/api/shared/playlists/{token}",
                          params={"password": demo.DEMO_PASSWORD}, timeout=30).json()
    task_id = shared["shots"][1]["preview_file_task_id"]
    gazu.set_host(f"{demo_stack.api_url}/api")
    gazu.client.set_tokens({"access_token": manager_token})
    comments = [c for c in gazu.task.all_comments_for_task(task_id) if note in c["text"]]
    assert len(comments) == 1
    assert comments[0]["text"].startswith(f"Frame {frame + 2} (")
    assert gazu.person.get_person(comments[0]["person_id"])["first_name"] == "Cleo"
    assert pathlib.Path(SCREENS / "review-phone.png").stat().st_size > 1000
