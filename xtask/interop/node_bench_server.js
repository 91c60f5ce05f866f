// node-soap serving the bench contract, for our bench client to call (the reverse direction
// of node_client.js's bench rows).
//
// Usage: node node_bench_server.js WSDL_FILE PORT   (the WSDL is our bench server's, saved by
// `cargo xtask interop`; `soap` is resolved through NODE_PATH). Listens on 127.0.0.1:PORT at
// `/`, echoes each operation's argument as the contract (docs/contracts/bench-service.md)
// says, and prints `LISTENING <port>` once ready.
'use strict';

const fs = require('node:fs');
const http = require('node:http');
const soap = require('soap');

const [wsdlFile, portText] = process.argv.slice(2);
if (!wsdlFile || !portText) {
  console.error('usage: node node_bench_server.js WSDL_FILE PORT');
  process.exit(2);
}
const wsdl = fs.readFileSync(wsdlFile, 'utf8');

// node-soap reads a one-item array as a lone value: give every repeated element back as a list.
const list = (v) => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

const operations = {
  echo_string(args) {
    return { echo_stringResult: args.s ?? '' };
  },
  echo_integer_array(args) {
    return { echo_integer_arrayResult: { int: list(args.values && args.values.int) } };
  },
  echo_people(args) {
    const people = list(args.people && args.people.Person).map((p) => ({
      name: p.name,
      age: p.age,
      email: p.email,
      tags: { string: list(p.tags && p.tags.string) },
    }));
    return { echo_peopleResult: { Person: people } };
  },
};

// Both ports of our WSDL (SOAP 1.1 and 1.2) answer the same way.
const service = { BenchService: { BenchService: operations, BenchServiceSoap12: operations } };

const server = http.createServer((req, res) => {
  res.statusCode = 404;
  res.end();
});
server.keepAliveTimeout = 60000;
server.listen(Number(portText), '127.0.0.1', () => {
  soap.listen(server, '/', service, wsdl);
  process.stdout.write(`LISTENING ${server.address().port}\n`);
});
