// What the gSOAP clients share: the result lines that `cargo xtask interop` reads
// (RESULT<TAB>service.operation<TAB>pass|fail<TAB>detail) and a check accumulator.
#ifndef RPCLIB_INTEROP_RESULT_H
#define RPCLIB_INTEROP_RESULT_H

#include <cstdio>
#include <sstream>
#include <string>

#include "stdsoap2.h"

static int g_failures = 0;

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
inline void report(struct soap *soap, const char *op, const Check &c, const std::string &note = "") {
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
