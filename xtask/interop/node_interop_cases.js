// node-soap's cases for the interop service (used by node_client.js).
//
// node-soap converts only int/integer/long (parseInt: 53-bit precision), float/double,
// boolean and dateTime/date (a JS Date: millisecond precision, time zone applied) when it reads
// a response; node_client.js keeps the lexical text of integers and dates instead (the
// `customDeserializer` option) so that values are compared exactly.
'use strict';

const HUGE = (1n << 100000n).toString();
const LONG = '0123456789abcdef'.repeat(16384);
const DT = '2026-11-24T20:56:46.418574';

function interopCases(c, h) {
  const { expect, expectFault, items, NS } = h;
  const call = async (name, args) => {
    const [r, , header] = await c[name + 'Async'](args);
    return { r: r || {}, header };
  };
  const echo = async (op, param, value, expected = value) => {
    const { r } = await call(op, { [param]: value });
    expect(r[op + 'Result'], expected, `${op}(${JSON.stringify(value).slice(0, 60)})`);
  };
  const nested = (n) => ({
    simple: { SimpleClass: [{ i: '45', s: 'asd' }, { i: String(12 + n), s: 'qwe' }] },
    s: `nested ${n}`,
    i: String(45 + n),
    f: 12.34,
    other: { dt: DT, d: 123.456, b: true },
    ai: { integer: ['1', '2', '3', '45', String(n)] },
  });
  const normNested = (v) => ({
    simple: { SimpleClass: items(v.simple, 'SimpleClass').map((x) => ({ i: x.i, s: x.s })) },
    s: v.s,
    i: v.i,
    f: v.f,
    other: { dt: v.other.dt, d: v.other.d, b: v.other.b },
    ai: { integer: items(v.ai, 'integer') },
  });
  const inHeaderXml =
    `<tns:InHeader xmlns:tns="${NS}"><tns:s>a</tns:s><tns:i>3</tns:i></tns:InHeader>`;
  const traceXml =
    `<tns:InTraceHeader xmlns:tns="${NS}"><tns:client>node-soap</tns:client>` +
    `<tns:callDate>${DT}</tns:callDate></tns:InTraceHeader>`;
  const withHeaders = async (headers, fn) => {
    for (const x of headers) c.addSoapHeader(x);
    try {
      return await fn();
    } finally {
      c.clearSoapHeaders();
    }
  };
  const checkAny = async (op, param) => {
    // xs:anyType content goes out as raw XML ($xml) and comes back as a parsed object.
    const xml = '<b:raw xmlns:b="urn:raw"><b:x>1</b:x><b:x>2 &amp; 3</b:x><b:y>why</b:y></b:raw>';
    const { r } = await call(op, { [param]: { $xml: xml } });
    const got = r[op + 'Result'];
    expect(got && got.raw && { x: got.raw.x, y: got.raw.y }, { x: ['1', '2 & 3'], y: 'why' }, op);
  };

  return {
    echo_any: () => checkAny('echo_any', 'xml'),
    echo_any_as_dict: () => checkAny('echo_any_as_dict', 'xml_as_dict'),
    async echo_integer() {
      for (const v of ['0', '-7', (2n ** 70n).toString()]) await echo('echo_integer', 'i', v);
    },
    async echo_string() {
      for (const v of ['OK', 'ünïcödé ☃ <&>"\'']) await echo('echo_string', 's', v);
    },
    echo_datetime: () => echo('echo_datetime', 'dt', DT),
    echo_datetime_with_invalid_format: () => echo('echo_datetime_with_invalid_format', 'dt', DT),
    echo_date: () => echo('echo_date', 'd', '2026-02-28'),
    echo_date_with_invalid_format: () => echo('echo_date_with_invalid_format', 'd', '1999-12-31'),
    echo_time: () => echo('echo_time', 't', '20:56:46.418574'),
    echo_time_with_invalid_format: () => echo('echo_time_with_invalid_format', 't', '23:59:59.000001'),
    async echo_float() {
      for (const v of [12.34, 3.141592653, -0.5]) await echo('echo_float', 'f', v);
    },
    async echo_double() {
      for (const v of [123.456, 1.7976931348623157e308]) await echo('echo_double', 'f', v);
    },
    async echo_boolean() {
      await echo('echo_boolean', 'b', true);
      await echo('echo_boolean', 'b', false);
    },
    async echo_enum() {
      await echo('echo_enum', 'day', 'Monday');
      await expectFault(c.echo_enumAsync, { day: 'Thursday' }, 'Client.*');
    },
    echo_duration: () => echo('echo_duration', 'dur', 'P1DT2H3M4.5S'),
    echo_bytearray: () => echo('echo_bytearray', 'data', Buffer.from([0, 1, 2, 3, 4]).toString('base64')),

    async echo_integer_array() {
      const v = ['1', '2', '3', (2n ** 80n).toString()];
      const { r } = await call('echo_integer_array', { ia: { integer: v } });
      expect(items(r.echo_integer_arrayResult, 'integer'), v, 'echo');
    },
    async echo_string_array() {
      const v = ['abc', 'd e f', 'é'];
      const { r } = await call('echo_string_array', { sa: { string: v } });
      expect(items(r.echo_string_arrayResult, 'string'), v, 'echo');
    },
    async echo_date_time_array() {
      const v = [DT, '2010-07-02T13:14:15'];
      const { r } = await call('echo_date_time_array', { dta: { dateTime: v } });
      expect(items(r.echo_date_time_arrayResult, 'dateTime'), v, 'echo');
    },
    async echo_float_array() {
      const v = [12.34, -1.5, 3.141592653];
      const { r } = await call('echo_float_array', { fa: { float: v } });
      expect(items(r.echo_float_arrayResult, 'float'), v, 'echo');
    },
    async echo_double_array() {
      const v = [123.456, 0.1, -9e100];
      const { r } = await call('echo_double_array', { da: { double: v } });
      expect(items(r.echo_double_arrayResult, 'double'), v, 'echo');
    },
    async echo_boolean_array() {
      const v = [true, false, true];
      const { r } = await call('echo_boolean_array', { ba: { boolean: v } });
      expect(items(r.echo_boolean_arrayResult, 'boolean'), v, 'echo');
    },
    async echo_simple_boolean_array() {
      const v = [false, false, false, true];
      const { r } = await call('echo_simple_boolean_array', { ba: v });
      expect(items(r.echo_simple_boolean_arrayResult), v, 'echo');
    },
    async echo_array_in_array() {
      const v = [true, false];
      const { r } = await call('echo_array_in_array', { baa: { boolean: v } });
      const inner = items(r.echo_array_in_arrayResult, 'booleanArray');
      expect(inner.length, 1, 'outer array length');
      expect(items(inner[0], 'boolean'), v, 'inner array');
    },

    async echo_simple_class() {
      const { r } = await call('echo_simple_class', { sc: { i: '45', s: 'asd' } });
      expect(r.echo_simple_classResult, { i: '45', s: 'asd' }, 'echo');
    },
    async echo_simple_class_array() {
      const v = [{ i: '1', s: 'a' }, { i: '2', s: 'b' }];
      const { r } = await call('echo_simple_class_array', { sca: { SimpleClass: v } });
      expect(items(r.echo_simple_class_arrayResult, 'SimpleClass'), v, 'echo');
    },
    async echo_nested_class() {
      const v = nested(0);
      const { r } = await call('echo_nested_class', { nc: v });
      expect(normNested(r.echo_nested_classResult), v, 'echo');
    },
    async echo_nested_class_array() {
      const v = [nested(1), nested(2)];
      const { r } = await call('echo_nested_class_array', { nca: { NestedClass: v } });
      expect(items(r.echo_nested_class_arrayResult, 'NestedClass').map(normNested), v, 'echo');
    },
    async echo_extension_class() {
      const v = Object.assign(nested(3), {
        p: { dt: '2010-06-02T00:00:00', i: '123', s: 'punk' },
        l: '2010-07-02T00:00:00',
        q: '5',
      });
      // node-soap writes inherited fields (NestedClass's, in punk.tunk) in the namespace of the
      // enclosing element unless their keys carry the prefix the WSDL declares for punk.tunk.
      const xmlns = c.wsdl.definitions.xmlns || {};
      const prefix = Object.keys(xmlns).find((k) => xmlns[k] === 'punk.tunk');
      if (!prefix) throw new Error('the WSDL declares no prefix for punk.tunk');
      const arg = {};
      for (const [k, val] of Object.entries(v)) {
        arg[['p', 'l', 'q'].includes(k) ? k : `${prefix}:${k}`] = val;
      }
      const { r } = await call('echo_extension_class', { nc: arg });
      const got = r.echo_extension_classResult;
      expect(
        Object.assign(normNested(got), { p: got.p && { dt: got.p.dt, i: got.p.i, s: got.p.s }, l: got.l, q: got.q }),
        v,
        'echo',
      );
      return `inherited fields sent with explicit ${prefix}: keys`;
    },
    async echo_class_with_self_reference() {
      const v = { i: '45', sr: { i: '50', sr: { i: '55' } } };
      const { r } = await call('echo_class_with_self_reference', { sr: v });
      expect(r.echo_class_with_self_referenceResult, v, 'echo');
    },

    async complex_return() {
      const { r } = await call('complex_return', {});
      expect(
        { ...r, roles: items(r.roles, 'RoleEnum') },
        { resultCode: '1', resultDescription: 'Test', transactionId: '123', roles: ['MEMBER'] },
        'complex_return',
      );
    },
    async huge_number() {
      const { r } = await call('huge_number', {});
      expect(r.huge_numberResult === HUGE, true, `2**100000 (got ${String(r.huge_numberResult).length} chars)`);
    },
    async long_string() {
      const { r } = await call('long_string', {});
      expect(r.long_stringResult === LONG, true, `long_string (got ${String(r.long_stringResult).length} chars)`);
    },
    async test_empty() {
      const { r } = await call('test_empty', {});
      expect(r, {}, 'test_empty result');
    },
    async multi_param() {
      const { r } = await call('multi_param', { s: 's', i: '3', dt: DT });
      expect(r, {}, 'multi_param result');
    },
    async non_nillable() {
      const { r } = await call('non_nillable', { n: { dt: '2010-06-02T00:00:00', i: '6', s: 'punk' } });
      expect(r.non_nillableResult, 'OK', 'valid NonNillableClass');
      await expectFault(c.non_nillableAsync, { n: { i: '6' } }, 'Client.*');
      await expectFault(c.non_nillableAsync, { n: { dt: DT, i: '6', s: '' } }, 'Client.*');
    },
    async do_something() {
      // published as do_something; the response keeps the function's name (do_something_else)
      const { r } = await call('do_something', { s: 'something' });
      expect(r.do_something_elseResult, 'something', 'do_something');
    },
    async return_other_class_array() {
      const { r } = await call('return_other_class_array', { num: '3' });
      const got = items(r.return_other_class_arrayResult, 'OtherClass');
      const item = { dt: '2010-12-06T00:00:00', d: 3, b: true };
      expect(got, [item, item, item], 'three items');
      const { r: empty } = await call('return_other_class_array', { num: '0' });
      expect(items(empty.return_other_class_arrayResult, 'OtherClass'), [], 'num=0');
    },
    return_invalid_data: () => expectFault(c.return_invalid_dataAsync, {}, 'Server'),
    async custom_messages() {
      const { r } = await call('custom_messages', { s: 'test' });
      expect(r.CustomMessages, 'test', 'custom_messages');
    },

    async echo_in_header() {
      const { r } = await withHeaders([inHeaderXml], () => call('echo_in_header', {}));
      expect(r.echo_in_headerResult, { s: 'a', i: '3' }, 'echoed InHeader');
    },
    async send_out_header() {
      const { r, header } = await call('send_out_header', {});
      const want = { f: 3.141592653, dt: '2000-01-01T00:00:00' };
      expect(r.send_out_headerResult, want, 'body');
      // node-soap reads response headers without their schema: every value is text
      expect(header && header.OutHeader, { f: '3.141592653', dt: want.dt }, 'soap:Header OutHeader');
    },
    async echo_in_complex_header() {
      const { r } = await withHeaders([inHeaderXml, traceXml], () => call('echo_in_complex_header', {}));
      expect(r.echo_in_complex_headerResult0, { s: 'a', i: '3' }, 'echoed InHeader');
      expect(r.echo_in_complex_headerResult1, { client: 'node-soap', callDate: DT }, 'echoed InTraceHeader');
    },
    async send_out_complex_header() {
      const { r, header } = await call('send_out_complex_header', {});
      const out = { f: 3.141592653, dt: '2000-01-01T00:00:00' };
      const trace = { receiptDate: '2000-01-01T01:01:01.000001', returnDate: '2000-01-01T01:01:01.000100' };
      expect(r.send_out_complex_headerResult0, out, 'body OutHeader');
      expect(r.send_out_complex_headerResult1, trace, 'body OutTraceHeader');
      expect(header && header.OutHeader, { f: '3.141592653', dt: out.dt }, 'soap:Header OutHeader');
      expect(header && header.OutTraceHeader, trace, 'soap:Header OutTraceHeader');
    },

    python_exception: () => expectFault(c.python_exceptionAsync, {}, 'Server', 'Internal Error'),
    soap_exception: () =>
      expectFault(c.soap_exceptionAsync, {}, 'Plausible', 'A plausible fault', 'http://faultactor.example.com'),
    documented_exception: () =>
      expectFault(c.documented_exceptionAsync, {}, 'Client.Documented', 'A documented fault', 'http://faultactor.example.com'),

    async echo_simple_bare() {
      const [r] = await c.echo_simple_bareAsync('test');
      expect(r, 'test', 'echo_simple_bare');
    },
    async echo_complex_bare() {
      const [r] = await c.echo_complex_bareAsync({ string: ['abc', 'def'] });
      expect(items(r, 'string'), ['abc', 'def'], 'echo_complex_bare');
    },
    async empty_input_bare() {
      const [r] = await c.empty_input_bareAsync({});
      expect(r, 'empty', 'empty_input_bare');
    },
    async empty_output_bare() {
      const [r] = await c.empty_output_bareAsync('x');
      expect(r === null || r === undefined || (typeof r === 'object' && Object.keys(r).length === 0), true, `empty_output_bare gave ${JSON.stringify(r)}`);
    },
  };
}

module.exports = { interopCases };
