// The official Google Gen AI SDK (Gemini Developer API mode) against the Google simulator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, GoogleGenAI, Type } from '@google/genai';
import {
  assertConnectionCut, DEFAULT_REPLY, TOOL_RESULT_PREFIX, WEATHER_CALLS, WEATHER_CALL_TOKENS, WEATHER_QUESTION,
  behaviour, drain, origin, promptTokens, tokens,
} from './support.mjs';

const ai = new GoogleGenAI({ apiKey: 'sim-google-key', httpOptions: { baseUrl: origin('google') } });
const model = 'gemini-1.5-pro';
const ask = [{ role: 'user', parts: [{ text: WEATHER_QUESTION }] }];
const tools = [{
  functionDeclarations: [{
    name: 'get_weather',
    parameters: { type: Type.OBJECT, properties: { city: { type: Type.STRING } }, required: ['city'] },
  }],
}];

/** Per-request behaviour: the SDK passes config.httpOptions.headers on to that request. */
function withBehaviour(b, config = {}) {
  return { ...config, httpOptions: { headers: behaviour(b) } };
}

test('generateContent: text, STOP, usageMetadata, modelVersion, responseId', async () => {
  const response = await ai.models.generateContent({
    model, contents: ask, config: { systemInstruction: 'Be brief.' },
  });
  assert.equal(response.text, DEFAULT_REPLY);
  const candidate = response.candidates[0];
  assert.equal(candidate.finishReason, 'STOP');
  assert.equal(candidate.content.role, 'model');
  assert.equal(candidate.index, 0);
  const prompt = promptTokens('Be brief.', WEATHER_QUESTION);
  assert.equal(response.usageMetadata.promptTokenCount, prompt);
  assert.equal(response.usageMetadata.candidatesTokenCount, tokens(DEFAULT_REPLY));
  assert.equal(response.usageMetadata.totalTokenCount, prompt + tokens(DEFAULT_REPLY));
  assert.equal(response.usageMetadata.cachedContentTokenCount, undefined);
  assert.equal(response.modelVersion, 'gemini-1.5-pro-002');
  assert.match(response.responseId, /^[A-Za-z0-9]{23}$/);
});

test('streamGenerateContent (alt=sse): whole responses per chunk, usage final only on the last', async () => {
  const stream = await ai.models.generateContentStream({ model, contents: ask });
  const chunks = (await drain(stream)).items;
  assert.ok(chunks.length > 2);
  assert.equal(chunks.map((c) => c.text).join(''), DEFAULT_REPLY);
  const last = chunks.at(-1);
  assert.equal(last.candidates[0].finishReason, 'STOP');
  assert.equal(last.usageMetadata.candidatesTokenCount, tokens(DEFAULT_REPLY));
  for (const chunk of chunks.slice(0, -1)) {
    assert.equal(chunk.candidates[0].finishReason, undefined);
    assert.equal(chunk.usageMetadata.candidatesTokenCount, undefined);
    assert.equal(chunk.usageMetadata.promptTokenCount, promptTokens(WEATHER_QUESTION));
  }
  assert.equal(new Set(chunks.map((c) => c.responseId)).size, 1);
});

test('parallel function calls finish with STOP and no ids; the responses round trip', async () => {
  const response = await ai.models.generateContent({
    model, contents: ask, config: withBehaviour({ tool_calls: WEATHER_CALLS }, { tools }),
  });
  assert.equal(response.candidates[0].finishReason, 'STOP');
  assert.deepEqual(response.functionCalls, WEATHER_CALLS.map((c) => ({ name: c.name, args: c.arguments })));
  assert.equal(response.usageMetadata.candidatesTokenCount, WEATHER_CALL_TOKENS);

  const answer = await ai.models.generateContent({
    model,
    contents: [
      ...ask,
      response.candidates[0].content,
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'get_weather', response: { output: 'Sunny, 24 C' } } },
          { functionResponse: { name: 'get_weather', response: { output: 'Rain, 18 C' } } },
        ],
      },
    ],
    config: withBehaviour({ tool_calls: WEATHER_CALLS }, { tools }),
  });
  assert.equal(answer.text, `${TOOL_RESULT_PREFIX}Sunny, 24 C\nRain, 18 C`);
  assert.equal(answer.functionCalls, undefined);
});

