// The official OpenAI Node SDK against the TokenHub gateway, once per provider, with provider-pinned model names so
// no fallback can hide a provider: chat, streams with and without the usage chunk, the tool call and tool result
// round trip, and errors (the provider's own, translated, and TokenHub's refusals). Run by LocalSuiteIT with
// TOKENHUB_BASE_URL, TOKENHUB_API_KEY and TOKENHUB_REQUEST_LOG (as openai-sdk.test.mjs), plus
// TOKENHUB_SIM_<PROVIDER>_PORT for the simulators behind the gateway: tool calls and provider errors are steered
// through the simulators' control API, since the gateway does not forward per-request behaviours. Behaviours are set
// for one request at a time (`times: 1`) and reset after each test.
import { after, afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { client, logRequest } from './support.mjs';
import {
  DEFAULT_REPLY, TOOL_RESULT_PREFIX, WEATHER_CALLS, WEATHER_QUESTION, behave, promptTokens, resetBehaviour, tokens,
} from '../simulators/support.mjs';


/** Provider, the pinned name a client sends, and the catalog id billing records. */
const PROVIDERS = [
  { provider: 'openai', model: 'openai/gpt-4o-mini', catalogId: 'gpt-4o-mini' },
  { provider: 'anthropic', model: 'anthropic/claude-sonnet-4-5', catalogId: 'claude-sonnet-4-5' },
  { provider: 'google', model: 'google/gemini-2.5-pro', catalogId: 'gemini-2.5-pro' },
  { provider: 'mistral', model: 'mistral/mistral-small-latest', catalogId: 'mistral-small-latest' },
  { provider: 'meta', model: 'meta/llama-3.3-70b', catalogId: 'llama-3.3-70b' },
];

const question = [{ role: 'user', content: WEATHER_QUESTION }];
const tools = [{
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather of a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
}];

function requestIdOf(response) {
  const id = response.headers.get('x-inferoute-request-id');
  assert.match(id, /^req_[0-9A-Z]{26}$/);
  return id;
}

/** Reads a stream to its end: the chunks, the text, finish reasons, tool-call argument text by index. */
async function collect(stream) {
  const chunks = [];
  let text = '';
  const finishes = [];
  const calls = new Map();
  for await (const chunk of stream) {
    chunks.push(chunk);
    assert.equal(chunk.object, 'chat.completion.chunk');
    const choice = chunk.choices[0];
    if (!choice) {
      continue;
    }
    text += choice.delta?.content ?? '';
    if (choice.finish_reason) {
      finishes.push(choice.finish_reason);
    }
    for (const call of choice.delta?.tool_calls ?? []) {
      assert.equal(typeof call.index, 'number', 'every tool-call delta carries its index');
      const seen = calls.get(call.index) ?? { id: undefined, name: undefined, arguments: '' };
      seen.id ??= call.id;
      seen.name ??= call.function?.name;
      seen.arguments += call.function?.arguments ?? '';
      calls.set(call.index, seen);
    }
  }
  return { chunks, text, finishes, calls };
}

for (const { provider, model, catalogId } of PROVIDERS) {
  describe(`${provider} through the gateway (${model})`, () => {
    afterEach(() => resetBehaviour(provider));

    test('chat completion: content, finish reason, usage, request id and provider header', async () => {
      const { data, response } = await client.chat.completions.create({ model, messages: question }).withResponse();
      assert.equal(data.object, 'chat.completion');
      assert.equal(data.choices[0].message.role, 'assistant');
      assert.equal(data.choices[0].message.content, DEFAULT_REPLY);
      assert.equal(data.choices[0].finish_reason, 'stop');
      assert.equal(data.usage.prompt_tokens, promptTokens(WEATHER_QUESTION));
      assert.equal(data.usage.completion_tokens, tokens(DEFAULT_REPLY));
      assert.equal(data.usage.total_tokens, data.usage.prompt_tokens + data.usage.completion_tokens);
      assert.equal(response.headers.get('x-tokenhub-provider'), provider);
      assert.equal(response.headers.get('x-tokenhub-fallback'), 'false');
      assert.equal(data._request_id, requestIdOf(response), 'the SDK reads the request id');
      logRequest(requestIdOf(response), catalogId, false, data.usage);
    });

    test('stream without stream_options: chunks, no usage anywhere, finish reason stop', async () => {
      const { data: stream, response } = await client.chat.completions
        .create({ model, messages: question, stream: true }).withResponse();
      assert.equal(response.headers.get('x-tokenhub-provider'), provider);
      const { chunks, text, finishes } = await collect(stream);
      assert.ok(chunks.length > 2, `streamed in several chunks (${chunks.length})`);
      assert.ok(chunks.every((c) => c.usage === undefined), 'no usage field unless asked for');
      assert.ok(chunks.every((c) => c.id === chunks[0].id), 'one id for the whole stream');
      assert.equal(text, DEFAULT_REPLY);
      assert.deepEqual(finishes, ['stop']);
    });

    test('stream with stream_options.include_usage ends with the usage chunk', async () => {
      const { data: stream, response } = await client.chat.completions
        .create({ model, messages: question, stream: true, stream_options: { include_usage: true } })
        .withResponse();
      const { chunks, text } = await collect(stream);
      const last = chunks.at(-1);
      assert.deepEqual(last.choices, []);
      assert.equal(last.usage.prompt_tokens, promptTokens(WEATHER_QUESTION));
      assert.equal(last.usage.completion_tokens, tokens(DEFAULT_REPLY));
      assert.ok(chunks.slice(0, -1).every((c) => c.usage === null), 'the other chunks say usage: null');
      assert.equal(text, DEFAULT_REPLY);
      logRequest(requestIdOf(response), catalogId, true, last.usage);
    });

    test('tool calls and tool results make the round trip', async () => {
      await behave(provider, { tool_calls: WEATHER_CALLS, times: 1 });
      const { data: asked, response: askedResponse } = await client.chat.completions
        .create({ model, messages: question, tools }).withResponse();
      const choice = asked.choices[0];
      assert.equal(choice.finish_reason, 'tool_calls');
      const calls = choice.message.tool_calls;
      assert.equal(calls.length, 2);
      calls.forEach((call, i) => {
        assert.ok(call.id, 'each call has an id to answer');
        assert.equal(call.type, 'function');
        assert.equal(call.function.name, 'get_weather');
        assert.deepEqual(JSON.parse(call.function.arguments), WEATHER_CALLS[i].arguments);
      });
      logRequest(requestIdOf(askedResponse), catalogId, false, asked.usage);

      const results = ['18C, light rain', '24C, sunny'];
      const { data: answered, response } = await client.chat.completions.create({
        model,
        tools,
        messages: [
          ...question,
          choice.message,
          ...calls.map((call, i) => ({ role: 'tool', tool_call_id: call.id, content: results[i] })),
        ],
      }).withResponse();
      assert.equal(answered.choices[0].finish_reason, 'stop');
      assert.equal(answered.choices[0].message.content, `${TOOL_RESULT_PREFIX}${results.join('\n')}`);
      logRequest(requestIdOf(response), catalogId, false, answered.usage);
    });

    test('streamed tool calls arrive as deltas with one index per call', async () => {
      await behave(provider, { tool_calls: WEATHER_CALLS, times: 1 });
      const stream = await client.chat.completions.create({ model, messages: question, tools, stream: true });
      const { calls, finishes } = await collect(stream);
      assert.deepEqual([...calls.keys()], [0, 1]);
      for (const [index, call] of calls) {
        assert.ok(call.id);
        assert.equal(call.name, 'get_weather');
        assert.deepEqual(JSON.parse(call.arguments), WEATHER_CALLS[index].arguments);
      }
      assert.deepEqual(finishes, ['tool_calls']);
    });

    test('a provider rate limit is a RateLimitError with the retry hint the provider gave', async () => {
      await behave(provider, { error_status: 429, retry_after_seconds: 3, times: 1 });
      await assert.rejects(client.chat.completions.create({ model, messages: question }), (e) => {
        assert.ok(e instanceof OpenAI.RateLimitError, e.constructor.name);
        assert.equal(e.status, 429);
        assert.equal(e.code, 'rate_limit_exceeded');
        // Mistral sends no hint; Google's is in its body and reaches the client as Retry-After.
        assert.equal(e.headers.get('retry-after'), provider === 'mistral' ? null : '3');
        assert.match(e.requestID, /^req_/);
        return true;
      });
    });

    test('a provider failure is a server error, never the provider key', async () => {
      const status = provider === 'anthropic' ? 529 : 500;
      await behave(provider, { error_status: status, times: 1 });
      await assert.rejects(client.chat.completions.create({ model, messages: question }), (e) => {
        assert.ok(e instanceof OpenAI.InternalServerError, e.constructor.name);
        // Anthropic's non-standard 529 "overloaded" is the 503 OpenAI clients know.
        assert.equal(e.status, provider === 'anthropic' ? 503 : 502);
        assert.equal(e.type, 'server_error');
        assert.ok(!JSON.stringify(e.error).includes(`sim-${provider}-key`));
        return true;
      });
    });

    test('a provider error in the middle of a stream raises, it is never a clean end', async () => {
      await behave(provider, { fail_mid_stream: true, times: 1 });
      const stream = await client.chat.completions.create({ model, messages: question, stream: true });
      const seen = [];
      await assert.rejects((async () => {
        for await (const chunk of stream) {
          seen.push(chunk);
        }
      })(), (e) => {
        assert.ok(e instanceof OpenAI.APIError, e.constructor.name);
        return true;
      });
      assert.ok(seen.length >= 1, 'the chunks before the failure arrived');
    });
  });
}

describe('requests a provider cannot take are refused by TokenHub', () => {
  test('n > 1 where the provider answers one choice: BadRequestError on param n', async () => {
    for (const model of ['anthropic/claude-sonnet-4-5', 'meta/llama-3.3-70b']) {
      await assert.rejects(client.chat.completions.create({ model, n: 2, messages: question }), (e) => {
        assert.ok(e instanceof OpenAI.BadRequestError, e.constructor.name);
        assert.equal(e.param, 'n');
        return true;
      });
    }
  });

  test('an image URL Gemini would have to download: BadRequestError naming the part', async () => {
    await assert.rejects(client.chat.completions.create({
      model: 'google/gemini-2.5-flash',
      messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }] }],
    }), (e) => {
      assert.ok(e instanceof OpenAI.BadRequestError, e.constructor.name);
      assert.equal(e.param, 'messages[0].content[0].image_url.url');
      return true;
    });
  });

  test('a model pinned to the wrong provider does not exist', async () => {
    await assert.rejects(client.chat.completions.create({ model: 'mistral/claude-sonnet-4-5', messages: question }),
      (e) => e instanceof OpenAI.NotFoundError);
  });
});

after(async () => {
  for (const { provider } of PROVIDERS) {
    await resetBehaviour(provider);
  }
});
