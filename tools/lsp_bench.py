#!/usr/bin/env python3
"""LSP latency harness: how long a language server takes to answer typing.

Starts a server as a process, speaks JSON-RPC over stdio, and measures:

  * start-up: process start to the `initialize` response;
  * first diagnostics: `didOpen` to the first `publishDiagnostics` for the document;
  * typing: 500 single-character changes (a sentence typed into the middle of the
    document) at realistic, seeded intervals of 30-120 ms; then 500 more sent as
    fast as possible. For each `didChange` (version v) the latency is the time from
    the moment the change is made to the first `publishDiagnostics` for the
    document whose version is >= v (a server that publishes only the newest
    version under fast typing is credited when its newest publish covers v).
    A server that publishes without a version (harper-ls does) is assumed to
    publish once per change, in order: the n-th unversioned publish after the
    document's first one answers the n-th change (the report says how many
    publishes came, so a server that skips some shows it);
  * isolated: before typing, 50 changes one at a time, each sent once the previous
    one's diagnostics have arrived: the server's own time per change, without
    any queue;
  * hover while analysing: a change immediately followed by a hover request,
    time to the hover response (50 samples);
  * open later: 19 more documents (the first one's paragraphs shuffled) opened
    one at a time in the running server, each once the last has its diagnostics:
    didOpen to the first publishDiagnostics of each;
  * resident memory (VmRSS and VmHWM from /proc/PID/status) after those 20
    documents are open and each has had diagnostics.

The client offers the UTF-16 position encoding only (as VS Code does) and sends
changes in the sync kind the server declares: incremental (one-character range
edits) or full (the whole text on every change).

Python 3.11 standard library only. Every wait has a timeout; the server is always
killed at the end.

  python3 tools/lsp_bench.py --server "target/release/copydesk lsp" \\
      --doc story.txt --name copydesk --json out.json
"""

from __future__ import annotations

import argparse
import io
import json
import os
import queue
import random
import shlex
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

TYPED = (
    " Later, Mayor Lena Kovac of Port Aldmere spoke to reporters. \"We will rebuild"
    " every school, and we will do it this year,\" Kovac said on Thursday. Officials"
    " said more than 4,000 people had been moved. The minister flew to Kiev on"
    " Friday, March 8, 2024, to meet Volodymyr Zelensky. \"Nobody expected the water"
    " to rise so fast.\" Crews from the Red Cross worked through the night in the"
    " eastern suburbs, and about 1,200 homes remain without power, according to"
    " sources close to the operation. The council will meet next Tuesday to approve"
    " an emergency budget of 15 million dollars, the Kyiv office of the agency said."
)


# messages up to this size (an incremental change, a request, an answer to the
# server) are written by the thread that makes them when nothing is queued
DIRECT_WRITE_MAX = 4096


def now() -> float:
    return time.perf_counter()


class Timeout(Exception):
    pass


