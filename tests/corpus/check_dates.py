#!/usr/bin/env python3
"""Sanity checks for the date-rule corpus (tests/corpus/d*.toml).

Python 3.11 standard library only. Run from anywhere:

    python3 tests/corpus/check_dates.py

Checks, for every d* article and its annotations:
  * every `text` occurs at least `occurrence` times (exact, case-sensitive
    substring count over the whole file) and, as a warning, that the chosen
    occurrence is not glued inside a longer word;
  * the annotated dateline agrees with what the article header carries
    (front matter, `date YYYY-MM-DD` first line, or a wire dateline);
  * every weekday + date annotated for weekday-date-mismatch really is a
    mismatch (`expect`) or really agrees with the calendar (`not`), using
    datetime; and every weekday + date in an article is annotated one way
    or the other;
  * in undated stories, every weekday name and relative expression is
    annotated for undated-relative-date (expect or not);
  * [[date]] entries: the format of `resolved`; full dates parse to the same
    day; simple relative forms (today, yesterday, N days ago, last/next
    <weekday>, bare weekday) agree with the dateline; undated stories give
    "" for relative forms.
Prints per-rule counts and exits 1 on any error.
"""
from __future__ import annotations

import datetime as dt
import re
import sys
import tomllib
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
WD_ABBR = {w[:3]: i for i, w in enumerate(WEEKDAYS)}
WD_ABBR.update({w: i for i, w in enumerate(WEEKDAYS)})
WD_ABBR.update({"Tues": 1, "Wed.": 2, "Thur": 3, "Thurs": 3})
MONTHS = ["January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December"]
MON = {m: i + 1 for i, m in enumerate(MONTHS)}
MON.update({m[:3]: i + 1 for i, m in enumerate(MONTHS)})
MON.update({"Sept": 9})

