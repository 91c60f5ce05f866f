"""A JSON-RPC 2.0 server we did not write: `jsonrpcserver` (PyPI) dispatching the
operations of our bench service (`echo_string`, `echo_integer_array`, `echo_people`) and of
our hello service (`say_hello`), with the same names and parameter names, on Python's
`http.server`. The `jsonrpc_client` example calls it with rpclib's typed clients.

Usage: jsonrpc_server.py PORT (binds 127.0.0.1). POST / answers every reply with HTTP 200;
POST /http-status answers an error reply with HTTP 500 (or 400 for the spec's request
errors), as some servers do, so that the client is seen reading the error body of an HTTP
error.

say_hello's errors: `times` above 1000 is Invalid params (-32602) from the method; an empty
`name` an application error (code 4001, with data); the name "crash" raises, which
jsonrpcserver answers as Internal error (-32603).
"""

import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from jsonrpcserver import Error, InvalidParams, Result, Success, dispatch, method


@method
def echo_string(s) -> Result:
    return Success(s)


@method
def echo_integer_array(values) -> Result:
    return Success(values)


@method
def echo_people(people) -> Result:
    return Success(people)


@method
def say_hello(name, times) -> Result:
    if name == "crash":
        raise RuntimeError("the method crashed")
    if name == "":
        return Error(4001, "name must not be empty", {"field": "name", "min_len": 1})
    if times > 1000:
        return InvalidParams("times must be at most 1000")
    return Success(["Hello, %s" % name] * times)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length).decode("utf-8")
        reply = dispatch(body)
        status = 200
        if self.path == "/http-status" and reply:
            error = json.loads(reply).get("error")
            if error is not None:
                status = 400 if error.get("code") in (-32700, -32600) else 500
        data = reply.encode("utf-8")
        self.send_response(status if data else 204)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):
        sys.stderr.write("jsonrpc_server: " + (format % args) + "\n")


def main():
    port = int(sys.argv[1])
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    print("listening on http://127.0.0.1:%d/" % port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
