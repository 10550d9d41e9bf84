#!/usr/bin/env python3
"""Regenerate the checked-in seed corpora (fuzz/corpus/<target>/) from seeds/ and
tests/corpus/. Deterministic: the same files every run."""
import os, random, pathlib

root = pathlib.Path(__file__).resolve().parent.parent
out = root / "fuzz" / "corpus"
rnd = random.Random(8)
stories = sorted((root / "seeds").glob("*.txt")) + sorted(
    p for p in (root / "tests" / "corpus").iterdir() if p.suffix in (".txt", ".md"))[:22]
special = [
    b"", b"\xef\xbb\xbfKyiv and Kiev\r\n\"Quote,\" he said.\rOn Thursday.",
    "Crowds 🎉 gathered in Kyiv. Later, Kiev.\n\u05e9\u05dc\u05d5\u05dd Kiev \u202e Kyiv".encode(),
    "e\u0301 \U0001F469\u200d\U0001F469\u200d\U0001F467 \"unclosed\n\nnext".encode(),
    b"a\x00b\x00\xff\xfe Kiev \x80 Kyiv", b"\r\r\n\n\r", b"# Title\n\n```\nKiev\n```\n<!-- Kiev -->",
]

def write(target, name, data):
    d = out / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data)

for p in stories:
    write("analyze", p.name, p.read_bytes())
for i, s in enumerate(special):
    write("analyze", f"special-{i}", s)

def snippet(i):
    if i < len(special):
        return special[i][:200]
    data = stories[i % len(stories)].read_bytes()
    start = rnd.randrange(max(1, len(data) - 200))
    return data[start:start + rnd.randrange(20, 200)]

def coords(n):
    return bytes(rnd.choice([rnd.randrange(0, 40), rnd.randrange(0, 256)]) for _ in range(n))

for i in range(24):
    t = snippet(i)
    write("positions", f"seed-{i:02}", bytes([len(t)]) + t + coords(3 * rnd.randrange(1, 12)))
    t = snippet(i + 3)
    edits = b""
    for _ in range(rnd.randrange(1, 10)):
        edits += coords(4) + bytes([rnd.randrange(256)]) + bytes(rnd.randrange(256) for _ in range(rnd.randrange(0, 24)))
    write("edits", f"seed-{i:02}", bytes([i % 3, len(t)]) + t + edits)