WD_RE = r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Mon|Tues|Tue|Wed|Thurs|Thur|Thu|Fri|Sat|Sun)\.?"
MON_RE = r"(?P<mon>January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
# Weekday next to a date, in the forms the rule covers.
PAIR_RES = [
    # Friday, March 5, 2024 / Friday March 5 / Fri. Mar. 5
    re.compile(r"\b" + WD_RE + r",?\s+" + MON_RE + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?"),
    # Friday 5 March 2024 / Fri 5 March
    re.compile(r"\b" + WD_RE + r",?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + MON_RE + r"(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?"),
    # on Friday (March 5) / Friday (March 5, 2024)
    re.compile(r"\b" + WD_RE + r"\s+\(" + MON_RE + r"\s+(?P<day>\d{1,2})(?:,?\s+(?P<year>(?:19|20)\d\d))?\)"),
    # Friday (5 March)
    re.compile(r"\b" + WD_RE + r"\s+\((?P<day>\d{1,2})\s+" + MON_RE + r"(?:\s+(?P<year>(?:19|20)\d\d))?\)"),
]

RELATIVE_RE = re.compile(
    r"\b(?:today|yesterday|tomorrow|tonight"
    r"|(?:last|this|next)\s+(?:week|month|year|weekend)"
    r"|earlier this (?:week|month|year)|later this (?:week|month|year)"
    r"|(?:\w+)\s+(?:days|weeks)\s+ago"
    r"|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b",
    re.IGNORECASE,
)

errors: list[str] = []
warnings: list[str] = []


def err(msg: str) -> None:
    errors.append(msg)


def nth(text: str, needle: str, n: int) -> int:
    """Offset of the n-th (1-based) non-overlapping occurrence, or -1."""
    pos = -1
    start = 0
    for _ in range(n):
        pos = text.find(needle, start)
        if pos < 0:
            return -1
        start = pos + len(needle)
    return pos


def parse_pair(s: str):
    for rx in PAIR_RES:
        m = rx.search(s)
        if m:
            return m
    return None


def header_dateline(article: str) -> str | None:
    lines = article.splitlines()
    if lines and lines[0].strip() == "---":
        for line in lines[1:]:
            if line.strip() == "---":
                break
            m = re.match(r"\s*(date|published)\s*:\s*\"?(\d{4}-\d\d-\d\d)", line)
            if m:
                return m.group(2)
    if lines:
        m = re.match(r"date (\d{4}-\d\d-\d\d)\s*$", lines[0])
        if m:
            return m.group(1)
    body = "\n".join(lines[:6])
    m = re.search(r"^[A-Z][A-Z .'-]+(?:, [A-Z][A-Za-z .]+)?, " + MON_RE +
                  r"\s+(?P<day>\d{1,2})(?:, (?P<year>\d{4}))? \((?:Reuters|AP|AFP|Agency)\) [-—]",
                  body, re.M)
    if m:
        year = m.group("year")
        if not year:
            # year from a full date in the lead paragraph
            lead = article[m.end(): m.end() + 1500]
            y = re.search(MON_RE + r"\s+\d{1,2},\s+(\d{4})", lead)
            if not y:
                return None
            year = y.group(2)
        return dt.date(int(year), MON[m.group("mon").rstrip(".")], int(m.group("day"))).isoformat()
    return None


def check_resolved(name: str, text: str, resolved: str, dateline: str | None, article: str, off: int) -> None:
    if resolved and not re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", resolved):
        err(f"{name}: [[date]] {text!r}: bad resolved {resolved!r}")
        return
    if resolved and len(resolved) == 10:
        try:
            dt.date.fromisoformat(resolved)
        except ValueError:
            err(f"{name}: [[date]] {text!r}: invalid day {resolved!r}")
            return
    low = text.lower()
    # full date with a year: must resolve to exactly that day
    m = re.search(MON_RE + r"\s+(\d{1,2}),?\s+(\d{4})", text) or \
        re.search(r"(\d{1,2})\s+" + MON_RE + r",?\s+(\d{4})", text)
    if m:
        g = m.groups()
        if g[0].isdigit():
            day, mon, year = int(g[0]), g[1], int(g[2])
        else:
            mon, day, year = g[0], int(g[1]), int(g[2])
        want = dt.date(year, MON[mon.rstrip(".")], day).isoformat()
        if resolved != want:
            err(f"{name}: [[date]] {text!r}: resolved {resolved!r}, the text says {want}")
        return
    pair = parse_pair(text)
    if pair and (pair.group("year") or dateline):
        year = int(pair.group("year") or dateline[:4])
        want = dt.date(year, MON[pair.group("mon").rstrip(".")], int(pair.group("day"))).isoformat()
        if resolved != want:
            err(f"{name}: [[date]] {text!r}: weekday+date resolves to the date {want}, got {resolved!r}")
        return
    if re.fullmatch(r"(?:in )?(19|20)\d\d", text):
        if resolved != text[-4:]:
            err(f"{name}: [[date]] {text!r}: a bare year must resolve to itself")
        return
    relative = bool(RELATIVE_RE.search(text)) or re.search(r"\b(ago|last|next|this|earlier)\b", low)
    if dateline is None:
        if relative and resolved != "":
            err(f"{name}: [[date]] {text!r}: undated story, relative expression must resolve to \"\"")
        if not relative and re.fullmatch(MON_RE + r"\s+\d{1,2}", text) and resolved != "":
            err(f"{name}: [[date]] {text!r}: month-day without year in an undated story must be \"\"")
        return
    d0 = dt.date.fromisoformat(dateline)
    if any(w in low for w in ("week",)):
        if resolved != "":
            err(f"{name}: [[date]] {text!r}: week expressions are annotated resolved = \"\"")
        return
    simple = {"today": 0, "yesterday": -1, "tomorrow": 1, "tonight": 0}
    for k, v in simple.items():
        if re.search(rf"\b{k}\b", low) and not re.search(r"\b(day|days)\b", low.replace(k, "")):
            want = (d0 + dt.timedelta(v)).isoformat()
            if resolved != want:
                err(f"{name}: [[date]] {text!r}: expected {want}, got {resolved!r}")
            return
    nums = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "ten": 10}
    m = re.search(r"(\w+) days ago", low)
    if m:
        n = nums.get(m.group(1)) or int(m.group(1))
        want = (d0 - dt.timedelta(n)).isoformat()
        if resolved != want:
            err(f"{name}: [[date]] {text!r}: expected {want}, got {resolved!r}")
        return
    wd = next((i for i, w in enumerate(WEEKDAYS) if w.lower() in low), None)
    if wd is not None and not re.search(MON_RE + r"\s+\d", text):
        if len(resolved) != 10:
            err(f"{name}: [[date]] {text!r}: a weekday resolves to a day, got {resolved!r}")
            return
        r = dt.date.fromisoformat(resolved)
        if r.weekday() != wd:
            err(f"{name}: [[date]] {text!r}: {resolved} is a {WEEKDAYS[r.weekday()]}")
        delta = (r - d0).days
        if low.startswith("last "):
            ok = -7 <= delta <= -1
        elif low.startswith("next "):
            ok = 1 <= delta <= 7
        else:
            ok = -7 <= delta <= 7
        if not ok:
            err(f"{name}: [[date]] {text!r}: {resolved} is {delta} days from the dateline {dateline}")
        return
    if low in ("last month", "this month", "earlier this month", "later this month", "next month"):
        y, mth = d0.year, d0.month
        if low == "last month":
            y, mth = (y - 1, 12) if mth == 1 else (y, mth - 1)
        if low == "next month":
            y, mth = (y + 1, 1) if mth == 12 else (y, mth + 1)
        want = f"{y:04d}-{mth:02d}"
        if resolved != want:
            err(f"{name}: [[date]] {text!r}: expected {want}, got {resolved!r}")
        return
    if low in ("last year", "this year", "next year", "earlier this year", "later this year"):
        want = str(d0.year + {"last year": -1, "next year": 1}.get(low, 0))
        if resolved != want:
            err(f"{name}: [[date]] {text!r}: expected {want}, got {resolved!r}")
        return
    m = re.fullmatch(MON_RE + r"\s+(\d{1,2})", text)
    if m:
        if len(resolved) != 10:
            err(f"{name}: [[date]] {text!r}: month-day resolves to a day")
            return
        r = dt.date.fromisoformat(resolved)
        if (r.month, r.day) != (MON[m.group(1).rstrip(".")], int(m.group(2))):
            err(f"{name}: [[date]] {text!r}: {resolved} is not that month and day")
        if abs(r.year - d0.year) > 1:
            err(f"{name}: [[date]] {text!r}: year {r.year} far from the dateline")
        return
    m = re.fullmatch(r"(?:in )?" + MON_RE, text)
    if m:
        if not re.fullmatch(r"\d{4}-\d\d", resolved) or int(resolved[5:]) != MON[m.group(1).rstrip(".")]:
            err(f"{name}: [[date]] {text!r}: expected that month as YYYY-MM, got {resolved!r}")


def main() -> int:
    counts: Counter = Counter()
    date_total = 0
    tomls = sorted(HERE.glob("d[0-9][0-9]-*.toml"))
    if not tomls:
        print("no d* annotation files")
        return 1
    for tp in tomls:
        name = tp.stem
        arts = [p for p in (tp.with_suffix(".md"), tp.with_suffix(".txt")) if p.exists()]
        if len(arts) != 1:
            err(f"{name}: expected exactly one article .md/.txt, found {len(arts)}")
            continue
        article = arts[0].read_text(encoding="utf-8")
        words = len(re.findall(r"\b\w[\w'’-]*\b", article))
        if not 300 <= words <= 800:
            warnings.append(f"{name}: {words} words (want 300-800)")
        with tp.open("rb") as f:
            ann = tomllib.load(f)
        dateline = ann.get("dateline") or None
        hdr = header_dateline(article)
        if hdr != dateline:
            err(f"{name}: annotated dateline {dateline!r}, header gives {hdr!r}")

        covered: dict[str, list[tuple[int, int, str]]] = {}
        for kind in ("expect", "not", "date", "quote"):
            for e in ann.get(kind, []):
                text = e["text"]
                occ = e.get("occurrence", 1)
                off = nth(article, text, occ)
                if off < 0:
                    err(f"{name}: [{kind}] {text!r} occurs {article.count(text)} times, occurrence = {occ}")
                    continue
                before = article[off - 1] if off > 0 else " "
                after = article[off + len(text)] if off + len(text) < len(article) else " "
                if (text[0].isalnum() and before.isalnum()) or (text[-1].isalnum() and after.isalnum()):
                    warnings.append(f"{name}: [{kind}] {text!r} occurrence {occ} sits inside a longer word")
                # substring and whole-word counting must agree up to this occurrence
                for k in range(1, occ):
                    o = nth(article, text, k)
                    b = article[o - 1] if o > 0 else " "
                    a = article[o + len(text)] if o + len(text) < len(article) else " "
                    if (text[0].isalnum() and b.isalnum()) or (text[-1].isalnum() and a.isalnum()):
                        warnings.append(f"{name}: [{kind}] {text!r}: occurrence {k} is inside a longer word, "
                                        f"so occurrence {occ} depends on how occurrences are counted")
                if kind in ("expect", "not"):
                    rule = e["rule"]
                    counts[(rule, kind)] += 1
                    covered.setdefault(rule, []).append((off, off + len(text), kind))
                    if rule == "weekday-date-mismatch":
                        m = parse_pair(text)
                        if not m:
                            if kind == "expect":
                                err(f"{name}: mismatch expect {text!r} is not a weekday+date")
                            continue
                        year = m.group("year") or (dateline[:4] if dateline else None)
                        if year is None:
                            if kind == "expect":
                                err(f"{name}: {text!r}: no year and no dateline, rule cannot fire")
                            continue
                        d = dt.date(int(year), MON[m.group("mon").rstrip(".")], int(m.group("day")))
                        real = d.weekday()
                        said = WD_ABBR[m.group("wd").rstrip(".")]
                        if kind == "expect" and real == said:
                            err(f"{name}: {text!r} is NOT a mismatch ({d} is a {WEEKDAYS[real]})")
                        if kind == "not" and real != said:
                            err(f"{name}: negative {text!r} IS a mismatch ({d} is a {WEEKDAYS[real]})")
                    if rule == "undated-relative-date" and kind == "expect" and dateline:
                        err(f"{name}: undated-relative-date expected in a dated story: {text!r}")
                elif kind == "date":
                    date_total += 1
                    check_resolved(name, text, e.get("resolved", ""), dateline, article, off)

        def is_covered(rule: str, a: int, b: int) -> bool:
            return any(s < b and a < t for s, t, _ in covered.get(rule, []))

        # completeness: every weekday+date pair is annotated
        for rx in PAIR_RES:
            for m in rx.finditer(article):
                if not is_covered("weekday-date-mismatch", m.start(), m.end()):
                    err(f"{name}: weekday+date {m.group(0)!r} at {m.start()} is not annotated")
        # completeness: relative expressions in undated stories
        if not dateline:
            for m in RELATIVE_RE.finditer(article):
                if not is_covered("undated-relative-date", m.start(), m.end()):
                    # a weekday inside a weekday+date pair is not a relative expression
                    if is_covered("weekday-date-mismatch", m.start(), m.end()):
                        continue
                    warnings.append(f"{name}: relative {m.group(0)!r} at {m.start()} not annotated for undated-relative-date")

    print(f"{len(tomls)} annotated articles")
    for rule in ("undated-relative-date", "undated-claim", "weekday-date-mismatch"):
        print(f"  {rule:24s} expect {counts[(rule, 'expect')]:3d}   not {counts[(rule, 'not')]:3d}")
    other = {k: v for k, v in counts.items() if k[0] not in
             ("undated-relative-date", "undated-claim", "weekday-date-mismatch")}
    for (rule, kind), v in sorted(other.items()):
        print(f"  {rule:24s} {kind} {v}")
    print(f"  [[date]] entries: {date_total}")
    for w in warnings:
        print("warning:", w)
    for e in errors:
        print("ERROR:", e)
    print("clean" if not errors else f"{len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
