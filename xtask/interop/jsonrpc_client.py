"""JSON-RPC 2.0 and MessagePack interop: the `multi` example's /jsonrpc called through
`jsonrpcclient` (a stock JSON-RPC 2.0 client library: it builds the request objects and
parses the replies), and every reply of /msgpack decoded by the `msgpack` package.

Usage: jsonrpc_client.py jsonrpc|msgpack BASE_URL (the multi example's
`http://127.0.0.1:N/`). Prints the result lines of interop_common.Runner for the
pseudo-service named first (one table column each).
"""

import json
import sys
import urllib.error
import urllib.request

import msgpack
from jsonrpcclient import Error, Ok, notification, parse, request

from interop_common import Runner, expect, expect_true


def post(url, body, content_type):
    """POSTs `body`; returns (status, content type, reply bytes), also for 4xx/5xx."""
    req = urllib.request.Request(url, data=body, headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(req, timeout=30) as reply:
            return reply.status, reply.headers.get("Content-Type", ""), reply.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read()


def call(url, payload):
    """Sends a JSON-RPC payload (a request, a notification or a batch list)."""
    return post(url + "jsonrpc", json.dumps(payload).encode(), "application/json")


def parsed(url, payload):
    status, content_type, body = call(url, payload)
    expect(status, 200, "HTTP status")
    expect(content_type, "application/json", "content type")
    return parse(json.loads(body))


def single(url):
    named = parsed(url, request("say_hello", params={"name": "Dave", "times": 2}, id="named"))
    expect(named, Ok(["Hello, Dave", "Hello, Dave"], "named"), "named params")
    positional = parsed(url, request("say_hello", params=("Ann", 1)))
    expect_true(isinstance(positional, Ok), "positional params: %r" % (positional,))
    expect(positional.result, ["Hello, Ann"], "positional result")


def batch(url):
    payload = [
        request("say_hello", params=("A", 1), id=1),
        notification("say_hello", params=("quiet", 1)),
        request("say_hello", params={"name": "B", "times": 2}, id="two"),
        request("no_such_method", id=3),
    ]
    replies = list(parsed(url, payload))
    expect(len(replies), 3, "replies (the notification answers nothing)")
    expect(replies[0], Ok(["Hello, A"], 1), "first")
    expect(replies[1], Ok(["Hello, B", "Hello, B"], "two"), "second")
    expect_true(isinstance(replies[2], Error), "third: %r" % (replies[2],))
    expect(replies[2].code, -32601, "third's code")
    expect(replies[2].id, 3, "third's id")


def notifications(url):
    status, _, body = call(url, notification("say_hello", params=("quiet", 1)))
    expect(status, 204, "status of a notification")
    expect(body, b"", "body of a notification")
    status, _, body = call(url, [notification("say_hello", params=("a", 1)), notification("nope")])
    expect(status, 204, "status of a batch of notifications")
    expect(body, b"", "body of a batch of notifications")


def errors(url):
    invalid = parsed(url, request("say_hello", params={"name": "", "times": 1}, id=7))
    expect_true(isinstance(invalid, Error), "empty name: %r" % (invalid,))
    expect((invalid.code, invalid.id), (-32602, 7), "empty name")
    expect(invalid.data["faultcode"], "Client.ValidationError", "empty name's faultcode")
    missing = parsed(url, request("say_goodbye", id=None))
    expect_true(isinstance(missing, Error), "unknown method: %r" % (missing,))
    expect((missing.code, missing.id), (-32601, None), "unknown method")
    status, _, body = post(url + "jsonrpc", b'{"jsonrpc": "2.0", "method"', "application/json")
    broken = parse(json.loads(body))
    expect((status, broken.code, broken.id), (200, -32700, None), "broken JSON")


def msgpack_call(url, body):
    status, content_type, reply = post(url + "msgpack", body, "application/msgpack")
    expect(content_type, "application/msgpack", "content type")
    return status, msgpack.unpackb(reply, raw=False)


def msgpack_hello(url):
    status, reply = msgpack_call(url, msgpack.packb({"say_hello": {"name": "Dave", "times": 2}}))
    expect(status, 200, "status")
    expect(reply, {"say_helloResponse": {"say_helloResult": ["Hello, Dave", "Hello, Dave"]}}, "reply")


def msgpack_faults(url):
    status, reply = msgpack_call(url, msgpack.packb({"say_hello": {"name": "Dave", "times": 1001}}))
    expect(status, 400, "status of an invalid argument")
    expect(reply["Fault"]["faultcode"], "Client.ValidationError", "faultcode")
    status, reply = msgpack_call(url, msgpack.packb({"say_goodbye": {}}))
    expect(status, 400, "status of an unknown method")
    expect(reply["Fault"]["faultcode"], "Client.MethodNotFound", "faultcode")
    status, reply = msgpack_call(url, b"\xc1 not msgpack")
    expect(status, 400, "status of garbage")
    expect_true(reply["Fault"]["faultcode"].startswith("Client."), "garbage: %r" % (reply,))


CASES = {
    "jsonrpc": [("single", single), ("batch", batch), ("notification", notifications), ("error", errors)],
    "msgpack": [("say_hello", msgpack_hello), ("faults", msgpack_faults)],
}


def main():
    which, url = sys.argv[1], sys.argv[2]
    if not url.endswith("/"):
        url += "/"
    runner = Runner()
    for name, case in CASES[which]:
        runner.run("%s.%s" % (which, name), case, url)
    return runner.done()


if __name__ == "__main__":
    sys.exit(main())
