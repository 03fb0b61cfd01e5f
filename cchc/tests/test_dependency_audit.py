"""The CI step that looks up known vulnerabilities of the installed packages: it fails on a
vulnerability, and only on one (network trouble is said plainly and does not fail the run)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location(
    "audit_dependencies", ROOT / "scripts" / "audit_dependencies.py"
)
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)


def report(*dependencies) -> str:
    return json.dumps({"dependencies": list(dependencies), "fixes": []})


DJANGO_OK = {"name": "django", "version": "5.2.19", "vulns": []}
SEGNO_OK = {"name": "segno", "version": "1.6.6", "vulns": []}
VULNERABLE = {
    "name": "django",
    "version": "5.2.1",
    "vulns": [
        {
            "id": "PYSEC-2025-47",
            "fix_versions": ["4.2.22", "5.1.10", "5.2.2"],
            "aliases": ["CVE-2025-48432"],
            "description": "…",
        }
    ],
}


def test_a_known_vulnerability_fails_the_run():
    status, lines = audit.judge(1, report(VULNERABLE, SEGNO_OK), "Found 1 known vulnerability")
    assert status == 1
    assert "django 5.2.1: PYSEC-2025-47 (fixed in 4.2.22, 5.1.10, 5.2.2)" in "\n".join(lines)


def test_no_known_vulnerability_passes():
    status, lines = audit.judge(0, report(DJANGO_OK, SEGNO_OK), "No known vulnerabilities found")
    assert status == 0 and "no known vulnerability in 2 installed packages" in lines[0]


def test_an_unreachable_service_is_said_plainly_and_does_not_fail():
    trace = (
        "Traceback (most recent call last):\n  …\nrequests.exceptions.ConnectionError: "
        "HTTPSConnectionPool(host='pypi.org', port=443): Max retries exceeded"
    )
    status, lines = audit.judge(1, "", trace)
    assert status == 0 and lines[0].startswith("DEPENDENCY AUDIT SKIPPED")
    assert "pypi.org" in lines[1]


def test_a_service_that_knows_no_package_is_not_a_clean_bill():
    unknown = [
        {
            "name": name,
            "skip_reason": f"Dependency not found on PyPI and could not be audited: {name}",
        }
        for name in ("django", "segno")
    ]
    status, lines = audit.judge(0, report(*unknown), "No known vulnerabilities found")
    assert status == 0 and lines[0].startswith("DEPENDENCY AUDIT SKIPPED")
    # some found, some not: the audit counts, and names what it could not check
    status, lines = audit.judge(0, report(DJANGO_OK, unknown[1]), "")
    assert status == 0 and "segno" in lines[1]


def test_anything_else_that_stops_pip_audit_is_an_error():
    status, lines = audit.judge(2, "", "pip-audit: error: unrecognized arguments: --nope")
    assert status == 2 and "unrecognized arguments" in lines[1]
