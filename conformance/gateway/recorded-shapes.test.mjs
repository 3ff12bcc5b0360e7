// TokenHub's answers against the providers' documented examples (conformance/recorded, sources in its README), field
// by field: every field of a recorded object must be in TokenHub's answer with the same JSON type wherever the
// recording holds a value, recursively; a recorded stream's event types must come in the same order, a run of deltas
// counting as one. Run by LocalSuiteIT with the environment the other gateway suites use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { client, env } from './support.mjs';
import { assertShape, recorded, runs, sseEvents } from '../recorded/shapes.mjs';

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
