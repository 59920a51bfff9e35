#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (tests/fuzz/corpus/<target>/) from the tests' own
data. Re-run after the data changes; the files it writes are committed. Inputs found by fuzzing
(crash reproducers, interesting cases) are added by hand beside them, never by this script."""
import hashlib
import pathlib
import re
import struct

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "tests/fuzz/corpus"


def write(target, name, data):
    folder = OUT / target
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    (folder / name).write_bytes(data)


def manifest():
    sources = sorted((ROOT / "tests/manifest/corpus").rglob("*.yaml"))
    sources += sorted((ROOT / "tests/manifest/corpus").rglob("*.json"))
    sources += sorted((ROOT / "manifests").glob("*.yaml"))
    for path in sources:
        rel = path.relative_to(ROOT).as_posix().replace("/", "_")
        write("manifest", rel, path.read_bytes())


def frame(obj_text):
    data = obj_text.encode()
    return struct.pack(">I", len(data)) + data


def runner_frames():
    # First byte: chunk size - 1 (see fuzz_runner_frames.cpp).
    call = frame('{"type":"call","id":1,"skill":"Lookup","input":{"ip":"10.0.0.1"}}')
    result = frame('{"type":"result","id":1,"output":{"verdict":"clean","score":0.5}}')
    log = frame('{"type":"log","level":"info","message":"hello \\u00e9"}')
    write("runner_frames", "one_call", b"\xff" + call)
    write("runner_frames", "three_frames_small_chunks", b"\x02" + call + result + log)
    write("runner_frames", "partial_frame", b"\x00" + result[:-3])
    write("runner_frames", "oversized_length", b"\x10" + b"\x7f\xff\xff\xff" + b"{}")
    write("runner_frames", "not_json", b"\x08" + frame("{nope") + call)
    write("runner_frames", "not_object", b"\x08" + frame("[1,2,3]"))
    write("runner_frames", "no_type", b"\x08" + frame('{"id":1}') + call)
    write("runner_frames", "empty_frame", b"\x03" + frame("") + call)


def http_request():
    # Requests of tests/daemon/bad_http_test.cpp; first byte: chunk size - 1.
    def request(method, target, extra="", body="", content_type=""):
        text = f"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}"
        if body or content_type:
            if content_type:
                text += f"Content-Type: {content_type}\r\n"
            text += f"Content-Length: {len(body.encode())}\r\n"
        return text + "\r\n" + body

    auth = "Authorization: Bearer sp_test_key\r\n"
    seeds = {
        "not_http": "THIS IS NOT HTTP\r\n\r\n",
        "no_target": "GET\r\nHost: x\r\n\r\n",
        "bad_method": "G(T /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
        "trailing": "GET /healthz HTTP/1.1 trailing\r\nHost: x\r\n\r\n",
        "healthz": request("GET", "/healthz"),
        "session_json": request("POST", "/v1/sessions", auth, '{"displayName":"x"}',
                                "application/json"),
        "session_text_plain": request("POST", "/v1/sessions", auth, '{"displayName":"x"}',
                                      "text/plain"),
        "bad_json": request("POST", "/v1/sessions", auth, '{"a": 1,}', "application/json"),
        "json_array": request("POST", "/v1/sessions", auth, "[1, 2, 3]", "application/json"),
        "chunked": "POST /v1/sessions HTTP/1.1\r\nHost: x\r\n" + auth +
                   "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                   "5\r\n{\"a\":\r\n2\r\n1}\r\n0\r\n\r\n",
        "expect_continue": request("POST", "/v1/sessions", auth + "Expect: 100-continue\r\n",
                                   "{}", "application/json"),
        "http2_preface": "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
        "http10": "GET /healthz HTTP/1.0\r\n\r\n",
        "invoke_encoded": request("POST", "/v1/skills/Threat%20Intel.Lookup:invoke", auth,
                                  '{"inputs":{"ip":"1.2.3.4"}}', "application/json"),
        "query_and_events": request("GET", "/v1/evaluations/abc/events?after=12&x=a+b%20c",
                                    auth + "Last-Event-ID: 7\r\n"),
        "unknown_routes": request("GET", "/v1/nope", auth) + request("GET", "/v1/sessions/a/b/c/d"),
        "wrong_method": request("DELETE", "/v1/skills", auth),
        "options": request("OPTIONS", "/v1/skills"),
        "absolute_target": request("GET", "http://127.0.0.1:8480/v1/skills?q=ip"),
        "pipelined": request("GET", "/healthz") + request("GET", "/readyz") +
                     request("GET", "/metrics"),
        "many_headers": request("GET", "/healthz",
                                "".join(f"X-H{i}: 0123456789\r\n" for i in range(40))),
    }
    for name, text in seeds.items():
        chunk = 7 if name in ("pipelined", "chunked", "expect_continue") else 255
        write("http_request", name, bytes([chunk]) + text.encode())


def entities():
    for path in sorted((ROOT / "tests/grounding/corpus").glob("*.yaml")):
        for case in yaml.safe_load(path.read_text()) or []:
            texts = []
            for key in ("prompt", "text"):
                if isinstance(case.get(key), str):
                    texts.append(case[key])
            history = case.get("history") or case.get("session") or []
            if isinstance(history, list):
                texts += [t if isinstance(t, str) else str(t.get("text", "")) for t in history]
            if not texts:
                continue
            # A NUL separates an earlier turn from the prompt (fuzz_entities.cpp).
            data = "\0".join(reversed(texts)) if len(texts) > 1 else texts[0]
            write("entities", f"{path.stem}_{case.get('id', len(texts))}", data)


def kql():
    text = (ROOT / "sample-plugins/kql-core/tests/data/hunting_queries.kql").read_text()
    for index, block in enumerate(re.split(r"^// ==== .*$", text, flags=re.M)[1:]):
        write("kql", f"hunting_{index:02d}", block.strip() + "\n")
    broken = {
        "unclosed_paren": "DeviceProcessEvents | where (FileName == \"a\"",
        "let_and_join": "let ips = dynamic([\"1.2.3.4\"]);\nDeviceNetworkEvents | where RemoteIP "
                        "in (ips) | join kind=inner (DeviceInfo) on DeviceId",
        "strings": "T | where a has @\"c:\\x\" and b == 'q\\'s' and c matches regex \"^a+$\"",
        "datetime": "T | where Timestamp between (datetime(2024-01-01) .. 1d) | take 10",
        "parse_mv": "T | parse Line with * \"user=\" User \" \" * | mv-expand Tags | "
                    "summarize count() by bin(Timestamp, 1h), User",
    }
    for name, query in broken.items():
        write("kql", name, query)


def main():
    for make in (manifest, runner_frames, http_request, entities, kql):
        make()


if __name__ == "__main__":
    main()
