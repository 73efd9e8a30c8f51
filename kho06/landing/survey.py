"""Every file under the raw folder, sorted into deliveries and the rest, each with its reason.

One walk of the raw folder (links are never followed) puts each file in one of three groups:

- a **delivery** of a contract (its path matches the contract's pattern; a daily file carries a valid day);
- **refused by its name**: a daily file whose day is not a calendar date or lies outside the daily partitions;
- **not a delivery**: a link, a hidden file, a temporary or partial file, something that is not a regular
  file, or a file whose name or folder matches no contract — with the reason and, when its first folder names
  a feed, that feed.

`raw/README.md` and the simulator's `raw/_truth/` are neither: they are not listed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath

from kho06.landing.contract import TableContract
from kho06.landing.days import day_in_name

NOT_LISTED = ("README.md", "_truth")
"""top-level entries of the raw folder that are not deliveries and not listed"""
TEMPORARY_SUFFIXES = (
    ".part",
    ".partial",
    ".filepart",
    ".crdownload",
    ".download",
    ".tmp",
    ".temp",
    ".swp",
    ".swx",
)
"""what copy tools, browsers and editors name a file while it is being written"""

DELIVERY, REFUSED, IGNORED = "delivery", "rejected", "ignored"


@dataclass(frozen=True)
class RawFile:
    path: Path
    rel: str
    """the path relative to the raw folder (what the ledger records)"""
    size: int
    mtime_ns: int
    kind: str
    """delivery | rejected (refused by its name) | ignored (not a delivery)"""
    contract: TableContract | None = None
    day: date | None = None
    reason: str | None = None
    feed: str | None = None


@dataclass
class Survey:
    files: list[RawFile]

    def deliveries(self, contract: TableContract) -> list[RawFile]:
        return [f for f in self.files if f.kind == DELIVERY and _same(f.contract, contract)]

    def refused(self, contract: TableContract) -> list[RawFile]:
        return [f for f in self.files if f.kind == REFUSED and _same(f.contract, contract)]

    def ignored(self) -> list[RawFile]:
        return [f for f in self.files if f.kind == IGNORED]

    def days(self) -> tuple[date, date] | None:
        """The first and last day of the daily deliveries (valid days only)."""
        days = [f.day for f in self.files if f.kind == DELIVERY and f.day is not None]
        return (min(days), max(days)) if days else None


def _same(a: TableContract | None, b: TableContract) -> bool:
    return a is b or a == b


def _matches(parts: tuple[str, ...], pattern: str) -> bool:
    wanted = PurePosixPath(pattern).parts
    return len(parts) == len(wanted) and all(fnmatchcase(p, w) for p, w in zip(parts, wanted, strict=True))


def _extension(name: str) -> str:
    base = name[:-3] if name.lower().endswith(".gz") else name
    return PurePosixPath(base).suffix


def _is_temporary(name: str) -> bool:
    lower = name.lower()
    return name.startswith("~") or name.endswith("~") or lower.endswith(TEMPORARY_SUFFIXES)


def _link_reason(path: str, root: str) -> str:
    target = os.path.realpath(path)
    if not os.path.exists(target):
        return "a broken symbolic link: links are not followed; deliver the file itself"
    if os.path.commonpath([target, root]) != root:
        return "a symbolic link to a file outside the raw folder: links are not followed, nothing outside is read"
    inside = Path(target).relative_to(root).as_posix()
    return f"a symbolic link (to {inside}): links are not followed; deliver the file itself"


def _explain(parts: tuple[str, ...], contracts: list[TableContract]) -> str:
    """Why a regular file matches no contract: the nearest contract's expectation, in words."""
    feeds = sorted({c.feed for c in contracts})
    folders = ", ".join(f"{f}/" for f in feeds)
    if len(parts) == 1:
        return f"a file at the top of the raw folder: deliveries go in the feed folders ({folders})"
    feed = parts[0]
    if feed not in feeds:
        return f"not in a feed's folder ({feed}/ is not one of {folders})"
    own = [c for c in contracts if c.feed == feed]
    lower = tuple(p.lower() for p in parts)
    for c in own:
        if _matches(lower, c.pattern.lower()) or _matches(lower, c.pattern.lower() + ".gz"):
            return (
                f"the name differs from the contract's {c.pattern} only in upper/lower case (names are "
                f"case-sensitive): rename it to match"
            )
    ext = _extension(parts[-1])
    same_kind = [c.pattern for c in own if _extension(c.pattern) == ext]
    if same_kind:
        return f"not a name or folder of the {feed} feed: its {ext} files are {' or '.join(same_kind)}"
    shown = f"extension {ext}" if ext else "no extension"
    return f"{shown}: the {feed} feed delivers {', '.join(c.pattern for c in own)}"


