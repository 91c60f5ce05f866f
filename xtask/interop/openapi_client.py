"""OpenAPI interop: the interop service served as JSON (the `interop_json` example), its
OpenAPI 3.1 document checked by `openapi-spec-validator`, and every operation called twice,
over JSON (`/json`) and over HttpRpc (`/rpc/<operation>`), with the request and the reply
validated by `openapi-core` against that document.

The arguments of each call are made from the document's own schemas (the required members
and, two levels deep, the optional ones, each value the simplest the schema allows), so the
run checks that what the document promises is what the server accepts and answers. HttpRpc
calls are `POST`s with a form body (and a `GET` with the same arguments in the query for a
method the document gives a `get`). An HttpRpc operation the document leaves out is `n/a`
only if its `x-left-out` member says why; otherwise it fails.

Usage: openapi_client.py SERVICE RPC_SERVICE BASE_URL OPERATION.. (BASE_URL the server's
`http://127.0.0.1:N/`; the operations are the rows to report). Prints the result lines of
interop_common.Runner: `SERVICE.(openapi)` for the document, `SERVICE.<operation>` per JSON
call, `RPC_SERVICE.<operation>` per HttpRpc operation.
"""

import json
import sys
import urllib.request

import requests
from openapi_core import OpenAPI
from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse
from openapi_spec_validator import validate

from interop_common import CheckFailed, NotExpressible, Runner, expect, expect_true

# Lexical forms of the XSD types the document marks with `x-xsd-type` (strings in JSON).
XSD_SAMPLES = {
    "dateTime": "2024-02-29T12:30:00Z",
    "date": "2024-02-29",
    "time": "12:30:00",
    "duration": "P1DT2H",
    "decimal": "12.50",
    "hexBinary": "0AFF",
    "anyType": "<a>1</a>",
    "integer": 7,
    "long": 7,
    "unsignedLong": 7,
    "nonNegativeInteger": 7,
    "positiveInteger": 7,
    "negativeInteger": -7,
    "nonPositiveInteger": -7,
}


class Samples:
    """Makes a value a schema of the document accepts."""

    def __init__(self, spec):
        self.schemas = spec["components"]["schemas"]

    def resolve(self, schema):
        while "$ref" in schema:
            schema = self.schemas[schema["$ref"].rsplit("/", 1)[-1]]
        return schema

    def merged(self, schema):
        """`allOf` folded into one schema: the tightest bounds of its parts."""
        schema = self.resolve(schema)
        if "allOf" not in schema:
            return schema
        out = {}
        for part in schema["allOf"]:
            for key, value in self.merged(part).items():
                if key == "minimum" and key in out:
                    out[key] = max(out[key], value)
                elif key == "maximum" and key in out:
                    out[key] = min(out[key], value)
                else:
                    out[key] = value
        return out

    def value(self, schema, depth=0):
        schema = self.merged(schema)
        for choice in ("anyOf", "oneOf"):
            if choice in schema:
                branches = [b for b in schema[choice] if self.resolve(b).get("type") != "null"]
                return self.value(branches[0], depth)
        if "enum" in schema:
            return schema["enum"][0]
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = [k for k in kind if k != "null"][0]
        xsd = schema.get("x-xsd-type")
        if xsd in XSD_SAMPLES:
            return XSD_SAMPLES[xsd]
        if kind == "object":
            return self.object(schema, depth)
        if kind == "array":
            item = self.value(schema.get("items", {}), depth + 1)
            count = max(schema.get("minItems", 2), 0)
            count = min(count, schema.get("maxItems", count))
            return [item] * count
        if kind == "integer":
            low = schema.get("minimum", schema.get("exclusiveMinimum", 6) + 1)
            return min(max(7, low), schema.get("maximum", 7))
        if kind == "number":
            return 1.5
        if kind == "boolean":
            return True
        if kind == "string":
            if "pattern" in schema:
                raise NotExpressible("no sample for the pattern %s" % schema["pattern"])
            if schema.get("contentEncoding") == "base64":
                return "aGVsbG8="
            return "x" * max(schema.get("minLength", 5), 1)
        return None

    def object(self, schema, depth):
        required = set(schema.get("required", []))
        out = {}
        for name, member in schema.get("properties", {}).items():
            if name in required or depth < 3:
                out[name] = self.value(member, depth + 1)
        return out


def request_documents(spec, path):
    """The request shapes of the JsonDocument endpoint at `path`, by operation (title)."""
    body = spec["paths"][path]["post"]["requestBody"]["content"]["application/json"]
    return {shape["title"]: shape for shape in body["schema"]["oneOf"]}


