"""WSGI entry point: `gunicorn wsgi:app` (docs/deployment.md runs it with `--preload`)."""

from companion import create_app
from companion.serving import settle_garbage_collector

app = create_app()
settle_garbage_collector()
