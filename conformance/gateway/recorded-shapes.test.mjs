// TokenHub's answers against the providers' documented examples (conformance/recorded, sources in its README), field
// by field: every field of a recorded object must be in TokenHub's answer with the same JSON type wherever the
// recording holds a value, recursively; a recorded stream's event types must come in the same order, a run of deltas
// counting as one. Run by LocalSuiteIT with the environment the other gateway suites use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { client, env } from './support.mjs';

const recorded = (file) => readFileSync(new URL(`../recorded/${file}`, import.meta.url), 'utf8');

function kind(value) {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/** Fails naming the path of the first field of `expected` that `actual` lacks or holds with another type. */
function assertShape(actual, expected, path = '$') {
  if (expected === null) {
    return;
  }
  assert.equal(kind(actual), kind(expected), `${path}: ${JSON.stringify(actual)?.slice(0, 80)}`);
  if (Array.isArray(expected)) {
    if (expected.length > 0 && actual.length > 0) {
      assertShape(actual[0], expected[0], `${path}[0]`);
    }
  } else if (typeof expected === 'object') {
    for (const [key, value] of Object.entries(expected)) {
      assert.ok(key in actual, `${path}.${key} is missing`);
      assertShape(actual[key], value, `${path}.${key}`);
    }
  }
}

/** The `data` payloads of an SSE transcript with the event names, in order. */
function sseEvents(text) {
  return text.split('\n\n').filter((frame) => frame.trim()).map((frame) => {
    const event = frame.match(/^event: (.*)$/m)?.[1];
    const data = JSON.parse(frame.match(/^data: (.*)$/m)[1]);
    return { event, data };
  });
}

/** Event types with each run of the same type collapsed to one. */
function runs(types) {
  return types.filter((type, i) => type !== types[i - 1]);
}

test('a response has every field of the documented example, with its type', async () => {
  const documented = JSON.parse(recorded('openai/responses-create.json'));
  const response = await client.responses.create({ model: 'gpt-4o', input: 'Tell me a bedtime story.' });
  assertShape(response, documented);
});

test('a response stream sends the documented events in the documented order, each with its fields', async () => {
  const documented = sseEvents(recorded('openai/responses-stream.sse'));
  const res = await fetch(`${env('TOKENHUB_BASE_URL')}/responses`, {
    method: 'POST',
    headers: { authorization: `Bearer ${env('TOKENHUB_API_KEY')}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o', instructions: 'You are a helpful assistant.', input: 'Hello!', stream: true }),
  });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/event-stream/);
  const live = sseEvents(await res.text());
  live.forEach(({ event, data }) => assert.equal(event, data.type, 'the SSE event name is the payload type'));
  assert.deepEqual(runs(live.map((e) => e.event)), runs(documented.map((e) => e.event)));
  for (const { event, data } of documented) {
    assertShape(live.find((e) => e.event === event).data, data, event);
  }
});
