// The official Anthropic TypeScript SDK against the Anthropic simulator: Messages API, SSE events, errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import {
  assertConnectionCut, DEFAULT_REPLY, THINKING_SIGNATURE, THINKING_TEXT, TOOL_RESULT_PREFIX, WEATHER_CALLS, WEATHER_CALL_TOKENS, WEATHER_QUESTION,
  behaviour, drain, origin, promptTokens, tokens,
} from './support.mjs';

const client = new Anthropic({ baseURL: origin('anthropic'), apiKey: 'sim-anthropic-key', maxRetries: 0 });
const model = 'claude-3-5-sonnet-20241022';
const ask = [{ role: 'user', content: WEATHER_QUESTION }];
const tools = [{
  name: 'get_weather',
  description: 'Current weather of a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
}];

test('message: text block, end_turn, usage, request-id', async () => {
  const { data, response } = await client.messages
    .create({ model, max_tokens: 256, system: 'Be brief.', messages: ask })
    .withResponse();
  assert.match(data.id, /^msg_01[A-Za-z0-9]{22}$/);
  assert.equal(data.type, 'message');
  assert.equal(data.role, 'assistant');
  assert.equal(data.model, model);
  assert.deepEqual(data.content, [{ type: 'text', text: DEFAULT_REPLY }]);
  assert.equal(data.stop_reason, 'end_turn');
  assert.equal(data.stop_sequence, null);
  assert.equal(data.usage.input_tokens, promptTokens('Be brief.', WEATHER_QUESTION));
  assert.equal(data.usage.output_tokens, tokens(DEFAULT_REPLY));
  assert.equal(data.usage.cache_read_input_tokens, 0);
  assert.match(response.headers.get('request-id'), /^req_/);
});

test('the -latest alias answers with the dated model', async () => {
  const message = await client.messages.create({ model: 'claude-3-5-sonnet-latest', max_tokens: 64, messages: ask });
  assert.equal(message.model, 'claude-3-5-sonnet-20241022');
});

test('raw SSE events arrive in the documented order with cumulative usage', async () => {
  const stream = await client.messages.create({ model, max_tokens: 256, messages: ask, stream: true });
  const events = (await drain(stream)).items;
  const types = events.map((e) => e.type);
  assert.equal(types[0], 'message_start');
  assert.equal(types.at(-1), 'message_stop');
  assert.equal(types.at(-2), 'message_delta');
  assert.deepEqual(
    types.filter((t) => t.startsWith('content_block_') && t !== 'content_block_delta'),
    ['content_block_start', 'content_block_stop'],
  );
  const start = events[0].message;
  assert.equal(start.stop_reason, null);
  assert.deepEqual(start.content, []);
  assert.equal(start.usage.input_tokens, promptTokens(WEATHER_QUESTION));
  const text = events.filter((e) => e.type === 'content_block_delta').map((e) => e.delta.text).join('');
  assert.equal(text, DEFAULT_REPLY);
  const delta = events.at(-2);
  assert.equal(delta.delta.stop_reason, 'end_turn');
  assert.equal(delta.usage.output_tokens, tokens(DEFAULT_REPLY));
});

test('parallel tool_use through the SDK stream helper: input_json_delta assembles into inputs', async () => {
  const stream = client.messages.stream(
    { model, max_tokens: 512, messages: ask, tools },
    { headers: behaviour({ reply: 'Let me check both cities.', tool_calls: WEATHER_CALLS }) },
  );
  const message = await stream.finalMessage();
  assert.equal(message.stop_reason, 'tool_use');
  assert.deepEqual(message.content.map((b) => b.type), ['text', 'tool_use', 'tool_use']);
  assert.equal(message.content[0].text, 'Let me check both cities.');
  const uses = message.content.slice(1);
  uses.forEach((use, i) => {
    assert.match(use.id, /^toolu_01[A-Za-z0-9]{22}$/);
    assert.equal(use.name, 'get_weather');
    assert.deepEqual(use.input, WEATHER_CALLS[i].arguments);
  });
  assert.equal(message.usage.output_tokens, tokens('Let me check both cities.') + WEATHER_CALL_TOKENS);

  const answer = await client.messages.create(
    {
      model,
      max_tokens: 512,
      tools,
      messages: [
        ...ask,
        { role: 'assistant', content: message.content },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: uses[0].id, content: 'Sunny, 24 C' },
            { type: 'tool_result', tool_use_id: uses[1].id, content: [{ type: 'text', text: 'Rain, 18 C' }] },
          ],
        },
      ],
    },
    { headers: behaviour({ tool_calls: WEATHER_CALLS }) },
  );
  assert.equal(answer.stop_reason, 'end_turn');
  assert.equal(answer.content[0].text, `${TOOL_RESULT_PREFIX}Sunny, 24 C\nRain, 18 C`);
});

