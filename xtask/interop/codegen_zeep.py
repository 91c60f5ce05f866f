"""zeep against a generated mock: loads the ORIGINAL WSDL, points every SOAP binding at the
mock and calls every operation with sample arguments, checking each reply parses.

Usage: codegen_zeep.py WSDL MOCK_URL
Prints one line per operation: `ok <binding> <operation>` or `FAIL <binding> <operation>: why`.
Exit status 1 when any call fails.

Sample arguments: required elements and attributes only (minOccurs items of a list), first
enumeration value where zeep keeps the facet, else a value of the type's Python type.
"""

import datetime
import decimal
import sys

from lxml import etree
from zeep import Client, Settings, xsd
from zeep.wsdl.bindings.soap import SoapBinding

DEPTH = 12


def simple_sample(t):
    enum = getattr(t, "enumeration", None) or getattr(
        getattr(t, "restriction", None), "enumeration", None
    )
    if enum:
        return enum[0]
    accepted = getattr(t, "accepted_types", ()) or (str,)
    py = accepted[0]
    name = type(t).__name__
    if py is bool:
        return False
    if py is int:
        return 1
    if py is float:
        return 1.0
    if py is decimal.Decimal:
        return decimal.Decimal("1")
    if py is datetime.datetime:
        return datetime.datetime(2000, 1, 1, 12, 0, 0, tzinfo=datetime.timezone.utc)
    if py is datetime.date:
        return datetime.date(2000, 1, 1)
    if py is datetime.time:
        return datetime.time(12, 0, 0)
    if py is bytes:
        return b"x"
    if name in ("Duration",):
        return "PT1S"
    return "x"


def any_sample(el):
    constraint = (getattr(el, "namespace", None) or "##any").split()
    first = constraint[0] if constraint else "##any"
    if first == "##local":
        return etree.Element("sample")
    if first.startswith("##"):
        return etree.Element("{urn:rpclib:sample}sample")
    return etree.Element("{%s}sample" % first)


def sample(t, depth=0):
    if depth > DEPTH:
        return None
    if isinstance(t, xsd.ComplexType):
        out = {}
        for name, el in t.elements:
            if el.min_occurs == 0:
                continue
            if isinstance(el, xsd.Any):
                # A required wildcard gets one element of a namespace it allows.
                value = any_sample(el)
                out[name] = [value] * el.min_occurs if el.max_occurs != 1 else value
                continue
            value = sample(el.type, depth + 1)
            out[name] = [value] * el.min_occurs if el.max_occurs != 1 else value
        for name, attr in t.attributes:
            if getattr(attr, "required", False):
                out[name] = sample(attr.type, depth + 1)
        return out
    return simple_sample(t)


def arguments(op):
    body = op.input.body
    if body is None:
        return {}
    t = body.type
    if isinstance(t, xsd.ComplexType):
        return {"args": [], "kwargs": sample(t)}
    return {"args": [simple_sample(t)], "kwargs": {}}


def main():
    wsdl, url = sys.argv[1], sys.argv[2]
    client = Client(wsdl, settings=Settings(strict=False))
    failures = 0
    bindings = sorted(
        (b for b in client.wsdl.bindings.values() if isinstance(b, SoapBinding)),
        key=lambda b: str(b.name),
    )
    for binding in bindings:
        service = client.create_service(binding.name, url)
        for name in sorted(binding._operations):
            op = binding._operations[name]
            try:
                a = arguments(op)
                getattr(service, name)(*a["args"], **a["kwargs"])
                print(f"ok {binding.name.localname} {name}")
            except Exception as e:  # a fault, a transport error or a parse error: all fail
                failures += 1
                text = str(e).replace("\n", " ")[:300]
                print(f"FAIL {binding.name.localname} {name}: {type(e).__name__}: {text}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
