"""zeep's WS-Security UsernameToken against the hello server started with
--wsse-user/--wsse-password: text and digest passwords (and a digest with a wsu:Timestamp)
must be accepted, a wrong password must give the wsse:FailedAuthentication fault.

Usage: zeep_wsse.py HELLO_WSSE_URL USER PASSWORD
Prints the result lines of interop_common.py for the service `hello-wsse`.
"""

import datetime
import sys

from zeep import Client
from zeep.exceptions import Fault
from zeep.plugins import HistoryPlugin
from zeep.transports import Transport
from zeep.wsse.username import UsernameToken
from zeep.wsse.utils import WSU

from interop_common import CheckFailed, Runner, expect, expect_true

WSSE_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
SERVICE = "hello-wsse"


def client(url, wsse, history=None):
    return Client(
        url + "?wsdl",
        transport=Transport(cache=None, timeout=30, operation_timeout=60),
        wsse=wsse,
        plugins=[history] if history is not None else [],
    )


def items(ret):
    """The strings of a say_hello reply (zeep gives the array wrapper or a list)."""
    if ret is None:
        return []
    if isinstance(ret, list):
        return ret
    return list(getattr(ret, "string", None) or [])


def timestamp(seconds):
    """A wsu:Timestamp valid for `seconds` from now, in UTC."""
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0, tzinfo=None)
    ts = WSU.Timestamp()
    ts.append(WSU.Created(now.isoformat() + "Z"))
    ts.append(WSU.Expires((now + datetime.timedelta(seconds=seconds)).isoformat() + "Z"))
    return ts


def call_ok(url, token):
    def case():
        c = client(url, token)
        # Twice: zeep draws a fresh nonce per call, so the second is no replay.
        for _ in range(2):
            expect(items(c.service.say_hello("Zeep", 2)), ["Hello, Zeep"] * 2, "say_hello")
    return case


def wrong_password(url, user, use_digest):
    def case():
        history = HistoryPlugin()
        c = client(url, UsernameToken(user, "not-the-password", use_digest=use_digest), history)
        try:
            c.service.say_hello("Zeep", 1)
        except Fault as e:
            # The faultcode is a QName in the wsse namespace, whatever its prefix.
            env = history.last_received["envelope"]
            code = env.find(".//faultcode")
            expect_true(code is not None, "no faultcode in the reply")
            prefix, _, local = (code.text or "").strip().rpartition(":")
            expect(local, "FailedAuthentication", "the fault code's local name")
            expect(code.nsmap.get(prefix or None), WSSE_NS, "the fault code's namespace")
            return "fault %s: %s" % (e.code, e.message)
        raise CheckFailed("a wrong password was accepted")
    return case


def main(argv):
    url, user, password = argv[1:4]
    runner = Runner()
    # The WSDL alone (no call): the secured server publishes it as the plain one does.
    runner.load(SERVICE, lambda: client(url, None))
    runner.run(SERVICE + ".text", call_ok(url, UsernameToken(user, password)))
    runner.run(SERVICE + ".digest", call_ok(url, UsernameToken(user, password, use_digest=True)))
    runner.run(
        SERVICE + ".digest+timestamp",
        call_ok(url, UsernameToken(user, password, use_digest=True, timestamp_token=timestamp(300))),
    )
    runner.run(SERVICE + ".wrong password (text)", wrong_password(url, user, False))
    runner.run(SERVICE + ".wrong password (digest)", wrong_password(url, user, True))
    return runner.done()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
