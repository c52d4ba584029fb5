"""Backup and restore of the whole installation: the database and the uploaded files.

A backup is one uncompressed tar archive:

    manifest.json        format, versions, vendor, time, row counts, access-log head, hashes
    database.sqlite3     SQLite: a copy made with SQLite's online backup API
    database.pgdump      PostgreSQL: `pg_dump --format=custom`
    media/...            the uploaded files (MEDIA_ROOT)

The row counts and the access-log head are taken from the same snapshot as the dump (the
SQLite copy itself; PostgreSQL: an exported snapshot that pg_dump reuses), so they describe
exactly what the dump holds even while the application runs.

A restore verifies the whole archive (SHA-256 of the dump and of every uploaded file) before
it touches anything, restores the database in one transaction, replaces the media folder, and
then checks the result: row counts per table against the manifest, the access-log head, and
the access-log verification behind `lotse verify_audit`.

The archive holds personal data: it is written with mode 0600 and should be encrypted at rest
(docs/operations.md).
"""

import datetime
import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from glob import glob
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from lotse.audit.checkpoints import CheckpointKeyMissing, load_checkpoints
from lotse.audit.models import AccessEvent
from lotse.audit.verification import verify_chain

FORMAT = "lotse-backup"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
MEDIA_DIR = "media"
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# Tables that `lotse migrate` fills on its own: rows there do not make a database "not empty".
BOOKKEEPING_TABLES = frozenset({"django_migrations", "django_content_type", "auth_permission"})
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """The backup or restore could not be done."""


class RestoreRefused(BackupError):
    """The restore was refused before anything was changed."""


