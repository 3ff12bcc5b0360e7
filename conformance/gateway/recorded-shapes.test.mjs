// TokenHub's answers against the providers' documented examples (conformance/recorded, sources in its README), field
// by field: every field of a recorded object must be in TokenHub's answer with the same JSON type wherever the
// recording holds a value, recursively; a recorded stream's event types must come in the same order, a run of deltas
// counting as one. Run by LocalSuiteIT with the environment the other gateway suites use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { client, env } from './support.mjs';
import { assertShape, recorded, runs, sseEvents } from '../recorded/shapes.mjs';
import { WEATHER_CALLS, WEATHER_QUESTION, behave, resetBehaviour } from '../simulators/support.mjs';

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

// Anthropic's Messages API through POST /v1/messages, for Claude (answered in Anthropic's own format) and for a model
// of another provider (translated from its chat answer). Ping events are left out of the order: Anthropic's streaming
// documentation says any number of them may come anywhere.
const anthropicOrigin = env('TOKENHUB_BASE_URL').replace(/\/v1\/?$/, '');

async function message(body) {
  const res = await fetch(`${anthropicOrigin}/v1/messages`, {
    method: 'POST',
    headers: { 'x-api-key': env('TOKENHUB_API_KEY'), 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 200, await res.clone().text());
  return res;
}

function assertStreamShape(liveText, documentedText) {
  const withoutPings = (events) => events.filter((e) => e.event !== 'ping');
  const documented = withoutPings(sseEvents(documentedText));
  const live = withoutPings(sseEvents(liveText));
  live.forEach(({ event, data }) => assert.equal(event, data.type, 'the SSE event name is the payload type'));
  assert.deepEqual(runs(live.map((e) => e.event)), runs(documented.map((e) => e.event)));
  for (const { event, data } of documented) {
    const like = live.find((e) => e.event === event
      && (data.delta?.type === undefined || e.data.delta?.type === data.delta.type)
      && (data.content_block?.type === undefined || e.data.content_block?.type === data.content_block.type));
    assert.ok(like, `no live ${event} like ${JSON.stringify(data).slice(0, 80)}`);
    assertShape(like.data, data, event);
  }
}

const question = [{ role: 'user', content: WEATHER_QUESTION }];
const weatherTool = {
  name: 'get_weather',
  description: 'Current weather of a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

for (const { provider, model } of [
  { provider: 'anthropic', model: 'anthropic/claude-sonnet-4-5' },
  { provider: 'google', model: 'google/gemini-2.5-pro' },
]) {
  test(`messages, ${model}: a text message has every field of the documented example`, async () => {
    const live = await (await message({ model, max_tokens: 100, messages: question })).json();
    assertShape(live, JSON.parse(recorded('anthropic/messages-create.json')));
  });

  test(`messages, ${model}: a tool_use message has every field of the documented example`, async () => {
    // The documented example opens with a text block before the call, so the model is steered to say something too.
    await behave(provider, { reply: 'Let me check the weather.', tool_calls: WEATHER_CALLS, times: 1 });
    try {
      const live = await (await message({ model, max_tokens: 200, messages: question, tools: [weatherTool] })).json();
      assertShape(live, JSON.parse(recorded('anthropic/messages-tool-use.json')));
      assert.equal(live.stop_reason, 'tool_use');
    } finally {
      await resetBehaviour(provider);
    }
  });

  test(`messages, ${model}: a stream sends the documented events in the documented order`, async () => {
    const res = await message({ model, max_tokens: 100, messages: question, stream: true });
    assert.match(res.headers.get('content-type'), /^text\/event-stream/);
    assertStreamShape(await res.text(), recorded('anthropic/messages-stream.sse'));
  });
}

const thinking = { type: 'enabled', budget_tokens: 1024 };

test('messages, Claude with thinking: the thinking example\'s blocks and fields, signature included', async () => {
  const live = await (await message({ model: 'anthropic/claude-sonnet-4-5', max_tokens: 2048, thinking, messages: question }))
    .json();
  assertShape(live, JSON.parse(recorded('anthropic/messages-thinking.json')));
  assert.deepEqual(live.content.map((b) => b.type), ['thinking', 'text']);
});

test('messages, Claude with thinking streamed: thinking_delta and signature_delta in the documented order', async () => {
  const res = await message({ model: 'anthropic/claude-sonnet-4-5', max_tokens: 2048, thinking, messages: question, stream: true });
  assertStreamShape(await res.text(), recorded('anthropic/messages-thinking-stream.sse'));
});