test('streamed function calls arrive whole in the final chunk', async () => {
  const stream = await ai.models.generateContentStream({
    model, contents: ask, config: withBehaviour({ tool_calls: WEATHER_CALLS }, { tools }),
  });
  const chunks = (await drain(stream)).items;
  const last = chunks.at(-1);
  assert.equal(last.functionCalls.length, 2);
  assert.equal(last.candidates[0].finishReason, 'STOP');
});

test('Gemini 3 signs its function calls and refuses a continued turn that lost the signature', async () => {
  const gemini3 = 'gemini-3.5-flash';
  const config = withBehaviour({ tool_calls: WEATHER_CALLS }, { tools });
  const response = await ai.models.generateContent({ model: gemini3, contents: ask, config });
  const parts = response.candidates[0].content.parts;
  // In parallel calls only the first carries a signature, as Google documents.
  assert.equal(typeof parts[0].thoughtSignature, 'string');
  assert.ok(parts[0].thoughtSignature.length > 0);
  assert.equal(parts[1].thoughtSignature, undefined);
  const results = {
    role: 'user',
    parts: [
      { functionResponse: { name: 'get_weather', response: { output: 'Sunny, 24 C' } } },
      { functionResponse: { name: 'get_weather', response: { output: 'Rain, 18 C' } } },
    ],
  };

  const answer = await ai.models.generateContent({
    model: gemini3, contents: [...ask, response.candidates[0].content, results], config,
  });
  assert.equal(answer.text, `${TOOL_RESULT_PREFIX}Sunny, 24 C\nRain, 18 C`);

  const unsigned = { role: 'model', parts: parts.map(({ thoughtSignature, ...part }) => part) };
  await assert.rejects(
    ai.models.generateContent({ model: gemini3, contents: [...ask, unsigned, results], config }),
    (err) => err instanceof ApiError && err.status === 400
      && /Function call is missing a thought_signature in functionCall parts/.test(err.message),
  );
  // Gemini 2.5 and older never asked for signatures.
  const older = await ai.models.generateContent({ model, contents: [...ask, unsigned, results], config });
  assert.equal(older.text, `${TOOL_RESULT_PREFIX}Sunny, 24 C\nRain, 18 C`);

  const stream = await ai.models.generateContentStream({ model: gemini3, contents: ask, config });
  const last = (await drain(stream)).items.at(-1);
  assert.equal(last.candidates[0].content.parts[0].thoughtSignature, parts[0].thoughtSignature);
});

test('function call/response pairing and names are validated like the real API', async () => {
  const call = { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }] };
  await assert.rejects(
    ai.models.generateContent({
      model,
      contents: [...ask, call, { role: 'user', parts: [{ functionResponse: { name: '', response: { output: 'x' } } }] }],
    }),
    (err) => err instanceof ApiError && err.status === 400 && /Name cannot be empty/.test(err.message),
  );
  await assert.rejects(
    ai.models.generateContent({
      model,
      contents: [...ask, call, { role: 'user', parts: [{ text: 'no response part' }] }],
    }),
    (err) => err instanceof ApiError && err.status === 400 && /number of function response parts/.test(err.message),
  );
  const res = await fetch(`${origin('google')}/v1beta/models/${model}:generateContent`, {
    method: 'POST',
    headers: { 'x-goog-api-key': 'k', 'content-type': 'application/json' },
    body: JSON.stringify({ contents: ask, generationConfig: { max_tokens: 5 } }),
  });
  const body = await res.json();
  assert.equal(res.status, 400);
  assert.equal(body.error.status, 'INVALID_ARGUMENT');
  assert.match(body.error.message, /Unknown name "max_tokens" at 'generation_config'/);
});

test('error statuses raise ApiError; 429 carries a RetryInfo delay in the body', async () => {
  const cases = [[400, 'INVALID_ARGUMENT'], [403, 'PERMISSION_DENIED'], [404, 'NOT_FOUND'], [429, 'RESOURCE_EXHAUSTED'],
    [500, 'INTERNAL'], [503, 'UNAVAILABLE'], [504, 'DEADLINE_EXCEEDED']];
  for (const [status, code] of cases) {
    const err = await ai.models
      .generateContent({ model, contents: ask, config: withBehaviour({ error_status: status, retry_after_seconds: 9 }) })
      .catch((e) => e);
    assert.ok(err instanceof ApiError, `status ${status}: ${err}`);
    assert.equal(err.status, status);
    const body = JSON.parse(err.message);
    assert.equal(body.error.code, status);
    assert.equal(body.error.status, code);
    if (status === 429) {
      const retry = body.error.details.find((d) => d['@type'] === 'type.googleapis.com/google.rpc.RetryInfo');
      assert.equal(retry.retryDelay, '9s');
    }
  }
});