class BackupCorrupt(RestoreRefused):
    """The archive is damaged or does not match its manifest; nothing was changed."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: dict[str, Any]

    @property
    def tables(self) -> int:
        return len(self.manifest["row_counts"])

    @property
    def rows(self) -> int:
        return sum(self.manifest["row_counts"].values())


@dataclass
class RestoreReport:
    seconds: float = 0.0
    tables: int = 0
    rows: int = 0
    access_log_entries: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# --- backup ------------------------------------------------------------------------------------


def default_backup_path(now: datetime.datetime | None = None) -> Path:
    now = now or datetime.datetime.now(datetime.UTC)
    return Path(settings.VAR_DIR) / "backups" / f"lotse-{now:%Y%m%dT%H%M%SZ}.tar"


def create_backup(output: Path | None = None) -> BackupResult:
    """Write a backup archive (mode 0600) and return its path and manifest."""
    _require_autocommit()
    vendor = connection.vendor
    if vendor not in DUMP_NAMES:
        raise BackupError(f"Backups are supported for SQLite and PostgreSQL, not {vendor}.")
    created_at = datetime.datetime.now(datetime.UTC)
    output = _output_path(output, created_at)
    output.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if output.exists():
        raise BackupError(f"{output} exists; refusing to overwrite it.")
    with tempfile.TemporaryDirectory(prefix=".lotse-backup-", dir=output.parent) as work:
        dump = Path(work) / DUMP_NAMES[vendor]
        if vendor == "sqlite":
            counts, head, extra = _dump_sqlite(dump)
        else:
            counts, head, extra = _dump_postgresql(dump)
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "lotse_version": _lotse_version(),
            "database_vendor": vendor,
            **extra,
            "created_at": created_at.isoformat(timespec="seconds"),
            "row_counts": counts,
            "access_log_head": head,
            "dump": {"name": dump.name, "size": dump.stat().st_size, "sha256": _sha256_file(dump)},
        }
        partial = output.with_name(output.name + ".partial")
        try:
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError as exc:
            raise BackupError(f"{partial} exists: another backup is running, or one crashed "
                              f"(then delete it).") from exc
        try:
            _write_archive(fd, dump, Path(settings.MEDIA_ROOT), manifest)
            os.replace(partial, output)
        finally:
            partial.unlink(missing_ok=True)
    return BackupResult(output, manifest)


def _output_path(output: Path | None, now: datetime.datetime) -> Path:
    if output is None:
        return default_backup_path(now)
    output = Path(output)
    return output / default_backup_path(now).name if output.is_dir() else output


def _dump_sqlite(target: Path) -> tuple[dict[str, int], dict | None, dict]:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        # One step (pages=-1): a consistent copy under a single read lock, even while the
        # application writes (WAL). Works for file and in-memory databases alike.
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal
        cursor = copy.cursor()
        tables = [row[0] for row in cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
            "ESCAPE '\\' ORDER BY name")]
        counts = _count_rows(cursor, tables, _sqlite_quote)
        head = _access_log_head(cursor, _sqlite_quote)
    finally:
        copy.close()
    return counts, head, {"sqlite_version": sqlite3.sqlite_version}


def _dump_postgresql(target: Path) -> tuple[dict[str, int], dict | None, dict]:
    pg_dump = pg_tool("pg_dump", _server_major())
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        # Counts, head and dump from one snapshot: pg_dump attaches to the exported snapshot
        # while this transaction stays open.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = _count_rows(cursor, _live_tables(cursor), quote)
        head = _access_log_head(cursor, quote)
        _run([pg_dump, "--format=custom", "--no-password", f"--snapshot={snapshot}",
              f"--file={target}", f"--dbname={_pg_dbname()}"])
    return counts, head, {
        "database_server_version": _server_version_text(),
        "pg_dump_version": _tool_version(pg_dump),
    }


def _write_archive(fd: int, dump: Path, media_root: Path, manifest: dict[str, Any]) -> None:
    os.fchmod(fd, 0o600)  # regardless of the umask
    with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        tar.add(dump, arcname=dump.name, recursive=False)
        media_files: dict[str, str] = {}
        media_bytes = 0
        for file, name in _media_files(media_root):
            info = tar.gettarinfo(file, arcname=f"{MEDIA_DIR}/{name}")
            with file.open("rb") as handle:
                hashing = _HashingReader(handle)
                tar.addfile(info, hashing)
            media_files[name] = hashing.hexdigest()
            media_bytes += info.size
        manifest["media"] = {"files": len(media_files), "bytes": media_bytes, "sha256": media_files}
        data = json.dumps(manifest, indent=2, sort_keys=True).encode()
        info = tarfile.TarInfo(MANIFEST_NAME)
        info.size, info.mode, info.mtime = len(data), 0o600, int(time.time())
        tar.addfile(info, _BytesReader(data))
        raw.flush()
        os.fsync(raw.fileno())


def _media_files(media_root: Path) -> Iterator[tuple[Path, str]]:
    """Regular files under MEDIA_ROOT (symbolic links are not followed), sorted."""
    if not media_root.is_dir():
        return
    for folder, dirs, files in os.walk(media_root):
        dirs.sort()
        for name in sorted(files):
            file = Path(folder, name)
            if file.is_file() and not file.is_symlink():
                yield file, file.relative_to(media_root).as_posix()


# --- restore -----------------------------------------------------------------------------------


def read_manifest(archive: Path) -> dict[str, Any]:
    try:
        with tarfile.open(archive, mode="r:") as tar:
            member = tar.getmember(MANIFEST_NAME)
            handle = tar.extractfile(member)
            if handle is None:
                raise BackupCorrupt(f"{MANIFEST_NAME} in {archive} is not a file.")
            manifest = json.loads(handle.read())
    except FileNotFoundError as exc:
        raise RestoreRefused(f"No backup at {archive}.") from exc
    except (tarfile.TarError, EOFError, KeyError, ValueError) as exc:
        raise BackupCorrupt(f"{archive} is not a readable Lotse backup: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupCorrupt(f"{archive} is not a Lotse backup.")
    return manifest


def restore_backup(archive: Path, *, force: bool = False) -> RestoreReport:
    """Restore the database and the media folder from `archive`, then check the result.

    Raises RestoreRefused (or BackupCorrupt) before changing anything; otherwise returns a
    report whose `problems` list what differs from the manifest after the restore.
    """
    started = time.perf_counter()
    _require_autocommit()
    if connection.vendor not in DUMP_NAMES:
        raise RestoreRefused(f"Restores are supported for SQLite and PostgreSQL, not {connection.vendor}.")
    archive = Path(archive)
    manifest = read_manifest(archive)
    _check_compatible(manifest)
    if not force and not database_is_empty():
        raise RestoreRefused("The database is not empty; restoring would replace its data. "
                             "Use --force to replace it.")
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    # Staged next to MEDIA_ROOT (same file system: the media swap is a rename).
    with tempfile.TemporaryDirectory(prefix=".lotse-restore-", dir=media_root.parent) as work:
        dump, staged_media = _stage(archive, manifest, Path(work))
        if connection.vendor == "sqlite":
            _restore_sqlite(dump)
        else:
            _restore_postgresql(dump)
        ContentType.objects.clear_cache()
        _replace_media(staged_media, media_root, Path(work) / "replaced")
    report = _check_restored(manifest)
    report.seconds = time.perf_counter() - started
    return report


def database_is_empty() -> bool:
    """True when no table holds rows beyond what `lotse migrate` writes on its own."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in _live_tables(cursor):
            if table in BOOKKEEPING_TABLES:
                continue
            cursor.execute(f"SELECT 1 FROM {quote(table)} LIMIT 1")  # noqa: S608 (introspected names)  # nosec B608
            if cursor.fetchone():
                return False
    return True


