"""Fail when a stylesheet uses physical left/right properties: use logical ones for RTL."""

from __future__ import annotations

import re
import sys
from pathlib import Path

PHYSICAL = re.compile(
    r"(?<![\w-])(margin-left|margin-right|padding-left|padding-right|left|right|"
    r"border-left[\w-]*|border-right[\w-]*|float|text-align)\s*:\s*([^;}]*)"
)


def problems(css: str) -> list[str]:
    found = []
    for n, line in enumerate(css.splitlines(), start=1):
        for match in PHYSICAL.finditer(line):
            prop, value = match.group(1), match.group(2).strip()
            if prop in {"float", "text-align"} and not re.search(r"\b(left|right)\b", value):
                continue
            found.append(f"line {n}: {prop}: {value}")
    return found


def main(paths: list[str]) -> int:
    failed = False
    for root in paths:
        for path in sorted(Path(root).rglob("*.css")):
            for problem in problems(path.read_text(encoding="utf-8")):
                print(f"{path}: {problem} (use a logical property)")
                failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["static/css"]))