class Client:
    """A JSON-RPC client over a child process's stdio."""

    def __init__(self, argv: list[str], stderr_path: str | None):
        self.t_start = now()
        self.stderr_file = open(stderr_path, "wb") if stderr_path else subprocess.DEVNULL
        self.proc = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr_file,
            bufsize=0,
        )
        self.cond = threading.Condition()
        self.responses: dict[int, tuple[float, dict]] = {}
        # uri -> list of (receive time, version or None, number of diagnostics)
        self.publishes: dict[str, list[tuple[float, int | None, int]]] = {}
        self.next_id = 1
        self.closed = False
        # answers to the server's requests jump the queue of changes: a server that
        # asks for its configuration on every change (harper-ls) must not wait for
        # it behind hundreds of queued full-text changes
        self.outq: queue.PriorityQueue[tuple[int, int, bytes | None]] = queue.PriorityQueue()
        self.seq = 0
        # a small message with nothing queued before it is written at once by the
        # thread that makes it, not handed to the writer thread (that hand-over, a
        # thread woken after a pause, was part of every change's latency); `queued`
        # counts the messages the writer thread has not finished writing
        self.wlock = threading.Lock()
        self.queued = 0
        self.settings: object = {}
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.writer = threading.Thread(target=self._write, daemon=True)
        self.reader.start()
        self.writer.start()

    # -- plumbing ---------------------------------------------------------------

    def _write(self) -> None:
        while True:
            _, _, data = self.outq.get()
            if data is None:
                return
            try:
                self.proc.stdin.write(data)
            except (BrokenPipeError, OSError, ValueError):
                return
            finally:
                with self.wlock:
                    self.queued -= 1

    def _read(self) -> None:
        # buffered: a message's header and body come in one read, not one system
        # call per header byte (what arrives is timed once its body is complete)
        out = io.BufferedReader(self.proc.stdout, buffer_size=1 << 20)
        try:
            while True:
                length = None
                while True:
                    line = out.readline()
                    if not line:
                        raise EOFError
                    line = line.strip()
                    if not line:
                        break
                    k, _, v = line.partition(b":")
                    if k.strip().lower() == b"content-length":
                        length = int(v.strip())
                if length is None:
                    continue
                body = out.read(length)
                if len(body) < length:
                    raise EOFError
                t = now()
                try:
                    msg = json.loads(body)
                except ValueError:
                    continue
                self._dispatch(t, msg)
        except (EOFError, OSError, ValueError):
            pass
        finally:
            with self.cond:
                self.closed = True
                self.cond.notify_all()

    def _dispatch(self, t: float, msg: dict) -> None:
        method = msg.get("method")
        if method is not None and "id" in msg:
            # a request from the server: answer it so it never waits on us
            result = None
            if method == "workspace/configuration":
                items = (msg.get("params") or {}).get("items") or []
                result = [self.settings for _ in items]
            self.send({"jsonrpc": "2.0", "id": msg["id"], "result": result}, urgent=True)
            return
        if method == "textDocument/publishDiagnostics":
            p = msg.get("params") or {}
            with self.cond:
                self.publishes.setdefault(p.get("uri"), []).append(
                    (t, p.get("version"), len(p.get("diagnostics") or []))
                )
                self.cond.notify_all()
            return
        if method is None and "id" in msg:
            with self.cond:
                self.responses[msg["id"]] = (t, msg)
                self.cond.notify_all()

    def send(self, msg: dict, urgent: bool = False) -> None:
        body = json.dumps(msg, ensure_ascii=False).encode("utf-8")
        data = b"Content-Length: %d\r\n\r\n" % len(body) + body
        with self.wlock:
            # (a full text is always queued: writing it could block the typist)
            direct = self.queued == 0 and len(data) <= DIRECT_WRITE_MAX
            if not direct:
                self.queued += 1
                self.seq += 1
                seq = self.seq
        if direct:
            # outside the lock, so that the reader thread can still answer the
            # server if this write has to wait; a pipe takes a write of up to
            # 4 kB whole, so two threads' messages never interleave, and nothing
            # queued before it is still unwritten
            try:
                self.proc.stdin.write(data)
            except (BrokenPipeError, OSError, ValueError):
                pass
            return
        self.outq.put((0 if urgent else 1, seq, data))

    def request(self, method: str, params) -> int:
        rid = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        return rid

    def notify(self, method: str, params) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait(self, pred, timeout: float, what: str):
        deadline = now() + timeout
        with self.cond:
            while True:
                r = pred()
                if r is not None:
                    return r
                if self.closed:
                    raise Timeout(f"server closed its output while waiting for {what}")
                left = deadline - now()
                if left <= 0:
                    raise Timeout(f"no {what} within {timeout:.0f} s")
                self.cond.wait(left)

    def wait_response(self, rid: int, timeout: float, what: str) -> tuple[float, dict]:
        return self.wait(lambda: self.responses.get(rid), timeout, what)

    def pubs(self, uri: str) -> list[tuple[float, int | None, int]]:
        with self.cond:
            return list(self.publishes.get(uri, []))

    def npubs(self, uri: str) -> int:
        return len(self.publishes.get(uri, []))

    def memory(self) -> dict[str, int]:
        out = {}
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                k, _, v = line.partition(":")
                if k in ("VmRSS", "VmHWM"):
                    out[k] = int(v.split()[0])  # kB
        except OSError:
            pass
        return out

    def close(self) -> None:
        try:
            if self.proc.poll() is None and not self.closed:
                rid = self.request("shutdown", None)
                try:
                    self.wait_response(rid, 5, "shutdown response")
                except Timeout:
                    pass
                self.notify("exit", None)
                try:
                    self.proc.wait(3)
                except subprocess.TimeoutExpired:
                    pass
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                try:
                    self.proc.wait(5)
                except subprocess.TimeoutExpired:
                    pass
            self.outq.put((2, 0, None))
            for f in (self.proc.stdin, self.proc.stdout):
                try:
                    f.close()
                except OSError:
                    pass
            if self.stderr_file is not subprocess.DEVNULL:
                self.stderr_file.close()