def _check_compatible(manifest: dict[str, Any]) -> None:
    if manifest.get("format_version") != FORMAT_VERSION:
        raise RestoreRefused(f"The backup has format version {manifest.get('format_version')}; "
                             f"this Lotse reads version {FORMAT_VERSION}.")
    vendor = manifest.get("database_vendor")
    if vendor != connection.vendor:
        raise RestoreRefused(f"The backup is of a {vendor} database; this installation uses "
                             f"{connection.vendor}.")
    dump = manifest.get("dump")
    if (not isinstance(dump, dict) or dump.get("name") != DUMP_NAMES[vendor]
            or not re.fullmatch(r"[0-9a-f]{64}", str(dump.get("sha256")))):
        raise BackupCorrupt("The manifest does not describe the database dump.")
    media = manifest.get("media")
    if not isinstance(manifest.get("row_counts"), dict) or not isinstance(media, dict) \
            or not isinstance(media.get("sha256"), dict):
        raise BackupCorrupt("The manifest lacks the row counts or the list of uploaded files.")


def _stage(archive: Path, manifest: dict[str, Any], work: Path) -> tuple[Path, Path]:
    """Extract the dump and the media files into `work`, verifying every SHA-256 on the way."""
    expected_media: dict[str, str] = dict(manifest["media"]["sha256"])
    for name in expected_media:
        _safe_relative(name)
    dump_name = manifest["dump"]["name"]
    dump_path, media_dir = work / dump_name, work / MEDIA_DIR
    media_dir.mkdir()
    seen_dump = False
    try:
        with tarfile.open(archive, mode="r:") as tar:
            for member in tar:
                if member.name == MANIFEST_NAME:
                    continue
                if member.name == dump_name and member.isfile():
                    _extract_verified(tar, member, dump_path, manifest["dump"]["sha256"], "the database dump")
                    seen_dump = True
                elif member.name.startswith(f"{MEDIA_DIR}/") and member.isfile():
                    name = member.name[len(MEDIA_DIR) + 1:]
                    if name not in expected_media:
                        raise BackupCorrupt(f"{member.name} is in the archive but not in its manifest.")
                    target = media_dir / _safe_relative(name)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    _extract_verified(tar, member, target, expected_media.pop(name), member.name)
                else:
                    raise BackupCorrupt(f"Unexpected entry in the archive: {member.name}")
    except (tarfile.TarError, EOFError) as exc:
        raise BackupCorrupt(f"{archive} is damaged: {exc}") from exc
    except OSError as exc:
        raise RestoreRefused(f"The archive could not be extracted for checking: {exc}") from exc
    if not seen_dump:
        raise BackupCorrupt("The archive holds no database dump.")
    if expected_media:
        raise BackupCorrupt(f"{len(expected_media)} uploaded file(s) of the manifest are missing "
                            f"from the archive, e.g. {next(iter(expected_media))}.")
    _check_dump_readable(dump_path)
    return dump_path, media_dir


