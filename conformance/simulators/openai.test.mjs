// The official OpenAI Node SDK against the OpenAI simulator: proof that the simulator speaks OpenAI's wire format.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import {
  assertConnectionCut, DEFAULT_REPLY, TOOL_RESULT_PREFIX, WEATHER_CALLS, WEATHER_CALL_TOKENS, WEATHER_QUESTION, behave,
  behaviour, drain, lastRequest, origin, promptTokens, resetBehaviour, stats, tokens,
} from './support.mjs';
import { assertShape, recorded, runs, sseEvents } from '../recorded/shapes.mjs';

const client = new OpenAI({ baseURL: `${origin('openai')}/v1`, apiKey: 'sim-openai-key', maxRetries: 0 });
const ask = [{ role: 'user', content: WEATHER_QUESTION }];
const tools = [{
  type: 'function',
  function: {
    name: 'get_weather',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
}];

test('chat completion: text, snapshot model, deterministic usage, request id', async () => {
  const { data, response } = await client.chat.completions
    .create({ model: 'gpt-4o', messages: [{ role: 'system', content: 'Be brief.' }, ...ask] })
    .withResponse();
  assert.match(data.id, /^chatcmpl-[A-Za-z0-9]{29}$/);
  assert.equal(data.object, 'chat.completion');
  assert.equal(data.model, 'gpt-4o-2024-08-06');
  assert.equal(data.choices.length, 1);
  assert.equal(data.choices[0].message.role, 'assistant');
  assert.equal(data.choices[0].message.content, DEFAULT_REPLY);
  assert.equal(data.choices[0].finish_reason, 'stop');
  const prompt = promptTokens('Be brief.', WEATHER_QUESTION);
  assert.deepEqual(
    [data.usage.prompt_tokens, data.usage.completion_tokens, data.usage.total_tokens],
    [prompt, tokens(DEFAULT_REPLY), prompt + tokens(DEFAULT_REPLY)],
  );
  assert.equal(data.usage.prompt_tokens_details.cached_tokens, 0);
  assert.match(response.headers.get('x-request-id'), /^req_/);
});

test('stream with include_usage: deltas, one finish chunk, then a usage chunk with empty choices', async () => {
  const stream = await client.chat.completions.create({
    model: 'gpt-4o-mini', messages: ask, stream: true, stream_options: { include_usage: true },
  });
  const chunks = (await drain(stream)).items;
  const ids = new Set(chunks.map((c) => c.id));
  assert.equal(ids.size, 1);
  assert.ok(chunks.every((c) => c.object === 'chat.completion.chunk'));
  const text = chunks.flatMap((c) => c.choices).map((ch) => ch.delta.content ?? '').join('');
  assert.equal(text, DEFAULT_REPLY);
  const finishes = chunks.flatMap((c) => c.choices).filter((ch) => ch.finish_reason !== null);
  assert.deepEqual(finishes.map((ch) => ch.finish_reason), ['stop']);
  const last = chunks.at(-1);
  assert.deepEqual(last.choices, []);
  assert.equal(last.usage.prompt_tokens, promptTokens(WEATHER_QUESTION));
  assert.equal(last.usage.completion_tokens, tokens(DEFAULT_REPLY));
  assert.ok(chunks.slice(0, -1).every((c) => c.usage === null));
});

test('stream without include_usage carries no usage at all', async () => {
  const stream = await client.chat.completions.create({ model: 'gpt-4o', messages: ask, stream: true });
  const chunks = (await drain(stream)).items;
  assert.ok(chunks.length > 2);
  assert.ok(chunks.every((c) => c.usage === undefined && c.choices.length === 1));
});

test('parallel tool calls, then the tool results round trip', async () => {
  const first = await client.chat.completions.create(
    { model: 'gpt-4o', messages: ask, tools, parallel_tool_calls: true },
    { headers: behaviour({ tool_calls: WEATHER_CALLS }) },
  );
  const message = first.choices[0].message;
  assert.equal(first.choices[0].finish_reason, 'tool_calls');
  assert.equal(message.content, null);
  assert.equal(message.tool_calls.length, 2);
  message.tool_calls.forEach((call, i) => {
    assert.match(call.id, /^call_[A-Za-z0-9]{24}$/);
    assert.equal(call.type, 'function');
    assert.equal(call.function.name, 'get_weather');
    assert.deepEqual(JSON.parse(call.function.arguments), WEATHER_CALLS[i].arguments);
  });
  assert.equal(first.usage.completion_tokens, WEATHER_CALL_TOKENS);

  const second = await client.chat.completions.create(
    {
      model: 'gpt-4o',
      tools,
      messages: [
        ...ask,
        message,
        { role: 'tool', tool_call_id: message.tool_calls[0].id, content: 'Sunny, 24 C' },
        { role: 'tool', tool_call_id: message.tool_calls[1].id, content: 'Rain, 18 C' },
      ],
    },
    { headers: behaviour({ tool_calls: WEATHER_CALLS }) },
  );
  assert.equal(second.choices[0].finish_reason, 'stop');
  assert.equal(second.choices[0].message.content, `${TOOL_RESULT_PREFIX}Sunny, 24 C\nRain, 18 C`);
});

test('streamed tool calls assemble through the SDK stream helper', async () => {
  const runner = client.chat.completions.stream(
    { model: 'gpt-4o', messages: ask, tools },
    { headers: behaviour({ tool_calls: WEATHER_CALLS }) },
  );
  const completion = await runner.finalChatCompletion();
  const calls = completion.choices[0].message.tool_calls;
  assert.equal(completion.choices[0].finish_reason, 'tool_calls');
  assert.deepEqual(calls.map((c) => JSON.parse(c.function.arguments)), WEATHER_CALLS.map((c) => c.arguments));
  assert.equal(new Set(calls.map((c) => c.id)).size, 2);
});

test('an assistant tool call left unanswered is refused like the real API', async () => {
  await assert.rejects(
    client.chat.completions.create({
      model: 'gpt-4o',
      messages: [...ask, { role: 'tool', tool_call_id: 'call_missing', content: 'x' }],
    }),
    (err) => err instanceof OpenAI.BadRequestError && /must be a response to a preceeding message/.test(err.message),
  );
});

test('o-series models refuse max_tokens', async () => {
  await assert.rejects(
    client.chat.completions.create({ model: 'o3-mini', messages: ask, max_tokens: 50 }),
    (err) => err instanceof OpenAI.BadRequestError && err.param === 'max_tokens' && err.code === 'unsupported_parameter',
  );
});

test('json_schema response_format yields schema-shaped JSON', async () => {
  const completion = await client.chat.completions.create({
    model: 'gpt-4o',
    messages: ask,
    response_format: {
      type: 'json_schema',
      json_schema: {
        name: 'weather',
        strict: true,
        schema: {
          type: 'object',
          properties: { city: { type: 'string' }, celsius: { type: 'number' }, sunny: { type: 'boolean' } },
          required: ['city', 'celsius', 'sunny'],
          additionalProperties: false,
        },
      },
    },
  });
  const parsed = JSON.parse(completion.choices[0].message.content);
  assert.deepEqual(Object.keys(parsed).sort(), ['celsius', 'city', 'sunny']);
  assert.equal(typeof parsed.celsius, 'number');
});

test('cached tokens, forced finish reason and max_completion_tokens truncation', async () => {
  const cached = await client.chat.completions.create(
    { model: 'gpt-4o', messages: ask },
    { headers: behaviour({ cached_tokens: 5 }) },
  );
  assert.equal(cached.usage.prompt_tokens_details.cached_tokens, 5);
  assert.equal(cached.usage.prompt_tokens, promptTokens(WEATHER_QUESTION));

  const filtered = await client.chat.completions.create(
    { model: 'gpt-4o', messages: ask },
    { headers: behaviour({ finish_reason: 'content_filter' }) },
  );
  assert.equal(filtered.choices[0].finish_reason, 'content_filter');

  const cut = await client.chat.completions.create({ model: 'gpt-4o', messages: ask, max_completion_tokens: 3 });
  assert.equal(cut.choices[0].finish_reason, 'length');
  assert.equal(cut.choices[0].message.content, DEFAULT_REPLY.slice(0, 12));
  assert.equal(cut.usage.completion_tokens, 3);
});

test('error statuses raise the SDK error classes', async () => {
  const cases = [
    [400, OpenAI.BadRequestError], [401, OpenAI.AuthenticationError], [403, OpenAI.PermissionDeniedError],
    [404, OpenAI.NotFoundError], [422, OpenAI.UnprocessableEntityError], [429, OpenAI.RateLimitError],
    [500, OpenAI.InternalServerError], [503, OpenAI.InternalServerError],
  ];
  for (const [status, type] of cases) {
    await assert.rejects(
      client.chat.completions.create({ model: 'gpt-4o', messages: ask }, { headers: behaviour({ error_status: status }) }),
      (err) => err instanceof type && err.status === status && typeof err.error.message === 'string',
      `status ${status}`,
    );
  }
  const limited = await client.chat.completions
    .create({ model: 'gpt-4o', messages: ask }, { headers: behaviour({ error_status: 429, retry_after_seconds: 7 }) })
    .catch((err) => err);
  assert.equal(limited.code, 'rate_limit_exceeded');
  assert.equal(limited.headers.get('retry-after'), '7');
});

test('a missing API key is a 401', async () => {
  const res = await fetch(`${origin('openai')}/v1/chat/completions`, {
    method: 'POST', body: JSON.stringify({ model: 'gpt-4o', messages: ask }),
  });
  assert.equal(res.status, 401);
  assert.equal((await res.json()).error.type, 'invalid_request_error');
});

test('an error in the middle of a stream raises APIError after the first content', async () => {
  const stream = await client.chat.completions.create(
    { model: 'gpt-4o', messages: ask, stream: true },
    { headers: behaviour({ fail_mid_stream: true }) },
  );
  const { items, error } = await drain(stream);
  assert.ok(error instanceof OpenAI.APIError, String(error));
  assert.match(error.message, /server had an error/);
  assert.equal(items.map((c) => c.choices[0].delta.content ?? '').join(''), 'Hello');
});

test('dropped connections: before the head, and in the middle of a stream', async () => {
  await assert.rejects(
    client.chat.completions.create({ model: 'gpt-4o', messages: ask }, { headers: behaviour({ drop_connection: true }) }),
    OpenAI.APIConnectionError,
  );
  const stream = await client.chat.completions.create(
    { model: 'gpt-4o', messages: ask, stream: true },
    { headers: behaviour({ drop_mid_stream: true }) },
  );
  const { items, error } = await drain(stream);
  assertConnectionCut(error);
  assert.ok(items.length >= 1);
});

test('latency stalls the head: the SDK timeout fires', async () => {
  const started = Date.now();
  await assert.rejects(
    client.chat.completions.create(
      { model: 'gpt-4o', messages: ask },
      { headers: behaviour({ latency_ms: 1500 }), timeout: 300 },
    ),
    OpenAI.APIConnectionTimeoutError,
  );
  assert.ok(Date.now() - started < 1400);
  const slowStart = Date.now();
  await client.chat.completions.create({ model: 'gpt-4o', messages: ask }, { headers: behaviour({ latency_ms: 200 }) });
  assert.ok(Date.now() - slowStart >= 200);
});

test('chunk delay spaces the stream events', async () => {
  const started = Date.now();
  const stream = await client.chat.completions.create(
    { model: 'gpt-4o', messages: ask, stream: true },
    { headers: behaviour({ chunk_delay_ms: 40, reply: 'one two three' }) },
  );
  const { items } = await drain(stream);
  assert.equal(items.map((c) => c.choices[0].delta.content ?? '').join(''), 'one two three');
  assert.ok(Date.now() - started >= 4 * 40, 'five events, four gaps');
});

test('embeddings: base64 by default (decoded by the SDK), float on request, deterministic', async () => {
  const base64 = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['alpha', 'beta'] });
  assert.equal(base64.data.length, 2);
  assert.equal(base64.data[0].embedding.length, 1536);
  assert.equal(base64.usage.prompt_tokens, tokens('alpha') + tokens('beta'));
  const floats = await client.embeddings.create({
    model: 'text-embedding-3-small', input: 'alpha', encoding_format: 'float', dimensions: 256,
  });
  assert.equal(floats.data[0].embedding.length, 256);
  const again = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'alpha', encoding_format: 'float' });
  assert.deepEqual(again.data[0].embedding.map((x) => Math.fround(x)), base64.data[0].embedding);
  const norm = Math.sqrt(again.data[0].embedding.reduce((s, x) => s + x * x, 0));
  assert.ok(Math.abs(norm - 1) < 1e-3);
  await assert.rejects(
    client.embeddings.create({ model: 'text-embedding-ada-002', input: 'x', dimensions: 8 }),
    OpenAI.BadRequestError,
  );
});

