// The official OpenAI Node SDK's Responses API (`client.responses`) against the TokenHub gateway, once per provider
// with provider-pinned model names so no fallback can hide a provider: a response, the stream with the SDK's own
// event-order checks (`responses.stream` rejects an event for an item it was never told about), the function call
// round trip streamed and not, a provider failure after the first event, and the stateless refusals. Event names and
// shapes are the documented ones (https://platform.openai.com/docs/api-reference/responses-streaming). Run by
// LocalSuiteIT with the environment openai-sdk.test.mjs and providers.test.mjs use.
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { client, logRequest } from './support.mjs';
import {
  DEFAULT_REPLY, TOOL_RESULT_PREFIX, WEATHER_CALLS, WEATHER_QUESTION, behave, promptTokens, resetBehaviour, tokens,
} from '../simulators/support.mjs';

const PROVIDERS = [
  { provider: 'openai', model: 'openai/gpt-4o-mini', catalogId: 'gpt-4o-mini' },
  { provider: 'anthropic', model: 'anthropic/claude-sonnet-4-5', catalogId: 'claude-sonnet-4-5' },
  { provider: 'google', model: 'google/gemini-2.5-pro', catalogId: 'gemini-2.5-pro' },
  { provider: 'mistral', model: 'mistral/mistral-small-latest', catalogId: 'mistral-small-latest' },
  { provider: 'meta', model: 'meta/llama-3.3-70b', catalogId: 'llama-3.3-70b' },
];

const tools = [{
  type: 'function',
  name: 'get_weather',
  description: 'Current weather of a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
}];

/** The usage as the ledger check reads it, from Responses usage. */
function chatUsage(usage) {
  return { prompt_tokens: usage.input_tokens, completion_tokens: usage.output_tokens };
}

function requestIdOf(response) {
  const id = response.headers.get('x-inferoute-request-id');
  assert.match(id, /^req_[0-9A-Z]{26}$/);
  return id;
}

/** Reads a raw event stream to its end: every event in order. */
async function events(stream) {
  const seen = [];
  for await (const event of stream) {
    seen.push(event);
  }
  seen.forEach((event, i) => assert.equal(event.sequence_number, i, 'sequence numbers count from 0 without gaps'));
  return seen;
}

