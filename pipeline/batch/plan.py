"""Planning a run: the files found, compared with the store's ``files`` table (pure).

Every found file is new, changed, outdated (made by an older pipeline version), unchanged,
moved or unreadable; a content (sha256) whose result is current is never processed again,
whatever path it now has.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from pipeline.batch.scan import FoundFile
from pipeline.emit.store import DELETED, FileRow


@dataclass
class Plan:
    """What a run has to do. Every found file is in exactly one of new, changed, outdated,
    unchanged, moved (as the second item) or unreadable; ``actions`` gives that word by path."""

    new: list[FoundFile] = field(default_factory=list)
    changed: list[FoundFile] = field(default_factory=list)
    outdated: list[FoundFile] = field(default_factory=list)  # older pipeline version, --force, --retry-failed
    unchanged: list[FoundFile] = field(default_factory=list)
    moved: list[tuple[str, FoundFile]] = field(default_factory=list)  # (old path, file now)
    unreadable: list[FoundFile] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    failed_earlier: list[FoundFile] = field(default_factory=list)  # unchanged, and an error last time
    work: dict[str, list[FoundFile]] = field(default_factory=dict)  # content to process -> its paths
    links: list[tuple[FoundFile, FileRow]] = field(default_factory=list)  # path -> current result of its content
    actions: dict[str, str] = field(default_factory=dict)

    def add(self, action: str, item: FoundFile) -> None:
        getattr(self, action).append(item)
        self.actions[item.path] = action


def in_scope(path: str, scope: Sequence[str]) -> bool:
    """A path under one of the run's sources: only those can be found deleted by this run."""
    return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in scope)


def plan_run(
    found: Sequence[FoundFile],
    known: Sequence[FileRow],
    version: str,
    scope: Sequence[str],
    force: bool = False,
    retry_failed: bool = False,
    exists: Callable[[str], bool] = os.path.exists,
) -> Plan:
    """Compare the files found with the store's rows.

    A content (sha256) whose result is current is never processed again, whatever path
    it now has. A path missing from the scan is a move when a new path has its content,
    else deleted; a missing path outside the sources only counts when it is gone from disk.
    """

    known = [row for row in known if not row.passed_over]

    def is_current(row: FileRow) -> bool:
        failed_to_retry = retry_failed and row.status != DELETED and row.error is not None
        return not force and row.pipeline_version == version and not failed_to_retry

    by_path = {row.path: row for row in known}
    found_paths = {f.path for f in found}
    current: dict[str, FileRow] = {}
    for row in known:
        if row.sha256 and is_current(row) and (row.sha256 not in current or current[row.sha256].status == DELETED):
            current[row.sha256] = row
    gone_by_sha: dict[str, list[FileRow]] = {}
    for row in known:
        if row.path not in found_paths and row.status != DELETED and row.sha256:
            gone_by_sha.setdefault(row.sha256, []).append(row)

    plan = Plan()
    moved_from: set[str] = set()
    to_do: list[FoundFile] = []
    for item in found:
        row = by_path.get(item.path)
        if item.sha256 is None:
            failed_before = row is not None and row.sha256 is None and row.status == "error"
            plan.add("unchanged" if failed_before and not retry_failed else "unreadable", item)
            if failed_before and not retry_failed:
                plan.failed_earlier.append(item)
        elif row is not None and row.status != DELETED:
            action = "changed" if row.sha256 != item.sha256 else "unchanged" if is_current(row) else "outdated"
            plan.add(action, item)
            if action == "unchanged" and row.error is not None:
                plan.failed_earlier.append(item)
            if action != "unchanged":
                to_do.append(item)
        elif (source := _move_source(gone_by_sha.get(item.sha256, []), moved_from, scope, exists)) is not None:
            moved_from.add(source.path)
            plan.moved.append((source.path, item))
            plan.actions[item.path] = "moved"
            if not is_current(source):
                to_do.append(item)
        else:
            plan.add("new", item)
            to_do.append(item)

    plan.deleted = [
        row.path for row in known
        if row.path not in found_paths and row.path not in moved_from and row.status != DELETED and in_scope(row.path, scope)
    ]
    for item in to_do:
        if item.sha256 in current:
            plan.links.append((item, current[item.sha256]))
        else:
            plan.work.setdefault(item.sha256, []).append(item)
    return plan


def _move_source(
    candidates: list[FileRow], taken: set[str], scope: Sequence[str], exists: Callable[[str], bool]
) -> FileRow | None:
    for row in candidates:
        if row.path not in taken and (in_scope(row.path, scope) or not exists(row.os_path)):
            return row
    return None