test('models: list and retrieve', async () => {
  const ids = [];
  for await (const model of client.models.list()) {
    ids.push(model.id);
  }
  assert.ok(ids.includes('gpt-4o') && ids.includes('o3-mini') && ids.includes('text-embedding-3-small'));
  const model = await client.models.retrieve('gpt-4o-mini');
  assert.equal(model.object, 'model');
  await assert.rejects(client.models.retrieve('gpt-unknown'), OpenAI.NotFoundError);
});

test('control API: a limited behaviour, request stats and the last request', async () => {
  try {
    await behave('openai', { error_status: 503, times: 1 });
    const before = await stats('openai');
    await assert.rejects(client.chat.completions.create({ model: 'gpt-4o', messages: ask }), OpenAI.InternalServerError);
    const ok = await client.chat.completions.create({ model: 'gpt-4o', messages: ask, temperature: 0.2 });
    assert.equal(ok.choices[0].message.content, DEFAULT_REPLY);
    assert.equal(await stats('openai') - before, 2);
    const last = await lastRequest('openai');
    assert.equal(last.path, '/v1/chat/completions');
    assert.equal(last.headers.authorization, 'Bearer sim-openai-key');
    assert.equal(JSON.parse(last.body).temperature, 0.2);
  } finally {
    await resetBehaviour('openai');
  }
});

