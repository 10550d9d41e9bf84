#!/usr/bin/env python3
"""Check the name-rule corpus (tests/corpus/n*): every annotated text occurs in
its article at least `occurrence` times, spelling findings sit on whole words,
and every entity form occurs as a whole word. Prints counts per rule, per kind
(from `# kind:` comments) and entity mentions. Exit status 1 on any error."""
import re
import sys
import tomllib
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
SPELLING = {"inconsistent-spelling", "nonstandard-spelling"}
WORD = r"[\w]"


def occurrences(hay, needle):
    out, start = [], 0
    while True:
        i = hay.find(needle, start)
        if i < 0:
            return out
        out.append(i)
        start = i + 1


def whole_word_at(hay, i, n):
    before = hay[i - 1] if i > 0 else " "
    after = hay[i + n] if i + n < len(hay) else " "
    return not re.match(WORD, before) and not re.match(WORD, after)


def whole_word_count(hay, form):
    return sum(1 for i in occurrences(hay, form) if whole_word_at(hay, i, len(form)))


def kinds_of(raw):
    """`# kind: X` comments, in the order of [[expect]] tables."""
    out = []
    for block in re.split(r"^\[\[", raw, flags=re.M)[1:]:
        if block.startswith("expect]]"):
            m = re.search(r"#\s*kind:\s*([\w-]+)", block)
            out.append(m.group(1) if m else "?")
    return out


def main():
    errors, rules, negs, kinds = [], Counter(), Counter(), Counter()
    mentions_total, entities_total = 0, 0
    verbose = "-v" in sys.argv
    for toml_path in sorted(HERE.glob("n*.toml")):
        stem = toml_path.stem
        arts = [p for p in (HERE / f"{stem}.md", HERE / f"{stem}.txt") if p.exists()]
        if len(arts) != 1:
            errors.append(f"{stem}: expected exactly one article, found {len(arts)}")
            continue
        text = arts[0].read_text(encoding="utf-8")
        raw = toml_path.read_text(encoding="utf-8")
        try:
            ann = tomllib.loads(raw)
        except tomllib.TOMLDecodeError as e:
            errors.append(f"{toml_path.name}: {e}")
            continue
        words = len(re.findall(r"\S+", text))
        file_rules = Counter()
        for table in ("expect", "not"):
            for item in ann.get(table, []):
                t, occ = item["text"], item.get("occurrence", 1)
                pos = occurrences(text, t)
                if len(pos) < occ:
                    errors.append(f"{stem}: [[{table}]] {item['rule']} {t!r} occurrence {occ} but found {len(pos)}")
                    continue
                i = pos[occ - 1]
                if table == "expect" and item["rule"] in SPELLING and not whole_word_at(text, i, len(t)):
                    errors.append(f"{stem}: {item['rule']} {t!r}#{occ} is not a whole word: {text[max(0,i-20):i+len(t)+20]!r}")
                if verbose:
                    print(f"  {stem} [{table}] {item['rule']} {t!r}#{occ}: ...{text[max(0,i-30):i+len(t)+30]!r}".replace("\n", " "))
                (rules if table == "expect" else negs)[item["rule"]] += 1
                file_rules[(table, item["rule"])] += 1
        k = kinds_of(raw)
        kinds.update(f"{e['rule']}/{kind}" for e, kind in zip(ann.get("expect", []), k))
        n_inc = file_rules[("expect", "inconsistent-spelling")] + file_rules[("expect", "nonstandard-spelling")]
        if len(k) != len(ann.get("expect", [])):
            errors.append(f"{stem}: kind comments {len(k)} vs expects {len(ann.get('expect', []))}")
        ments = 0
        for ent in ann.get("entity", []):
            entities_total += 1
            spans = []
            for form in ent["forms"]:
                hits = [(i, i + len(form)) for i in occurrences(text, form) if whole_word_at(text, i, len(form))]
                if not hits:
                    errors.append(f"{stem}: entity {ent['name']!r} form {form!r} never occurs as a whole word")
                spans += hits
            # "Stoltenberg" inside "Jens Stoltenberg" is one mention, not two.
            ments += sum(1 for a in spans if not any(b != a and b[0] <= a[0] and a[1] <= b[1] for b in spans))
        mentions_total += ments
        print(f"{arts[0].name:40} words={words:4} expect={n_inc:2} not={sum(v for (t, _), v in file_rules.items() if t == 'not'):2} "
              f"entities={len(ann.get('entity', [])):2} mentions={ments:3}")
    print("\nexpected findings per rule:", dict(rules))
    print("hard negatives per rule:   ", dict(negs))
    print("expected findings per kind:", dict(kinds))
    print(f"entities: {entities_total}, mentions (whole-word occurrences of forms, nested forms counted once): {mentions_total}")
    if errors:
        print("\nERRORS:")
        for e in errors:
            print(" ", e)
        sys.exit(1)
    print("\nOK")


if __name__ == "__main__":
    main()
