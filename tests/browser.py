"""Load pages in headless chromium and report what a reader would see break.

No extra dependency: chromium speaks the Chrome DevTools Protocol over a pair of pipes
(`--remote-debugging-pipe`: it reads JSON commands on fd 3 and writes replies and events on fd 4,
each message ending in a NUL byte), so one browser process serves every page of a test session.

For each page `check_page` reports, as one line each:
- uncaught JavaScript exceptions, `console.error`/`console.assert` calls, browser log errors
  (e.g. "Failed to load resource" for a missing local script);
- every request that is not to a local file (`file:`, `data:`, `blob:`, `about:`): a page must open
  with no network; and requests that failed;
- key elements missing: each `KeyElement` is a JavaScript expression counting something on the
  page, with bounds. Helpers: `count(selector)`; `drawn(selector)` = elements with a non-empty
  box; for a plotly chart, `plotted(selector)` = traces holding data, `lines(selector)` = line
  paths actually drawn in its SVG, `xcovers(selector, first, last)` = 1 when its x axis shows
  at least the dates first..last (ISO); `sorts(table, column)` = 1 when clicking that column's
  header sorts the table's rows ascending and a second click descending;
and saves a full-page PNG screenshot. `probes` read values off the loaded page (e.g. a chart's
last points) for a test to compare with the files it was drawn from.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio", "--remote-debugging-pipe")
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
VIEWPORT = {"width": 1280, "height": 900}
MAX_SCREENSHOT_HEIGHT = 16_000
JS_HELPERS = """
const count = (s) => document.querySelectorAll(s).length;
const drawn = (s) => [...document.querySelectorAll(s)].filter(e => {
    const r = e.getBoundingClientRect(); return r.width > 1 && r.height > 1; }).length;
const chart = (s) => { const gd = document.querySelector(s);
    if (!gd || !gd.data) throw new Error(`no plotly chart at ${s}`); return gd; };
const plotted = (s) => chart(s).data.filter(t => (t.y && t.y.length > 0)
    || (t.dimensions && t.dimensions.length > 0 && t.dimensions[0].values.length > 0)).length;
const lines = (s) => [...chart(s).querySelectorAll('path.js-line')].filter(
    p => (p.getAttribute('d') || '').length > 10).length;
const xcovers = (s, first, last) => { const r = chart(s)._fullLayout.xaxis.range;
    return String(r[0]).slice(0, 10) <= first && String(r[1]).slice(0, 10) >= last ? 1 : 0; };
const sorts = (table, column) => {
    const values = () => [...document.querySelectorAll(`${table} tbody tr`)].map(r => {
        const c = r.cells[column], v = c.getAttribute('data-v');
        return v === null ? c.textContent.trim() : parseFloat(v); }).filter(v => v === v);
    const ordered = (a, sign) => a.every((v, i) => i === 0 || sign * (v - a[i - 1]) >= 0
        || (typeof v === 'string' && sign * v.localeCompare(a[i - 1]) >= 0));
    const header = document.querySelectorAll(`${table} thead th`)[column];
    header.click(); const up = ordered(values(), 1);
    header.click(); const down = ordered(values(), -1);
    return up && down && values().length > 1 ? 1 : 0; };
