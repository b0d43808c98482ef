"""The Nu HTML Checker as one long-running service per test process.

Running `java -jar vnu.jar` once per crawl started a JVM and read the HTML schemas each time
(about 3–4 s of CPU, 16 times a run). The same jar also runs as an HTTP service
(`nu.validator.servlet.Main`): it is started on first use, checks every page the process
sends it, and stops when the process ends. Same checker, same messages; only errors count.
"""

from __future__ import annotations

import atexit
import json
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

_service: NuChecker | None = None


class NuChecker:
    def __init__(self, jar: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/?out=json"
        # Its log goes to a file (read if it fails to start): a pipe nobody reads would fill
        # and stop it.
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        # The service's own threads parse with recursion deep enough to need a 4 MB stack.
        self.process = subprocess.Popen(
            [
                shutil.which("java") or "java",
                "-Xss4m",
                # A test run sends it a few hundred pages: the quick compiler alone and the
                # serial collector cost about 40 % less CPU than the server defaults here
                # (13.6–17.1 s → 8.6 s for 22 large pages), for the same messages.
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Dnu.validator.servlet.bind-address=127.0.0.1",
                "-cp",
                str(jar),
                "nu.validator.servlet.Main",
                str(self.port),
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self._wait_until_up()

    def _wait_until_up(self, seconds: float = 90) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log.seek(0)
                output = self.log.read().decode(errors="replace")
                self.log.close()
                raise RuntimeError(f"the Nu HTML Checker stopped at start:\n{output[-2000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=2):
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        self.close()
        raise RuntimeError(f"the Nu HTML Checker did not answer in {seconds:.0f} s")

    def messages(self, html: bytes) -> list[dict[str, object]]:
        # self.url is always http://127.0.0.1:<port>/, made above: no other scheme.
        request = urllib.request.Request(  # noqa: S310
            self.url, data=html, headers={"Content-Type": "text/html; charset=utf-8"}
        )
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
            messages: list[dict[str, object]] = json.load(response)["messages"]
        return messages

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def html_errors(jar: Path, files: list[Path]) -> list[str]:
    """The checker's errors on these pages, as `name:line: message` (warnings left out, as
    with `--errors-only`; a page it could not read at all counts as an error)."""
    global _service
    if _service is None:
        _service = NuChecker(jar)
        atexit.register(_service.close)
    errors = []
    for path in files:
        for message in _service.messages(path.read_bytes()):
            if message.get("type") in ("error", "non-document-error"):
                errors.append(f"{path.name}:{message.get('lastLine')}: {message.get('message')}")
    return errors
