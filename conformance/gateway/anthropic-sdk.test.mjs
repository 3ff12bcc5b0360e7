// The official Anthropic Node SDK against the TokenHub gateway with only baseURL and apiKey changed: an Anthropic SDK
// user calling Claude natively and other providers' models the same way, through POST /v1/messages. Run by
// LocalSuiteIT with TOKENHUB_BASE_URL (ending in /v1: the SDK appends /v1/messages to the origin), TOKENHUB_API_KEY,
// TOKENHUB_REQUEST_LOG and TOKENHUB_SIM_<PROVIDER>_PORT (tool calls and provider errors are steered through the
// simulators' control API, as in providers.test.mjs).
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { env, logRequest } from './support.mjs';
import {
  DEFAULT_REPLY, THINKING_SIGNATURE, THINKING_TEXT, TOOL_RESULT_PREFIX, WEATHER_CALLS, WEATHER_QUESTION, behave,
  lastRequest, resetBehaviour,
} from '../simulators/support.mjs';

const origin = env('TOKENHUB_BASE_URL').replace(/\/v1\/?$/, '');
const client = new Anthropic({ baseURL: origin, apiKey: env('TOKENHUB_API_KEY'), maxRetries: 0 });

const MODELS = [
  { provider: 'anthropic', model: 'anthropic/claude-sonnet-4-5', catalogId: 'claude-sonnet-4-5' },
  { provider: 'openai', model: 'openai/gpt-4o', catalogId: 'gpt-4o' },
  { provider: 'google', model: 'google/gemini-2.5-pro', catalogId: 'gemini-2.5-pro' },
];

const question = [{ role: 'user', content: WEATHER_QUESTION }];
const tools = [{
  name: 'get_weather',
  description: 'Current weather of a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
}];

/** Logs a request for the ledger check, with Anthropic's usage read back into the prompt and completion counts. */
function log(response, catalogId, streamed, usage) {
  const prompt = usage.input_tokens + (usage.cache_read_input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0);
  logRequest(response.headers.get('x-inferoute-request-id'), catalogId, streamed,
    { prompt_tokens: prompt, completion_tokens: usage.output_tokens });
}

for (const { provider, model, catalogId } of MODELS) {
  describe(`Anthropic SDK, ${model}`, () => {
    afterEach(() => resetBehaviour(provider));

    test('a message: content, stop reason, usage with cost, request id and provider headers', async () => {
      const { data, response } = await client.messages
        .create({ model, max_tokens: 100, system: 'Be brief.', messages: question }).withResponse();
      assert.equal(data.type, 'message');
      assert.equal(data.role, 'assistant');
      assert.match(data.id, /^msg_/);
      assert.equal(data.content[0].type, 'text');
      assert.equal(data.content[0].text, DEFAULT_REPLY);
      assert.equal(data.stop_reason, 'end_turn');
      assert.ok(data.usage.input_tokens > 0 && data.usage.output_tokens > 0);
      assert.equal(typeof data.usage.cost, 'number');
      const requestId = response.headers.get('x-inferoute-request-id');
      assert.match(requestId, /^req_[0-9A-Z]{26}$/);
      assert.equal(data._request_id, requestId, 'the SDK reads the id from request-id');
      assert.equal(response.headers.get('x-tokenhub-provider'), provider);
      assert.equal(response.headers.get('x-tokenhub-fallback'), 'false');
      assert.match(response.headers.get('x-tokenhub-cost-usd'), /^\d+\.\d+$/);
      log(response, catalogId, false, data.usage);
    });

    test('a streamed message: the SDK accumulates the events into the same message', async () => {
      const stream = client.messages.stream({ model, max_tokens: 100, messages: question });
      let text = '';
      stream.on('text', (delta) => { text += delta; });
      const message = await stream.finalMessage();
      const { response } = await stream.withResponse();
      assert.equal(response.headers.get('x-tokenhub-provider'), provider);
      assert.equal(text, DEFAULT_REPLY);
      assert.equal(message.content[0].text, DEFAULT_REPLY);
      assert.equal(message.stop_reason, 'end_turn');
      assert.ok(message.usage.output_tokens > 0);
    });

    test('tool use and tool results make the round trip', async () => {
      await behave(provider, { tool_calls: WEATHER_CALLS, times: 1 });
      const asked = await client.messages.create({ model, max_tokens: 200, messages: question, tools });
      assert.equal(asked.stop_reason, 'tool_use');
      const uses = asked.content.filter((block) => block.type === 'tool_use');
      assert.equal(uses.length, 2);
      uses.forEach((use, i) => {
        assert.ok(use.id);
        assert.equal(use.name, 'get_weather');
        assert.deepEqual(use.input, WEATHER_CALLS[i].arguments);
      });
      const results = ['18C, light rain', '24C, sunny'];
      const answered = await client.messages.create({
        model,
        max_tokens: 200,
        tools,
        messages: [
          ...question,
          { role: 'assistant', content: asked.content },
          {
            role: 'user',
            content: uses.map((use, i) => ({ type: 'tool_result', tool_use_id: use.id, content: results[i] })),
          },
        ],
      });
      assert.equal(answered.stop_reason, 'end_turn');
      assert.equal(answered.content[0].text, `${TOOL_RESULT_PREFIX}${results.join('\n')}`);
    });

    test('streamed tool use arrives as input_json_delta, parsed by the SDK', async () => {
      await behave(provider, { tool_calls: WEATHER_CALLS, times: 1 });
      const message = await client.messages.stream({ model, max_tokens: 200, messages: question, tools })
        .finalMessage();
      assert.equal(message.stop_reason, 'tool_use');
      assert.deepEqual(message.content.filter((b) => b.type === 'tool_use').map((b) => b.input),
        WEATHER_CALLS.map((c) => c.arguments));
    });

    test('a provider rate limit is a RateLimitError with the retry hint', async () => {
      await behave(provider, { error_status: 429, retry_after_seconds: 3, times: 1 });
      await assert.rejects(client.messages.create({ model, max_tokens: 10, messages: question }), (e) => {
        assert.ok(e instanceof Anthropic.RateLimitError, e.constructor.name);
        assert.equal(e.error.type, 'error');
        assert.equal(e.error.error.type, 'rate_limit_error');
        assert.equal(e.headers.get('retry-after'), '3');
        return true;
      });
    });
  });
}