"""


class BrowserError(RuntimeError):
    """chromium could not be found, started, or did not answer in time."""


def _runnable(path: str | None) -> bool:
    return bool(path) and Path(path).is_file() and os.access(path, os.X_OK)


def find_chromium() -> str | None:
    """LIQBT_CHROMIUM when set (None if it does not point at a program), else `chromium` /
    `chromium-browser` on PATH, else /usr/bin/chromium."""
    explicit = os.environ.get("LIQBT_CHROMIUM")
    if explicit:
        return explicit if _runnable(explicit) else None
    candidates = [shutil.which("chromium"), shutil.which("chromium-browser"), "/usr/bin/chromium"]
    return next((c for c in candidates if _runnable(c)), None)


@dataclass(frozen=True)
class KeyElement:
    """Something a page must show: `expression` (JavaScript, may use count()/drawn()) evaluates to
    a number that must lie in [at_least, at_most]."""

    what: str
    expression: str
    at_least: int = 1
    at_most: int | None = None

    def problem(self, value) -> str | None:
        if not isinstance(value, (int, float)):
            return f"key element '{self.what}': could not count it ({value!r})"
        if value < self.at_least:
            return f"key element '{self.what}': {value:g} found, at least {self.at_least} expected"
        if self.at_most is not None and value > self.at_most:
            return f"key element '{self.what}': {value:g} found, at most {self.at_most} expected"
        return None


@dataclass
class PageReport:
    path: Path
    problems: list[str] = field(default_factory=list)
    counts: dict[str, float] = field(default_factory=dict)
    values: dict[str, object] = field(default_factory=dict)
    screenshot: Path | None = None


class Chromium:
    """One headless chromium driven over CDP pipes. Use as a context manager."""

    def __init__(self, binary: str, profile_dir: Path, timeout_s: float = 60.0):
        self.binary = binary
        self.profile_dir = profile_dir
        self.timeout_s = timeout_s
        self._next_id = 0
        self._buffer = b""
        self._events: list[dict] = []

    def __enter__(self) -> "Chromium":
        to_browser_read, self._to_browser = os.pipe()
        self._from_browser, from_browser_write = os.pipe()
        wanted = {3: to_browser_read, 4: from_browser_write}

        def child_pipes() -> None:  # in the child, before exec: the pipes become fds 3 and 4
            high = {fd: fcntl.fcntl(source, fcntl.F_DUPFD, 10) for fd, source in wanted.items()}
            for fd, copy in high.items():
                os.dup2(copy, fd)

        self._stderr = open(self.profile_dir / "chromium-stderr.log", "wb")
        self.process = subprocess.Popen(
            [self.binary, *FLAGS, f"--user-data-dir={self.profile_dir / 'profile'}",
             "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self._stderr,
            pass_fds=(3, 4), preexec_fn=child_pipes)
        os.close(to_browser_read)
        os.close(from_browser_write)
        try:
            self.send("Browser.getVersion")
        except BrowserError:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.send("Browser.close", timeout_s=5)
        except (BrowserError, OSError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for fd in (self._to_browser, self._from_browser):
            try:
                os.close(fd)
            except OSError:
                pass
        self._stderr.close()

    # -- protocol ---------------------------------------------------------------------------
    def _read_message(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise BrowserError(f"chromium did not answer within {self.timeout_s:g} s")
            ready, _, _ = select.select([self._from_browser], [], [], remaining)
            if ready:
                chunk = os.read(self._from_browser, 1 << 20)
                if not chunk:
                    log = (self.profile_dir / "chromium-stderr.log").read_text(errors="replace")
                    raise BrowserError(f"chromium exited (code {self.process.poll()}); its "
                                       f"stderr ends with: {log[-600:]}")
                self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(message)

    def send(self, method: str, params: dict | None = None, session: str | None = None,
             timeout_s: float | None = None) -> dict:
        """Send one command; return its result (events that arrive meanwhile are kept)."""
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + (timeout_s or self.timeout_s)
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error'].get('message')}")
                return reply.get("result", {})
            if "method" in reply:
                self._events.append(reply)

    def wait_for(self, method: str, session: str, timeout_s: float | None = None) -> dict:
        deadline = time.monotonic() + (timeout_s or self.timeout_s)
        while True:
            for event in self._events:
                if event["method"] == method and event.get("sessionId") == session:
                    return event
            reply = self._read_message(deadline)
            if "method" in reply:
                self._events.append(reply)

    def events_of(self, session: str) -> list[dict]:
        return [e for e in self._events if e.get("sessionId") == session]

    # -- pages ------------------------------------------------------------------------------
    def check_page(self, path: Path, key_elements: list[KeyElement],
                   screenshot: Path | None = None, settle_ms: int = 300,
                   probes: dict[str, str] | None = None) -> PageReport:
        """Load `path`, wait for its load event (+ `settle_ms` for late scripts), and report;
        `probes` (name -> JavaScript expression, may use the helpers) land in `values`."""
        report = PageReport(path)
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True}
                            )["sessionId"]
        try:
            for domain in ("Page", "Runtime", "Log", "Network"):
                self.send(f"{domain}.enable", session=session)
            self.send("Emulation.setDeviceMetricsOverride",
                      {**VIEWPORT, "deviceScaleFactor": 1, "mobile": False}, session)
            navigated = self.send("Page.navigate", {"url": path.resolve().as_uri()}, session)
            if navigated.get("errorText"):
                report.problems.append(f"navigation failed: {navigated['errorText']}")
                return report
            self.wait_for("Page.loadEventFired", session)
            self._evaluate(f"new Promise(r => setTimeout(r, {settle_ms}))", session)
            if screenshot is not None:  # what a reader sees on arrival, before checks click
                report.screenshot = self._screenshot(session, screenshot)
            values = self._evaluate(
                "(() => {" + JS_HELPERS + "return [" +
                ",".join(f"(() => {{ try {{ return ({k.expression}); }} catch (e) "
                         f"{{ return String(e); }} }})()" for k in key_elements) + "]; })()",
                session)
            for key, value in zip(key_elements, values or []):
                report.counts[key.what] = value
                if (problem := key.problem(value)) is not None:
                    report.problems.append(problem)
            for name, expression in (probes or {}).items():
                report.values[name] = self._evaluate(
                    "(() => {" + JS_HELPERS + f"return ({expression}); }})()", session)
            report.problems[:0] = _event_problems(self.events_of(session))
        finally:
            self.send("Target.closeTarget", {"targetId": target})
            self._events = [e for e in self._events if e.get("sessionId") != session]
        return report

    def _evaluate(self, expression: str, session: str):
        result = self.send("Runtime.evaluate", {"expression": expression, "awaitPromise": True,
                                                "returnByValue": True}, session)
        if "exceptionDetails" in result:
            raise BrowserError(f"check script failed: {result['exceptionDetails'].get('text')}")
        return result.get("result", {}).get("value")

    def _screenshot(self, session: str, target: Path) -> Path:
        metrics = self.send("Page.getLayoutMetrics", session=session)
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        height = int(min(max(size["height"], VIEWPORT["height"]), MAX_SCREENSHOT_HEIGHT))
        shot = self.send("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": VIEWPORT["width"], "height": height, "scale": 1}},
            session)
        target.write_bytes(base64.b64decode(shot["data"]))
        return target


def _event_problems(events: list[dict]) -> list[str]:
    """Console errors, uncaught exceptions, log errors, non-local and failed requests."""
    problems = []
    urls: dict[str, str] = {}
    for event in events:
        method, params = event["method"], event.get("params", {})
        if method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            text = (details.get("exception") or {}).get("description") or details.get("text")
            problems.append(f"uncaught exception: {text.splitlines()[0] if text else details}")
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in params["args"])
            problems.append(f"console.{params['type']}: {text}")
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            entry = params["entry"]
            problems.append(f"browser log error: {entry.get('text')} {entry.get('url', '')}".strip())
        elif method == "Network.requestWillBeSent":
            url = params["request"]["url"]
            urls[params["requestId"]] = url
            if not url.startswith(LOCAL_SCHEMES):
                problems.append(f"network request to {url} (pages must open offline)")
        elif method == "Network.loadingFailed" and not params.get("canceled"):
            problems.append(f"failed to load {urls.get(params['requestId'], '?')}: "
                            f"{params.get('errorText')}")
    return list(dict.fromkeys(problems))
