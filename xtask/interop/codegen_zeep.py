"""zeep against a generated mock: loads the ORIGINAL WSDL and calls every operation of every
SOAP port with sample arguments at the mock, each port at the path of its `soap:address` (a
SOAP binding that no port names at `/<binding name>`), checking each reply parses.

Usage: codegen_zeep.py WSDL MOCK_BASE_URL
Prints one line per operation: `ok <path> <binding> <operation>` or
`FAIL <path> <binding> <operation>: why`, or `skip <path> <binding> <operation>: why` for an
operation without input (a notification, which neither zeep nor SOAP over HTTP can call, and
which the generator leaves out). Exit status 1 when any call fails.

Sample arguments: required elements and attributes only (minOccurs items of a list), first
enumeration value where zeep keeps the facet, a fixed value for the built-in types listed in
BY_CLASS, else a value of the type's Python type. zeep keeps no other facet of a simple-type
restriction, so a request carrying a restricted value may be refused by the mock: contracts
of our own put restricted types in responses.
"""

import datetime
import decimal
import sys

from lxml import etree
from zeep import Client, Settings, xsd
from zeep.wsdl.bindings.soap import SoapBinding

DEPTH = 12


# Built-in types whose Python type alone gives no valid value (zeep's class name -> value):
# the g* types take tuples (and zeep writes a gMonth without padding: `--12` is valid,
# `--1` would not be), hexBinary takes its text, the negative integers a negative number.
BY_CLASS = {
    "gYear": (2000, None),
    "gYearMonth": (2000, 1, None),
    "gMonth": (12, None),
    "gMonthDay": (1, 1, None),
    "gDay": (1, None),
    "HexBinary": "0A",
    "NegativeInteger": -1,
    "NonPositiveInteger": 0,
}


def simple_sample(t):
    enum = getattr(t, "enumeration", None) or getattr(
        getattr(t, "restriction", None), "enumeration", None
    )
    if enum:
        return enum[0]
    name = type(t).__name__
    if name in BY_CLASS:
        return BY_CLASS[name]
    accepted = getattr(t, "accepted_types", ()) or (str,)
    py = accepted[0]
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


def address_path(location):
    """The path the mock serves a `soap:address` at: the same rule as the generator's
    (crates/codegen/src/emit/mock.rs, `address_path`)."""
    if "://" in location:
        rest = location.split("://", 1)[1]
        rest = rest[rest.index("/"):] if "/" in rest else ""
    else:
        rest = location
    raw = rest.split("?", 1)[0].split("#", 1)[0].lstrip("/")
    out = "/"
    for b in raw.encode("utf-8"):
        out += chr(b) if 0x21 <= b <= 0x7E else "%%%02X" % b
    return out


def raw_address(client, port_name):
    """The `location` of port `port_name`'s SOAP 1.1 or 1.2 address, read from the WSDL
    documents themselves: zeep drops the address of a port whose address element's SOAP
    version differs from its binding's (`soap12:address` on a `soap:binding`, as in
    recursive.wsdl), while the generator, like the WSDL 1.1 text, takes either."""
    for document in client.wsdl._definitions.values():
        try:
            root = etree.parse(document.location)
        except (OSError, etree.XMLSyntaxError):
            continue
        for port in root.iter("{http://schemas.xmlsoap.org/wsdl/}port"):
            if port.get("name") != port_name:
                continue
            for child in port:
                if child.tag in (
                    "{http://schemas.xmlsoap.org/wsdl/soap/}address",
                    "{http://schemas.xmlsoap.org/wsdl/soap12/}address",
                ):
                    return child.get("location")
    return None


def endpoints(client):
    """(path, binding) for every SOAP port, and `/<binding name>` for SOAP bindings no port
    names; sorted, distinct."""
    out = set()
    bound = set()
    for service in client.wsdl.services.values():
        for port in service.ports.values():
            if not isinstance(port.binding, SoapBinding):
                continue
            bound.add(port.binding.name)
            location = (port.binding_options or {}).get("address") or raw_address(client, port.name)
            path = address_path(location) if location is not None else "/" + port.binding.name.localname
            out.add((path, port.binding.name))
    for binding in client.wsdl.bindings.values():
        if isinstance(binding, SoapBinding) and binding.name not in bound:
            out.add(("/" + binding.name.localname, binding.name))
    return sorted(out, key=lambda e: (e[0], str(e[1])))


def main():
    wsdl, base = sys.argv[1], sys.argv[2].rstrip("/")
    client = Client(wsdl, settings=Settings(strict=False))
    failures = 0
    found = endpoints(client)
    if not found:
        print("no SOAP endpoint in the WSDL")
    for path, binding_name in found:
        binding = client.wsdl.bindings[binding_name]
        service = client.create_service(binding_name, base + path)
        for name in sorted(binding._operations):
            op = binding._operations[name]
            where = f"{path} {binding_name.localname} {name}"
            if op.input is None:
                print(f"skip {where}: no input (notification): the generator leaves it out")
                continue
            try:
                a = arguments(op)
                getattr(service, name)(*a["args"], **a["kwargs"])
                print(f"ok {where}")
            except Exception as e:  # a fault, a transport error or a parse error: all fail
                failures += 1
                text = str(e).replace("\n", " ")[:300]
                print(f"FAIL {where}: {type(e).__name__}: {text}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
