// The official OpenAI Node SDK against the TokenHub gateway with only baseURL and apiKey changed: what a customer
// runs. LocalSuiteIT (module local-suite) starts the whole suite and passes TOKENHUB_BASE_URL, TOKENHUB_API_KEY and
// TOKENHUB_REQUEST_LOG, a file where every request id made here is appended with the usage the SDK saw, so the Java
// side can find each one in the billing ledger.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { client, env, logRequest } from './support.mjs';

const messages = [{ role: 'user', content: 'Say hello to TokenHub.' }];

test('chat completion through the gateway', async () => {
  const { data, response } = await client.chat.completions
    .create({ model: 'gpt-4o-mini', messages }).withResponse();
  assert.equal(data.object, 'chat.completion');
  assert.equal(data.choices[0].message.role, 'assistant');
  assert.ok(data.choices[0].message.content.length > 0);
  assert.equal(data.choices[0].finish_reason, 'stop');
  assert.ok(data.usage.prompt_tokens > 0 && data.usage.completion_tokens > 0);
  const requestId = response.headers.get('x-inferoute-request-id');
  assert.match(requestId, /^req_[0-9A-Z]{26}$/);
  assert.equal(response.headers.get('x-request-id'), requestId);
  assert.equal(data._request_id, requestId, 'the SDK reads the same id');
  assert.equal(response.headers.get('x-tokenhub-provider'), 'openai');
  assert.equal(response.headers.get('x-tokenhub-fallback'), 'false');
  logRequest(requestId, 'gpt-4o-mini', false, data.usage);
});

test('stream through the gateway, without the usage chunk the client did not ask for', async () => {
  const { data: stream, response } = await client.chat.completions
    .create({ model: 'openai/gpt-4o', messages, stream: true }).withResponse();
  assert.equal(response.headers.get('x-tokenhub-provider'), 'openai');
  assert.match(response.headers.get('x-inferoute-request-id'), /^req_/);
  let text = '';
  let finish = null;
  let chunks = 0;
  for await (const chunk of stream) {
    chunks += 1;
    assert.equal(chunk.object, 'chat.completion.chunk');
    assert.equal(chunk.usage, undefined, 'no usage field unless asked for');
    text += chunk.choices[0]?.delta?.content ?? '';
    finish = chunk.choices[0]?.finish_reason ?? finish;
  }
  assert.ok(chunks > 2, `streamed in several chunks (${chunks})`);
  assert.ok(text.length > 0);
  assert.equal(finish, 'stop');
});

test('stream with stream_options.include_usage ends with the usage chunk', async () => {
  const { data: stream, response } = await client.chat.completions
    .create({ model: 'gpt-4o', messages, stream: true, stream_options: { include_usage: true } }).withResponse();
  let last = null;
  for await (const chunk of stream) {
    last = chunk;
  }
  assert.deepEqual(last.choices, []);
  assert.ok(last.usage.prompt_tokens > 0 && last.usage.completion_tokens > 0);
  logRequest(response.headers.get('x-inferoute-request-id'), 'gpt-4o', true, last.usage);
});

test('models list and retrieve, plain and provider-prefixed', async () => {
  const ids = [];
  for await (const model of client.models.list()) {
    ids.push(model.id);
    assert.equal(model.object, 'model');
  }
  assert.ok(ids.includes('gpt-4o') && ids.includes('gpt-4o-mini'), ids.join(','));
  const pinned = await client.models.retrieve('openai/gpt-4o');
  assert.equal(pinned.owned_by, 'openai');
});

test('errors arrive as the SDK error classes', async () => {
  const bad = new OpenAI({ baseURL: env('TOKENHUB_BASE_URL'), apiKey: 'thk_not-a-real-key', maxRetries: 0 });
  await assert.rejects(bad.chat.completions.create({ model: 'gpt-4o', messages }), (e) => {
    assert.ok(e instanceof OpenAI.AuthenticationError, e.constructor.name);
    assert.equal(e.status, 401);
    assert.match(e.requestID, /^req_/);
    return true;
  });
  await assert.rejects(client.chat.completions.create({ model: 'no-such-model', messages }), (e) => {
    assert.ok(e instanceof OpenAI.NotFoundError, e.constructor.name);
    assert.equal(e.code, 'model_not_found');
    return true;
  });
  await assert.rejects(client.chat.completions.create({ model: 'gpt-4o', messages: [] }), (e) => {
    assert.ok(e instanceof OpenAI.BadRequestError, e.constructor.name);
    assert.equal(e.param, 'messages');
    return true;
  });
});

test('embeddings through the gateway: the SDK asks for base64 by default and decodes the same floats', async () => {
  const input = 'Embed this for TokenHub.';
  const decoded = await client.embeddings.create({ model: 'text-embedding-3-small', input, dimensions: 32 });
  const floats = await client.embeddings.create({
    model: 'text-embedding-3-small', input, dimensions: 32, encoding_format: 'float',
  });
  assert.equal(decoded.object, 'list');
  assert.equal(decoded.data[0].embedding.length, 32);
  assert.ok(decoded.usage.prompt_tokens > 0);
  // The SDK reads base64 as little-endian float32: equal values prove the gateway's bytes are in that order.
  decoded.data[0].embedding.forEach((value, i) => {
    assert.ok(Math.abs(value - Math.fround(floats.data[0].embedding[i])) < 1e-7, `dimension ${i}`);
  });
});