// The Responses API, as OpenAI serves o3-pro, gpt-5-pro and gpt-5-codex (only there).
const responsesTools = [{
  type: 'function',
  name: 'get_weather',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  strict: false,
}];

test('responses: a text answer the SDK reads, with usage, the snapshot model and what the request asked for', async () => {
  const response = await client.responses.create({
    model: 'o3-pro', instructions: 'Be brief.', input: WEATHER_QUESTION, store: false,
  });
  assert.match(response.id, /^resp_[0-9a-f]{48}$/);
  assert.equal(response.object, 'response');
  assert.equal(response.status, 'completed');
  assert.equal(response.model, 'o3-pro-2025-06-10');
  assert.equal(response.output_text, DEFAULT_REPLY);
  assert.equal(response.store, false);
  assert.equal(response.instructions, 'Be brief.');
  assert.equal(response.usage.input_tokens, promptTokens('Be brief.', WEATHER_QUESTION));
  assert.equal(response.usage.output_tokens, tokens(DEFAULT_REPLY));
  assert.equal(response.usage.total_tokens, response.usage.input_tokens + response.usage.output_tokens);
  assert.equal(response.usage.input_tokens_details.cached_tokens, 0);
  assert.equal(response.usage.output_tokens_details.reasoning_tokens, 0);
});