def _feed_of(parts: tuple[str, ...], contracts: list[TableContract]) -> str | None:
    """The feed a path is under, guessed from its first folder."""
    return parts[0] if len(parts) > 1 and parts[0] in {c.feed for c in contracts} else None


def _classify(path: Path, parts: tuple[str, ...], stat: os.stat_result, contracts, last_day) -> RawFile:
    rel, name = "/".join(parts), parts[-1]
    feed = _feed_of(parts, contracts)

    def ignored(reason: str) -> RawFile:
        return RawFile(path, rel, stat.st_size, stat.st_mtime_ns, IGNORED, reason=reason, feed=feed)

    if name.startswith("."):
        return ignored("a hidden file (its name starts with a dot): not a delivery")
    if _is_temporary(name):
        return ignored(
            "a temporary or partial file (a copy still under way, an editor's lock or backup): "
            "it is loaded once it is complete under its final name"
        )
    for c in contracts:
        if not (_matches(parts, c.pattern) or _matches(parts, c.pattern + ".gz")):
            continue
        if not c.daily:
            return RawFile(path, rel, stat.st_size, stat.st_mtime_ns, DELIVERY, c, feed=c.feed)
        named = day_in_name(name, last_day)
        if named.missing:
            return ignored(
                f"no day (YYYY-MM-DD) in the name: {c.table} files are named for their day ({c.pattern})"
            )
        kind = DELIVERY if named.problem is None else REFUSED
        return RawFile(path, rel, stat.st_size, stat.st_mtime_ns, kind, c, named.day, named.problem, c.feed)
    return ignored(_explain(parts, contracts))


def survey(
    raw_dir: Path, contracts: list[TableContract] | None = None, last_day: date | None = None
) -> Survey:
    """Walk the raw folder once, never following a link, and sort every file (see the module's docstring)
    against `contracts` (the four feeds' when None)."""
    if contracts is None:
        from kho06.landing.feeds import CONTRACTS

        contracts = CONTRACTS
    elif not isinstance(contracts, list):
        contracts = list(contracts)
    root = os.path.realpath(raw_dir)
    found: list[RawFile] = []

    def walk(folder: Path, prefix: tuple[str, ...]) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            reason = f"a folder that cannot be read ({exc.strerror or exc})"
            feed = _feed_of((*prefix, ""), contracts)
            found.append(RawFile(folder, "/".join(prefix) + "/", 0, 0, IGNORED, reason=reason, feed=feed))
            return
        for entry in entries:
            parts = (*prefix, entry.name)
            if not prefix and entry.name in NOT_LISTED:
                continue
            path, rel = Path(entry.path), "/".join(parts)
            try:
                stat = entry.stat(follow_symlinks=False)
            except OSError:  # vanished since the folder was listed
                continue

            feed = _feed_of(parts, contracts)
            if entry.is_symlink():
                reason = _link_reason(entry.path, root)
                found.append(
                    RawFile(path, rel, stat.st_size, stat.st_mtime_ns, IGNORED, reason=reason, feed=feed)
                )
            elif entry.is_dir(follow_symlinks=False):
                if entry.name.startswith("."):
                    reason = "a hidden folder (its name starts with a dot): not read"
                    found.append(
                        RawFile(path, rel + "/", 0, stat.st_mtime_ns, IGNORED, reason=reason, feed=feed)
                    )
                else:
                    walk(path, parts)
            elif not entry.is_file(follow_symlinks=False):
                reason = "not a regular file (a pipe, socket or device): not read"
                found.append(RawFile(path, rel, 0, stat.st_mtime_ns, IGNORED, reason=reason, feed=feed))
            else:
                found.append(_classify(path, parts, stat, contracts, last_day))

    if Path(raw_dir).is_dir():
        walk(Path(raw_dir), ())
    return Survey(found)


def with_contract(contract: TableContract) -> list[TableContract]:
    """The feeds' contracts, and `contract` if it is not one of them."""
    from kho06.landing.feeds import CONTRACTS

    return CONTRACTS if contract in CONTRACTS else [*CONTRACTS, contract]
