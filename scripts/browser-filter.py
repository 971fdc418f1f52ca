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
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from chromium_cdp import Browser, evaluate, open_page  # noqa: E402


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    report = pathlib.Path(sys.argv[1]).resolve()
    text = sys.argv[2]
    group = sys.argv[3] if len(sys.argv) == 4 else None
    browser = Browser()
    try:
        session = open_page(browser, report)

        def run(expression):
            return evaluate(browser, session, expression)

        shown = "document.getElementById('shown').textContent"
        before = run(shown)
        controls_shown = run("!document.getElementById('controls').hidden")
        run("document.getElementById('filter-text').focus()")
        browser.send("Input.insertText", {"text": text}, session=session)
        if group is not None:
            run(
                "(function(){var s=document.getElementById('f-group');"
                f"s.value={json.dumps(group)};"
                "s.dispatchEvent(new Event('change'));})()"
            )
        visible = run(
            "Array.prototype.filter.call(document.querySelectorAll('article.finding'),"
            "function(a){return a.offsetParent !== null;}).map(function(a){return a.dataset.record;})"
        )
        print(
            json.dumps(
                {
                    "before": before,
                    "after": run(shown),
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
