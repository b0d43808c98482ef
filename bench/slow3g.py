"""A step's first visit on a slow phone link: load event and network quiet, in Chromium.

    .venv/bin/python bench/slow3g.py --base http://127.0.0.1:PORT --path /learn/... \
        --cookie "session=…"

bench/bench.py runs it against its own gunicorn with the signed-in learner's cookie, when
Playwright (the `test` extra) and a Chromium are there. Chromium at 360 × 740 px, cache
off, slow 3G through CDP `Network.emulateNetworkConditions` (400 kbit/s each way, 400 ms
of latency per request). It prints one JSON line: the load event, the moment the network
went quiet (no request in flight for 500 ms), the requests and bytes of the visit.

Limits of this first step: the emulation applies to the page's own requests; what the
service worker fetches on its own (its precache) is counted but not slowed down.

After the quiet moment the script keeps watching for LATER_S seconds, without changing the
figures above: what starts then (the service worker's registration and its precache of the
module, which wait 2 s after the load since issue 18) is reported apart, with when it began
and when it ended.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

QUIET_MS = 500
LATER_S = 8
ASSETS_COOKIE = "companion_assets"  # companion/static_assets.py FIRST_VISIT_COOKIE
KBIT = 400
LATENCY_MS = 400


def measure(
    base: str, path: str, cookie: str, user_agent: str, returning: bool = False
) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium) if chromium else p.chromium.launch()
        context = browser.new_context(
            viewport={"width": 360, "height": 740}, user_agent=user_agent
        )
        cookies = []
        for part in cookie.split(";"):
            name, _sep, value = part.strip().partition("=")
            # A first visit on a new phone: the browser holds its session only. The cookie
            # saying it has the stylesheet and scripts (given by the PIN page the bench went
            # through) would be false with the cache off; --returning keeps it.
            if name == ASSETS_COOKIE and not returning:
                continue
            if name:
                cookies.append({"name": name, "value": value, "url": base})
        if cookies:
            context.add_cookies(cookies)  # type: ignore[arg-type]
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": LATENCY_MS,
                "downloadThroughput": KBIT * 1000 / 8,
                "uploadThroughput": KBIT * 1000 / 8,
            },
        )
        encoded: dict[str, float] = {}
        cdp.on(
            "Network.loadingFinished",
            lambda e: encoded.__setitem__(e["requestId"], e.get("encodedDataLength", 0)),
        )
        urls: dict[str, str] = {}
        cdp.on(
            "Network.requestWillBeSent",
            lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]),
        )
        in_flight: set[Any] = set()
        seen: list[tuple[float, str]] = []
        last_change = [time.perf_counter()]

        def started(request: Any) -> None:
            in_flight.add(request)
            seen.append((time.perf_counter(), request.url))
            last_change[0] = time.perf_counter()

        def ended(request: Any) -> None:
            in_flight.discard(request)
            last_change[0] = time.perf_counter()

        context.on("request", started)
        context.on("requestfinished", ended)
        context.on("requestfailed", ended)
        start = time.perf_counter()
        page.goto(base + path, wait_until="load", timeout=60_000)
        load_s = time.perf_counter() - start
        deadline = start + 30
        while time.perf_counter() < deadline:
            page.wait_for_timeout(50)
            if not in_flight and (time.perf_counter() - last_change[0]) * 1000 >= QUIET_MS:
                break
        quiet_at = last_change[0]
        quiet_s = quiet_at - start
        status = page.evaluate("document.readyState")
        until_quiet = [url for at, url in seen if at <= quiet_at]
        # Observation only: what the page or its worker starts later, once it has settled.
        page.wait_for_timeout(LATER_S * 1000)
        later = [(at, url) for at, url in seen if at > quiet_at]
        later_end = last_change[0] if later else None
        dump = os.environ.get("SLOW3G_DUMP")  # every request with its start, for a look
        if dump:
            rows = [(round(at - start, 3), url) for at, url in seen]
            sizes = {urls.get(rid, rid): n for rid, n in encoded.items()}
            Path(dump).write_text(json.dumps({"requests": rows, "bytes": sizes}, indent=1))
        browser.close()
    return {
        "url": path,
        "load_event_s": round(load_s, 3),
        "network_quiet_s": round(quiet_s, 3),
        "requests": len(until_quiet),
        "requests_later": len(later),
        "later_started_s": round(later[0][0] - start, 3) if later else None,
        "later_ended_s": round(later_end - start, 3) if later_end else None,
        "later_watch_s": LATER_S,
        "bytes_encoded_page_requests": int(sum(encoded.values())),
        "ready_state": status,
        "conditions": f"{KBIT} kbit/s, {LATENCY_MS} ms, 360 px, cache off",
        "assets_cookie": returning,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", required=True)
    parser.add_argument("--path", required=True)
    parser.add_argument("--cookie", default="")
    parser.add_argument("--user-agent", default="companion-bench")
    parser.add_argument(
        "--returning",
        action="store_true",
        help=f"keep the {ASSETS_COOKIE} cookie: the page links its files as for a browser "
        "that has them (with the cache off, it fetches them)",
    )
    args = parser.parse_args()
    try:
        result = measure(args.base, args.path, args.cookie, args.user_agent, args.returning)
    except ImportError:
        sys.stderr.write("slow3g: Playwright is not installed (make install-test)\n")
        raise SystemExit(3) from None
    print("SLOW3G " + json.dumps(result))


if __name__ == "__main__":
    main()
