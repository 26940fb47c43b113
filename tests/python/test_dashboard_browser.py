"""The local web dashboard (`elizacloud serve` at `/`) in a real headless Chromium driven by
Selenium, against the emulator: the whole lifecycle through the page (log in, credits, create and
connect an agent, chat plain and streaming, a reconnect after failed heartbeats, snapshot, restore,
shut down, disconnect), the token (form, #token= fragment), the security headers, that the page
loads nothing from anywhere but the server, and a 360 px wide screen with the keyboard only.

Needs Debian's `chromium` and `chromium-driver` and the `selenium` package (scripts/setup.sh
installs them); without them these tests fail, they are never skipped. A screenshot of each step
is saved under $EC_TEST_ARTIFACTS/<test name>/ (else the test's tmp_path); the folder is printed.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import select
import shutil
import time
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from rest_support import Serve

try:
    from selenium import webdriver
    from selenium.common.exceptions import (
        NoAlertPresentException,
        NoSuchElementException,
        StaleElementReferenceException,
        WebDriverException,
    )
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver import Chrome
    from selenium.webdriver.remote.webelement import WebElement
    from selenium.webdriver.support.ui import WebDriverWait

    SELENIUM_ERROR = ""
except ImportError as exc:  # reported by the browser fixture: a failure, not a skip
    SELENIUM_ERROR = str(exc)

TOKEN = "dashboard-token-0123456789abcdef"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
BILLING = "/dashboard/settings?tab=billing"
USER_ID = "00000000-0000-4000-8000-000000000001"
ORG_ID = "00000000-0000-4000-8000-0000000000a1"
FAST_HEARTBEAT = {"cloud": {"bridge": {"heartbeatIntervalMs": 100, "reconnectIntervalMs": 50}}}
WAIT = 20.0


# ---- fixtures -----------------------------------------------------------------------------------


def find_program(*names: str) -> str:
    for name in names:
        path = shutil.which(name) or (f"/usr/bin/{name}" if os.access(f"/usr/bin/{name}", os.X_OK)
                                      else None)
        if path:
            return path
    return ""


@pytest.fixture
def artifacts(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    root = os.environ.get("EC_TEST_ARTIFACTS")
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    folder = Path(root) / name if root else tmp_path / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots of {request.node.name}: {folder}")
    return folder


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Chrome]:
    if SELENIUM_ERROR:
        pytest.fail(f"selenium is not installed ({SELENIUM_ERROR}); run scripts/setup.sh")
    chromium = find_program("chromium", "chromium-browser")
    driver = find_program("chromedriver", "chromium-driver")
    if not chromium or not driver:
        pytest.fail("the browser tests need Debian's chromium and chromium-driver "
                    f"(found chromium={chromium or 'none'}, chromedriver={driver or 'none'}); "
                    "run scripts/setup.sh")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in (
        "--headless=new",
        "--window-size=1280,1800",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
    ):
        options.add_argument(arg)
    if os.geteuid() == 0:
        options.add_argument("--no-sandbox")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    service = Service(executable_path=driver, log_output=str(tmp_path / "chromedriver.log"))
    drv = webdriver.Chrome(options=options, service=service)
    drv.set_page_load_timeout(30)
    try:
        yield drv
    finally:
        drv.quit()


@pytest.fixture
def serve(emulator: Any, tmp_path: Path) -> Iterator[Callable[..., Serve]]:
    """Starts `elizacloud serve` against the emulator; .dashboard_line is its second line (the
    dashboard's address, with the token in the fragment when started with --token)."""
    started: list[Serve] = []

    def start(*args: str, config: dict[str, Any] | None = None) -> Serve:
        path = tmp_path / f"milady-{len(started)}.json"
        if config is not None:
            path.write_text(json.dumps(config))
        srv = Serve(emulator, path, args, expect_start=False)
        started.append(srv)
        lines = read_lines(srv, 2)
        srv.line = lines[0]
        assert srv.line.startswith("listening on http://127.0.0.1:"), (lines, srv.stderr_text())
        srv.port = int(srv.line.rsplit(":", 1)[1])
        srv.dashboard_line = lines[1]  # type: ignore[attr-defined]
        if "--token" not in args:
            assert lines[1] == f"dashboard: http://127.0.0.1:{srv.port}/", lines
        return srv

    yield start
    problems = []
    for srv in started:
        code = srv.stop() if srv.port else srv.proc.wait(10)
        if code != 0:
            problems.append(f"exit {code}: {srv.stderr_text()[-3000:]}")
        srv.close()
    if problems:
        pytest.fail("serve did not shut down cleanly:\n" + "\n".join(problems))


def read_lines(srv: Serve, count: int, timeout: float = 30.0) -> list[str]:
    assert srv.proc is not None and srv.proc.stdout is not None
    fd = srv.proc.stdout.fileno()
    buf = b""
    deadline = time.monotonic() + timeout
    while buf.count(b"\n") < count:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"serve printed {buf!r} only; stderr: {srv.stderr_text()}"
        if select.select([fd], [], [], remaining)[0]:
            chunk = os.read(fd, 4096)
            assert chunk, f"serve exited after {buf!r}; stderr: {srv.stderr_text()}"
            buf += chunk
    return buf.decode().splitlines()[:count]


# ---- page helpers -------------------------------------------------------------------------------


class Page:
    """The dashboard in the browser: elements by id, waits, screenshots numbered in order."""

    def __init__(self, driver: Chrome, origin: str, folder: Path) -> None:
        self.driver = driver
        self.origin = origin
        self.folder = folder
        self.shots = 0

    def open(self, fragment: str = "") -> None:
        self.driver.get(self.origin + "/" + fragment)
        self.wait(lambda: self.driver.execute_script(
            "return document.documentElement.dataset.ready === 'true'"), "the page never loaded")

    def el(self, element_id: str) -> WebElement:
        return self.driver.find_element(By.ID, element_id)

    def text(self, element_id: str) -> str:
        return str(self.driver.execute_script(
            "return document.getElementById(arguments[0]).textContent", element_id)).strip()

    def shown(self, element_id: str) -> bool:
        return bool(self.el(element_id).is_displayed())

    def wait(self, condition: Callable[[], Any], what: str, timeout: float = WAIT) -> Any:
        try:
            return WebDriverWait(
                self.driver, timeout, poll_frequency=0.05,
                ignored_exceptions=(NoSuchElementException, StaleElementReferenceException),
            ).until(lambda _: condition())
        except Exception as exc:  # noqa: BLE001 - say what the page showed instead
            self.shot("failure")
            raise AssertionError(f"{what}; page text:\n{self.body_text()}") from exc

    def wait_text(self, element_id: str, pattern: str, timeout: float = WAIT) -> str:
        self.wait(lambda: re.search(pattern, self.text(element_id)),
                  f"#{element_id} never matched {pattern!r} (it says {self.text(element_id)!r})",
                  timeout)
        return self.text(element_id)

    def body_text(self) -> str:
        try:
            return str(self.driver.find_element(By.TAG_NAME, "body").text)
        except WebDriverException:
            return "<no page>"

    def shot(self, name: str) -> None:
        self.shots += 1
        path = self.folder / f"{self.shots:02d}-{name}.png"
        self.driver.save_screenshot(str(path))

    def fill(self, element_id: str, text: str) -> None:
        field = self.el(element_id)
        field.clear()
        if text:
            field.send_keys(text)

    def confirm(self, accept: bool) -> str:
        alert = WebDriverWait(self.driver, WAIT).until(lambda d: d.switch_to.alert)
        message = str(alert.text)
        if accept:
            alert.accept()
        else:
            alert.dismiss()
        return message

    def no_dialog(self) -> None:
        try:
            alert = self.driver.switch_to.alert
        except NoAlertPresentException:
            return
        raise AssertionError(f"unexpected dialog: {alert.text}")

    def click(self, css: str) -> None:
        """Clicks the element the selector finds; found again if the page re-rendered it."""
        for _ in range(20):
            try:
                self.driver.find_element(By.CSS_SELECTOR, css).click()
                return
            except StaleElementReferenceException:
                time.sleep(0.05)
        raise AssertionError(f"{css} kept being re-rendered")

    def css_text(self, css: str) -> str:
        """The text of the element the selector finds, read at once (no stale reference)."""
        return str(self.driver.execute_script(
            "const e = document.querySelector(arguments[0]); return e ? e.innerText : ''", css))

    def attributes(self, css: str, name: str) -> list[str]:
        """An attribute of every element the selector finds, in document order, read at once."""
        script = ("return [...document.querySelectorAll(arguments[0])]"
                  ".map(e => e.getAttribute(arguments[1]))")
        return [str(v) for v in self.driver.execute_script(script, css, name)]

    def agent_names(self) -> list[str]:
        return self.attributes('tr[data-testid="agent-row"]', "data-name")

    def conn_log_states(self) -> list[str]:
        return list(reversed(self.attributes("#conn-log li", "data-state")))

    def backup_ids(self) -> list[str]:
        return self.attributes("[data-testid=backup-row]", "data-backup-id")

    def last_agent_message(self) -> WebElement:
        return self.driver.find_elements(By.CSS_SELECTOR, '#chat-log li[data-role="agent"]')[-1]

    def resource_urls(self) -> list[str]:
        """Every URL this document loaded: the navigation and its resource entries (fetches
        and streams included)."""
        return [str(u) for u in self.driver.execute_script(
            "return performance.getEntries().map(e => e.name).filter(n => /^[a-z]+:/.test(n))")]

    def requested_urls(self) -> list[str]:
        """Every URL the browser was about to request since the last call (Chrome's
        performance log: Network.requestWillBeSent)."""
        urls = []
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method") == "Network.requestWillBeSent":
                urls.append(str(message["params"]["request"]["url"]))
        return urls

    def console_errors(self) -> list[str]:
        return [str(e["message"]) for e in self.driver.get_log("browser")
                if e.get("level") == "SEVERE"]


def http_get(
    port: int, path: str, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def config_key(srv: Serve) -> str:
    return str(json.loads(srv.config.read_text())["cloud"]["apiKey"])


# ---- the lifecycle ------------------------------------------------------------------------------


@pytest.mark.emulator_args("--provision-ms", "1500", "--stream-chunk-chars", "3",
                           "--stream-chunk-delay-ms", "120")
def test_the_whole_lifecycle_through_the_page(serve, emulator, browser, artifacts):
    srv = serve(config=FAST_HEARTBEAT)
    origin = f"http://127.0.0.1:{srv.port}"
    page = Page(browser, origin, artifacts)
    page.open()
    assert page.text("account-state") == "Not logged in."
    page.wait_text("conn-state", "^disconnected$")
    page.wait_text("stream-state", "Live updates on")
    assert page.text("agents-empty") == "Log in to list and create agents."
    page.shot("start")

    # Log in: the page opens the cloud's login page in a new window; approving there logs in.
    home = browser.current_window_handle
    page.el("login-button").click()
    page.wait(lambda: len(browser.window_handles) == 2, "the login page did not open")
    page.wait_text("account-state", "Waiting for you to approve")
    browser.switch_to.window([h for h in browser.window_handles if h != home][0])
    assert browser.current_url.startswith(f"{emulator.url}/auth/cli-login?session=")
    page.shot("cloud-login-page")
    browser.find_element(By.CSS_SELECTOR, "form button, form input[type=submit]").click()
    WebDriverWait(browser, WAIT).until(lambda d: "approved" in d.page_source)
    browser.close()
    browser.switch_to.window(home)
    state = page.wait_text("account-state", "Logged in to Eliza Cloud with the key")
    key = config_key(srv)
    assert state == f"Logged in to Eliza Cloud with the key {key[:12]}…"
    assert key not in browser.page_source and key[12:] not in browser.page_source
    page.shot("logged-in")

    # Status and credits, then the low and critical badges after a refresh.
    page.wait_text("status-connected", "^connected$")
    assert page.text("status-enabled") == "yes"
    assert page.text("status-user") == USER_ID and page.text("status-org") == ORG_ID
    assert page.text("credits-balance") == "$25.00"
    assert not page.shown("credits-low") and not page.shown("credits-critical")
    assert page.el("topup-link").get_attribute("href") == emulator.url + BILLING
    emulator.set_credits(1.5)
    page.el("refresh-button").click()
    page.wait_text("credits-balance", r"^\$1\.50$")
    assert page.shown("credits-low") and not page.shown("credits-critical")
    page.shot("credits-low")
    emulator.set_credits(0.25)
    page.el("refresh-button").click()
    page.wait_text("credits-balance", r"^\$0\.25$")
    assert page.shown("credits-critical") and not page.shown("credits-low")
    page.shot("credits-critical")
    emulator.set_credits(25)

    # Create an agent: the form is checked before anything is sent.
    page.wait_text("agents-empty", "No agents yet")
    page.fill("agent-name", "dash-agent")
    page.fill("agent-config", "[1, 2]")
    page.el("create-button").click()
    page.wait_text("create-error", "must be a JSON object")
    assert page.el("agent-config").get_attribute("aria-invalid") == "true"
    page.fill("agent-config", '{"bio": "made in the dashboard"}')
    page.fill("agent-env", "GREETING=hello\nnot a pair")
    page.el("create-button").click()
    page.wait_text("create-error", "Line 2 of the environment is not KEY=VALUE")
    assert emulator.state()["agents"] == []
    page.shot("create-form-errors")
    page.fill("agent-env", "GREETING=hello world\n\nMODE=a=b")
    page.el("create-button").click()
    page.wait(lambda: page.agent_names() == ["dash-agent"], "the new agent is not listed")
    assert page.text("create-error") == "" and page.el("agent-name").get_attribute("value") == ""
    agent = emulator.state()["agents"][0]
    assert agent["agentName"] == "dash-agent"
    agent_id = page.attributes('tr[data-testid="agent-row"]', "data-agent-id")[0]
    assert agent_id == agent["id"]
    page.shot("agent-created")

    # Connect: the provisioning job's progress shows in the row while the request runs.
    row = 'tr[data-testid="agent-row"][data-name="dash-agent"]'
    page.click(f"{row} [data-action=connect]")
    page.wait(lambda: "provisioning:" in page.css_text(row),
              "no provisioning progress in the agent's row")
    assert "Connecting…" in page.css_text(row)
    page.shot("connecting")
    page.wait_text("conn-state", "^connected$")
    page.wait_text("agents-message", "Connected to dash-agent")
    assert "connected" in page.css_text(f"{row} .badge")
    progress = page.css_text(f"{row} [data-testid=agent-progress]")
    assert progress.startswith("Last provisioning:"), progress
    assert page.text("conn-agent") == "dash-agent"
    assert page.conn_log_states()[-2:] == ["connecting", "connected"]
    assert page.text("chat-target") == "Talking to dash-agent."
    page.shot("connected")

    # Chat, plain: the whole reply at once.
    page.el("chat-stream").click()
    assert not page.el("chat-stream").is_selected()
    page.el("chat-input").send_keys("hello plain", Keys.ENTER)
    page.wait(lambda: page.last_agent_message().get_attribute("data-done") == "true",
              "the plain reply never came")
    assert page.last_agent_message().find_element(By.CLASS_NAME, "text").text == "echo: hello plain"

    # Chat, streaming: the reply grows on the page while it is being written.
    page.el("chat-stream").click()
    page.el("chat-input").send_keys("hello streaming world", Keys.ENTER)
    seen: set[str] = set()

    def partial() -> bool:
        item = page.last_agent_message()
        text = str(item.find_element(By.CLASS_NAME, "text").text)
        if item.get_attribute("aria-busy") == "true" and text:
            seen.add(text)
        return len(seen) >= 2

    page.wait(partial, "the streamed reply did not appear piece by piece")
    page.shot("chat-streaming")
    page.wait(lambda: page.last_agent_message().get_attribute("data-done") == "true",
              "the streamed reply never finished")
    final = "echo: hello streaming world"
    assert page.last_agent_message().find_element(By.CLASS_NAME, "text").text == final
    assert all(final.startswith(s) and s != final for s in seen), seen
    assert page.text("chat-error") == ""
    assert emulator.agent_state(agent_id)["messages"] == 2
    page.shot("chat-done")

    # A reply that fails: the error shows next to the chat, in our words, not the agent's.
    emulator.script_replies([{"error": {"code": -32000, "message": "Sandbox exploded"}}], agent_id)
    page.el("chat-input").send_keys("this one fails", Keys.ENTER)
    failed = page.wait_text("chat-error", "^The message was not answered: .+")
    assert "Sandbox exploded" not in failed, failed
    page.shot("chat-error")

    # A reconnect: three failed heartbeats → reconnecting, then connected again, live.
    emulator.heartbeat_failures(3, agentId=agent_id)
    page.wait(lambda: "reconnecting" in page.conn_log_states(), "no reconnecting state shown")
    page.wait(lambda: page.conn_log_states()[-1] == "connected"
              and page.conn_log_states().count("connected") >= 2, "never connected again")
    entry = browser.find_element(By.CSS_SELECTOR, '#conn-log li[data-state="reconnecting"]').text
    assert "connected → reconnecting, attempt 1" in entry
    assert "The cloud agent reported an error" in entry
    page.wait_text("conn-state", "^connected$")
    page.shot("reconnected")

    # Backups of the connected agent: snapshot now, then it is listed.
    assert page.el("backup-agent").get_attribute("value") == agent_id
    snapshots = emulator.agent_state(agent_id)["snapshots"]
    before = set(page.backup_ids())
    page.el("snapshot-button").click()
    page.wait_text("backups-message", r"^Snapshot saved \(\d+ bytes, ")
    backup_id = str(page.el("backups-message").get_attribute("data-backup-id"))
    assert backup_id and backup_id not in before
    page.wait(lambda: backup_id in page.backup_ids(), "the snapshot is not listed")
    assert emulator.agent_state(agent_id)["snapshots"] == snapshots + 1
    page.shot("snapshot")

    # Restore asks first; dismissing does nothing, accepting restores that backup.
    restore = f'button[data-testid=backup-restore][data-backup-id="{backup_id}"]'
    page.click(restore)
    assert page.confirm(accept=False).startswith("Restore dash-agent from the backup of")
    time.sleep(0.3)
    assert page.text("backups-message") == ""
    page.click(restore)
    page.confirm(accept=True)
    page.wait_text("backups-message", "^Restored dash-agent from the backup of")
    assert page.el("backups-message").get_attribute("data-backup-id") == backup_id
    page.shot("restored")
    # "Restore latest" sends no id: the newest backup (listed first) is the one restored.
    page.el("restore-latest").click()
    assert page.confirm(accept=True) == (
        "Restore dash-agent from its latest backup? Its current state is replaced.")
    page.wait(lambda: page.el("backups-message").get_attribute("data-backup-id")
              == page.backup_ids()[0] and page.text("backups-message").startswith("Restored"),
              "the latest backup was not restored")

    # Shut down asks first too (a second agent, so the connected one stays).
    page.fill("agent-name", "spare")
    page.el("create-button").click()
    page.wait(lambda: "spare" in page.agent_names(), "the spare agent is not listed")
    spare = 'tr[data-testid="agent-row"][data-name="spare"] [data-action=shutdown]'
    page.click(spare)
    assert page.confirm(accept=False).startswith("Shut down spare?")
    time.sleep(0.3)
    assert "spare" in page.agent_names()
    page.click(spare)
    page.confirm(accept=True)
    page.wait(lambda: "spare" not in page.agent_names(), "the spare agent is still listed")
    page.wait_text("agents-message", "spare was shut down")
    page.shot("shut-down")

    # Disconnect: the key is gone, the connection too.
    page.el("disconnect-button").click()
    page.wait_text("account-state", "^Disconnected")
    page.wait_text("conn-state", "^disconnected$")
    page.wait_text("status-connected", "^not connected$")
    assert "apiKey" not in json.loads(srv.config.read_text())["cloud"]
    assert page.text("agents-empty") == "Log in to list and create agents."
    assert page.el("backup-agent").get_attribute("value") == ""
    assert page.text("backups-error") == "" and page.text("backups-message") == ""
    page.shot("disconnected")

    # Everything came from the server itself, without a console error (CSP violations are).
    page.no_dialog()
    outside = [u for u in page.resource_urls() if not u.startswith(origin + "/")]
    assert outside == [], outside
    # (The cloud's login page in the other window may miss a favicon: not this page's error.)
    errors = [e for e in page.console_errors() if not e.startswith(emulator.url)]
    assert errors == [], errors


# ---- token, headers, what is requested ----------------------------------------------------------


@pytest.mark.emulator_args("--auto-approve")
def test_the_token_guards_the_page_and_travels_in_the_fragment(serve, emulator, browser, artifacts):
    srv = serve("--token", TOKEN)
    origin = f"http://127.0.0.1:{srv.port}"
    assert srv.dashboard_line == f"dashboard: {origin}/#token={TOKEN}"
    # Log in through the API, so there is data the page must not show without the token.
    auth = {"Authorization": f"Bearer {TOKEN}"}
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
    conn.request("POST", "/api/cloud/login", headers=auth)
    session = json.loads(conn.getresponse().read())["sessionId"]
    conn.close()
    status, _, body = http_get(srv.port, f"/api/cloud/login/status?sessionId={session}", auth)
    assert status == 200 and json.loads(body)["status"] == "authenticated", body

    # The static files need no token and carry the security headers.
    for path, kind in (("/", "text/html"), ("/dashboard/app.js", "javascript"),
                       ("/dashboard/api.js", "javascript"), ("/dashboard/style.css", "text/css"),
                       ("/dashboard/icon.svg", "image/svg+xml")):
        code, headers, _ = http_get(srv.port, path)
        assert code == 200, path
        assert kind in headers["content-type"], (path, headers["content-type"])
        assert headers["content-security-policy"] == CSP, path
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["x-frame-options"] == "DENY"
        assert headers["cache-control"] == "no-store"
    assert http_get(srv.port, "/dashboard/missing.js")[0] == 404
    assert http_get(srv.port, "/api/cloud/status")[0] == 401

    # Without the token: the token form, and no data at all.
    page = Page(browser, origin, artifacts)
    page.open()
    page.wait(lambda: page.shown("token-panel"), "the token form is not shown")
    assert not page.shown("main")
    assert page.driver.switch_to.active_element.get_attribute("id") == "token-input"
    assert USER_ID not in browser.page_source and ORG_ID not in browser.page_source
    assert page.text("status-user") == "—" and page.text("credits-balance") == "—"
    statuses = browser.execute_script(
        "return performance.getEntriesByType('resource')"
        ".filter(e => e.name.includes('/api/cloud/')).map(e => e.responseStatus)")
    assert statuses and set(statuses) == {401}, statuses
    page.shot("token-form")

    # A wrong token is refused; the right one shows the data (and retries the event stream).
    page.fill("token-input", "not-the-token")
    page.el("token-input").send_keys(Keys.ENTER)
    page.wait_text("token-error", "refused that token")
    assert page.shown("token-panel") and USER_ID not in browser.page_source
    page.fill("token-input", TOKEN)
    page.el("token-submit").click()
    page.wait_text("status-user", USER_ID)
    page.wait_text("stream-state", "Live updates on")
    assert not page.shown("token-panel")
    assert browser.execute_script("return sessionStorage.getItem('elizacloud.token')") == TOKEN
    page.shot("token-accepted")

    # The printed address: the token is taken from the fragment, which is removed at once.
    browser.execute_script("sessionStorage.clear()")
    page.requested_urls()  # forget what was requested so far
    browser.get("about:blank")
    page.open(f"#token={TOKEN}")
    page.wait_text("status-user", USER_ID)
    page.wait_text("conn-state", "^disconnected$")
    assert TOKEN not in browser.current_url and browser.current_url == origin + "/"
    assert browser.execute_script("return location.hash") == ""
    assert browser.execute_script("return sessionStorage.getItem('elizacloud.token')") == TOKEN
    assert not page.shown("token-panel")
    page.shot("token-from-fragment")

    # Nothing was requested from anywhere else, and the fragment never reached the server.
    requested = page.requested_urls()
    assert requested and all(u.startswith(origin + "/") for u in requested), requested
    assert not any(TOKEN in u for u in requested), requested
    assert TOKEN not in srv.stderr_text()


# ---- small screen, keyboard only ----------------------------------------------------------------


@pytest.mark.emulator_args("--auto-approve")
def test_a_360_px_screen_and_the_keyboard_alone(serve, emulator, browser, artifacts):
    srv = serve()
    page = Page(browser, f"http://127.0.0.1:{srv.port}", artifacts)
    browser.set_window_size(360, 1400)
    page.open()
    width = browser.execute_script("return window.innerWidth")
    scroll = browser.execute_script("return document.documentElement.scrollWidth")
    assert scroll <= width, (scroll, width)
    page.shot("narrow")

    # Tab from the top reaches the login button; Enter logs in (auto-approved by the emulator).
    body = browser.find_element(By.TAG_NAME, "body")
    body.click()
    for _ in range(10):
        press_tab(browser)
        if browser.switch_to.active_element.get_attribute("id") == "login-button":
            break
    focused = browser.switch_to.active_element
    assert focused.get_attribute("id") == "login-button"
    outline = browser.execute_script(
        "return getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "no visible focus"
    page.shot("keyboard-focus")
    focused.send_keys(Keys.ENTER)
    page.wait_text("account-state", "Logged in to Eliza Cloud with the key eliza_")
    for handle in browser.window_handles[1:]:
        browser.switch_to.window(handle)
        browser.close()
    browser.switch_to.window(browser.window_handles[0])

    # The create form by keyboard: type, Tab to the button, Enter.
    page.wait_text("agents-empty", "No agents yet")
    page.el("agent-name").send_keys("keyboard-agent")
    page.el("agent-env").send_keys(Keys.TAB)
    assert browser.switch_to.active_element.get_attribute("id") == "create-button"
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    page.wait(lambda: page.agent_names() == ["keyboard-agent"], "the agent was not created")
    scroll = browser.execute_script("return document.documentElement.scrollWidth")
    assert scroll <= width, (scroll, width)
    page.shot("narrow-with-agent")

    # No agent is connected: the API's 409 is shown next to the chat, in its words.
    page.el("chat-input").send_keys("anyone there?", Keys.ENTER)
    page.wait_text("chat-error", "^The message was not answered: No agent is connected$")
    assert browser.find_elements(By.CSS_SELECTOR, '#chat-log li[data-role="agent"]') == []
    page.shot("narrow-chat-error")
    errors = [e for e in page.console_errors() if not e.startswith(emulator.url)]
    assert len(errors) == 1 and "/api/cloud/chat/stream" in errors[0] and "409" in errors[0], errors


def press_tab(driver: Chrome) -> None:
    ActionChains(driver).send_keys(Keys.TAB).perform()


# ---- the event stream after a drop --------------------------------------------------------------


def test_the_event_stream_comes_back_after_a_drop(serve, emulator, browser, artifacts):
    # The server stops and comes back on the same port, now with a key: the page reconnects
    # its event stream by itself and reloads what it shows.
    srv = serve()
    page = Page(browser, f"http://127.0.0.1:{srv.port}", artifacts)
    page.open()
    page.wait_text("stream-state", "^Live updates on$")
    assert page.text("account-state") == "Not logged in."
    assert srv.stop() == 0
    page.wait_text("stream-state", r"\. Reconnecting in 3 s…$")
    assert page.text("conn-state") == "unknown"  # not the last state it heard of
    page.shot("server-gone")
    key = emulator.create_key()["apiKey"]
    again = serve("--port", str(srv.port), config={"cloud": {"apiKey": key, "enabled": True}})
    assert again.port == srv.port
    page.wait_text("stream-state", "^Live updates on$", timeout=10)
    page.wait_text("conn-state", "^disconnected$")
    page.wait_text("account-state", "^Logged in to Eliza Cloud")
    page.wait_text("status-user", USER_ID)
    assert key not in browser.page_source
    page.shot("server-back")
