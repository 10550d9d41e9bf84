#!/usr/bin/env python3
"""The first diagnostics of the very first document after a server starts.

Each run starts the server, initializes it, sends `initialized`, waits DELAY
seconds, opens the document and times `didOpen` to the first `publishDiagnostics`
for it; then the server is shut down. The first document comes once per process,
so a figure takes many processes. With several servers, each run takes them in a
shuffled order, so that a noisy minute falls on all of them alike.

    python3 tools/first_doc.py --doc news-10000.txt --runs 50 --delay 0.3 \\
        "target/release/copydesk lsp" "/tmp/old/copydesk lsp"

Prints, per server, the least, quartiles, greatest and how many runs took over
20 ms (issue 7's target for a newly opened 10,000-word document). Standard
library only; the client is `tools/lsp_bench.py`'s.
"""

import argparse
import random
import shlex
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import lsp_bench  # noqa: E402


def once(argv: list[str], text: str, language: str, delay: float, timeout: float, i: int) -> float:
    c = lsp_bench.Client(argv, None)
    try:
        rid = c.request(
            "initialize",
            {
                "processId": None,
                "rootUri": None,
                "capabilities": {"general": {"positionEncodings": ["utf-16"]}},
            },
        )
        c.wait_response(rid, timeout, "initialize")
        c.notify("initialized", {})
        if delay > 0:
            time.sleep(delay)
        uri = f"file:///tmp/copydesk-first-doc-{i}.txt"
        t0 = lsp_bench.now()
        c.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}},
        )
        c.wait(lambda: c.publishes.get(uri) or None, timeout, "first diagnostics")
        return (c.publishes[uri][0][0] - t0) * 1000
    finally:
        c.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("servers", nargs="+", help='server commands, e.g. "target/release/copydesk lsp"')
    ap.add_argument("--doc", required=True, help="the document to open")
    ap.add_argument("--runs", type=int, default=20, help="processes per server (default 20)")
    ap.add_argument("--delay", type=float, default=0.0, help="seconds between initialized and didOpen (default 0)")
    ap.add_argument("--timeout", type=float, default=30, help="seconds any one wait may take (default 30)")
    ap.add_argument("--seed", type=int, default=1, help="seed of the shuffled order")
    args = ap.parse_args()
    text = Path(args.doc).read_text(encoding="utf-8")
    language = "markdown" if args.doc.endswith((".md", ".markdown")) else "plaintext"
    rng = random.Random(args.seed)
    results: dict[str, list[float]] = {s: [] for s in args.servers}
    for i in range(args.runs):
        order = list(args.servers)
        rng.shuffle(order)
        for s in order:
            results[s].append(once(shlex.split(s), text, language, args.delay, args.timeout, i))
            time.sleep(0.2)
    for s, v in results.items():
        v.sort()
        n = len(v)
        print(
            f"{s}: least {v[0]:.1f} p25 {v[n // 4]:.1f} p50 {v[n // 2]:.1f} p75 {v[3 * n // 4]:.1f} "
            f"greatest {v[-1]:.1f} ms; over 20 ms in {sum(x > 20 for x in v)} of {n}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