test('responses: the answer has every field of OpenAI\'s documented example, with its type', async () => {
  // OpenAI API reference, Responses, "Create a model response", example "Text input" (conformance/recorded/README.md).
  const documented = JSON.parse(recorded('openai/responses-create.json'));
  const response = await client.responses.create({ model: 'gpt-5-pro', input: 'Tell me a bedtime story.' });
  assertShape(response, documented);
});

test('responses: a function call, then its output, round trip', async () => {
  const first = await client.responses.create(
    { model: 'gpt-5-pro', input: WEATHER_QUESTION, tools: responsesTools },
    { headers: behaviour({ tool_calls: WEATHER_CALLS }) },
  );
  const calls = first.output.filter((item) => item.type === 'function_call');
  assert.equal(calls.length, 2);
  calls.forEach((call, i) => {
    assert.match(call.call_id, /^call_[A-Za-z0-9]{24}$/);
    assert.match(call.id, /^fc_/);
    assert.equal(call.name, 'get_weather');
    assert.deepEqual(JSON.parse(call.arguments), WEATHER_CALLS[i].arguments);
  });
  assert.equal(first.output_text, '');
  assert.equal(first.usage.output_tokens, WEATHER_CALL_TOKENS);

  const second = await client.responses.create(
    {
      model: 'gpt-5-pro',
      tools: responsesTools,
      input: [
        { role: 'user', content: WEATHER_QUESTION },
        ...calls,
        { type: 'function_call_output', call_id: calls[0].call_id, output: 'Sunny, 24 C' },
        { type: 'function_call_output', call_id: calls[1].call_id, output: 'Rain, 18 C' },
      ],
    },
    { headers: behaviour({ tool_calls: WEATHER_CALLS }) },
  );
  assert.equal(second.output_text, `${TOOL_RESULT_PREFIX}Sunny, 24 C\nRain, 18 C`);
  await assert.rejects(
    client.responses.create({
      model: 'gpt-5-pro',
      input: [{ type: 'function_call_output', call_id: 'call_missing', output: 'x' }],
    }),
    (err) => err instanceof OpenAI.BadRequestError && /No tool call found/.test(err.message),
  );
});