def _extract_verified(tar: tarfile.TarFile, member: tarfile.TarInfo, target: Path, sha256: str,
                      what: str) -> None:
    source = tar.extractfile(member)
    if source is None:
        raise BackupCorrupt(f"{what} cannot be read from the archive.")
    digest = hashlib.sha256()
    with target.open("wb") as out:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
            out.write(chunk)
    if digest.hexdigest() != sha256:
        raise BackupCorrupt(f"The SHA-256 of {what} does not match the manifest: the archive is "
                            f"damaged or was changed. Nothing was restored.")


def _safe_relative(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or not path.parts or any(part in ("", ".", "..") for part in path.parts):
        raise BackupCorrupt(f"Unsafe file name in the backup: {name!r}")
    return path


def _check_dump_readable(dump: Path) -> None:
    if connection.vendor == "sqlite":
        copy = sqlite3.connect(f"{dump.as_uri()}?mode=ro", uri=True)
        try:
            result = copy.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise BackupCorrupt(f"The database dump is not a readable SQLite database: {exc}") from exc
        finally:
            copy.close()
        if result != "ok":
            raise BackupCorrupt(f"The database dump fails SQLite's check: {result}")
    else:
        pg_restore = pg_tool("pg_restore", _server_major())
        _run([pg_restore, "--list", str(dump)], error=BackupCorrupt)


def _restore_sqlite(dump: Path) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(f"{dump.as_uri()}?mode=ro", uri=True)
    try:
        # One step: the destination is replaced in a single write transaction (all or nothing).
        source.backup(connection.connection)
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite could not restore the database (it is unchanged): {exc}") from exc
    finally:
        source.close()


def _restore_postgresql(dump: Path) -> None:
    pg_restore = pg_tool("pg_restore", _server_major())
    # --clean drops and recreates every object (so the append-only trigger on the access log
    # does not get in the way: no row is deleted, the table is dropped), in one transaction:
    # an error leaves the database as it was.
    _run([pg_restore, "--clean", "--if-exists", "--no-owner", "--single-transaction",
          "--exit-on-error", "--no-password", f"--dbname={_pg_dbname()}", str(dump)])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # pg_restore brings no planner statistics


def _replace_media(staged: Path, media_root: Path, trash: Path) -> None:
    media_root.mkdir(parents=True, exist_ok=True)
    trash.mkdir()
    for child in list(media_root.iterdir()):
        shutil.move(child, trash / child.name)
    for child in list(staged.iterdir()):
        shutil.move(child, media_root / child.name)


def _check_restored(manifest: dict[str, Any]) -> RestoreReport:
    report = RestoreReport()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        counts = _count_rows(cursor, _live_tables(cursor), quote)
        head = _access_log_head(cursor, quote)
    expected: dict[str, int] = manifest["row_counts"]
    report.tables, report.rows = len(counts), sum(counts.values())
    for table in sorted(set(expected) | set(counts)):
        if table not in counts:
            report.problems.append(f"table {table} is missing (the backup has {expected[table]} rows)")
        elif table not in expected:
            report.problems.append(f"table {table} is not in the backup ({counts[table]} rows)")
        elif counts[table] != expected[table]:
            report.problems.append(f"table {table}: {counts[table]} rows, the backup has {expected[table]}")
    if head != manifest.get("access_log_head"):
        report.problems.append(f"access-log head is {_head_text(head)}, the backup has "
                               f"{_head_text(manifest.get('access_log_head'))}")
    report.problems.extend(_verify_access_log(report, head))
    return report


def _verify_access_log(report: RestoreReport, head: dict | None) -> list[str]:
    try:
        result = verify_chain()
        signed = max((checkpoint.seq for checkpoint in load_checkpoints()), default=0)
    except CheckpointKeyMissing as exc:
        return [f"access log not verified: {exc}"]
    report.access_log_entries = result.entries
    if result.ok:
        return []
    restored = head["seq"] if head else 0
    if signed > restored and result.first_broken_seq == restored + 1:
        return [f"the access log verifies up to #{restored}, but signed checkpoints reach "
                f"#{signed}: entries #{restored + 1}–#{signed}, written after the backup was "
                f"made, are lost with this restore (see docs/operations.md)"]
    return [f"access log BROKEN at entry #{result.first_broken_seq}: {result.problem}"]


def _head_text(head: dict | None) -> str:
    return f"#{head['seq']} ({head['entry_hash'][:16]}…)" if head else "empty"


# --- shared helpers ----------------------------------------------------------------------------


def _require_autocommit() -> None:
    if connection.in_atomic_block:
        raise BackupError("Backup and restore run outside a database transaction.")


def _live_tables(cursor) -> list[str]:
    return sorted(name for name in connection.introspection.table_names(cursor)
                  if not name.startswith("sqlite_"))


def _count_rows(cursor, tables: list[str], quote) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 (introspected names)  # nosec B608
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _access_log_head(cursor, quote) -> dict | None:
    table = AccessEvent._meta.db_table
    cursor.execute(f"SELECT seq, entry_hash FROM {quote(table)} ORDER BY seq DESC LIMIT 1")  # noqa: S608  # nosec B608
    row = cursor.fetchone()
    return {"seq": int(row[0]), "entry_hash": row[1]} if row else None


def _sqlite_quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _lotse_version() -> str:
    try:
        return importlib.metadata.version("lotse")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


class _HashingReader:
    """A file object for tarfile.addfile that hashes what it hands over."""

    def __init__(self, handle: IO[bytes]) -> None:
        self._handle, self._digest = handle, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self._handle.read(size)
        self._digest.update(data)
        return data

    def hexdigest(self) -> str:
        return self._digest.hexdigest()


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self._data, self._pos = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self._data) if size < 0 else self._pos + size
        chunk, self._pos = self._data[self._pos:end], min(end, len(self._data))
        return chunk