for (const { provider, model, catalogId } of PROVIDERS) {
  describe(`responses API, ${provider} through the gateway (${model})`, () => {
    afterEach(() => resetBehaviour(provider));

    test('a response: output text, status, usage with its cost, headers', async () => {
      const { data, response } = await client.responses.create({ model, input: WEATHER_QUESTION }).withResponse();
      assert.equal(data.object, 'response');
      assert.match(data.id, /^resp_/);
      assert.equal(data.status, 'completed');
      assert.equal(data.store, false, 'nothing is stored');
      assert.equal(data.output_text, DEFAULT_REPLY, 'the SDK joins the output text');
      assert.equal(data.output.length, 1);
      assert.equal(data.output[0].type, 'message');
      assert.equal(data.output[0].role, 'assistant');
      assert.equal(data.usage.input_tokens, promptTokens(WEATHER_QUESTION));
      assert.equal(data.usage.output_tokens, tokens(DEFAULT_REPLY));
      assert.equal(data.usage.total_tokens, data.usage.input_tokens + data.usage.output_tokens);
      assert.equal(String(data.usage.cost), response.headers.get('x-tokenhub-cost-usd').replace(/0+$/, ''));
      assert.equal(response.headers.get('x-tokenhub-provider'), provider);
      assert.equal(response.headers.get('x-tokenhub-fallback'), 'false');
      assert.equal(data._request_id, requestIdOf(response));
      logRequest(requestIdOf(response), catalogId, false, chatUsage(data.usage));
    });

    test('a stream: the documented events in order, the final response with usage', async () => {
      const stream = client.responses.stream({ model, input: WEATHER_QUESTION });
      const deltas = [];
      stream.on('response.output_text.delta', (event) => deltas.push(event.delta));
      const final = await stream.finalResponse();
      assert.equal(final.status, 'completed');
      assert.equal(final.output_text, DEFAULT_REPLY);
      assert.ok(deltas.length > 2, `streamed in several deltas (${deltas.length})`);
      assert.equal(deltas.join(''), DEFAULT_REPLY);
      assert.equal(final.usage.input_tokens, promptTokens(WEATHER_QUESTION));
      assert.equal(final.usage.output_tokens, tokens(DEFAULT_REPLY));
      assert.ok(final.usage.cost > 0, 'the cost is on the completed response');

      const { data: raw, response } = await client.responses
        .create({ model, input: WEATHER_QUESTION, stream: true }).withResponse();
      assert.equal(response.headers.get('x-tokenhub-provider'), provider);
      const types = (await events(raw)).map((e) => e.type);
      assert.deepEqual(types.slice(0, 5), [
        'response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added',
        'response.output_text.delta',
      ]);
      assert.deepEqual(types.slice(-4), [
        'response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.completed',
      ]);
      logRequest(requestIdOf(response), catalogId, true, chatUsage(final.usage));
    });

    test('function calls and their outputs make the round trip', async () => {
      await behave(provider, { tool_calls: WEATHER_CALLS, times: 1 });
      const { data: asked, response: askedResponse } = await client.responses
        .create({ model, input: WEATHER_QUESTION, tools }).withResponse();
      const calls = asked.output.filter((item) => item.type === 'function_call');
      assert.equal(calls.length, 2);
      calls.forEach((call, i) => {
        assert.ok(call.call_id, 'each call has an id to answer');
        assert.equal(call.name, 'get_weather');
        assert.deepEqual(JSON.parse(call.arguments), WEATHER_CALLS[i].arguments);
      });
      logRequest(requestIdOf(askedResponse), catalogId, false, chatUsage(asked.usage));

      const results = ['18C, light rain', '24C, sunny'];
      const { data: answered, response } = await client.responses.create({
        model,
        tools,
        input: [
          { role: 'user', content: WEATHER_QUESTION },
          ...asked.output,
          ...calls.map((call, i) => ({ type: 'function_call_output', call_id: call.call_id, output: results[i] })),
        ],
      }).withResponse();
      assert.equal(answered.status, 'completed');
      assert.equal(answered.output_text, `${TOOL_RESULT_PREFIX}${results.join('\n')}`);
      logRequest(requestIdOf(response), catalogId, false, chatUsage(answered.usage));
    });

    test('streamed function calls: one item per call, arguments as deltas then done', async () => {
      await behave(provider, { tool_calls: WEATHER_CALLS, times: 1 });
      const stream = client.responses.stream({ model, input: WEATHER_QUESTION, tools });
      const done = [];
      stream.on('response.function_call_arguments.done', (event) => done.push(event.arguments));
      const final = await stream.finalResponse();
      const calls = final.output.filter((item) => item.type === 'function_call');
      assert.equal(calls.length, 2);
      calls.forEach((call, i) => {
        assert.equal(call.status, 'completed');
        assert.deepEqual(JSON.parse(call.arguments), WEATHER_CALLS[i].arguments);
        assert.equal(done[i], call.arguments);
      });
    });

    test('a provider failure after the first event ends in error and response.failed', async () => {
      await behave(provider, { fail_mid_stream: true, times: 1 });
      const stream = await client.responses.create({ model, input: WEATHER_QUESTION, stream: true });
      const seen = await events(stream);
      const types = seen.map((e) => e.type);
      assert.equal(types[0], 'response.created');
      assert.deepEqual(types.slice(-2), ['error', 'response.failed']);
      const failed = seen.at(-1).response;
      assert.equal(failed.status, 'failed');
      assert.ok(failed.error.message.length > 0);
      assert.ok(!JSON.stringify(seen).includes(`sim-${provider}-key`));
    });
  });
}

describe('responses API refusals', () => {
  test('a plain model name routes and says who answered', async () => {
    const { data, response } = await client.responses
      .create({ model: 'gpt-4o', instructions: 'Answer briefly.', input: WEATHER_QUESTION, max_output_tokens: 50 })
      .withResponse();
    assert.equal(data.output_text, DEFAULT_REPLY);
    assert.equal(data.instructions, 'Answer briefly.');
    assert.equal(data.max_output_tokens, 50);
    assert.ok(['openai', 'anthropic', 'google', 'mistral', 'meta'].includes(response.headers.get('x-tokenhub-provider')));
  });

  test('previous_response_id is refused with the way to send the history instead', async () => {
    await assert.rejects(
      client.responses.create({ model: 'gpt-4o', input: 'Go on.', previous_response_id: 'resp_123' }),
      (e) => {
        assert.ok(e instanceof OpenAI.BadRequestError, e.constructor.name);
        assert.equal(e.param, 'previous_response_id');
        assert.match(e.message, /Send the whole conversation in 'input'/);
        return true;
      },
    );
  });

  test('a built-in tool is refused naming the tool', async () => {
    await assert.rejects(
      client.responses.create({ model: 'gpt-4o', input: 'Search.', tools: [{ type: 'web_search' }] }),
      (e) => {
        assert.ok(e instanceof OpenAI.BadRequestError, e.constructor.name);
        assert.equal(e.param, 'tools[0].type');
        return true;
      },
    );
  });

  test('a stored response cannot be read: TokenHub stores none', async () => {
    await assert.rejects(client.responses.retrieve('resp_123'), (e) => {
      assert.ok(e instanceof OpenAI.NotFoundError, e.constructor.name);
      assert.match(e.message, /stores no responses/);
      return true;
    });
  });

  test('an unknown model is a NotFoundError', async () => {
    await assert.rejects(client.responses.create({ model: 'no-such-model', input: 'Hi' }), (e) => {
      assert.ok(e instanceof OpenAI.NotFoundError, e.constructor.name);
      assert.equal(e.code, 'model_not_found');
      return true;
    });
  });
});
