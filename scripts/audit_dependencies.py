"""Known vulnerabilities in the installed packages, looked up with pip-audit (PyPI's advisories).

Run with the environment's own Python (`.venv/bin/python scripts/audit_dependencies.py`); any
argument is passed on to pip-audit (e.g. `--ignore-vuln GHSA-…` for an advisory judged not to
apply, with the reason written next to it where it is used).

Exit status: 1 when an installed package has a known vulnerability (each is listed with the
versions that fix it); 0 when none is known. Network trouble is not a vulnerability: when the
service cannot be reached, or answers for none of the packages, this is printed plainly and the
status is 0. Anything else that stops pip-audit is an error (2).
"""

from __future__ import annotations

import json
import subprocess
import sys

NETWORK_TROUBLE = (
    "ConnectionError",
    "ConnectTimeout",
    "ReadTimeout",
    "NameResolutionError",
    "Max retries exceeded",
    "ProxyError",
    "SSLError",
    "Temporary failure in name resolution",
    "Network is unreachable",
    "ServiceError",
)
NOT_FOUND = "not found on PyPI"


def run_pip_audit(extra: list[str]) -> subprocess.CompletedProcess:
    command = [
        sys.executable,
        "-m",
        "pip_audit",
        "--format",
        "json",
        "--skip-editable",  # the project itself is not on PyPI
        "--progress-spinner",
        "off",
        *extra,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=900)


def judge(returncode: int, stdout: str, stderr: str) -> tuple[int, list[str]]:
    """The exit status and the lines to print, from what pip-audit answered."""
    try:
        report = json.loads(stdout) if stdout.strip() else None
    except json.JSONDecodeError:
        report = None
    if report is None:
        if any(sign in stderr for sign in NETWORK_TROUBLE):
            last = stderr.strip().splitlines()[-1] if stderr.strip() else ""
            return 0, [
                "DEPENDENCY AUDIT SKIPPED: the vulnerability service could not be reached "
                "(network trouble, not a vulnerability).",
                f"  pip-audit said: {last[:300]}",
            ]
        return 2, ["DEPENDENCY AUDIT FAILED TO RUN:", stderr.strip()[-2000:]]
    dependencies = report.get("dependencies", [])
    vulnerable = [d for d in dependencies if d.get("vulns")]
    if vulnerable:
        lines = [
            f"DEPENDENCY AUDIT FAILED: {len(vulnerable)} package(s) with known vulnerabilities"
        ]
        for dependency in vulnerable:
            for vuln in dependency["vulns"]:
                fixes = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
                lines.append(
                    f"  {dependency['name']} {dependency.get('version', '')}: {vuln['id']} "
                    f"(fixed in {fixes})"
                )
        return 1, lines
    audited = [d for d in dependencies if "skip_reason" not in d]
    unknown = [d["name"] for d in dependencies if NOT_FOUND in d.get("skip_reason", "")]
    if not audited:
        return 0, [
            "DEPENDENCY AUDIT SKIPPED: the vulnerability service answered for none of the "
            f"{len(dependencies)} installed packages (no network, or a package index without "
            "PyPI's advisories); nothing could be checked.",
        ]
    if returncode != 0:
        return 2, ["DEPENDENCY AUDIT FAILED TO RUN:", stderr.strip()[-2000:]]
    lines = [f"Dependency audit: no known vulnerability in {len(audited)} installed packages."]
    if unknown:
        lines.append(f"  Not found on PyPI, not checked: {', '.join(sorted(unknown))}")
    return 0, lines


def main(argv: list[str]) -> int:
    result = run_pip_audit(argv)
    status, lines = judge(result.returncode, result.stdout, result.stderr)
    print("\n".join(lines), file=sys.stderr if status else sys.stdout)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
