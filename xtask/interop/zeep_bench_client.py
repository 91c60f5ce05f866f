"""zeep as a load client of the bench service, for `cargo xtask bench http`'s client table:
one closed loop (zeep is synchronous: one call at a time on one kept-alive connection) for a
fixed time, every reply's size checked. Prints the line `bench_client` prints:
`requests=.. seconds=.. rps=.. errors=.. cpu_ticks=..`, `cpu_ticks` being this process's user +
system CPU time during the loop (from /proc/self/stat, in clock ticks: the WSDL's loading is
left out). The first failed call, if any, is described on stderr.

Usage: python zeep_bench_client.py URL w1|w2|w3 SECONDS
"""

import sys
import time

from zeep import Client, Settings
from zeep.transports import Transport

from interop_common import BENCH_INTS, BENCH_STRING, bench_people


def cpu_ticks():
    with open("/proc/self/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def count(value, name):
    """The number of items of an array value: zeep gives the repeated child as a plain list
    (the array type flattened), or the array type itself, or None when empty."""
    if value is None:
        return 0
    if isinstance(value, list):
        return len(value)
    return len(getattr(value, name) or [])


def main(argv):
    url, workload, seconds = argv[1], argv[2], float(argv[3])
    client = Client(
        url + "?wsdl",
        transport=Transport(cache=None, timeout=30, operation_timeout=60),
        settings=Settings(strict=True),
    )
    s = client.service
    people = [dict(p, tags={"string": p["tags"]}) for p in bench_people()]
    calls = {
        "w1": lambda: len(s.echo_string(BENCH_STRING)) == len(BENCH_STRING),
        "w2": lambda: count(s.echo_integer_array({"int": BENCH_INTS}), "int") == len(BENCH_INTS),
        "w3": lambda: count(s.echo_people({"Person": people}), "Person") == len(people),
    }
    call = calls[workload]
    requests = errors = 0
    first_error = None
    before = cpu_ticks()
    started = time.monotonic()
    deadline = started + seconds
    while time.monotonic() < deadline:
        try:
            ok = call()
        except Exception as e:  # noqa: BLE001 - any failure is counted and described
            ok = False
            first_error = first_error or "%s: %s" % (type(e).__name__, e)
        if ok:
            requests += 1
        else:
            errors += 1
            first_error = first_error or "the echo differs"
    elapsed = time.monotonic() - started
    cpu = cpu_ticks() - before
    if first_error:
        print("first error: %s" % first_error, file=sys.stderr)
    print(
        "requests=%d seconds=%.3f rps=%.1f errors=%d cpu_ticks=%d"
        % (requests, elapsed, requests / elapsed, errors, cpu)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
