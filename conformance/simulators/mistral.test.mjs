// The official Mistral TypeScript SDK against the Mistral simulator. The SDK validates every response with zod, so
// a field of the wrong type or a missing required field fails these tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Mistral } from '@mistralai/mistralai';
import * as errors from '@mistralai/mistralai/models/errors';
import {
  assertConnectionCut, DEFAULT_REPLY, TOOL_RESULT_PREFIX, WEATHER_CALLS, WEATHER_CALL_TOKENS, WEATHER_QUESTION,
  behaviour, drain, origin, promptTokens, tokens,
} from './support.mjs';

const client = new Mistral({ apiKey: 'sim-mistral-key', serverURL: origin('mistral') });
const model = 'mistral-small-latest';
const ask = [{ role: 'user', content: WEATHER_QUESTION }];
const tools = [{
  type: 'function',
  function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
}];

test('chat.complete: text, usage, 32-hex id', async () => {
  const response = await client.chat.complete({ model, messages: [{ role: 'system', content: 'Be brief.' }, ...ask] });
  assert.match(response.id, /^[0-9a-f]{32}$/);
  assert.equal(response.object, 'chat.completion');
  assert.equal(response.model, model);
  assert.equal(response.choices[0].message.content, DEFAULT_REPLY);
  assert.equal(response.choices[0].finishReason, 'stop');
  const prompt = promptTokens('Be brief.', WEATHER_QUESTION);
  assert.equal(response.usage.promptTokens, prompt);
  assert.equal(response.usage.completionTokens, tokens(DEFAULT_REPLY));
  assert.equal(response.usage.totalTokens, prompt + tokens(DEFAULT_REPLY));
});

test('chat.stream: deltas, usage in the finish chunk, ends at [DONE]', async () => {
  const stream = await client.chat.stream({ model, messages: ask });
  const events = (await drain(stream)).items;
  const chunks = events.map((e) => e.data);
  assert.equal(chunks.map((c) => c.choices[0].delta.content ?? '').join(''), DEFAULT_REPLY);
  const last = chunks.at(-1);
  assert.equal(last.choices[0].finishReason, 'stop');
  assert.equal(last.usage.promptTokens, promptTokens(WEATHER_QUESTION));
  assert.equal(last.usage.completionTokens, tokens(DEFAULT_REPLY));
  assert.ok(chunks.slice(0, -1).every((c) => c.usage === undefined && c.choices[0].finishReason === null));
});

test('parallel tool calls with 9-character ids, then the results round trip', async () => {
  const first = await client.chat.complete(
    { model, messages: ask, tools, toolChoice: 'any' },
    { headers: behaviour({ tool_calls: WEATHER_CALLS }) },
  );
  const message = first.choices[0].message;
  assert.equal(first.choices[0].finishReason, 'tool_calls');
  assert.equal(message.toolCalls.length, 2);
  message.toolCalls.forEach((call, i) => {
    assert.match(call.id, /^[A-Za-z0-9]{9}$/);
    assert.equal(call.function.name, 'get_weather');
    assert.deepEqual(JSON.parse(call.function.arguments), WEATHER_CALLS[i].arguments);
  });
  assert.equal(first.usage.completionTokens, WEATHER_CALL_TOKENS);

  const second = await client.chat.complete(
    {
      model,
      tools,
      messages: [
        ...ask,
        { role: 'assistant', content: '', toolCalls: message.toolCalls },
        { role: 'tool', toolCallId: message.toolCalls[0].id, name: 'get_weather', content: 'Sunny, 24 C' },
        { role: 'tool', toolCallId: message.toolCalls[1].id, name: 'get_weather', content: 'Rain, 18 C' },
      ],
    },
    { headers: behaviour({ tool_calls: WEATHER_CALLS }) },
  );
  assert.equal(second.choices[0].finishReason, 'stop');
  assert.equal(second.choices[0].message.content, `${TOOL_RESULT_PREFIX}Sunny, 24 C\nRain, 18 C`);
});

test('streamed tool calls arrive whole in the finish chunk', async () => {
  const stream = await client.chat.stream(
    { model, messages: ask, tools },
    { headers: behaviour({ tool_calls: WEATHER_CALLS }) },
  );
  const chunks = (await drain(stream)).items.map((e) => e.data);
  const last = chunks.at(-1);
  assert.equal(last.choices[0].finishReason, 'tool_calls');
  assert.equal(last.choices[0].delta.toolCalls.length, 2);
  assert.deepEqual(JSON.parse(last.choices[0].delta.toolCalls[1].function.arguments), WEATHER_CALLS[1].arguments);
  assert.equal(last.usage.completionTokens, WEATHER_CALL_TOKENS);
});

