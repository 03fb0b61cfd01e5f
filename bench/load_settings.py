"""The production settings (CCHC_ENV=production) served over plain HTTP on loopback, for
bench/load.py.

Everything of production holds (DEBUG off, WhiteNoise's compressed manifest, Argon2, the lock-out,
CSP) except what needs TLS: a client never sends back over HTTP a cookie marked Secure. The
URLs add the benchmarks' floor page."""

import os
from pathlib import Path

from cchc.settings import *  # noqa: F403

# Collected once and kept between runs: collecting and compressing takes a minute.
STATIC_ROOT = Path(os.environ.get("CCHC_LOAD_STATIC_ROOT", STATIC_ROOT))  # noqa: F405

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
ROOT_URLCONF = "bench.urls"
