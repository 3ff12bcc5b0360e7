// A body over the gateway's limit must get its 413 every time, read by the client as an answer: with Node's fetch
// (what the OpenAI SDK sends with), which does not wait for 100 Continue and is still writing when the answer
// comes. Closing the connection at once made one such request in forty fail with EPIPE ("Connection error" in the
// SDK) instead; the gateway now reads what is left of the body, up to a bound, before closing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { client, env } from './support.mjs';

// Three times the local suite's 4 MiB limit (tokenhub.limits.max-body-bytes): large enough that the client is still
// writing when the 413 is sent, small enough that 200 of them take seconds.
const BODY_BYTES = 12 * 1024 * 1024;
const ROUNDS = 100;
const PARALLEL = 4;
const content = 'x'.repeat(BODY_BYTES);
const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }] });

async function inParallel(count, task) {
  const outcomes = [];
  let next = 0;
  await Promise.all(Array.from({ length: PARALLEL }, async () => {
    while (next < count) {
      next += 1;
      outcomes.push(await task().catch((e) => `${e.constructor.name}: ${e.message} (${e.cause?.code ?? ''})`));
    }
  }));
  return outcomes;
}

test(`${ROUNDS} oversized bodies sent with fetch each get a readable 413`, async () => {
  const outcomes = await inParallel(ROUNDS, async () => {
    const response = await fetch(`${env('TOKENHUB_BASE_URL')}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${env('TOKENHUB_API_KEY')}`, 'content-type': 'application/json' },
      body,
    });
    const error = (await response.json()).error;
    return `${response.status} ${error?.code}`;
  });
  assert.deepEqual(outcomes.filter((o) => o !== '413 request_too_large'), [], 'every one must be a readable 413');
  assert.equal(outcomes.length, ROUNDS);
});

test(`${ROUNDS} oversized requests from the official SDK each raise its 413 error`, async () => {
  const outcomes = await inParallel(ROUNDS, async () => {
    try {
      await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }] });
      return 'answered';
    } catch (e) {
      if (e instanceof OpenAI.APIError && e.status === 413) {
        return `413 ${e.code}`;
      }
      throw e;
    }
  });
  assert.deepEqual(outcomes.filter((o) => o !== '413 request_too_large'), [], 'every one must be the SDK\'s 413');
  assert.equal(outcomes.length, ROUNDS);
});