test('responses: a stream the SDK assembles, events numbered in order, ending in response.completed', async () => {
  const stream = client.responses.stream({ model: 'gpt-5-codex', input: WEATHER_QUESTION });
  const types = [];
  const numbers = [];
  stream.on('event', (event) => {
    types.push(event.type);
    numbers.push(event.sequence_number);
  });
  const final = await stream.finalResponse();
  assert.equal(final.output_text, DEFAULT_REPLY);
  assert.equal(final.status, 'completed');
  assert.equal(final.usage.output_tokens, tokens(DEFAULT_REPLY));
  assert.deepEqual(numbers, numbers.map((_, i) => i));
  assert.equal(types[0], 'response.created');
  assert.equal(types.at(-1), 'response.completed');
  assert.ok(types.filter((t) => t === 'response.output_text.delta').length > 1, types.join());
});

test('responses: the stream sends the documented events in the documented order, each with its fields', async () => {
  // OpenAI API reference, Responses, "Create a model response", example "Streaming" (conformance/recorded/README.md).
  const documented = sseEvents(recorded('openai/responses-stream.sse'));
  const res = await fetch(`${origin('openai')}/v1/responses`, {
    method: 'POST',
    headers: { authorization: 'Bearer sim-openai-key', 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-5-codex', instructions: 'You are a helpful assistant.', input: 'Hello!', stream: true }),
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

test('responses: a streamed function call arrives as argument deltas the SDK joins', async () => {
  const stream = client.responses.stream(
    { model: 'gpt-5-codex', input: WEATHER_QUESTION, tools: responsesTools },
    { headers: behaviour({ tool_calls: WEATHER_CALLS }) },
  );
  const deltas = [];
  stream.on('response.function_call_arguments.delta', (event) => deltas.push(event.delta));
  const final = await stream.finalResponse();
  const calls = final.output.filter((item) => item.type === 'function_call');
  assert.deepEqual(calls.map((c) => JSON.parse(c.arguments)), WEATHER_CALLS.map((c) => c.arguments));
  assert.equal(deltas.join(''), WEATHER_CALLS.map((c) => JSON.stringify(c.arguments)).join(''));
  assert.ok(deltas.length > 2, 'arguments come in fragments');
});

test('responses: an error in the middle of a stream is an error event after the first text, and the end', async () => {
  // The SDK hands the Responses stream's `error` event to the caller as an event (its data has no `error` key).
  const stream = await client.responses.create(
    { model: 'gpt-5-codex', input: WEATHER_QUESTION, stream: true },
    { headers: behaviour({ fail_mid_stream: true }) },
  );
  const { items, error } = await drain(stream);
  assert.equal(error, null);
  assert.equal(items.at(-1).type, 'error');
  assert.match(items.at(-1).message, /server had an error/);
  assert.equal(items.at(-1).sequence_number, items.length - 1);
  assert.ok(items.some((e) => e.type === 'response.output_text.delta'));
  assert.ok(!items.some((e) => e.type === 'response.completed'));
});

test('a chat completion for a model OpenAI serves on the Responses API only is refused as OpenAI does', async () => {
  await assert.rejects(
    client.chat.completions.create({ model: 'o3-pro', messages: ask }),
    (err) => err instanceof OpenAI.NotFoundError && err.param === 'model'
      && err.message.includes('This model is only supported in v1/responses and not in v1/chat/completions.'),
  );
  await assert.rejects(
    client.responses.create({ model: 'o3-pro', messages: ask }),
    (err) => err instanceof OpenAI.BadRequestError && err.param === 'messages' && /moved to 'input'/.test(err.message),
  );
});