test('a missing API key is refused', async () => {
  const res = await fetch(`${origin('google')}/v1beta/models/${model}:generateContent`, {
    method: 'POST', body: JSON.stringify({ contents: ask }),
  });
  assert.equal(res.status, 403);
  assert.equal((await res.json()).error.status, 'PERMISSION_DENIED');
});

test('an error chunk in the middle of a stream raises ApiError', async () => {
  const stream = await ai.models.generateContentStream({
    model, contents: ask, config: withBehaviour({ fail_mid_stream: true }),
  });
  const { items, error } = await drain(stream);
  assert.ok(error instanceof ApiError, String(error));
  assert.equal(error.status, 503);
  assert.equal(items.length, 1);
});

test('a connection dropped mid-stream fails the iteration', async () => {
  const stream = await ai.models.generateContentStream({
    model, contents: ask, config: withBehaviour({ drop_mid_stream: true }),
  });
  const { error } = await drain(stream);
  assertConnectionCut(error);
});

test('cached content tokens and forced finish reasons', async () => {
  const cached = await ai.models.generateContent({ model, contents: ask, config: withBehaviour({ cached_tokens: 6 }) });
  assert.equal(cached.usageMetadata.cachedContentTokenCount, 6);
  assert.equal(cached.usageMetadata.promptTokenCount, promptTokens(WEATHER_QUESTION));
  const blocked = await ai.models.generateContent({
    model, contents: ask, config: withBehaviour({ finish_reason: 'SAFETY' }),
  });
  assert.equal(blocked.candidates[0].finishReason, 'SAFETY');
  const cut = await ai.models.generateContent({ model, contents: ask, config: { maxOutputTokens: 2 } });
  assert.equal(cut.candidates[0].finishReason, 'MAX_TOKENS');
  assert.equal(cut.text, DEFAULT_REPLY.slice(0, 8));
});

test('JSON mode with responseSchema', async () => {
  const response = await ai.models.generateContent({
    model,
    contents: ask,
    config: {
      responseMimeType: 'application/json',
      responseSchema: {
        type: Type.OBJECT,
        properties: { city: { type: Type.STRING }, rain: { type: Type.BOOLEAN }, hours: { type: Type.ARRAY, items: { type: Type.INTEGER } } },
      },
    },
  });
  assert.deepEqual(JSON.parse(response.text), { city: 'sample', rain: true, hours: [1] });
});

test('embedContent goes through batchEmbedContents', async () => {
  const response = await ai.models.embedContent({ model: 'text-embedding-004', contents: ['alpha', 'beta'] });
  assert.equal(response.embeddings.length, 2);
  assert.equal(response.embeddings[0].values.length, 768);
  assert.notDeepEqual(response.embeddings[0].values, response.embeddings[1].values);
  const small = await ai.models.embedContent({
    model: 'text-embedding-004', contents: 'alpha', config: { outputDimensionality: 16 },
  });
  assert.equal(small.embeddings[0].values.length, 16);
});

test('models: list pages and get', async () => {
  const names = [];
  const pager = await ai.models.list({ config: { pageSize: 2 } });
  for await (const m of pager) {
    names.push(m.name);
  }
  assert.ok(names.includes('models/gemini-1.5-pro') && names.includes('models/text-embedding-004'));
  assert.ok(names.includes('models/gemini-2.5-pro') && names.includes('models/gemini-2.5-flash-lite'));
  assert.ok(names.includes('models/gemini-3.5-flash') && names.includes('models/gemini-3.7-flash'));
  assert.equal(names.length, 13);
  const one = await ai.models.get({ model: 'gemini-1.5-flash' });
  assert.equal(one.name, 'models/gemini-1.5-flash');
  assert.equal(one.inputTokenLimit, 1000000);
  await assert.rejects(ai.models.get({ model: 'gemini-unknown' }), (err) => err instanceof ApiError && err.status === 404);
});
