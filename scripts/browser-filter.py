#!/usr/bin/env python3
"""Types into the HTML report's filter in headless Chromium, as a user would.

Usage: scripts/browser-filter.py REPORT.html TEXT [GROUP]

Opens the report (a local file) in headless Chromium, driven over the
DevTools protocol on a pipe (`--remote-debugging-pipe`: no port, no network,
no packages beyond Python's own), reads the count the page shows, focuses
the text filter and types TEXT into it (Input.insertText: the browser's own
input events), optionally picks GROUP in the `--group-by` select, and prints
one JSON object:

  {"before": "41 of 41 findings shown", "after": "...", "visible": N,
   "visible_records": [...], "controls_shown": true}

`visible` counts the finding cards the page still shows. The test
`reports::html_filters_in_a_real_browser` runs this and checks the counts
against the JSON report; `.ci/run` installs Chromium for it.
"""

import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time


class Browser:
    def __init__(self):
        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        if not chromium:
            sys.exit("chromium is not installed (apt-get install -y chromium)")
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()

        self.profile = tempfile.mkdtemp(prefix="naleving-chromium-")
        # The protocol's pipe: the browser reads fd 3 and writes fd 4; a
        # shell puts the pipes there.
        self.process = subprocess.Popen(
            [
                "sh",
                "-c",
                f'exec "$0" "$@" 3<&{to_browser_r} 4>&{from_browser_w}',
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--remote-debugging-pipe",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            pass_fds=(to_browser_r, from_browser_w),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []

    def close(self):
        self.process.kill()
        self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)

    def _read(self):
        while b"\0" not in self.buffer:
            chunk = os.read(self.from_browser, 1 << 16)
            if not chunk:
                raise RuntimeError("chromium closed the protocol pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method, params=None, session=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for event in self.events:
                if event.get("method") == method:
                    self.events.remove(event)
                    return event
            self.events.append(self._read())
        raise RuntimeError(f"no {method} within {timeout} s")


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    report = pathlib.Path(sys.argv[1]).resolve()
    text = sys.argv[2]
    group = sys.argv[3] if len(sys.argv) == 4 else None
    browser = Browser()
    try:
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.send(
            "Target.attachToTarget", {"targetId": target, "flatten": True}
        )["sessionId"]
        browser.send("Page.enable", session=session)
        browser.send("Page.navigate", {"url": report.as_uri()}, session=session)
        browser.wait_for("Page.loadEventFired")

        def evaluate(expression):
            result = browser.send(
                "Runtime.evaluate",
                {"expression": expression, "returnByValue": True},
                session=session,
            )
            return result.get("result", {}).get("value")

        shown = "document.getElementById('shown').textContent"
        before = evaluate(shown)
        controls_shown = evaluate("!document.getElementById('controls').hidden")
        evaluate("document.getElementById('filter-text').focus()")
        browser.send("Input.insertText", {"text": text}, session=session)
        if group is not None:
            evaluate(
                "(function(){var s=document.getElementById('f-group');"
                f"s.value={json.dumps(group)};"
                "s.dispatchEvent(new Event('change'));})()"
            )
        visible = evaluate(
            "Array.prototype.filter.call(document.querySelectorAll('article.finding'),"
            "function(a){return a.offsetParent !== null;}).map(function(a){return a.dataset.record;})"
        )
        print(
            json.dumps(
                {
                    "before": before,
                    "after": evaluate(shown),
                    "visible": len(visible),
                    "visible_records": visible,
                    "controls_shown": controls_shown,
                }
            )
        )
    finally:
        browser.close()


if __name__ == "__main__":
    main()
