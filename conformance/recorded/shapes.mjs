// The comparison of a live answer with a provider's documented example (the files beside this one), shared by the
// gateway's tests and the simulators' so both are held to the same published shapes: every field of a recorded object
// must be in the live one with the same JSON type wherever the recording holds a value, recursively; a recorded
// stream's event types must come in the same order, a run of deltas counting as one.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

/** A recording's text, by its path under conformance/recorded. */
export const recorded = (file) => readFileSync(new URL(`./${file}`, import.meta.url), 'utf8');

function kind(value) {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/** Fails naming the path of the first field of `expected` that `actual` lacks or holds with another type. */
export function assertShape(actual, expected, path = '$') {
  if (expected === null) {
    return;
  }
  assert.equal(kind(actual), kind(expected), `${path}: ${JSON.stringify(actual)?.slice(0, 80)}`);
  if (Array.isArray(expected)) {
    if (expected.length > 0 && actual.length > 0) {
      assertShape(actual[0], expected[0], `${path}[0]`);
    }
  } else if (typeof expected === 'object') {
    for (const [key, value] of Object.entries(expected)) {
      assert.ok(key in actual, `${path}.${key} is missing`);
      assertShape(actual[key], value, `${path}.${key}`);
    }
  }
}

/** The `data` payloads of an SSE transcript with the event names, in order. */
export function sseEvents(text) {
  return text.split('\n\n').filter((frame) => frame.trim()).map((frame) => {
    const event = frame.match(/^event: (.*)$/m)?.[1];
    const data = JSON.parse(frame.match(/^data: (.*)$/m)[1]);
    return { event, data };
  });
}

/** Event types with each run of the same type collapsed to one. */
export function runs(types) {
  return types.filter((type, i) => type !== types[i - 1]);
}
