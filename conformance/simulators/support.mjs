// Shared helpers for the provider-SDK-against-simulator tests. The JUnit test ProviderSdkConformanceTest (module
// provider-simulator) starts the simulators on free ports and passes them as TOKENHUB_SIM_<PROVIDER>_PORT.
import assert from 'node:assert/strict';

export const DEFAULT_REPLY = 'Hello from the TokenHub provider simulator.';
export const TOOL_RESULT_PREFIX = 'The tool returned: ';
export const BEHAVIOUR_HEADER = 'x-sim-behaviour';

/** http://127.0.0.1:<port> of a provider's simulator: its origin, where the control API lives. */
export function origin(provider) {
  const variable = `TOKENHUB_SIM_${provider.toUpperCase()}_PORT`;
  const port = process.env[variable];
  if (!port) {
    throw new Error(`${variable} is not set: run these tests through ProviderSdkConformanceTest or start `
      + 'the simulators (SimulatorServer) and export the ports');
  }
  return `http://127.0.0.1:${port}`;
}

/** A behaviour for one request only, as request headers (see provider-simulator/README.md). */
export function behaviour(b) {
  return { [BEHAVIOUR_HEADER]: JSON.stringify(b) };
}

/** Sets a provider simulator's behaviour through the control API. */
export async function behave(provider, b) {
  const res = await fetch(`${origin(provider)}/__sim/behaviour`, { method: 'PUT', body: JSON.stringify(b) });
  assert.equal(res.status, 204, await res.text());
}

export async function resetBehaviour(provider) {
  const res = await fetch(`${origin(provider)}/__sim/behaviour`, { method: 'DELETE' });
  assert.equal(res.status, 204);
}

export async function stats(provider) {
  const res = await fetch(`${origin(provider)}/__sim/stats`);
  assert.equal(res.status, 200);
  return (await res.json()).requests;
}

export async function lastRequest(provider) {
  const res = await fetch(`${origin(provider)}/__sim/last-request`);
  assert.equal(res.status, 200);
  return res.json();
}

/** TokenCounter.count: one token per started group of four characters. */
export function tokens(text) {
  return Math.ceil(text.length / 4);
}

/** TokenCounter.prompt: 3 + for each message (system prompt included) 3 + its text's tokens. */
export function promptTokens(...texts) {
  return 3 + texts.reduce((sum, t) => sum + 3 + tokens(t), 0);
}

/** The Anthropic simulator's thinking text and signature (AnthropicThinking), written here as the SDK tests expect them. */
export const THINKING_TEXT = 'The user wants an answer; let me think it through before replying.';
export const THINKING_SIGNATURE = 'EqQBCgIYAhIMsimulatedThinkingSignatureGgwWxYzAbCdEf0123456789';

export const WEATHER_QUESTION = 'What is the weather in Paris and Tokyo?';

export const WEATHER_CALLS = [
  { name: 'get_weather', arguments: { city: 'Paris' } },
  { name: 'get_weather', arguments: { city: 'Tokyo', unit: 'celsius' } },
];

/** Completion tokens of the WEATHER_CALLS answer: name plus compact JSON arguments of each call. */
export const WEATHER_CALL_TOKENS = WEATHER_CALLS
  .reduce((sum, c) => sum + tokens(c.name) + tokens(JSON.stringify(c.arguments)), 0);

/** Drains an async iterable, returning what it yielded before it threw, and the error. */
export async function drain(iterable) {
  const items = [];
  try {
    for await (const item of iterable) {
      items.push(item);
    }
  } catch (error) {
    return { items, error };
  }
  return { items, error: null };
}

/**
 * Asserts that an SDK failed because the connection was cut, as every SDK here reports it: Node's fetch (undici)
 * rejects the body read with TypeError "terminated", caused by "other side closed"; Anthropic's SDK wraps that in
 * its own error. Any other error (a parse failure, a clean end taken for an error) fails the assertion.
 */
export function assertConnectionCut(error) {
  assert.ok(error, 'the SDK must fail when the connection is cut mid-stream');
  const chain = [];
  for (let e = error; e && chain.length < 5; e = e.cause) {
    chain.push(e);
  }
  assert.ok(
    chain.some((e) => e instanceof TypeError && e.message === 'terminated'),
    `expected fetch's TypeError "terminated" in the cause chain, got ${chain.map((e) => `${e.name}: ${e.message}`)}`,
  );
}
