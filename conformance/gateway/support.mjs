// What the gateway suites share: the environment LocalSuiteIT passes, the official OpenAI client pointed at the
// gateway, and the request log the Java side reads to find each request in the billing ledger.
import { appendFileSync } from 'node:fs';
import OpenAI from 'openai';

export function env(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run through LocalSuiteIT, or start the suite and export it`);
  }
  return value;
}

export const client = new OpenAI({ baseURL: env('TOKENHUB_BASE_URL'), apiKey: env('TOKENHUB_API_KEY'), maxRetries: 0 });

/** Appends a request id with the usage the SDK saw, for LocalSuiteIT to look up in the ledger. */
export function logRequest(requestId, model, streamed, usage) {
  appendFileSync(env('TOKENHUB_REQUEST_LOG'), `${JSON.stringify({
    request_id: requestId, model, streamed, prompt_tokens: usage.prompt_tokens,
    completion_tokens: usage.completion_tokens,
  })}\n`);
}
