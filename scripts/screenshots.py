#!/usr/bin/env python3
"""Makes the README's two pictures from a bundled sample, so they stay current.

    scripts/screenshots.py [SAMPLE]        (default: agent-bridge)

Builds the tool if needed, writes the sample's HTML report with a fixed clock, and
takes two screenshots with headless Chromium: the top of the report
(docs/images/report.png) and the system map alone (docs/images/map.png). Needs
`chromium` on PATH (Debian: apt-get install chromium).
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
IMAGES = os.path.join(ROOT, "docs", "images")


def shoot(chromium, page, png, width, height):
    subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         f"--window-size={width},{height}", f"--screenshot={png}", "file://" + page],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)


def main():
    sample = sys.argv[1] if len(sys.argv) > 1 else "agent-bridge"
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        sys.exit("screenshots.py: chromium is not installed (apt-get install chromium)")
    subprocess.run(["swift", "build", "--product", "coord-migrate"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    binary = os.path.join(ROOT, ".build", "debug", "coord-migrate")
    os.makedirs(IMAGES, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        report = os.path.join(work, "report.html")
        subprocess.run(
            [binary, os.path.join(ROOT, "samples", sample), "--format", "html", "--output", report,
             "--now", "2026-01-01T00:00:00Z", "--quiet", "--exit-zero"], check=True)
        html = open(report, encoding="utf-8").read()
        shoot(chromium, report, os.path.join(IMAGES, "report.png"), 1100, 900)
        # The map alone: the page's styles and its one system-map figure.
        style = "".join(re.findall(r"<style>.*?</style>", html, re.S))
        found = re.search(r'<svg[^>]*class="system-map".*?</svg>', html, re.S)
        if not found:
            sys.exit(f"screenshots.py: the {sample} report has no system map")
        page = os.path.join(work, "map.html")
        with open(page, "w", encoding="utf-8") as out:
            out.write(f"<!doctype html><meta charset=utf-8>{style}<body style='margin:16px'>{found.group(0)}</body>")
        box = re.search(r'viewBox="0 0 ([0-9.]+) ([0-9.]+)"', found.group(0))
        width, height = (int(float(box.group(1))) + 32, int(float(box.group(2))) + 32) if box else (700, 640)
        shoot(chromium, page, os.path.join(IMAGES, "map.png"), width, height)
    print(f"wrote {os.path.relpath(IMAGES, ROOT)}/report.png and map.png from samples/{sample}")


if __name__ == "__main__":
    main()