describe('Anthropic SDK, extended thinking on Claude', () => {
  const model = 'anthropic/claude-sonnet-4-5';
  const thinking = { type: 'enabled', budget_tokens: 1024 };
  afterEach(() => resetBehaviour('anthropic'));

  test('signed thinking comes back, and goes back unchanged with the tool results', async () => {
    await behave('anthropic', { tool_calls: WEATHER_CALLS, times: 1 });
    const asked = await client.messages.create({ model, max_tokens: 2048, thinking, messages: question, tools });
    assert.deepEqual(asked.content.map((b) => b.type), ['thinking', 'tool_use', 'tool_use']);
    assert.deepEqual(asked.content[0], { type: 'thinking', thinking: THINKING_TEXT, signature: THINKING_SIGNATURE });
    const uses = asked.content.filter((block) => block.type === 'tool_use');
    const answered = await client.messages.create({
      model,
      max_tokens: 2048,
      thinking,
      tools,
      messages: [
        ...question,
        { role: 'assistant', content: asked.content },
        { role: 'user', content: uses.map((use) => ({ type: 'tool_result', tool_use_id: use.id, content: '18C' })) },
      ],
    });
    assert.deepEqual(answered.content.map((b) => b.type), ['thinking', 'text']);
    assert.equal(answered.content[1].text, `${TOOL_RESULT_PREFIX}18C\n18C`);
    const sent = JSON.parse((await lastRequest('anthropic')).body);
    assert.deepEqual(sent.thinking, thinking);
    assert.deepEqual(sent.messages[1].content[0], asked.content[0], 'the signed block reached Anthropic unchanged');
  });

  test('streamed thinking: the SDK helper assembles thinking and its signature', async () => {
    let thought = '';
    const stream = client.messages.stream({ model, max_tokens: 2048, thinking, messages: question });
    stream.on('thinking', (delta) => { thought += delta; });
    const message = await stream.finalMessage();
    assert.equal(thought, THINKING_TEXT);
    assert.deepEqual(message.content[0], { type: 'thinking', thinking: THINKING_TEXT, signature: THINKING_SIGNATURE });
    assert.equal(message.content[1].text, DEFAULT_REPLY);
  });

  test('a thinking budget not below max_tokens is Anthropic\'s BadRequestError', async () => {
    await assert.rejects(client.messages.create({ model, max_tokens: 1024, thinking, messages: question }), (e) => {
      assert.ok(e instanceof Anthropic.BadRequestError, e.constructor.name);
      assert.match(e.error.error.message, /^max_tokens: must be greater than thinking\.budget_tokens/);
      return true;
    });
  });
});

test('count_tokens answers an estimate without calling a provider', async () => {
  const counted = await client.messages.countTokens({ model: 'claude-sonnet-4-5', messages: question, tools });
  assert.ok(counted.input_tokens > 10, `${counted.input_tokens}`);
});

test('a bad key is an AuthenticationError in Anthropic\'s shape', async () => {
  const stranger = new Anthropic({ baseURL: origin, apiKey: `thk_aaaaaaaaaaaa_${'A'.repeat(32)}`, maxRetries: 0 });
  await assert.rejects(stranger.messages.create({ model: 'gpt-4o', max_tokens: 10, messages: question }), (e) => {
    assert.ok(e instanceof Anthropic.AuthenticationError, e.constructor.name);
    assert.equal(e.error.error.type, 'authentication_error');
    assert.match(e.requestID, /^req_/);
    return true;
  });
});

test('an unknown model is a NotFoundError', async () => {
  await assert.rejects(client.messages.create({ model: 'no-such-model', max_tokens: 10, messages: question }), (e) => {
    assert.ok(e instanceof Anthropic.NotFoundError, e.constructor.name);
    assert.equal(e.error.error.type, 'not_found_error');
    return true;
  });
});

test('an unknown field is a BadRequestError naming it', async () => {
  await assert.rejects(client.messages.create({ model: 'gpt-4o', max_tokens: 10, messages: question, bogus: 1 }),
    (e) => {
      assert.ok(e instanceof Anthropic.BadRequestError, e.constructor.name);
      assert.match(e.error.error.message, /bogus/);
      return true;
    });
});
