#!/usr/bin/env python3
"""Check the corpus annotations in tests/corpus (stdlib only, Python 3.11+).

For every NAME.toml beside this script:
  * the article NAME.md or NAME.txt exists;
  * the TOML parses and has the documented shape;
  * every `text` of [[expect]], [[not]], [[quote]], [[date]] occurs in the
    article at least `occurrence` times (default 1), and every form of every
    [[entity]] occurs in it (a form that never occurs as a whole word is an
    error too: the scorer counts whole-word occurrences);
  * an [[expect]] and a [[not]] of the same rule do not cover the same span
    (that would be a contradiction).
Then it prints counts per rule.

Usage:
  python3 tests/corpus/check_annotations.py [--prefix q] [--coverage] [-v]

  --prefix P   only files whose name starts with P (e.g. q, d, n)
  --coverage   heuristic: list double-quoted / guillemet-quoted spans in the
               selected articles that no [[quote]] / [[not]] / [[expect]]
               entry touches (helps keep "every quotation annotated" true)
  -v           list every file with its own counts

Exit status: 0 when clean (warnings allowed), 1 on any error.
"""

from __future__ import annotations

import re
import sys
import tomllib
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent

KNOWN_RULES = {
    "unattributed-quote",
    "unclosed-quote",
    "vague-attribution",
    "inconsistent-spelling",
    "nonstandard-spelling",
    "undated-relative-date",
    "undated-claim",
    "weekday-date-mismatch",
}
TOP_KEYS = {"about", "dateline", "expect", "not", "quote", "date", "entity"}
DATE_RE = re.compile(r"^(\d{4}(-\d{2}(-\d{2})?)?)?$")


def positions(haystack: str, needle: str) -> list[int]:
    """Start offsets of every (possibly overlapping) occurrence."""
    out, start = [], 0
    while needle:
        i = haystack.find(needle, start)
        if i < 0:
            break
        out.append(i)
        start = i + 1
    return out


def whole_word_count(haystack: str, form: str) -> int:
    pat = re.compile(r"(?<!\w)" + re.escape(form) + r"(?!\w)")
    return len(pat.findall(haystack))


class Report:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def err(self, where: str, msg: str) -> None:
        self.errors.append(f"ERROR   {where}: {msg}")

    def warn(self, where: str, msg: str) -> None:
        self.warnings.append(f"warning {where}: {msg}")


def find_article(toml_path: Path) -> Path | None:
    for ext in (".md", ".txt"):
        cand = toml_path.with_suffix(ext)
        if cand.exists():
            return cand
    return None