test('tool pairing rules are enforced like the real API', async () => {
  await assert.rejects(
    client.messages.create({
      model,
      max_tokens: 64,
      messages: [...ask, {
        role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_a', name: 'get_weather', input: {} }],
      }, {
        role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_b', content: 'x' }],
      }],
    }),
    (err) => err instanceof Anthropic.BadRequestError && /unexpected `tool_use_id`/.test(err.message),
  );
  await assert.rejects(
    client.messages.create({
      model,
      max_tokens: 64,
      messages: [...ask, {
        role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_a', name: 'get_weather', input: {} }],
      }, {
        role: 'user',
        content: [{ type: 'text', text: 'here:' }, { type: 'tool_result', tool_use_id: 'toolu_a', content: 'x' }],
      }],
    }),
    (err) => err instanceof Anthropic.BadRequestError && /without `tool_result` blocks immediately after/.test(err.message),
  );
});

test('request validation: max_tokens required, roles, extra fields', async () => {
  await assert.rejects(
    client.messages.create({ model, messages: ask }),
    (err) => err instanceof Anthropic.BadRequestError && err.error.error.message === 'max_tokens: Field required'
      && err.error.type === 'error' && err.type === 'invalid_request_error',
  );
  await assert.rejects(
    client.messages.create({ model, max_tokens: 10, messages: [{ role: 'system', content: 'x' }, ...ask] }),
    Anthropic.BadRequestError,
  );
  const res = await fetch(`${origin('anthropic')}/v1/messages`, {
    method: 'POST',
    headers: { 'x-api-key': 'k', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
    body: JSON.stringify({ model, max_tokens: 10, messages: ask, stream_options: { include_usage: true } }),
  });
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error.message, 'stream_options: Extra inputs are not permitted');
  const noVersion = await fetch(`${origin('anthropic')}/v1/messages`, {
    method: 'POST', headers: { 'x-api-key': 'k' }, body: JSON.stringify({ model, max_tokens: 10, messages: ask }),
  });
  assert.equal(noVersion.status, 400);
});

test('error statuses raise the SDK error classes, 529 included', async () => {
  const cases = [
    [400, Anthropic.BadRequestError, 'invalid_request_error'],
    [401, Anthropic.AuthenticationError, 'authentication_error'],
    [403, Anthropic.PermissionDeniedError, 'permission_error'],
    [404, Anthropic.NotFoundError, 'not_found_error'],
    [429, Anthropic.RateLimitError, 'rate_limit_error'],
    [500, Anthropic.InternalServerError, 'api_error'],
    [529, Anthropic.InternalServerError, 'overloaded_error'],
  ];
  for (const [status, type, errorType] of cases) {
    await assert.rejects(
      client.messages.create({ model, max_tokens: 64, messages: ask }, { headers: behaviour({ error_status: status }) }),
      (err) => err instanceof type && err.status === status && err.type === errorType && err.requestID?.startsWith('req_'),
      `status ${status}`,
    );
  }
  const overloaded = await client.messages
    .create({ model, max_tokens: 64, messages: ask }, { headers: behaviour({ error_status: 529 }) })
    .catch((err) => err);
  assert.ok(overloaded instanceof Anthropic.OverloadedError, String(overloaded));
  const limited = await client.messages
    .create({ model, max_tokens: 64, messages: ask }, { headers: behaviour({ error_status: 429, retry_after_seconds: 3 }) })
    .catch((err) => err);
  assert.equal(limited.headers.get('retry-after'), '3');
});

