"""Validates the sample documents of generated crates against the schemas of their WSDL,
with xmlschema (XSD 1.0): the round trip of `cargo xtask codegen`.

Usage: codegen_xsd.py WSDL DIR [WSDL DIR]...
Each DIR holds one document per global element (`mock-host CRATE samples DIR`). Prints one
line per document: `valid <wsdl> <file>` or `INVALID <wsdl> <file>: why`, and
`FAIL <wsdl>: why` when the WSDL's schemas cannot be loaded. Exit status 1 on any failure.
"""

import io
import os
import sys

import lxml.etree as etree
import xmlschema

WSDL = "http://schemas.xmlsoap.org/wsdl/"
XS = "http://www.w3.org/2001/XMLSchema"


def schema_sources(wsdl, seen):
    """The inline schemas of `wsdl` and of the WSDL documents it imports (serialized with the
    namespace declarations in scope), then every document their `xs:import`s (and the WSDLs'
    `wsdl:import`s of schemas) name. All go into one schema set: inline schemas import each
    other by namespace alone, and a namespace imported twice from two locations (legal; a
    location is a hint) would otherwise keep only the first."""
    path = os.path.abspath(wsdl)
    if path in seen:
        return [], []
    seen.add(path)
    base = os.path.dirname(path)
    root = etree.parse(path).getroot()
    inline, files = [], []
    if root.tag == f"{{{XS}}}schema":
        return [], [path]
    for imp in root.findall(f"{{{WSDL}}}import"):
        loc = imp.get("location")
        if loc:
            i, f = schema_sources(os.path.join(base, loc), seen)
            inline += i
            files += f
    for schema in root.findall(f"{{{WSDL}}}types/{{{XS}}}schema"):
        inline.append(io.StringIO(etree.tostring(schema).decode()))
        for imp in schema.findall(f"{{{XS}}}import"):
            loc = imp.get("schemaLocation")
            if loc and "://" not in loc:
                f = os.path.normpath(os.path.join(base, loc))
                if f not in files:
                    files.append(f)
    return inline, files


def load(wsdl):
    inline, files = schema_sources(wsdl, set())
    base = os.path.dirname(os.path.abspath(wsdl))
    return xmlschema.XMLSchema(inline + files, base_url=base)


def main():
    args = sys.argv[1:]
    failures = 0
    for wsdl, directory in zip(args[::2], args[1::2]):
        try:
            schema = load(wsdl)
        except Exception as e:  # any loading problem fails this WSDL, with its reason
            failures += 1
            print(f"FAIL {wsdl}: {type(e).__name__}: {str(e).splitlines()[0][:300]}")
            continue
        for name in sorted(os.listdir(directory)):
            path = os.path.join(directory, name)
            errors = list(schema.iter_errors(path))
            if errors:
                failures += 1
                why = " ".join(str(errors[0].reason or errors[0]).split())[:300]
                print(f"INVALID {wsdl} {name}: {why}")
            else:
                print(f"valid {wsdl} {name}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
