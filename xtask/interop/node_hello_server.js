// node-soap serving the hello contract, for our clients to call (the reverse direction of
// node_client.js).
//
// Usage: node node_hello_server.js WSDL_FILE PORT   (the WSDL is our hello server's, saved by
// `cargo xtask interop`; `soap` is resolved through NODE_PATH). Listens on 127.0.0.1:PORT at
// `/`, implements say_hello(name, times) -> `times` greetings "Hello, <name>", and prints
// `LISTENING <port>` once ready.
'use strict';

const fs = require('node:fs');
const http = require('node:http');
const soap = require('soap');

const [wsdlFile, portText] = process.argv.slice(2);
if (!wsdlFile || !portText) {
  console.error('usage: node node_hello_server.js WSDL_FILE PORT');
  process.exit(2);
}
const wsdl = fs.readFileSync(wsdlFile, 'utf8');

const service = {
  HelloWorldService: {
    Application: {
      say_hello(args) {
        const times = Number(args.times);
        if (!Number.isInteger(times) || times < 0 || times > 1000) {
          throw { Fault: { faultcode: 'soap:Client', faultstring: `bad times: ${args.times}` } };
        }
        return { say_helloResult: { string: Array(times).fill(`Hello, ${args.name}`) } };
      },
    },
  },
};

const server = http.createServer((req, res) => {
  res.statusCode = 404;
  res.end();
});
server.listen(Number(portText), '127.0.0.1', () => {
  soap.listen(server, '/', service, wsdl);
  process.stdout.write(`LISTENING ${server.address().port}\n`);
});