test('an error event in the middle of a stream raises APIError', async () => {
  const stream = await client.messages.create(
    { model, max_tokens: 256, messages: ask, stream: true },
    { headers: behaviour({ fail_mid_stream: true }) },
  );
  const { items, error } = await drain(stream);
  assert.ok(error instanceof Anthropic.APIError, String(error));
  assert.equal(error.type, 'overloaded_error');
  assert.equal(items.filter((e) => e.type === 'content_block_delta').length, 1);
  assert.ok(!items.some((e) => e.type === 'message_stop'));
});

test('a connection dropped mid-stream fails the stream helper', async () => {
  const stream = client.messages.stream(
    { model, max_tokens: 256, messages: ask },
    { headers: behaviour({ drop_mid_stream: true }) },
  );
  const error = await stream.finalMessage().then(() => null, (e) => e);
  assert.ok(error instanceof Anthropic.AnthropicError, String(error));
  assertConnectionCut(error);
});

test('cache usage: input_tokens excludes cache reads and writes', async () => {
  const message = await client.messages.create(
    { model, max_tokens: 64, messages: ask },
    { headers: behaviour({ cached_tokens: 4, cache_creation_tokens: 2 }) },
  );
  const prompt = promptTokens(WEATHER_QUESTION);
  assert.equal(message.usage.cache_read_input_tokens, 4);
  assert.equal(message.usage.cache_creation_input_tokens, 2);
  assert.equal(message.usage.input_tokens, prompt - 6);
});

test('prompt caching: cache_control writes the prefix once, by lifetime, and later requests read it', async () => {
  // A system prompt no other test sends, so this test's first request is the first to write it.
  const rules = `Rules for the prompt-caching test ${Date.now()}: answer briefly.`;
  const context = 'A long reference document that every request of this conversation repeats.';
  const request = {
    model,
    max_tokens: 64,
    system: [
      { type: 'text', text: rules, cache_control: { type: 'ephemeral', ttl: '1h' } },
      { type: 'text', text: context, cache_control: { type: 'ephemeral' } },
    ],
    messages: ask,
  };
  const prompt = promptTokens(rules + context, WEATHER_QUESTION);
  const oneHour = promptTokens(rules);
  const whole = promptTokens(rules + context);

  const first = await client.messages.create(request);
  assert.equal(first.usage.cache_creation_input_tokens, whole);
  assert.deepEqual(first.usage.cache_creation, {
    ephemeral_5m_input_tokens: whole - oneHour,
    ephemeral_1h_input_tokens: oneHour,
  });
  assert.equal(first.usage.cache_read_input_tokens, 0);
  assert.equal(first.usage.input_tokens, prompt - whole);

  const second = await client.messages.create(request);
  assert.equal(second.usage.cache_read_input_tokens, whole);
  assert.equal(second.usage.cache_creation_input_tokens, 0);
  assert.deepEqual(second.usage.cache_creation, { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 });
  assert.equal(second.usage.input_tokens, prompt - whole);

  // Streamed, message_start carries the same counts.
  const stream = client.messages.stream(request);
  const streamed = await stream.finalMessage();
  assert.equal(streamed.usage.cache_read_input_tokens, whole);
});

test('stop reasons: max_tokens truncation and a forced refusal', async () => {
  const cut = await client.messages.create({ model, max_tokens: 2, messages: ask });
  assert.equal(cut.stop_reason, 'max_tokens');
  assert.equal(cut.content[0].text, DEFAULT_REPLY.slice(0, 8));
  const refused = await client.messages.create(
    { model, max_tokens: 64, messages: ask },
    { headers: behaviour({ finish_reason: 'refusal' }) },
  );
  assert.equal(refused.stop_reason, 'refusal');
});

test('structured output through output_config.format', async () => {
  const message = await client.messages.create({
    model,
    max_tokens: 256,
    messages: ask,
    output_config: {
      format: {
        type: 'json_schema',
        schema: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' } } },
      },
    },
  });
  assert.deepEqual(JSON.parse(message.content[0].text), { city: 'sample', days: 1 });
});

