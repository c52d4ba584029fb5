#!/usr/bin/env python3
"""Check the regular update frame of ASVS 15.2.1 (docs/operations.md, "Updates and vulnerability handling").

No locked component may be older than a newer release that its declared range admits and that
has been public for more than N days (default 90). The registries are asked through their own
clients with their own configuration, so no registry is named here:

- Python: ``uv pip compile pyproject.toml [--extra dev] --upgrade --exclude-newer <cutoff>``
  resolves the declared ranges as if today were the cutoff (uv reads the upload times of the
  index, PEP 700). A package that this resolution puts at a higher version than
  ``requirements.lock`` / ``requirements-dev.lock`` has breached the frame. Packages found in
  only one of the two sets are a different resolution and are ignored; lower versions are fine.
- npm: for every registry package in ``package-lock.json``, ``npm view <name> time`` gives the
  publish times and ``npm view '<name>@<range>' version`` the versions that npm itself matches
  to each declared range: ``package.json`` for direct dependencies, for transitive ones the
  ranges of every lock entry whose dependency resolves to that location (node's lookup: the
  nearest ``node_modules`` upwards). A version admitted by all of them, published before the
  cutoff and newer than the locked one, is a breach.

What this cannot check: the 7- and 30-day frames for critical and high severities, which need
an advisory database (pip-audit, npm audit).

Exit codes: 0 within the frame, 1 breached (with a list), 2 the check could not run (registry
unreachable, uv or npm missing, no resolution at the cutoff).

    python scripts/check_updates.py [--days 90] [--today YYYY-MM-DD] [--only python|npm]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import shutil
import subprocess  # nosec B404
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

try:
    from packaging.version import InvalidVersion, Version
except ImportError:  # pragma: no cover - packaging is in both lock files (via django-csp)
    Version = None  # type: ignore[assignment,misc]
    InvalidVersion = ValueError  # type: ignore[assignment,misc]

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DAYS = 90
UV_TIMEOUT_SECONDS = 300.0
NPM_TIMEOUT_SECONDS = 60.0
NPM_FETCH_OPTIONS = ("--prefer-online", "--fetch-timeout=30000", "--fetch-retries=1")
PYPROJECT = "pyproject.toml"
PACKAGE_JSON = "package.json"
PACKAGE_LOCK = "package-lock.json"
EXIT_OK, EXIT_BREACHED, EXIT_CANNOT_CHECK = 0, 1, 2


@dataclass(frozen=True)
class LockSet:
    lock_file: str
    extras: tuple[str, ...]


LOCK_SETS = (LockSet("requirements.lock", ()), LockSet("requirements-dev.lock", ("dev",)))


@dataclass(frozen=True)
class CommandResult:
    returncode: int
    stdout: str
    stderr: str


Runner = Callable[[Sequence[str], Path, float], CommandResult]


class CheckError(Exception):
    """The check could not run; the message says why (exit 2)."""


@dataclass(frozen=True)
class Breach:
    name: str
    locked: str
    newer: str
    lock_file: str
    admitted_by: str

    def describe(self, cutoff: dt.datetime) -> str:
        return (
            f"{self.name} {self.locked} locked in {self.lock_file}; {self.newer} was published before "
            f"{format_cutoff(cutoff)} and {self.admitted_by} admits it"
        )


@dataclass(frozen=True)
class PartResult:
    summary: str
    breaches: tuple[Breach, ...]
    lock_files_read: int


# --- running commands --------------------------------------------------------------------------


def run_command(command: Sequence[str], cwd: Path, timeout: float) -> CommandResult:
    """Run a command without a shell; a missing program or a timeout becomes a CheckError."""
    try:
        # A fixed argument list and no shell; the programs are uv and npm.
        completed = subprocess.run(  # noqa: S603  # nosec B603
            list(command), cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
        )
    except OSError as error:  # missing program, no permission, missing folder
        raise CheckError(f"cannot run {command[0]}: {error.strerror or error}") from error
    except subprocess.TimeoutExpired as error:
        raise CheckError(f"{Path(command[0]).name} {command[1]} did not finish within {timeout:.0f} s") from error
    return CommandResult(completed.returncode, completed.stdout, completed.stderr)


def find_uv(explicit: str | None) -> str:
    """--uv, else the uv of the build: scripts/ensure-uv.sh prints its path (installing it if missing)."""
    if explicit:
        return explicit
    result = run_command(["bash", str(REPO_ROOT / "scripts" / "ensure-uv.sh")], REPO_ROOT, UV_TIMEOUT_SECONDS)
    if result.returncode != 0 or not result.stdout.strip():
        raise CheckError(f"uv not found and scripts/ensure-uv.sh could not install it: {result.stderr.strip()[:300]}")
    return result.stdout.strip()


def find_npm(explicit: str | None) -> str:
    found = explicit or shutil.which("npm")
    if not found:
        raise CheckError("npm not found on PATH (pass its path with --npm)")
    return found


# --- dates -------------------------------------------------------------------------------------


def cutoff_for(today: dt.date, days: int) -> dt.datetime:
    """Midnight UTC `days` days before `today`: releases before it are older than the frame."""
    day = today - dt.timedelta(days=days)
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def format_cutoff(cutoff: dt.datetime) -> str:
    return cutoff.date().isoformat()


def parse_timestamp(text: str) -> dt.datetime | None:
    """An ISO 8601 time as npm prints it ("2026-09-23T00:04:38.682Z"); None if unreadable."""
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (TypeError, ValueError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


# --- Python: lock files and uv -------------------------------------------------------------------

PIN_LINE = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*==\s*(?P<version>[^\s;\\]+)")


def normalize_name(name: str) -> str:
    """PEP 503 name normalization: Django, django and DJANGO are one package."""
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_pins(text: str) -> dict[str, str]:
    """`name==version` lines of a requirements file; hashes, comments and other lines are skipped."""
    pins: dict[str, str] = {}
    for line in text.splitlines():
        match = PIN_LINE.match(line)
        if match:
            pins[normalize_name(match.group("name"))] = match.group("version")
    return pins


def is_newer(candidate: str, locked: str) -> bool:
    try:
        return Version(candidate) > Version(locked)
    except InvalidVersion:
        return False


def python_breaches(locked: dict[str, str], at_cutoff: dict[str, str], lock_file: str) -> list[Breach]:
    """Packages the cutoff resolution puts above the lock. Packages in only one set are ignored."""
    breaches = []
    for name in sorted(locked.keys() & at_cutoff.keys()):
        if is_newer(at_cutoff[name], locked[name]):
            breaches.append(Breach(name, locked[name], at_cutoff[name], lock_file, f"the range in {PYPROJECT}"))
    return breaches


def uv_compile_command(uv: str, extras: Iterable[str], cutoff: dt.datetime, index_url: str | None) -> list[str]:
    command = [uv, "pip", "compile", PYPROJECT]
    for extra in extras:
        command += ["--extra", extra]
    command += ["--upgrade", "--python-version", "3.11", "--no-python-downloads"]
    command += ["--exclude-newer", cutoff.strftime("%Y-%m-%dT%H:%M:%SZ"), "--no-header", "--quiet"]
    if index_url:  # tests only: a local index, and no uv configuration file may add another one
        command += ["--no-config", "--default-index", index_url]
    return command


def uv_failure_message(result: CommandResult, cutoff: dt.datetime) -> str:
    details = "\n".join("    " + line for line in result.stderr.strip().splitlines()[:12])
    if "No solution found" in result.stderr:
        return (
            f"uv found no resolution of {PYPROJECT} with releases published before {format_cutoff(cutoff)} "
            f"(a declared lower bound may be newer than that):\n{details}"
        )
    return f"uv could not resolve {PYPROJECT} (exit {result.returncode}); is the package index reachable?\n{details}"


def resolve_at_cutoff(runner: Runner, root: Path, command: list[str], cutoff: dt.datetime) -> dict[str, str]:
    result = runner(command, root, UV_TIMEOUT_SECONDS)
    if result.returncode != 0:
        raise CheckError(uv_failure_message(result, cutoff))
    return parse_pins(result.stdout)


def check_python(runner: Runner, root: Path, uv: str, cutoff: dt.datetime, index_url: str | None) -> PartResult:
    breaches: list[Breach] = []
    checked = []
    lock_files_read = 0
    for lock_set in LOCK_SETS:
        lock_path = root / lock_set.lock_file
        if not lock_path.is_file():
            checked.append(f"{lock_set.lock_file} (missing, skipped)")
            continue
        locked = parse_pins(lock_path.read_text(encoding="utf-8"))
        lock_files_read += 1
        command = uv_compile_command(uv, lock_set.extras, cutoff, index_url)
        at_cutoff = resolve_at_cutoff(runner, root, command, cutoff)
        breaches += python_breaches(locked, at_cutoff, lock_set.lock_file)
        compared = len(locked.keys() & at_cutoff.keys())
        checked.append(f"{lock_set.lock_file} ({compared} of {len(locked)} packages compared)")
    return PartResult("Python: " + ", ".join(checked), tuple(breaches), lock_files_read)


# --- npm: package-lock.json and npm view -----------------------------------------------------------

DEPENDENCY_FIELDS_ROOT = ("dependencies", "devDependencies", "optionalDependencies")
DEPENDENCY_FIELDS_PACKAGE = ("dependencies", "optionalDependencies", "peerDependencies")


@dataclass(frozen=True)
class NpmPackage:
    location: str  # key in package-lock.json "packages", e.g. "node_modules/@kern-ux/native"
    name: str
    locked: str
    ranges: tuple[tuple[str, str], ...]  # (range, who declares it)


def package_name_at(location: str) -> str:
    return location.rsplit("node_modules/", 1)[-1]


def parent_location(location: str) -> str:
    """"node_modules/a/node_modules/b" -> "node_modules/a"; "node_modules/a" -> "" (the root)."""
    head, _, _ = location.rpartition("/node_modules/")
    return head if location.count("node_modules/") > 1 else ""


def resolve_location(packages: dict, declared_at: str, name: str) -> str | None:
    """Where node finds `name` required from `declared_at`: the nearest node_modules upwards."""
    current = declared_at
    while True:
        candidate = f"{current}/node_modules/{name}" if current else f"node_modules/{name}"
        if candidate in packages:
            return candidate
        if not current:
            return None
        current = parent_location(current)


def comes_from_registry(entry: dict) -> bool:
    """Registry packages: omit-lockfile-registry-resolved drops their `resolved`; elsewhere it
    is a tarball URL. Links, bundled packages, file: and git sources are not asked about."""
    if entry.get("link") or entry.get("inBundle") or "version" not in entry:
        return False
    resolved = entry.get("resolved")
    return resolved is None or (resolved.startswith(("https://", "http://")) and resolved.endswith(".tgz"))


def registry_range(spec: str) -> str | None:
    """The semver range of a dependency spec: "npm:real-name@^1.2" (an alias) gives "^1.2";
    file:, git, URL and GitHub shorthand specs are not registry ranges (None)."""
    if spec.startswith("npm:"):
        target = spec.removeprefix("npm:")
        version_at = target.find("@", 1)  # from 1: the @ of a scope is part of the name
        spec = target[version_at + 1 :] if version_at > 0 else "*"
    return None if ":" in spec or "/" in spec else spec


def declared_ranges(package_json: dict, lock_packages: dict) -> dict[str, list[tuple[str, str]]]:
    """location -> [(range, declarer)]: package.json for the root, lock entries for the rest."""
    ranges: dict[str, list[tuple[str, str]]] = {}
    declarers = [("", PACKAGE_JSON, package_json, DEPENDENCY_FIELDS_ROOT)]
    declarers += [(loc, loc, entry, DEPENDENCY_FIELDS_PACKAGE) for loc, entry in lock_packages.items() if loc]
    for declared_at, declarer, entry, fields in declarers:
        for field in fields:
            for name, spec in (entry.get(field) or {}).items():
                location = resolve_location(lock_packages, declared_at, name)
                semver_range = registry_range(spec)
                if location and semver_range is not None:
                    ranges.setdefault(location, []).append((semver_range, declarer))
    return ranges


def npm_packages(package_json: dict, package_lock: dict) -> list[NpmPackage]:
    lock_packages = package_lock.get("packages") or {}
    ranges = declared_ranges(package_json, lock_packages)
    found = []
    for location, entry in sorted(lock_packages.items()):
        if not location or not comes_from_registry(entry) or location not in ranges:
            continue
        name = entry.get("name") or package_name_at(location)
        found.append(NpmPackage(location, name, entry["version"], tuple(ranges[location])))
    return found


def semver_key(version: str) -> tuple:
    """Sort key by semver precedence: a release above its pre-releases, numeric ids below words."""
    core, _, prerelease = version.split("+", 1)[0].partition("-")
    numbers = tuple(int(part) if part.isdigit() else 0 for part in (core.split(".") + ["0", "0"])[:3])
    if not prerelease:
        return (numbers, 1, ())
    identifiers = tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in prerelease.split("."))
    return (numbers, 0, identifiers)


def parse_npm_json(stdout: str) -> object:
    text = stdout.strip()
    if not text:
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise CheckError(f"npm printed something that is not JSON: {text[:200]}") from error


def npm_error(payload: object) -> dict | None:
    if isinstance(payload, dict) and isinstance(payload.get("error"), dict):
        return payload["error"]
    return None


def publish_times(payload: object) -> dict[str, dt.datetime]:
    """`npm view <name> time --json` -> version -> publish time (without "created", "modified")."""
    times = {}
    for version, stamp in (payload or {}).items() if isinstance(payload, dict) else ():
        parsed = parse_timestamp(stamp) if isinstance(stamp, str) else None
        if parsed and version not in ("created", "modified"):
            times[version] = parsed
    return times


def versions_from_view(payload: object) -> set[str]:
    """`npm view '<name>@<range>' version --json` prints one string, a list, or nothing."""
    if isinstance(payload, str):
        return {payload}
    if isinstance(payload, list):
        return {item for item in payload if isinstance(item, str)}
    return set()


def newest_published_before(versions: Iterable[str], times: dict[str, dt.datetime], cutoff: dt.datetime) -> str | None:
    eligible = [version for version in versions if version in times and times[version] < cutoff]
    return max(eligible, key=semver_key, default=None)


def describe_ranges(ranges: Sequence[tuple[str, str]]) -> str:
    parts = [f"{spec} in {declarer}" for spec, declarer in dict.fromkeys(ranges)]
    return ("the range " if len(parts) == 1 else "the ranges ") + ", ".join(parts)


def npm_breach(package: NpmPackage, times: dict, admitted: set[str], cutoff: dt.datetime) -> Breach | None:
    newest = newest_published_before(admitted, times, cutoff)
    if newest and semver_key(newest) > semver_key(package.locked):
        return Breach(package.name, package.locked, newest, PACKAGE_LOCK, describe_ranges(package.ranges))
    return None


class NpmRegistry:
    """`npm view` with npm's own configuration (the project's .npmrc); one call per name or range."""

    def __init__(self, runner: Runner, root: Path, npm: str) -> None:
        self.runner, self.root, self.npm = runner, root, npm
        self.cache: dict[tuple[str, str], object] = {}

    def view(self, spec: str, field: str) -> object:
        if (spec, field) not in self.cache:
            command = [self.npm, "view", spec, field, "--json", *NPM_FETCH_OPTIONS]
            result = self.runner(command, self.root, NPM_TIMEOUT_SECONDS)
            payload = parse_npm_json(result.stdout)
            self.cache[(spec, field)] = self.checked(spec, result, payload)
        return self.cache[(spec, field)]

    @staticmethod
    def checked(spec: str, result: CommandResult, payload: object) -> object:
        error = npm_error(payload)
        if error and error.get("code") == "E404" and "No match found" in str(error.get("summary")):
            return None  # no version matches the range: nothing newer to offer
        if error or result.returncode != 0:
            reason = f"{error.get('code')}: {error.get('summary')}" if error else result.stderr.strip()[:300]
            message = f"npm view {spec} failed (exit {result.returncode}); is the registry reachable?"
            raise CheckError(f"{message}\n    {reason}")
        return payload

    def times(self, name: str) -> dict[str, dt.datetime]:
        return publish_times(self.view(name, "time"))

    def admitted(self, name: str, ranges: Sequence[tuple[str, str]]) -> set[str]:
        """Versions that satisfy every declared range, as npm matches them."""
        sets = [versions_from_view(self.view(f"{name}@{spec}", "version")) for spec, _ in ranges]
        return set.intersection(*sets) if sets else set()


def check_npm(runner: Runner, root: Path, npm: str, cutoff: dt.datetime) -> PartResult:
    try:
        package_json = json.loads((root / PACKAGE_JSON).read_text(encoding="utf-8"))
        package_lock = json.loads((root / PACKAGE_LOCK).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return PartResult(f"npm: no {PACKAGE_JSON} / {PACKAGE_LOCK}, skipped", (), 0)
    except json.JSONDecodeError as error:
        raise CheckError(f"cannot read {PACKAGE_JSON} or {PACKAGE_LOCK}: {error}") from error
    registry = NpmRegistry(runner, root, npm)
    breaches = []
    packages = npm_packages(package_json, package_lock)
    for package in packages:
        admitted = registry.admitted(package.name, package.ranges)
        breach = npm_breach(package, registry.times(package.name), admitted, cutoff)
        if breach:
            breaches.append(breach)
    return PartResult(f"npm: {PACKAGE_LOCK} ({len(packages)} packages compared)", tuple(breaches), 1)


# --- command line --------------------------------------------------------------------------------


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from error


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=DEFAULT_DAYS, help="update frame in days (default 90)")
    parser.add_argument("--today", type=parse_date, default=None, help="YYYY-MM-DD instead of today (UTC)")
    parser.add_argument("--only", choices=("python", "npm"), default=None, help="check one ecosystem only")
    parser.add_argument("--root", type=Path, default=REPO_ROOT, help="project folder (default: this repository)")
    parser.add_argument("--uv", default=None, help="path of uv (default: what scripts/ensure-uv.sh prints)")
    parser.add_argument("--npm", default=None, help="path of npm (default: PATH)")
    parser.add_argument("--index-url", default=None, help="for tests: a local index instead of uv's configuration")
    arguments = parser.parse_args(argv)
    if arguments.days < 1:
        parser.error("--days must be at least 1")
    return arguments


def days_text(days: int) -> str:
    return f"{days} day" if days == 1 else f"{days} days"


def report(parts: Sequence[PartResult], cutoff: dt.datetime, days: int) -> int:
    for part in parts:
        print(part.summary)
    breaches = [breach for part in parts for breach in part.breaches]
    if not breaches:
        print(f"OK: no locked component is older than a release its declared range admits and that is "
              f"public for more than {days_text(days)}.")
        return EXIT_OK
    print(f"BREACHED: {len(breaches)} component(s) past the update frame of {days_text(days)}:")
    for breach in breaches:
        print(f"  - {breach.describe(cutoff)}")
    print("Update the lock files (docs/operations.md, \"Updates and vulnerability handling\").")
    return EXIT_BREACHED


def main(argv: Sequence[str] | None = None, runner: Runner = run_command) -> int:
    arguments = parse_arguments(argv)
    today = arguments.today or dt.datetime.now(dt.UTC).date()
    cutoff = cutoff_for(today, arguments.days)
    print(f"Update frame check (ASVS 15.2.1): releases published before {format_cutoff(cutoff)} "
          f"({days_text(arguments.days)} before {today.isoformat()})")
    try:
        if Version is None:
            raise CheckError("the Python package `packaging` is missing; run it with .venv/bin/python")
        parts = []
        if arguments.only in (None, "python"):
            uv = find_uv(arguments.uv)
            parts.append(check_python(runner, arguments.root, uv, cutoff, arguments.index_url))
        if arguments.only in (None, "npm"):
            parts.append(check_npm(runner, arguments.root, find_npm(arguments.npm), cutoff))
        if not any(part.lock_files_read for part in parts):
            raise CheckError(f"no lock file found in {arguments.root}")
    except (CheckError, OSError, UnicodeDecodeError) as error:
        print(f"CANNOT CHECK: {error}", file=sys.stderr)
        return EXIT_CANNOT_CHECK
    return report(parts, cutoff, arguments.days)


if __name__ == "__main__":
    sys.exit(main())