test('tool call ids that are not 9 alphanumerics are refused', async () => {
  const err = await client.chat.complete({
    model,
    messages: [
      ...ask,
      { role: 'assistant', content: '', toolCalls: [{ id: 'call_abc123', function: { name: 'get_weather', arguments: '{}' } }] },
      { role: 'tool', toolCallId: 'call_abc123', content: 'x' },
    ],
  }).catch((e) => e);
  assert.ok(err instanceof errors.MistralError, String(err));
  assert.equal(err.statusCode, 400);
  assert.equal(JSON.parse(err.body).message,
    'Tool call id was call_abc123 but must be a-z, A-Z, 0-9, with a length of 9.');
});

test('unknown fields such as stream_options get the 422 validation body', async () => {
  const res = await fetch(`${origin('mistral')}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: ask, stream: true, stream_options: { include_usage: true }, seed: 1 }),
  });
  assert.equal(res.status, 422);
  const body = await res.json();
  assert.deepEqual(body.detail.map((d) => [d.type, d.loc, d.msg]), [
    ['extra_forbidden', ['body', 'stream_options'], 'Extra inputs are not permitted'],
    ['extra_forbidden', ['body', 'seed'], 'Extra inputs are not permitted'],
  ]);
});

test('error statuses: 422 as HTTPValidationError, others as MistralError with the status', async () => {
  const invalid = await client.chat.complete({ model, messages: ask }, { headers: behaviour({ error_status: 422 }) })
    .catch((e) => e);
  assert.ok(invalid instanceof errors.HTTPValidationError, String(invalid));
  assert.equal(invalid.statusCode, 422);
  assert.equal(invalid.detail[0].loc[0], 'body');
  for (const status of [400, 401, 403, 404, 429, 500, 503]) {
    const err = await client.chat.complete({ model, messages: ask }, { headers: behaviour({ error_status: status }) })
      .catch((e) => e);
    assert.ok(err instanceof errors.MistralError, `status ${status}: ${err}`);
    assert.equal(err.statusCode, status);
  }
  const limited = await client.chat.complete({ model, messages: ask }, { headers: behaviour({ error_status: 429 }) })
    .catch((e) => e);
  assert.equal(JSON.parse(limited.body).type, 'rate_limited');
});

test('an error in the middle of a stream fails the iteration', async () => {
  const stream = await client.chat.stream({ model, messages: ask }, { headers: behaviour({ fail_mid_stream: true }) });
  const { items, error } = await drain(stream);
  assert.ok(error, 'the error event must not end the stream cleanly');
  assert.equal(items.map((e) => e.data.choices[0].delta.content ?? '').join(''), 'Hello');
});

test('a connection dropped mid-stream fails the iteration', async () => {
  const stream = await client.chat.stream({ model, messages: ask }, { headers: behaviour({ drop_mid_stream: true }) });
  const { items, error } = await drain(stream);
  assertConnectionCut(error);
  assert.ok(items.length >= 1, 'the cut comes after the first chunk');
});

test('cached tokens are reported in prompt_tokens_details', async () => {
  const response = await client.chat.complete({ model, messages: ask }, { headers: behaviour({ cached_tokens: 3 }) });
  assert.equal(response.usage.prompt_tokens_details.cached_tokens, 3);
});

test('embeddings.create', async () => {
  const response = await client.embeddings.create({ model: 'mistral-embed', inputs: ['alpha', 'beta'] });
  assert.equal(response.data.length, 2);
  assert.equal(response.data[0].embedding.length, 1024);
  assert.equal(response.data[1].index, 1);
  assert.equal(response.usage.promptTokens, tokens('alpha') + tokens('beta'));
});

test('models.list parses as base model cards', async () => {
  const list = await client.models.list();
  const ids = list.data.map((m) => m.id);
  assert.ok(ids.includes('mistral-large-latest') && ids.includes('mistral-embed'));
  const small = list.data.find((m) => m.id === 'mistral-small-latest');
  assert.equal(small.type, 'base');
  assert.equal(small.capabilities.functionCalling, true);
  const one = await client.models.retrieve({ modelId: 'codestral-latest' });
  assert.equal(one.id, 'codestral-latest');
});