def units(s: str, encoding: str) -> int:
    if encoding == "utf-8":
        return len(s.encode("utf-8"))
    if encoding == "utf-32":
        return len(s)
    return len(s.encode("utf-16-le")) // 2


def position(text: str, offset: int, encoding: str) -> dict:
    head = text[:offset]
    line = head.count("\n")
    col = units(head[head.rfind("\n") + 1 :], encoding)
    return {"line": line, "character": col}


def percentile(xs: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    s = sorted(xs)
    k = max(0, min(len(s) - 1, int(-(-p * len(s) // 100)) - 1))
    return s[k]


def summary(xs: list[float]) -> dict:
    if not xs:
        return {"n": 0}
    return {
        "n": len(xs),
        "p50_ms": round(percentile(xs, 50), 3),
        "p99_ms": round(percentile(xs, 99), 3),
        "max_ms": round(max(xs), 3),
        "mean_ms": round(statistics.fmean(xs), 3),
    }


def insertion_point(text: str) -> int:
    """The end of the paragraph nearest the middle of the text."""
    mid = len(text) // 2
    candidates = [i for i in (text.rfind("\n\n", 0, mid), text.find("\n\n", mid)) if i > 0]
    if candidates:
        return min(candidates, key=lambda i: abs(i - mid))
    i = text.rfind(" ", 0, mid)
    return i if i > 0 else mid


def variants(text: str, n: int, seed: int) -> list[str]:
    """n different documents from one: its paragraphs shuffled, each a different way."""
    paras = text.split("\n\n")
    out = []
    for k in range(n):
        ps = paras[:]
        random.Random(seed * 1000 + k).shuffle(ps)
        out.append("\n\n".join(ps))
    return out


class Doc:
    """A document being typed into, in the sync kind the server declared."""

    def __init__(self, client: Client, uri: str, text: str, sync: int, encoding: str):
        self.c = client
        self.uri = uri
        self.sync = sync
        self.encoding = encoding
        at = insertion_point(text)
        self.prefix = text[:at]
        self.suffix = text[at:]
        self.pos = position(text, at, encoding)
        self.version = 1
        self.typed = 0

    def text(self) -> str:
        return self.prefix + self.suffix

    def type_char(self) -> int:
        ch = TYPED[self.typed % len(TYPED)]
        self.typed += 1
        self.version += 1
        if self.sync == 1:
            self.prefix += ch
            change = {"text": self.prefix + self.suffix}
        else:
            p = dict(self.pos)
            change = {"range": {"start": p, "end": p}, "text": ch}
            self.prefix += ch
            self.pos = {"line": p["line"], "character": p["character"] + units(ch, self.encoding)}
        self.c.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": self.uri, "version": self.version},
                "contentChanges": [change],
            },
        )
        return self.version


def latencies(
    pubs: list[tuple[float, int | None, int]],
    sent: list[tuple[int, float]],
    skip_unversioned: int,
) -> tuple[list[float], int]:
    """Per change (version, time sent), ms to the publish that covers it."""
    versioned = [(t, v) for t, v, _ in pubs if v is not None]
    unversioned = [t for t, v, _ in pubs if v is None][skip_unversioned:]
    out = []
    missing = 0
    for k, (ver, t0) in enumerate(sent):
        t1 = None
        for t, v in versioned:
            if v >= ver and t >= t0:
                t1 = t
                break
        if t1 is None and not versioned and k < len(unversioned):
            t1 = unversioned[k]
        if t1 is None:
            missing += 1
        else:
            out.append((t1 - t0) * 1000)
    return out, missing


def covered(c: Client, uri: str, version: int, base_unversioned: int, changes: int):
    def pred():
        ps = c.publishes.get(uri, [])
        if any(v is not None and v >= version for _, v, _ in ps):
            return True
        if not any(v is not None for _, v, _ in ps):
            if sum(1 for _, v, _ in ps if v is None) - base_unversioned >= changes:
                return True
        return None

    return pred


def run(args) -> dict:
    text = Path(args.doc).read_text(encoding="utf-8")
    lang = args.language or ("markdown" if args.doc.endswith(".md") else "plaintext")
    tmp = tempfile.mkdtemp(prefix="lsp_bench_")
    root = Path(tmp)
    result: dict = {
        "name": args.name,
        "server": args.server,
        "doc": args.doc,
        "doc_bytes": len(text.encode("utf-8")),
        "doc_words": len(text.split()),
        "language": lang,
    }
    rng = random.Random(args.seed)
    c = Client(shlex.split(args.server), args.stderr)
    c.settings = json.loads(args.settings)
    result["pid"] = c.proc.pid
    try:
        rid = c.request(
            "initialize",
            {
                "processId": os.getpid(),
                "clientInfo": {"name": "lsp_bench"},
                "rootUri": root.as_uri(),
                "workspaceFolders": [{"uri": root.as_uri(), "name": "bench"}],
                "capabilities": {
                    "general": {"positionEncodings": ["utf-16"]},
                    "textDocument": {
                        "synchronization": {"dynamicRegistration": False},
                        "publishDiagnostics": {"versionSupport": True, "relatedInformation": True},
                        "hover": {"contentFormat": ["markdown", "plaintext"]},
                    },
                    "workspace": {"configuration": True},
                },
            },
        )
        t_init, resp = c.wait_response(rid, args.timeout, "initialize response")
        result["startup_ms"] = round((t_init - c.t_start) * 1000, 3)
        caps = (resp.get("result") or {}).get("capabilities") or {}
        sync = caps.get("textDocumentSync", 0)
        if isinstance(sync, dict):
            sync = sync.get("change", 0)
        encoding = caps.get("positionEncoding") or "utf-16"
        result["sync"] = {1: "full", 2: "incremental"}.get(sync, f"none ({sync})")
        result["position_encoding"] = encoding
        if sync not in (1, 2):
            raise SystemExit(f"{args.name}: the server declares no change sync ({sync})")
        c.notify("initialized", {})

        uri = (root / Path(args.doc).name).as_uri()
        (root / Path(args.doc).name).write_text(text, encoding="utf-8")
        t_open = now()
        c.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": lang, "version": 1, "text": text}},
        )
        t_first = c.wait(
            lambda: c.publishes[uri][0][0] if c.publishes.get(uri) else None,
            args.timeout,
            "first diagnostics",
        )
        result["first_diagnostics_ms"] = round((t_first - t_open) * 1000, 3)
        time.sleep(0.2)
        result["first_diagnostics_count"] = c.pubs(uri)[0][2]
        doc = Doc(c, uri, text, sync, encoding)

        def phase(name: str, n: int, interval: tuple[float, float] | None, each: bool = False) -> dict:
            base = sum(1 for _, v, _ in c.pubs(uri) if v is None)
            before = len(c.pubs(uri))
            sent = []
            next_at = now()
            for _ in range(n):
                if interval:
                    next_at += rng.uniform(*interval) / 1000
                    delay = next_at - now()
                    if delay > 0:
                        time.sleep(delay)
                t0 = now()
                v = doc.type_char()
                sent.append((v, t0))
                if each:
                    # one change at a time: wait for its diagnostics before the next
                    c.wait(covered(c, uri, v, base, len(sent)), args.timeout, f"{name}: diagnostics")
            t_sent = now()
            err = None
            try:
                c.wait(covered(c, uri, sent[-1][0], base, n), args.timeout, f"{name}: diagnostics for the last change")
            except Timeout as e:
                err = str(e)
            pubs = c.pubs(uri)[before:]
            lat, missing = latencies(pubs, sent, 0)
            s = summary(lat)
            s["changes"] = n
            s["publishes"] = len(pubs)
            s["missing"] = missing
            s["send_s"] = round(t_sent - sent[0][1], 3)
            if args.raw:
                s["latencies_ms"] = [round(x, 2) for x in lat]
            if err:
                s["error"] = err
            print(f"  {name}: {fmt(s)}", file=sys.stderr)
            return s

        print(f"{args.name}: typing into {args.doc} ({result['doc_bytes']} bytes, {result['sync']} sync)", file=sys.stderr)
        try:
            result["isolated"] = phase("isolated", args.isolated, None, each=True)
        except Timeout as e:
            result["isolated"] = {"n": 0, "error": str(e)}
        time.sleep(0.3)
        result["typing"] = phase("typing", args.changes, (args.min_interval, args.max_interval))
        time.sleep(0.3)
        result["burst"] = phase("burst", args.changes, None)
        time.sleep(0.3)

        # hover right after a change, while the change is being analysed
        if caps.get("hoverProvider"):
            hl = []
            herr = 0
            for _ in range(args.hovers):
                base = c.npubs(uri)
                doc.type_char()
                p = position(doc.text(), max(0, len(doc.prefix) - 40), encoding)
                t0 = now()
                hid = c.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": p})
                try:
                    t1, r = c.wait_response(hid, args.timeout, "hover response")
                    hl.append((t1 - t0) * 1000)
                    if "error" in r:
                        herr += 1
                except Timeout:
                    herr += 1
                try:
                    c.wait(lambda: True if c.npubs(uri) > base else None, args.timeout, "diagnostics after hover")
                except Timeout:
                    pass
            result["hover_during_analysis"] = summary(hl) | {"errors": herr}
            if args.raw:
                result["hover_during_analysis"]["latencies_ms"] = [round(x, 3) for x in hl]
            print(f"  hover during analysis: {fmt(result['hover_during_analysis'])}", file=sys.stderr)
        else:
            result["hover_during_analysis"] = {"n": 0, "note": "server offers no hover"}

        # 19 more documents, 20 open in all, then resident memory. They are opened
        # one at a time, each once the last has its diagnostics: the time from didOpen
        # to the first diagnostics of a document opened in a server that is already
        # running ("open later"; each document is the first one's paragraphs shuffled)
        others = variants(text, args.open_docs - 1, args.seed)
        mem_err = None
        opened = []
        for k, t in enumerate(others):
            u = (root / f"doc{k:02}.txt").as_uri()
            t0 = now()
            c.notify(
                "textDocument/didOpen",
                {"textDocument": {"uri": u, "languageId": lang, "version": 1, "text": t}},
            )
            try:
                t1 = c.wait(lambda u=u: c.publishes[u][0][0] if c.publishes.get(u) else None, args.timeout, f"diagnostics for document {k + 2}")
            except Timeout as e:
                mem_err = str(e)
                break
            opened.append((t1 - t0) * 1000)
        if opened:
            result["open_later"] = summary(opened)
            print(f"  first diagnostics of a document opened later: {fmt(result['open_later'])}", file=sys.stderr)
        time.sleep(0.5)
        m = c.memory()
        result["memory"] = {
            "open_documents": args.open_docs,
            "rss_mb": round(m.get("VmRSS", 0) / 1024, 1),
            "peak_rss_mb": round(m.get("VmHWM", 0) / 1024, 1),
        } | ({"error": mem_err} if mem_err else {})
        print(f"  memory with {args.open_docs} documents open: {result['memory']}", file=sys.stderr)
    except Timeout as e:
        result["error"] = str(e)
        print(f"{args.name}: {e}", file=sys.stderr)
    finally:
        c.close()
        for f in root.iterdir():
            f.unlink()
        root.rmdir()
    return result


def fmt(s: dict) -> str:
    if not s.get("n"):
        return "no samples" + (f" ({s.get('error') or s.get('note')})" if s.get("error") or s.get("note") else "")
    extra = "".join(
        f", {k} {s[k]}" for k in ("publishes", "missing", "errors", "error") if k in s and s[k] not in (0, None)
    )
    return f"p50 {s['p50_ms']:.2f} ms, p99 {s['p99_ms']:.2f} ms, max {s['max_ms']:.2f} ms (n {s['n']}{extra})"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--server", required=True, help='the server command, e.g. "target/release/copydesk lsp"')
    ap.add_argument("--doc", required=True, help="the document to open and type into")
    ap.add_argument("--name", default=None, help="a label for the report (default: the command)")
    ap.add_argument("--json", default=None, help="write the results as JSON to this file")
    ap.add_argument("--language", default=None, help="languageId (default: markdown for .md, else plaintext)")
    ap.add_argument("--changes", type=int, default=500, help="changes per phase (default 500)")
    ap.add_argument("--isolated", type=int, default=50, help="changes sent one at a time, each after the last one's diagnostics (default 50)")
    ap.add_argument("--min-interval", type=float, default=30, help="typing interval, ms (default 30)")
    ap.add_argument("--max-interval", type=float, default=120, help="typing interval, ms (default 120)")
    ap.add_argument("--hovers", type=int, default=50, help="hover samples (default 50)")
    ap.add_argument("--open-docs", type=int, default=20, help="documents open for the memory figure")
    ap.add_argument("--seed", type=int, default=7, help="seed of the typing intervals")
    ap.add_argument("--timeout", type=float, default=300, help="seconds any one wait may take (default 300)")
    ap.add_argument("--settings", default="{}", help="JSON answered to workspace/configuration (default {})")
    ap.add_argument("--raw", action="store_true", help="include every latency in the JSON")
    ap.add_argument("--stderr", default=None, help="write the server's stderr to this file")
    args = ap.parse_args()
    args.name = args.name or args.server
    res = run(args)
    text = json.dumps(res, indent=2)
    if args.json:
        Path(args.json).write_text(text + "\n")
    print(text)
    return 1 if "error" in res else 0


if __name__ == "__main__":
    sys.exit(main())
