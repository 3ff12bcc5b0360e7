// Meta's Llama API through its OpenAI-compatible endpoint (/compat/v1), driven by the official OpenAI SDK, the
// client that endpoint exists for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import {
  assertConnectionCut, DEFAULT_REPLY, TOOL_RESULT_PREFIX, WEATHER_CALLS, WEATHER_QUESTION, behaviour, drain, origin,
  promptTokens, tokens,
} from './support.mjs';

const client = new OpenAI({ baseURL: `${origin('meta')}/compat/v1`, apiKey: 'sim-meta-key', maxRetries: 0 });
const model = 'Llama-3.3-70B-Instruct';
const ask = [{ role: 'user', content: WEATHER_QUESTION }];

test('chat completion without OpenAI-only extensions', async () => {
  const completion = await client.chat.completions.create({ model, messages: ask });
  assert.equal(completion.model, model);
  assert.equal(completion.choices[0].message.content, DEFAULT_REPLY);
  assert.equal(completion.choices[0].finish_reason, 'stop');
  assert.equal(completion.usage.prompt_tokens, promptTokens(WEATHER_QUESTION));
  assert.equal(completion.usage.completion_tokens, tokens(DEFAULT_REPLY));
  assert.equal(completion.system_fingerprint, undefined);
  assert.equal(completion.usage.prompt_tokens_details, undefined);
});

test('stream honours stream_options.include_usage', async () => {
  const withUsage = (await drain(await client.chat.completions.create({
    model, messages: ask, stream: true, stream_options: { include_usage: true },
  }))).items;
  assert.equal(withUsage.at(-1).usage.total_tokens, promptTokens(WEATHER_QUESTION) + tokens(DEFAULT_REPLY));
  assert.deepEqual(withUsage.at(-1).choices, []);
  const without = (await drain(await client.chat.completions.create({ model, messages: ask, stream: true }))).items;
  assert.ok(without.every((c) => c.usage === undefined));
  assert.equal(without.map((c) => c.choices[0].delta.content ?? '').join(''), DEFAULT_REPLY);
});

test('tool calls stream and round trip', async () => {
  const runner = client.chat.completions.stream(
    { model, messages: ask, tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }] },
    { headers: behaviour({ tool_calls: WEATHER_CALLS }) },
  );
  const completion = await runner.finalChatCompletion();
  const message = completion.choices[0].message;
  assert.equal(completion.choices[0].finish_reason, 'tool_calls');
  assert.deepEqual(message.tool_calls.map((c) => JSON.parse(c.function.arguments)), WEATHER_CALLS.map((c) => c.arguments));
  const answer = await client.chat.completions.create({
    model,
    messages: [...ask, message, ...message.tool_calls.map((c, i) => ({ role: 'tool', tool_call_id: c.id, content: `r${i}` }))],
  });
  assert.equal(answer.choices[0].message.content, `${TOOL_RESULT_PREFIX}r0\nr1`);
});

test('errors in OpenAI shape raise the SDK classes', async () => {
  for (const [status, type] of [[400, OpenAI.BadRequestError], [401, OpenAI.AuthenticationError],
    [429, OpenAI.RateLimitError], [500, OpenAI.InternalServerError]]) {
    await assert.rejects(
      client.chat.completions.create({ model, messages: ask }, { headers: behaviour({ error_status: status }) }),
      (err) => err instanceof type && err.status === status,
    );
  }
  const stream = await client.chat.completions.create(
    { model, messages: ask, stream: true },
    { headers: behaviour({ fail_mid_stream: true }) },
  );
  const { error } = await drain(stream);
  assert.ok(error instanceof OpenAI.APIError, String(error));
});

test('models under /compat/v1', async () => {
  const ids = [];
  for await (const m of client.models.list()) {
    ids.push(m.id);
  }
  assert.ok(ids.includes('Llama-3.3-70B-Instruct'));
  assert.equal((await client.models.retrieve('Llama-3.3-8B-Instruct')).owned_by, 'Meta');
  const outside = await fetch(`${origin('meta')}/v1/chat/completions`, {
    method: 'POST', headers: { authorization: 'Bearer k' }, body: JSON.stringify({ model, messages: ask }),
  });
  assert.equal(outside.status, 404);
});

test('a connection dropped mid-stream fails the iteration', async () => {
  const stream = await client.chat.completions.create(
    { model, messages: ask, stream: true },
    { headers: behaviour({ drop_mid_stream: true }) },
  );
  const { items, error } = await drain(stream);
  assertConnectionCut(error);
  assert.ok(items.length >= 1, 'the cut comes after the first chunk');
});