const thinkingModel = 'claude-sonnet-4-5-20250929';
const thinking = { type: 'enabled', budget_tokens: 1024 };

test('extended thinking: a signed thinking block before the text, its tokens billed as output', async () => {
  const message = await client.messages.create({ model: thinkingModel, max_tokens: 2048, thinking, messages: ask });
  assert.deepEqual(message.content, [
    { type: 'thinking', thinking: THINKING_TEXT, signature: THINKING_SIGNATURE },
    { type: 'text', text: DEFAULT_REPLY },
  ]);
  assert.equal(message.usage.output_tokens, tokens(THINKING_TEXT) + tokens(DEFAULT_REPLY));
});

test('extended thinking streamed: thinking_delta and signature_delta, assembled by the SDK helper', async () => {
  const stream = client.messages.stream({ model: thinkingModel, max_tokens: 2048, thinking, messages: ask });
  let thought = '';
  let signed = '';
  stream.on('thinking', (delta) => { thought += delta; });
  stream.on('signature', (signature) => { signed = signature; });
  const message = await stream.finalMessage();
  assert.equal(thought, THINKING_TEXT);
  assert.equal(signed, THINKING_SIGNATURE);
  assert.deepEqual(message.content.map((b) => b.type), ['thinking', 'text']);
  assert.equal(message.content[0].signature, THINKING_SIGNATURE);
  assert.equal(message.usage.output_tokens, tokens(THINKING_TEXT) + tokens(DEFAULT_REPLY));

  const raw = (await drain(await client.messages.create(
    { model: thinkingModel, max_tokens: 2048, thinking, messages: ask, stream: true }))).items;
  const blockEvents = raw.filter((e) => e.type.startsWith('content_block') && e.index === 0);
  assert.deepEqual(blockEvents[0].content_block, { type: 'thinking', thinking: '', signature: '' });
  assert.deepEqual([...new Set(blockEvents.slice(1, -1).map((e) => e.delta.type))], ['thinking_delta', 'signature_delta']);
  assert.equal(blockEvents.at(-1).type, 'content_block_stop');
});

test('extended thinking is checked as Anthropic checks it', async () => {
  const refused = async (params, pattern) => assert.rejects(client.messages.create(params),
    (e) => e instanceof Anthropic.BadRequestError && e.error.error.type === 'invalid_request_error'
      && pattern.test(e.error.error.message));
  await refused({ model: thinkingModel, max_tokens: 2048, thinking: { type: 'enabled', budget_tokens: 1000 }, messages: ask },
    /^thinking\.enabled\.budget_tokens: Input should be greater than or equal to 1024$/);
  await refused({ model: thinkingModel, max_tokens: 1024, thinking, messages: ask },
    /`max_tokens` must be greater than `thinking\.budget_tokens`/);
  await refused({ model: thinkingModel, max_tokens: 2048, thinking, temperature: 0.5, messages: ask },
    /`temperature` may only be set to 1 when thinking is enabled/);
  await refused({
    model: thinkingModel,
    max_tokens: 2048,
    thinking,
    messages: [...ask, { role: 'assistant', content: [{ type: 'thinking', thinking: THINKING_TEXT }, { type: 'text', text: 'Hi' }] },
      { role: 'user', content: 'And now?' }],
  }, /^messages\.1\.content\.0\.thinking\.signature: Field required$/);
});

test('models: cursor pagination through the SDK pager', async () => {
  const ids = [];
  for await (const info of client.models.list({ limit: 2 })) {
    ids.push(info.id);
  }
  assert.equal(ids.length, 10);
  assert.ok(ids.includes('claude-3-opus-20240229'));
  assert.ok(ids.includes('claude-sonnet-4-5-20250929') && ids.includes('claude-opus-4-7'));
  const one = await client.models.retrieve('claude-3-haiku-20240307');
  assert.equal(one.type, 'model');
  assert.equal(one.display_name, 'Claude Haiku 3');
  await assert.rejects(client.models.retrieve('claude-unknown'), Anthropic.NotFoundError);
});