# --- PostgreSQL client tools -------------------------------------------------------------------


def _server_major() -> int:
    connection.ensure_connection()
    return connection.pg_version // 10000


def _server_version_text() -> str:
    version = connection.pg_version
    return f"{version // 10000}.{version % 10000}"


def _tool_version(binary: str) -> str:
    output = subprocess.run([binary, "--version"], capture_output=True, text=True, check=True).stdout  # noqa: S603
    match = re.search(r"(\d+)(?:\.(\d+))?", output)
    return match.group(0) if match else "unknown"


def pg_tool(name: str, server_major: int) -> str:
    """The pg_dump/pg_restore whose major version is the server's, else the closest newer one."""
    candidates = [*sorted(glob(f"/usr/lib/postgresql/*/bin/{name}")), shutil.which(name)]
    found: dict[int, str] = {}
    for candidate in candidates:
        if not candidate or not os.access(candidate, os.X_OK):
            continue
        try:
            major = int(_tool_version(candidate).split(".")[0])
        except (OSError, subprocess.CalledProcessError, ValueError):
            continue
        found.setdefault(major, candidate)
    usable = sorted(major for major in found if major >= server_major)
    if not usable:
        raise BackupError(f"{name} {server_major} or newer is needed for this PostgreSQL "
                          f"{server_major} server (found: {sorted(found) or 'none'}); install the "
                          f"server's client package, e.g. postgresql-client-{server_major}.")
    return found[usable[0]]


def _pg_dbname() -> str:
    return str(connection.settings_dict["NAME"])


def _pg_env() -> dict[str, str]:
    """libpq environment from Django's settings; the password never goes on the command line."""
    settings_dict = connection.settings_dict
    env = dict(os.environ)
    values = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGAPPNAME": "lotse-backup",
    }
    options = settings_dict.get("OPTIONS") or {}
    for option, variable in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT"),
                             ("sslcert", "PGSSLCERT"), ("sslkey", "PGSSLKEY"),
                             ("service", "PGSERVICE"), ("passfile", "PGPASSFILE")):
        values[variable] = options.get(option)
    for variable, value in values.items():
        if value not in (None, ""):
            env[variable] = str(value)
    return env


def _run(command: list[str], error: type[BackupError] = BackupError) -> None:
    result = subprocess.run(command, env=_pg_env(), capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        tool = Path(command[0]).name
        raise error(f"{tool} failed (exit {result.returncode}): {result.stderr.strip()[-2000:]}")
