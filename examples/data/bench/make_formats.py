"""Writes the JSON and MessagePack request files of the bench workloads (w1-w3) from the
SOAP ones, with the same values: `{"<operation>": {<arguments>}}`, the JsonDocument shape,
and the same document in MessagePack. Run from this directory with a Python that has the
`msgpack` package (the interop venv, target/interop/venv, has it):

    python make_formats.py
"""

import json
import xml.etree.ElementTree as ET

import msgpack

NS = "{urn:rpclib:bench}"


def local(tag):
    return tag.replace(NS, "")


def person(element):
    fields = {local(child.tag): child for child in element}
    return {
        "name": fields["name"].text or "",
        "age": int(fields["age"].text),
        "email": fields["email"].text or "",
        "tags": [t.text or "" for t in fields["tags"]],
    }


def document(path):
    body = ET.parse(path).getroot()[0]
    call = body[0]
    operation = local(call.tag)
    (argument,) = list(call)
    name = local(argument.tag)
    if operation == "echo_string":
        value = argument.text or ""
    elif operation == "echo_integer_array":
        value = [int(item.text) for item in argument]
    else:
        value = [person(item) for item in argument]
    return {operation: {name: value}}


for workload in ("w1", "w2", "w3"):
    doc = document("%s-request.xml" % workload)
    with open("%s-request.json" % workload, "w") as f:
        f.write(json.dumps(doc, separators=(",", ":"), ensure_ascii=False))
    with open("%s-request.msgpack" % workload, "wb") as f:
        f.write(msgpack.packb(doc))
