// What the gSOAP clients share: the result lines that `cargo xtask interop` reads
// (RESULT<TAB>service.operation<TAB>pass|fail<TAB>detail) and a check accumulator.
#ifndef RPCLIB_INTEROP_RESULT_H
#define RPCLIB_INTEROP_RESULT_H

#include <cstdio>
#include <sstream>
#include <string>

#include "stdsoap2.h"

static int g_failures = 0;
/// The SOAP version (1 or 2) every reply must come in; 0 checks nothing. Set from the
/// program's optional second argument (`1.1` or `1.2`) by `expected_version`.
static int g_soap_version = 0;

/// Parses the optional version argument; false (after a usage message) if it is not valid.
inline bool expected_version(int argc, char **argv) {
    if (argc == 2) return true;
    if (argc == 3 && std::string(argv[2]) == "1.1") {
        g_soap_version = 1;
        return true;
    }
    if (argc == 3 && std::string(argv[2]) == "1.2") {
        g_soap_version = 2;
        return true;
    }
    std::fprintf(stderr, "usage: %s URL [1.1|1.2]\n", argv[0]);
    return false;
}

/// Collects the first failed check of one case.
struct Check {
    std::string error;
    /// Records `message` unless `ok` (only the first failure is kept).
    void expect(bool ok, const std::string &message) {
        if (!ok && error.empty()) error = message;
    }
    /// Records the SOAP error of a call that did not return SOAP_OK; returns whether it did.
    bool call(struct soap *soap, int rc, const char *what) {
        if (rc == SOAP_OK) return true;
        char buf[1024];
        soap_sprint_fault(soap, buf, sizeof buf);
        std::string text(buf);
        for (char &c : text) {
            if (c == '\n' || c == '\t' || c == '\r') c = ' ';
        }
        expect(false, std::string(what) + ": " + text);
        return false;
    }
};

template <typename T> std::string show(const T &v) {
    std::ostringstream out;
    out.precision(17);
    out << v;
    std::string s = out.str();
    return s.size() > 120 ? s.substr(0, 120) + "...(" + std::to_string(s.size()) + " chars)" : s;
}

template <typename A, typename B>
void expect_eq(Check &c, const A &got, const B &want, const std::string &what) {
    c.expect(got == want, what + ": expected " + show(want) + ", got " + show(got));
}

/// Prints the result line of one case and frees what the call allocated.
inline void report(struct soap *soap, const char *op, const Check &checked, const std::string &note = "") {
    Check c = checked;
    // gSOAP records the version of the envelope it read last (a SOAP 1.2 proxy accepts 1.1
    // replies too): the reply must be in the version this run speaks.
    c.expect(g_soap_version == 0 || soap->version == g_soap_version,
             "the reply was SOAP " + std::string(soap->version == 2 ? "1.2" : "1.1") +
                 ", not SOAP " + (g_soap_version == 2 ? "1.2" : "1.1"));
    if (c.error.empty()) {
        std::printf("RESULT\t%s\tpass\t%s\n", op, note.c_str());
    } else {
        ++g_failures;
        std::printf("RESULT\t%s\tfail\t%s\n", op, c.error.c_str());
    }
    std::fflush(stdout);
    soap_destroy(soap);
    soap_end(soap);
}

#endif
