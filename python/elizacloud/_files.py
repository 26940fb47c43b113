"""Files to upload (knowledge files, speech-to-text audio, voice samples, ``request(files=)``).

A file is given as

- a path (``str`` or ``os.PathLike``): the core streams it from disk while sending;
- ``File(path=..., filename=..., content_type=...)`` or ``File(data=b"...", filename=...)``;
- a tuple ``(filename, data)`` or ``(filename, data, content_type)``, as with requests/httpx,
  where ``data`` is ``bytes`` or a binary file object (read here).

It reaches the core as the JSON the C ABI documents: a path, ``{"path", "filename"?,
"contentType"?}`` or ``{"data": base64, "filename", "contentType"?}``. Limits (count, size,
accepted types) are checked by the core before anything is sent.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from typing import IO, Any, Union

from .errors import InvalidArgumentError


@dataclass(frozen=True)
class File:
    """One file to upload: from disk (``path``) or from memory (``data`` with a ``filename``).
    ``filename`` is the name the cloud sees (default: the path's base name); ``content_type``
    defaults to the type its extension stands for."""

    path: str | os.PathLike[str] | None = None
    data: bytes | None = None
    filename: str | None = None
    content_type: str | None = None

    def __post_init__(self) -> None:
        if (self.path is None) == (self.data is None):
            raise InvalidArgumentError("File: give either path or data")
        if self.data is not None and not self.filename:
            raise InvalidArgumentError("File: data needs a filename")

    def to_param(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.path is not None:
            out["path"] = os.fspath(self.path)
        else:
            out["data"] = base64.b64encode(bytes(self.data or b"")).decode("ascii")
        if self.filename:
            out["filename"] = self.filename
        if self.content_type:
            out["contentType"] = self.content_type
        return out


FileInput = Union[
    str,
    os.PathLike[str],
    File,
    tuple[str, Union[bytes, IO[bytes]]],
    tuple[str, Union[bytes, IO[bytes]], str],
]


def _bytes_of(data: Any, what: str) -> bytes:
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    read = getattr(data, "read", None)
    if callable(read):
        chunk = read()
        if isinstance(chunk, (bytes, bytearray)):
            return bytes(chunk)
        raise InvalidArgumentError(f"{what}: the file object must be opened in binary mode")
    raise InvalidArgumentError(f"{what}: data must be bytes or a binary file object")


def file_param(value: Any, what: str = "file") -> Any:
    """One file as the JSON the core takes (see the module's doc)."""
    if isinstance(value, File):
        return value.to_param()
    if isinstance(value, str):
        return value
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, tuple) and len(value) in (2, 3) and isinstance(value[0], str):
        data = _bytes_of(value[1], what)
        content_type = value[2] if len(value) == 3 else None
        return File(data=data, filename=value[0], content_type=content_type).to_param()
    if isinstance(value, (bytes, bytearray, memoryview)):
        raise InvalidArgumentError(
            f"{what}: bytes need a file name: pass (filename, data) or File(data=..., filename=...)"
        )
    raise InvalidArgumentError(
        f"{what}: a file is a path, a File or (filename, data[, content_type]), "
        f"not {type(value).__name__}"
    )


def files_param(files: Any) -> dict[str, Any]:
    """``request(files=)``: {field: file or [files]} as the core's JSON."""
    if not hasattr(files, "items"):
        raise InvalidArgumentError("files must be a mapping {field: file or [files]}")
    out: dict[str, Any] = {}
    for field, value in files.items():
        if isinstance(value, list):
            out[field] = [file_param(v, f"files[{field!r}]") for v in value]
        else:
            out[field] = file_param(value, f"files[{field!r}]")
    return out
