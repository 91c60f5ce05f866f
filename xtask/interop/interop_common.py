"""What the Python interop clients share: the result protocol that `cargo xtask interop`
reads, the value checks and the values sent.

Each client script prints one line per operation on stdout:

    RESULT<TAB><service>.<operation><TAB>pass|fail|n/a<TAB><detail>

and `DONE` once every case ran. The pseudo-operation `(wsdl)` of a service says whether the
client accepted its WSDL. The detail is one line (newlines are folded); for `n/a` it
says why the client cannot express the operation.
"""

import datetime
import re
import sys
import traceback

INTEROP_NS = "spyne.test.interop.server"

# Values sent by both Python clients (the ones Spyne's own client tests use, plus edge cases).
NAIVE_DT = datetime.datetime(2026, 11, 24, 20, 56, 46, 418574)
NAIVE_DT_NO_MICROS = datetime.datetime(2010, 7, 2, 13, 14, 15)
HUGE_NUMBER = 2**100000
LONG_STRING = "0123456789abcdef" * 16384
OUT_HEADER_F = 3.141592653
OUT_HEADER_DT = datetime.datetime(2000, 1, 1)
RECEIPT_DATE = datetime.datetime(2000, 1, 1, 1, 1, 1, 1)
RETURN_DATE = datetime.datetime(2000, 1, 1, 1, 1, 1, 100)
OTHER_CLASS_DT = datetime.datetime(2010, 12, 6)


class NotExpressible(Exception):
    """The client library cannot express this operation; the message says why."""


class CheckFailed(AssertionError):
    """A returned value differs from the expected one."""


def _short(value, limit=160):
    text = repr(value)
    if len(text) > limit:
        text = text[:limit] + "...(%d chars)" % len(text)
    return text


def expect(actual, expected, what):
    """Fails unless `actual == expected` (and both have the same Python type family)."""
    if isinstance(expected, bool) != isinstance(actual, bool) or actual != expected:
        raise CheckFailed("%s: expected %s, got %s" % (what, _short(expected), _short(actual)))


def expect_true(condition, message):
    """Fails with `message` unless `condition`."""
    if not condition:
        raise CheckFailed(message)


_DURATION = re.compile(
    r"^(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)


def parse_duration(text):
    """An xs:duration without years or months, as a timedelta (for clients that hand back text)."""
    m = _DURATION.match(text or "")
    if not m or m.group(2) or m.group(3):
        raise CheckFailed("not a day-time xs:duration: %r" % (text,))
    delta = datetime.timedelta(
        days=int(m.group(4) or 0),
        hours=int(m.group(5) or 0),
        minutes=int(m.group(6) or 0),
        seconds=float(m.group(7) or 0),
    )
    return -delta if m.group(1) else delta


class Runner:
    """Runs the cases of one client and prints the result lines."""

    def __init__(self):
        self.failed = 0

    @staticmethod
    def _line(op, status, detail):
        detail = " | ".join(part.strip() for part in str(detail).splitlines() if part.strip())
        sys.stdout.write("RESULT\t%s\t%s\t%s\n" % (op, status, detail.replace("\t", " ")))
        sys.stdout.flush()

    def run(self, op, case, *args):
        """Runs `case(*args)`: pass if it returns, n/a if it raises NotExpressible, else fail."""
        try:
            note = case(*args)
        except NotExpressible as e:
            self._line(op, "n/a", e)
        except CheckFailed as e:
            self.failed += 1
            self._line(op, "fail", e)
        except Exception as e:  # any client or transport error is a failure of this case
            self.failed += 1
            tb = traceback.extract_tb(e.__traceback__)
            where = "%s:%d" % (tb[-1].filename.rsplit("/", 1)[-1], tb[-1].lineno) if tb else "?"
            self._line(op, "fail", "%s: %s (at %s)" % (type(e).__name__, e, where))
        else:
            self._line(op, "pass", note or "")

    def load(self, service, factory):
        """Builds a client from the service's WSDL (`factory()`), reported as the operation
        `(wsdl)` of `service`; returns None if the WSDL was refused."""
        client = []
        self.run(service + ".(wsdl)", lambda: client.append(factory()))
        return client[0] if client else None

    def done(self):
        """Marks the end of the run; the exit status says whether every case passed."""
        sys.stdout.write("DONE\n")
        sys.stdout.flush()
        return 1 if self.failed else 0


# The bench workloads (docs/contracts/bench-service.md): the values of examples/data/bench/w*-request.xml.
BENCH_STRING = "rpclib-bench-W1-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKL"
BENCH_INTS = [(i * 431780) % 2000003 - 1000001 for i in range(1000)] + [-(2**31), 2**31 - 1]


def bench_people():
    """The 100 people of W3, as plain dicts."""
    return [
        {
            "name": "Person Number %03d" % i,
            "age": 18 + (i * 7) % 60,
            "email": "person%03d@example.org" % i,
            "tags": ["tag-%s-%03d" % (t, i) for t in "abc"],
        }
        for i in range(100)
    ]


def fault_code_matches(actual, wanted):
    """Whether a faultcode (`prefix:Local.Sub`) has the local part `wanted`, or, if `wanted`
    ends in `.*`, starts with that code (`Client.*` matches `Client` and `Client.Anything`)."""
    local = (actual or "").rsplit(":", 1)[-1]
    if wanted.endswith(".*"):
        base = wanted[:-2]
        return local == base or local.startswith(base + ".")
    return local == wanted
