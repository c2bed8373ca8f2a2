"""The small part of CBOR that Pagefind's bundle files are written in (after gzip and a
`pagefind_dcd` signature): integers, strings, arrays and maps, read and written back to the same
bytes. Anything else (floats, simple values, tags) is kept as its raw bytes. Pure: the build's
search_order rewrites bundles with it, `check` reads the file lists in a bundle's metadata."""

from __future__ import annotations

import struct

SIGNATURE = b"pagefind_dcd"


class Unsupported(ValueError):
    """CBOR this module does not read or write (or a file in a shape its caller does not know)."""


class Raw:
    """A CBOR item kept as its bytes (floats, simple values, tags)."""

    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        self.data = data


def _head(b: bytes, i: int) -> tuple[int, int, int]:
    major, info = b[i] >> 5, b[i] & 31
    if info < 24:
        return major, info, i + 1
    size = {24: 1, 25: 2, 26: 4, 27: 8}.get(info)
    if size is None:
        raise Unsupported("indefinite-length CBOR")
    return major, int.from_bytes(b[i + 1 : i + 1 + size], "big"), i + 1 + size


def decode(b: bytes, i: int = 0) -> tuple[object, int]:
    """The item at `i` and where it ends; maps come as ("map", [key, value, …]) to keep their order."""
    start = i
    major, arg, i = _head(b, i)
    if major == 0:
        return arg, i
    if major == 1:
        return -1 - arg, i
    if major in (2, 3):
        chunk = b[i : i + arg]
        return (chunk if major == 2 else chunk.decode("utf-8")), i + arg
    if major in (4, 5):
        items: list[object] = []
        for _ in range(arg * (2 if major == 5 else 1)):
            item, i = decode(b, i)
            items.append(item)
        return (items if major == 4 else ("map", items)), i
    if major == 6:
        _inner, i = decode(b, i)
        return Raw(b[start:i]), i
    return Raw(b[start:i]), i  # major 7: simple values and floats, whose head holds them


def _encode_head(major: int, arg: int) -> bytes:
    if arg < 24:
        return bytes([major << 5 | arg])
    for info, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if arg < 1 << (8 * struct.calcsize(fmt)):
            return bytes([major << 5 | info]) + struct.pack(fmt, arg)
    raise Unsupported("integer too large")


def encode(value: object) -> bytes:
    if isinstance(value, Raw):
        return value.data
    if isinstance(value, bool) or value is None:
        raise Unsupported("bare simple value")
    if isinstance(value, int):
        return _encode_head(0, value) if value >= 0 else _encode_head(1, -1 - value)
    if isinstance(value, bytes):
        return _encode_head(2, len(value)) + value
    if isinstance(value, str):
        data = value.encode("utf-8")
        return _encode_head(3, len(data)) + data
    if isinstance(value, tuple) and value[0] == "map":
        items = value[1]
        return _encode_head(5, len(items) // 2) + b"".join(encode(v) for v in items)
    if isinstance(value, list):
        return _encode_head(4, len(value)) + b"".join(encode(v) for v in value)
    raise Unsupported(f"cannot encode {type(value).__name__}")
