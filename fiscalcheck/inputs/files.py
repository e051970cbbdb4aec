"""Reading the files a case names, as a case from an untrusted pull request may name them.

A case file is input written by others: it names files to include, a rule pack and
the reports it cites. Before anything is read, this module decides whether it may
be, and how much of it:

* only regular files: a FIFO would block the read forever, ``/dev/zero`` never end;
  the file is opened without blocking and checked with ``fstat`` on the open
  descriptor, so a file swapped after the check is still refused;
* at most :data:`MAX_SIZE` bytes (raised with ``max_size=`` or ``--max-size``),
  checked before reading, and again while reading (a file that grows);
* includes and rule packs only from the directory tree of the top case file,
  the shipped packs, and the folders the user allows (``allow=`` / ``--allow-path``),
  judged on the real path, so a symlink out of the tree is refused too. A refused
  file is never opened, so no message can quote it.

Reports (``sources:``) are read wherever they are (they often sit beside the
case tree), under the same regular-file and size rules; what a report's line
prints reaches a message only as the figures on it (see the provenance rule).
Every refusal is a :class:`~fiscalcheck.errors.Problem` at the place that named
the file, or at line 1, column 1 of the file itself.
"""

from __future__ import annotations

import codecs
import os
import stat
from collections.abc import Iterable, Sequence

import attrs

from ..errors import Location, Problem
from ..record import Record

__all__ = ["Access", "MAX_SIZE", "MAX_DEPTH", "read_bytes", "read_text", "decode", "chain_text", "parse_size"]

#: The size cap of every file read, in bytes (64 MiB): a case of 10^5 nodes is ~20 MB.
MAX_SIZE = 64 * 1024 * 1024
#: How many files deep an include chain or an ``extends`` chain may go.
MAX_DEPTH = 32


@attrs.frozen(repr=False, eq=False)
class Access(Record):
    """What a load may read: the folders (real paths) includes and packs may come from, and the size cap."""

    roots: tuple[str, ...] = ()
    max_size: int = MAX_SIZE
    #: Folders any file may be read from whatever ``roots`` says (the shipped packs).
    always: tuple[str, ...] = ()

    @classmethod
    def for_file(cls, path: str, allow: Iterable[str | os.PathLike[str]] = (), max_size: int | None = None,
                 always: Sequence[str] = ()) -> "Access":
        """The access of a load whose top file is ``path``: its folder's tree, plus ``allow``."""
        top = os.path.dirname(os.path.realpath(path))
        roots = (top, *(os.path.realpath(os.fspath(a)) for a in allow))
        return cls(roots, MAX_SIZE if max_size is None else max_size, tuple(os.path.realpath(a) for a in always))

    def permits(self, path: str) -> bool:
        """Whether ``path`` (followed through every symlink) lies inside an allowed tree."""
        real = os.path.realpath(path)
        return any(_inside(real, root) for root in (*self.roots, *self.always))

    def refusal(self, path: str, what: str) -> str:
        shown = ", ".join(self.roots[:1]) or "."
        return (f"{what} {path!r} is outside the case's folder {shown}: a case may only include files of its "
                f"own tree (pass --allow-path DIR, or allow=[DIR] in the API, to read others)")


def _inside(path: str, root: str) -> bool:
    try:
        return os.path.commonpath((path, root)) == root
    except ValueError:  # different drives
        return False


def read_bytes(path: str, where: Location | None, what: str, max_size: int, problems: list[Problem]) -> bytes | None:
    """The bytes of the regular file ``path``, at most ``max_size``; ``None`` and a problem otherwise."""
    where = where or Location(path, 1, 1)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        problems.append(Problem(where, f"cannot read {what} {path!r}: {error.strerror or error}"))
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            problems.append(Problem(where, f"cannot read {what} {path!r}: not a regular file"))
            return None
        if info.st_size > max_size:
            problems.append(Problem(where, f"{what} {path!r} is {info.st_size} bytes, more than the maximum of "
                                           f"{max_size} (raise it with --max-size, or max_size= in the API)"))
            return None
        chunks = []
        left = max_size + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        if len(data) > max_size:
            problems.append(Problem(where, f"{what} {path!r} grew past the maximum of {max_size} bytes while read"))
            return None
        return data
    except OSError as error:
        problems.append(Problem(where, f"cannot read {what} {path!r}: {error.strerror or error}"))
        return None
    finally:
        os.close(fd)


def decode(data: bytes, encoding: str = "utf-8") -> tuple[str | None, str]:
    """``(text, "")``, or ``(None, why)`` with the line and column of the first byte that does not decode.

    UTF-8 text may start with a byte-order mark (Windows editors write one); it is dropped.
    """
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        before = data[:error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        return None, f"line {line}, byte {column}"
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, ""


def looks_like(data: bytes) -> str | None:
    """The encoding undeclared text seems to be in (utf-16 with its mark, gb18030), or ``None`` for binary."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in data[:4096]:
        return None  # binary: no text encoding of the reports we read puts NUL bytes in text
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    return "gb18030"


def read_text(path: str, where: Location | None, what: str, max_size: int, problems: list[Problem],
              encoding: str = "utf-8") -> str | None:
    """The text of a file read as :func:`read_bytes` reads it, decoded; ``None`` and a problem otherwise."""
    data = read_bytes(path, where, what, max_size, problems)
    if data is None:
        return None
    text, why = decode(data, encoding)
    if text is None:
        hint = ""
        if encoding.replace("_", "-").lower() in ("utf-8", "utf8"):
            guess = looks_like(data)
            hint = (f"; it reads as {guess}: declare 'encoding: {guess}'" if guess
                    else "; it looks like a binary file, not text (if it is text, declare its 'encoding:')")
        problems.append(Problem(where or Location(path, 1, 1),
                                f"{what} {path!r} is not {_shown(encoding)} text (at {why}){hint}"))
    return text


def _shown(encoding: str) -> str:
    return "UTF-8" if encoding.replace("_", "-").lower() in ("utf-8", "utf8") else encoding


def chain_text(files: Sequence[str], limit: int = 6) -> str:
    """A chain of files for a message, its middle elided when long: ``a -> b -> … -> y -> z``."""
    names = [os.path.basename(f) or f for f in files]
    if len(names) > limit:
        names = [*names[:limit // 2], f"… {len(names) - limit} more …", *names[-(limit // 2):]]
    return " -> ".join(names)


def parse_size(text: str) -> int:
    """``--max-size``: bytes, or with a K, M or G suffix (binary: 64M is 64 MiB)."""
    text = text.strip().upper().removesuffix("IB").removesuffix("B")
    scale = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}.get(text[-1:], 1)
    digits = text[:-1] if scale != 1 else text
    if not digits.isdigit() or len(digits) > 12:
        raise ValueError(f"expected a size such as 64M, 200M or 1G, got {text!r}")
    return int(digits) * scale
