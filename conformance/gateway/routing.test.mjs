// Per-request routing through the gateway with the official OpenAI Node SDK: OpenRouter's `models` and `provider`
// fields, sent as the SDK sends any extra body field (Python's `extra_body`), steer one request and win over the
// account's settings. Run by LocalSuiteIT with the environment the other gateway suites use; each request is logged
// with the model that answered so the Java side finds it billed as that model.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { client, logRequest } from './support.mjs';
import { DEFAULT_REPLY, WEATHER_QUESTION, behave, resetBehaviour } from '../simulators/support.mjs';

const messages = [{ role: 'user', content: WEATHER_QUESTION }];

afterEach(() => resetBehaviour('openai'));

test('provider.order puts its provider first for a plain name', async () => {
  const { data, response } = await client.chat.completions
    .create({ model: 'gpt-4o', messages, provider: { order: ['google', 'anthropic'] } }).withResponse();
  assert.equal(response.headers.get('x-tokenhub-provider'), 'google');
  assert.equal(data.choices[0].message.content, DEFAULT_REPLY);
  logRequest(response.headers.get('x-inferoute-request-id'), 'gemini-2.5-pro', false, data.usage);
});

test('provider.only and ignore keep their providers out or in, and the Responses API takes them too', async () => {
  const { response: only } = await client.chat.completions
    .create({ model: 'gpt-4o-mini', messages, provider: { only: ['mistral'] } }).withResponse();
  assert.equal(only.headers.get('x-tokenhub-provider'), 'mistral');
  const { data, response } = await client.responses
    .create({ model: 'gpt-4o', input: WEATHER_QUESTION, provider: { ignore: ['openai'] } }).withResponse();
  assert.notEqual(response.headers.get('x-tokenhub-provider'), 'openai');
  assert.equal(data.output_text, DEFAULT_REPLY);
});

test('models is an ordered fallback list: a failing first model is answered by the next', async () => {
  await behave('openai', { error_status: 500, times: 1 });
  const { data, response } = await client.chat.completions
    .create({ model: 'openai/o3', messages, models: ['anthropic/claude-haiku-4-5'] }).withResponse();
  assert.equal(response.headers.get('x-tokenhub-provider'), 'anthropic');
  assert.equal(response.headers.get('x-tokenhub-fallback'), 'true');
  assert.equal(data.choices[0].message.content, DEFAULT_REPLY);
  logRequest(response.headers.get('x-inferoute-request-id'), 'claude-haiku-4-5', false, data.usage);
});

test('bad routing fields are 400s naming the field', async () => {
  const cases = [
    [{ models: ['no-such-model'] }, 'models[0]'],
    [{ provider: { order: ['openrouter'] } }, 'provider.order'],
    [{ provider: { sort: 'cheapest' } }, 'provider.sort'],
    [{ model: 'openai/gpt-4o', provider: { only: ['anthropic'] } }, 'provider'],
  ];
  for (const [fields, param] of cases) {
    await assert.rejects(client.chat.completions.create({ model: 'gpt-4o', messages, ...fields }), (e) => {
      assert.ok(e instanceof OpenAI.BadRequestError, `${param}: ${e.constructor.name} ${e.message}`);
      assert.equal(e.param, param);
      return true;
    });
  }
});