def check_call(openapi, url, document):
    """POSTs `document`, validates the request and the reply with openapi-core."""
    prepared = requests.Request(
        "POST", url, data=json.dumps(document), headers={"Content-Type": "application/json"}
    ).prepare()
    openapi.validate_request(RequestsOpenAPIRequest(prepared))
    reply = requests.Session().send(prepared, timeout=30)
    openapi.validate_response(RequestsOpenAPIRequest(prepared), RequestsOpenAPIResponse(reply))
    expect_true(reply.status_code in (200, 400, 500), "HTTP status %d" % reply.status_code)
    if reply.status_code != 200:
        return "validated (a %d fault: %s)" % (
            reply.status_code,
            reply.json()["Fault"]["faultcode"],
        )
    return "validated"


def form_text(value):
    """A sample value as HttpRpc's text form (what the query or form body carries)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def form_arguments(samples, schema):
    """The flat arguments of an HttpRpc form schema: a list of `(name, text)`, an array as
    repeated keys."""
    pairs = []
    for name, value in samples.object(samples.resolve(schema), 0).items():
        if value is None:
            continue
        for item in value if isinstance(value, list) else [value]:
            pairs.append((name, form_text(item)))
    return pairs


def check_rpc(openapi, samples, url, item):
    """Calls one HttpRpc operation as the document describes it (`POST` with a form body, and
    `GET` with a query when described), validating each request and reply."""
    post = item["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"]
    pairs = form_arguments(samples, post["schema"])
    calls = [
        requests.Request(
            "POST",
            url,
            data=pairs,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    ]
    if "get" in item:
        calls.append(requests.Request("GET", url, params=pairs))
    details = []
    for call in calls:
        prepared = call.prepare()
        openapi.validate_request(RequestsOpenAPIRequest(prepared))
        reply = requests.Session().send(prepared, timeout=30)
        openapi.validate_response(
            RequestsOpenAPIRequest(prepared), RequestsOpenAPIResponse(reply)
        )
        expect_true(
            reply.status_code in (200, 400, 500),
            "%s: HTTP status %d" % (call.method, reply.status_code),
        )
        if reply.status_code == 200:
            details.append("%s validated" % call.method)
        else:
            # The document said the request is valid: a refusal of it means it said wrong.
            expect_true(
                reply.json()["Fault"]["faultcode"] != "Client.ValidationError",
                "%s: the server refused a request the document describes: %s"
                % (call.method, reply.text),
            )
            details.append(
                "%s validated (a %d fault: %s)"
                % (call.method, reply.status_code, reply.json()["Fault"]["faultcode"])
            )
    return "; ".join(details) + " (%d arguments)" % len(pairs)


def rpc_case(openapi, samples, spec, base, shape, left_out):
    """One HttpRpc row: the call if the document describes it, `n/a` if its `x-left-out`
    member says why not, else a failure."""
    expect_true(shape is not None, "not in the document")
    expect_true(len(shape["required"]) == 1, "a request document has one member")
    wire = shape["required"][0]
    item = spec["paths"].get("/rpc/" + wire)
    if item is not None:
        return check_rpc(openapi, samples, base + "rpc/" + wire, item)
    if wire in left_out:
        raise NotExpressible("left out of the document: " + left_out[wire])
    raise CheckFailed("/rpc/%s is neither described nor listed in x-left-out" % wire)


def run_rpc(runner, openapi, samples, spec, service, base, operations, shapes):
    """The HttpRpc pass: every operation under `/rpc`. An operation's HttpRpc path is its
    wire name, the one member of its JSON request document (`custom_messages` is
    `/rpc/getCustomMessagesMsgIn`)."""
    left_out = {entry["method"]: entry["reason"] for entry in spec.get("x-left-out", [])}
    for op in operations:
        runner.run(
            service + "." + op,
            rpc_case,
            openapi,
            samples,
            spec,
            base,
            shapes.get(op),
            left_out,
        )


def main():
    service, rpc_service, base, operations = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    runner = Runner()
    spec = {}

    def load():
        with urllib.request.urlopen(base + "openapi.json", timeout=30) as reply:
            expect(reply.headers.get("Content-Type"), "application/json", "content type")
            spec.update(json.load(reply))
        validate(spec)
        return "openapi-spec-validator: valid OpenAPI %s" % spec["openapi"]

    runner.run(service + ".(openapi)", load)
    if spec:
        openapi = OpenAPI.from_dict(spec)
        samples = Samples(spec)
        shapes = request_documents(spec, "/json")
        for op in operations:
            shape = shapes.get(op)
            if shape is None:
                runner.run(service + "." + op, lambda: expect_true(False, "not in the document"))
                continue
            runner.run(
                service + "." + op,
                lambda shape=shape: check_call(openapi, base + "json", samples.object(shape, 0)),
            )
        run_rpc(runner, openapi, samples, spec, rpc_service, base, operations, shapes)
    return runner.done()


if __name__ == "__main__":
    sys.exit(main())
