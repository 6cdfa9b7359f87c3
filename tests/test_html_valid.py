"""Every page of the real site is valid HTML, as the W3C's Nu Html Checker sees it.

`make test` fetches a pinned vnu.jar (see the Makefile) and sets VNU_JAR; the
checker runs on the machine's Java. Without either the test fails, naming the fix.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from chronicle.build import build
from chronicle.config import BuildConfig, load_site_config

ROOT = Path(__file__).resolve().parent.parent


def test_every_page_is_valid_html_and_css(tmp_path: Path) -> None:
    jar = Path(os.environ.get("VNU_JAR", ROOT / ".cache/vnu.jar"))
    if not jar.is_absolute():
        jar = ROOT / jar
    java = shutil.which("java")
    if java is None or not jar.is_file():
        pytest.fail(f"the HTML checker needs Java and {jar}: run the tests with `make test`, which fetches it", pytrace=False)
    output = tmp_path / "output"
    site = load_site_config(ROOT / "site.yaml", base_url="https://example.org/timeline/")  # canonical links and sitemap too
    build(BuildConfig(ROOT / "events", ROOT / "seeds", ROOT / "site_templates", output, site, search_index=False))
    done = subprocess.run(
        [java, "-jar", str(jar), "--skip-non-html", "--errors-only", "--also-check-css", "--format", "gnu", str(output)],
        capture_output=True,
        text=True,
        check=False,
    )
    problems = (done.stdout + done.stderr).strip().replace(f"file:{output}/", "")
    assert problems == ""
    assert done.returncode == 0
