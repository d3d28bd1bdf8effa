#!/usr/bin/env python3
"""Derives the broken recordings in this directory from ../replay/small_session.rec.

It reads the format with its own code (FORMAT.md, Python's zlib.crc32 is the same CRC-32), so
it also checks that the document describes what vigil-replay writes. Run it from anywhere:
    python3 tests/data/broken/make_broken.py
The files are committed; this script says how each was made.
"""
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
GOOD = os.path.join(HERE, "..", "replay", "small_session.rec")


def header_size(data):
    (source_len,) = struct.unpack_from("<H", data, 18)
    return 20 + source_len + 4


def frames(data):
    """(offset, length) of every frame, checking what FORMAT.md promises."""
    assert data[:8] == b"VIGILREC"
    size = header_size(data)
    assert zlib.crc32(data[: size - 4]) == struct.unpack_from("<I", data, size - 4)[0]
    out, at = [], size
    while at < len(data):
        length, length_crc, body_crc = struct.unpack_from("<III", data, at)
        assert zlib.crc32(data[at : at + 4]) == length_crc
        assert zlib.crc32(data[at + 12 : at + 12 + length]) == body_crc
        out.append((at, length))
        at += 12 + length
    assert at == len(data)
    return out


def frame(kind, time_ms, topic, payload):
    body = struct.pack("<BqH", kind, time_ms, len(topic)) + topic + payload
    length = struct.pack("<I", len(body))
    return length + struct.pack("<II", zlib.crc32(length), zlib.crc32(body)) + body


def main():
    good = open(GOOD, "rb").read()
    fr = frames(good)
    hsize = header_size(good)
    second, second_len = fr[1]
    last, last_len = fr[-1]

    def flip(data, at):
        b = bytearray(data)
        b[at] ^= 0x40
        return bytes(b)

    cases = {
        "empty.rec": b"",
        "truncated_header.rec": good[:15],
        "bad_magic.rec": b"VIGILRAC" + good[8:],
        "unknown_version.rec": good[:8] + struct.pack("<H", 2) + good[10:],
        "bad_header_checksum.rec": flip(good, 30),  # a byte of the source text
        # A crash in the middle of the last frame's write.
        "truncated_frame.rec": good[: last + 12 + last_len // 2],
        "truncated_frame_prefix.rec": good[: last + 5],
        # A power loss that left the file's tail as zeros after the last whole frame.
        "zero_tail.rec": good + bytes(4096),
        # Length field of the second frame changed, its length CRC left as it was.
        "bad_length.rec": good[:second] + struct.pack("<I", second_len + 1) + good[second + 4 :],
        # A payload byte of the second frame changed.
        "bad_checksum.rec": flip(good, second + 12 + second_len - 2),
        # Well-formed frame (both CRCs right) of a kind version 1 does not have.
        "unknown_frame_kind.rec": good[:second] + frame(7, 1, b"", b"") + good[second:],
        # An end frame followed by another frame.
        "frame_after_end.rec": good[:second] + frame(2, 1700000000000, b"", b"") + good[second:],
    }
    for name, data in cases.items():
        with open(os.path.join(HERE, name), "wb") as f:
            f.write(data)
    print("header", hsize, "bytes; frames at", [o for o, _ in fr])


if __name__ == "__main__":
    main()
