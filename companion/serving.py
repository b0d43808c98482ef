"""What a serving process does once the app is made (wsgi.py): Python's garbage collector
set for a web server's heap.

The app's own objects (the content catalogue, compiled templates, URL rules, the ORM's
mappers: some 170,000 objects) live as long as the process. Left as they are, each
full collection walks them all again, and the staff pages that read many rows (the CIP home
of 300 learners, the XLSX export of 30,000 progress rows) trigger such collections:
`bench/profile_paths.py --plain` measured 10 of the CIP home's 65 ms and 157 of the
export's 541 ms in the collector (docs/performance.md, "5 December, morning").
"""

from __future__ import annotations

import gc

# Objects allocated (less those freed) before the youngest generation is collected: 700 by
# default, which the CIP home of 300 learners passes about ten times. The older generations keep
# their defaults.
YOUNGEST_THRESHOLD = 10_000


def settle_garbage_collector() -> None:
    """Move every object alive now out of the collector's sight, and collect less often.

    Called once the app is made: with gunicorn's `--preload`, before the workers are forked,
    so that they also share those objects' memory pages instead of copying them when a
    collection writes to them (the pattern the documentation of `gc.freeze` gives)."""
    gc.collect()
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNGEST_THRESHOLD, middle, oldest)
