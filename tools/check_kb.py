#!/usr/bin/env python3
"""Validate copydesk's knowledge base (data/kb/*.toml) against the schema in data/kb/README.md.

Usage: python3 tools/check_kb.py [KB_DIR]
Python 3.11+, standard library only. Exits non-zero on any error and prints
entity counts per kind and in total (the total must be at least MIN_TOTAL).
"""
import re
import sys
import tomllib
from collections import Counter, defaultdict
from pathlib import Path

KINDS = {"person", "place", "organization", "other"}
GENDERS = {"m", "f"}
ENTITY_KEYS = {"id", "kind", "name", "description", "aliases", "variants", "roles",
               "gender", "demonyms", "common_word", "well_known"}
ROLE_KEYS = {"title", "start", "end"}
DATE_RE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MIN_TOTAL = 1500


def main() -> int:
    kb = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "data" / "kb"
    files = sorted(kb.glob("*.toml"))
    errors: list[str] = []
    ids: dict[str, str] = {}
    forms: dict[str, list[tuple[str, bool]]] = defaultdict(list)  # form -> [(id, common_word)]
    per_kind: Counter = Counter()
    per_file: dict[str, Counter] = {}

    def err(where: str, msg: str) -> None:
        errors.append(f"{where}: {msg}")

    for path in files:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            err(path.name, f"cannot parse: {e}")
            continue
        for key in data:
            if key not in ("knowledge_date", "entity"):
                err(path.name, f"unknown top-level key {key!r}")
        kd = data.get("knowledge_date")
        if kd is not None and (not isinstance(kd, str) or not DATE_RE.match(kd)):
            err(path.name, f"bad knowledge_date {kd!r}")
        ents = data.get("entity", [])
        if not isinstance(ents, list):
            err(path.name, "entity must be an array of tables")
            continue
        fc = per_file.setdefault(path.name, Counter())
        for i, e in enumerate(ents):
            where = f"{path.name}: entity #{i + 1} ({e.get('id', '?')})"
            for key in e:
                if key not in ENTITY_KEYS:
                    err(where, f"unknown key {key!r}")
            for key in ("id", "kind", "name", "description"):
                if not isinstance(e.get(key), str) or not e.get(key, "").strip():
                    err(where, f"missing or empty {key}")
            eid, kind, name = e.get("id", ""), e.get("kind", ""), e.get("name", "")
            if isinstance(eid, str) and eid:
                if not ID_RE.match(eid):
                    err(where, f"id {eid!r} is not kebab-case")
                if eid in ids:
                    err(where, f"duplicate id {eid!r} (also in {ids[eid]})")
                ids[eid] = path.name
            if kind not in KINDS:
                err(where, f"bad kind {kind!r}")
            per_kind[kind] += 1
            fc[kind] += 1
            aliases = e.get("aliases", [])
            if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
                err(where, "aliases must be a list of non-empty strings")
                aliases = []
            if len(set(aliases)) != len(aliases):
                err(where, "duplicate alias")
            if name in aliases:
                err(where, "alias equal to name")
            variants = e.get("variants", {})
            if not isinstance(variants, dict):
                err(where, "variants must be an inline table")
                variants = {}
            own = {name, *aliases}
            for v, target in variants.items():
                if not isinstance(target, str):
                    err(where, f"variant {v!r} target is not a string")
                    continue
                if v == target:
                    err(where, f"variant {v!r} equals its preferred form")
                if target not in own:
                    err(where, f"variant {v!r} -> {target!r}: target is not the name or an alias")
                if v in own:
                    err(where, f"variant {v!r} is also the name or an alias")
            roles = e.get("roles", [])
            if not isinstance(roles, list):
                err(where, "roles must be a list")
                roles = []
            for r in roles:
                if not isinstance(r, dict):
                    err(where, "role must be a table")
                    continue
                for key in r:
                    if key not in ROLE_KEYS:
                        err(where, f"unknown role key {key!r}")
                if not isinstance(r.get("title"), str) or not r["title"].strip():
                    err(where, "role without title")
                for key in ("start", "end"):
                    if key in r and (not isinstance(r[key], str) or not DATE_RE.match(r[key])):
                        err(where, f"role {r.get('title')!r}: bad {key} {r[key]!r}")
                if "start" in r and "end" in r and isinstance(r["start"], str) and isinstance(r["end"], str):
                    if r["end"][: len(r["start"])] < r["start"][: len(r["end"])]:
                        err(where, f"role {r.get('title')!r}: end before start")
            if roles and kind != "person":
                err(where, "roles on a non-person")
            g = e.get("gender")
            if g is not None and g not in GENDERS:
                err(where, f"bad gender {g!r}")
            if g is not None and kind != "person":
                err(where, "gender on a non-person")
            dem = e.get("demonyms", [])
            if not isinstance(dem, list) or not all(isinstance(d, str) and d for d in dem):
                err(where, "demonyms must be a list of strings")
            for key in ("common_word", "well_known"):
                if key in e and not isinstance(e[key], bool):
                    err(where, f"{key} must be a boolean")
            cw = bool(e.get("common_word", False))
            for f in {name, *aliases, *variants.keys()}:
                if isinstance(f, str):
                    forms[f].append((eid, cw))

    for form, owners in forms.items():
        distinct = {}
        for eid, cw in owners:
            distinct[eid] = distinct.get(eid, False) or cw
        if len(distinct) > 1 and sum(1 for cw in distinct.values() if not cw) > 1:
            err("forms", f"{form!r} is shared by {sorted(distinct)} and at most one of them may lack common_word")

    total = sum(per_kind.values())
    for fname, c in per_file.items():
        print(f"{fname}: " + ", ".join(f"{k} {n}" for k, n in sorted(c.items())) + f" (total {sum(c.values())})")
    print("per kind: " + ", ".join(f"{k} {n}" for k, n in sorted(per_kind.items())))
    print(f"total entities: {total}")
    if total < MIN_TOTAL:
        errors.append(f"total {total} is below the minimum {MIN_TOTAL}")
    for e in errors[:200]:
        print("ERROR", e)
    if len(errors) > 200:
        print(f"... and {len(errors) - 200} more errors")
    print(f"{len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
