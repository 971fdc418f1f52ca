#!/usr/bin/env python3
"""Screenshots of the reference report's finding cards, for docs/.

Usage: scripts/report-screenshot.py [NALEVING]   (default target/debug/naleving)

Runs the main job (`naleving check --format html=...`, Dutch, the default)
and saves, from headless Chromium (scripts/chromium_cdp.py):

- docs/report-deadline.png: the card of VT-AA-2020-0002 (`onderzoek-te-laat`):
  start, term, due date and how it was computed, still open, how late;
- docs/report-norm.png: the card of the Haaglanden norm finding
  (`veiligheidsbeoordeling-norm-regio`): group, each `let`, the norm, the
  records of the group with their places.

Regenerate after a change to the HTML report and commit the images.
"""

import base64
import pathlib
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from chromium_cdp import Browser, evaluate, open_page  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
CARDS = {
    "report-deadline.png": ("VT-AA-2020-0002", "onderzoek-te-laat"),
    "report-norm.png": ("regio=Haaglanden, periode=2020-H1", "veiligheidsbeoordeling-norm-regio"),
}


def main():
    naleving = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "target/debug/naleving")
    with tempfile.TemporaryDirectory() as out:
        html = pathlib.Path(out) / "report.html"
        status = subprocess.run(
            [naleving, "check", "--format", f"html={html}"], cwd=ROOT, check=False
        ).returncode
        if status not in (0, 1):
            sys.exit(f"naleving check failed ({status})")
        browser = Browser()
        try:
            session = open_page(browser, html)
            for name, (record, rule) in CARDS.items():
                box = evaluate(
                    browser,
                    session,
                    "(function(){var c=Array.prototype.find.call("
                    "document.querySelectorAll('article.finding'),function(a){"
                    f"return a.dataset.record==={record!r}&&a.dataset.rule==={rule!r};}});"
                    "if(!c){return null;}c.scrollIntoView();var r=c.getBoundingClientRect();"
                    "return {x:r.left+window.scrollX-8,y:r.top+window.scrollY-8,"
                    "width:r.width+16,height:r.height+16};})()",
                )
                if box is None:
                    sys.exit(f"no card for {record} ({rule})")
                shot = browser.send(
                    "Page.captureScreenshot",
                    {"format": "png", "clip": dict(box, scale=1), "captureBeyondViewport": True},
                    session=session,
                )
                target = ROOT / "docs" / name
                target.write_bytes(base64.b64decode(shot["data"]))
                print(f"wrote {target.relative_to(ROOT)}")
        finally:
            browser.close()


if __name__ == "__main__":
    main()
