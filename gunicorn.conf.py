"""Gunicorn settings for production (`make serve`, the Procfile, the systemd unit); every value
can be changed through the environment."""

import multiprocessing
import os

bind = os.environ.get("CCHC_BIND", "127.0.0.1:8000")
# Two per core plus one is gunicorn's advice for synchronous workers; capped for small hosts.
workers = int(os.environ.get("CCHC_WEB_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 9)))
threads = int(os.environ.get("CCHC_WEB_THREADS", "1"))
# Generating a large report or reading an uploaded plan may take a while.
timeout = int(os.environ.get("CCHC_WEB_TIMEOUT", "120"))
graceful_timeout = 30
# Workers are renewed now and then so that a slow leak cannot grow without end.
max_requests = 2000
max_requests_jitter = 200
# The application is loaded once in the master, so a broken setting fails before forking.
preload_app = True
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("CCHC_FORWARDED_ALLOW_IPS", "127.0.0.1")
wsgi_app = "cchc.wsgi:application"