def check_file(toml_path: Path, rep: Report, stats: dict, coverage: bool) -> Counter:
    name = toml_path.name
    own: Counter = Counter()
    article = find_article(toml_path)
    if article is None:
        rep.err(name, "no article NAME.md or NAME.txt beside it")
        return own
    try:
        text = article.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        rep.err(article.name, f"not UTF-8: {e}")
        return own
    try:
        data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        rep.err(name, f"TOML does not parse: {e}")
        return own

    for key in data:
        if key not in TOP_KEYS:
            rep.warn(name, f"unknown top-level key {key!r}")
    if not isinstance(data.get("about", ""), str) or not data.get("about"):
        rep.warn(name, "missing or empty `about`")
    dl = data.get("dateline", "")
    if not isinstance(dl, str) or not DATE_RE.match(dl) or (dl and len(dl) != 10):
        rep.err(name, f"dateline {dl!r} is not YYYY-MM-DD or empty")

    spans: dict[tuple[str, str], list[tuple[int, int, str]]] = {}

    def locate(section: str, i: int, entry: dict, key: str = "text") -> tuple[int, int] | None:
        where = f"{name} [[{section}]] #{i + 1}"
        if not isinstance(entry, dict):
            rep.err(where, "not a table")
            return None
        t = entry.get(key)
        if not isinstance(t, str) or not t:
            rep.err(where, f"missing or empty `{key}`")
            return None
        occ = entry.get("occurrence", 1)
        if not isinstance(occ, int) or isinstance(occ, bool) or occ < 1:
            rep.err(where, f"occurrence {occ!r} must be an integer >= 1")
            return None
        pos = positions(text, t)
        if len(pos) < occ:
            rep.err(where, f"text {t!r} occurs {len(pos)} time(s) in {article.name}, "
                           f"occurrence = {occ}")
            return None
        if "occurrence" not in entry and len(pos) > 1 and section == "quote":
            rep.warn(where, f"quote text {t!r} occurs {len(pos)} times; "
                            "the first is assumed (make it unique or add occurrence)")
        start = pos[occ - 1]
        return start, start + len(t)

    for section in ("expect", "not"):
        entries = data.get(section, [])
        if not isinstance(entries, list):
            rep.err(name, f"`{section}` must be an array of tables ([[{section}]])")
            continue
        for i, e in enumerate(entries):
            sp = locate(section, i, e)
            rule = e.get("rule") if isinstance(e, dict) else None
            if not isinstance(rule, str) or not rule:
                rep.err(f"{name} [[{section}]] #{i + 1}", "missing `rule`")
                continue
            if rule not in KNOWN_RULES:
                rep.warn(f"{name} [[{section}]] #{i + 1}", f"unknown rule {rule!r}")
            if sp is not None:
                spans.setdefault((section, rule), []).append((sp[0], sp[1], e["text"]))
                stats[(section, rule)] += 1
                own[(section, rule)] += 1

    # contradictions: an expected finding overlapping a hard negative of the same rule
    for (section, rule), lst in spans.items():
        if section != "expect":
            continue
        for (s1, e1, t1) in lst:
            for (s2, e2, t2) in spans.get(("not", rule), []):
                if s1 < e2 and s2 < e1:
                    rep.err(name, f"{rule}: expect {t1!r} overlaps not {t2!r}")

    quote_spans = []
    quotes = data.get("quote", [])
    if not isinstance(quotes, list):
        rep.err(name, "`quote` must be an array of tables ([[quote]])")
        quotes = []
    for i, q in enumerate(quotes):
        sp = locate("quote", i, q)
        if isinstance(q, dict) and not isinstance(q.get("speaker"), str):
            rep.err(f"{name} [[quote]] #{i + 1}", "missing `speaker` (use \"\" for nobody)")
            continue
        if sp is not None:
            quote_spans.append(sp)
            key = "quote (attributed)" if q["speaker"] else "quote (speaker \"\")"
            stats[("quote", key)] += 1
            own[("quote", key)] += 1

    dates = data.get("date", [])
    if not isinstance(dates, list):
        rep.err(name, "`date` must be an array of tables ([[date]])")
        dates = []
    for i, d in enumerate(dates):
        sp = locate("date", i, d)
        if not isinstance(d, dict):
            continue
        res = d.get("resolved")
        if not isinstance(res, str) or not DATE_RE.match(res):
            rep.err(f"{name} [[date]] #{i + 1}", f"resolved {res!r} is not YYYY[-MM[-DD]] or \"\"")
        if sp is not None:
            stats[("date", "date")] += 1
            own[("date", "date")] += 1

    ents = data.get("entity", [])
    if not isinstance(ents, list):
        rep.err(name, "`entity` must be an array of tables ([[entity]])")
        ents = []
    for i, ent in enumerate(ents):
        where = f"{name} [[entity]] #{i + 1}"
        if not isinstance(ent, dict) or not isinstance(ent.get("name"), str) or not ent.get("name"):
            rep.err(where, "missing `name`")
            continue
        forms = ent.get("forms", [])
        if not isinstance(forms, list) or not forms or not all(isinstance(f, str) and f for f in forms):
            rep.err(where, "`forms` must be a non-empty list of strings")
            continue
        for f in forms:
            if f not in text:
                rep.err(where, f"form {f!r} does not occur in {article.name}")
            elif whole_word_count(text, f) == 0:
                rep.err(where, f"form {f!r} never occurs as a whole word in {article.name}")
        stats[("entity", "entity")] += 1
        own[("entity", "entity")] += 1

    if coverage:
        covered = [(s, e) for lst in spans.values() for (s, e, _) in lst] + quote_spans
        pat = re.compile(r"[\"“«„]([^\"”»“«\n]{1,400})[\"”»″]?")
        for m in pat.finditer(text):
            s, e = m.span(1)
            if not any(a < e and s < b for a, b in covered):
                snippet = m.group(1)[:60]
                line = text.count("\n", 0, s) + 1
                rep.warn(f"{article.name}:{line}", f"quoted span not annotated: {snippet!r}")
    return own


def main(argv: list[str]) -> int:
    prefix, coverage, verbose = "", False, False
    args = list(argv)
    while args:
        a = args.pop(0)
        if a == "--prefix" and args:
            prefix = args.pop(0)
        elif a == "--coverage":
            coverage = True
        elif a == "-v":
            verbose = True
        else:
            print(__doc__)
            return 2
    rep = Report()
    stats: Counter = Counter()
    tomls = sorted(p for p in HERE.glob("*.toml") if p.name.startswith(prefix))
    # articles without annotations are worth a warning
    for art in sorted(list(HERE.glob("*.md")) + list(HERE.glob("*.txt"))):
        if art.name.startswith(prefix) and art.name not in ("README.md",) \
                and art.stem.upper() != art.stem and not art.with_suffix(".toml").exists():
            rep.warn(art.name, "article without a NAME.toml")
    per_file = {}
    for t in tomls:
        per_file[t.name] = check_file(t, rep, stats, coverage)

    for w in rep.warnings:
        print(w)
    for e in rep.errors:
        print(e)
    if verbose:
        for fname, c in per_file.items():
            parts = ", ".join(f"{s}:{r}={n}" for (s, r), n in sorted(c.items()))
            print(f"{fname}: {parts}")
    print(f"\n{len(tomls)} annotation file(s){' with prefix ' + repr(prefix) if prefix else ''}")
    for section in ("expect", "not", "quote", "date", "entity"):
        rows = sorted((r, n) for (s, r), n in stats.items() if s == section)
        for r, n in rows:
            print(f"  {section:7} {r:28} {n:5}")
    print(f"{len(rep.errors)} error(s), {len(rep.warnings)} warning(s)")
    return 1 if rep.errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
