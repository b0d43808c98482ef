"""The deployment page shows the nginx configuration that `make deploy-check` runs."""

from __future__ import annotations

import re

from companion import ROOT


def test_the_documented_nginx_config_is_the_checked_one() -> None:
    doc = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
    conf = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    blocks = re.findall(r"```nginx\n(.*?)```", doc, re.S)
    assert blocks == [conf], "docs/deployment.md must show deploy/nginx.conf as it is"
    # What it may not hold any more (issue #19): prebuilt .gz files that do not exist, and
    # a year of cache for files asked without their fingerprint.
    assert "gzip_static" not in conf
    assert '""      "public, max-age=300";' in conf
