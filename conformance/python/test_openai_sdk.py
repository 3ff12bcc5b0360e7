"""The official OpenAI Python SDK against the TokenHub gateway with only base_url and api_key changed: chat
completions and the Responses API, streamed and not, the function call round trip, models, and errors (401, 404, and
429 with the retry the SDK makes itself), once per provider with provider-pinned model names so no fallback can hide
one. Run by LocalSuiteIT with TOKENHUB_BASE_URL, TOKENHUB_API_KEY and TOKENHUB_SIM_<PROVIDER>_PORT."""

import json
import unittest

import openai

from support import (
    DEFAULT_REPLY,
    PROVIDERS,
    TOOL_RESULT_PREFIX,
    WEATHER_CALLS,
    WEATHER_QUESTION,
    behave,
    env,
    prompt_tokens,
    reset_behaviour,
    tokens,
)

CHAT_TOOLS = [{
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather of a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    },
}]
# A model no other suite calls: the provider errors below count against its health, and a model reported DOWN
# would fail the other suites' calls.
RATE_LIMITED = "openai/o3-mini"
RESPONSES_TOOLS = [{"type": "function", **CHAT_TOOLS[0]["function"]}]


def client(max_retries=0, api_key=None):
    return openai.OpenAI(base_url=env("TOKENHUB_BASE_URL"), api_key=api_key or env("TOKENHUB_API_KEY"),
                         max_retries=max_retries)


class ChatCompletions(unittest.TestCase):

    def test_every_provider_answers_streamed_and_not(self):
        for provider, model in PROVIDERS:
            with self.subTest(provider=provider):
                raw = client().chat.completions.with_raw_response.create(
                    model=model, messages=[{"role": "user", "content": WEATHER_QUESTION}])
                completion = raw.parse()
                self.assertEqual(raw.headers["x-tokenhub-provider"], provider)
                self.assertRegex(raw.headers["x-inferoute-request-id"], r"^req_[0-9A-Z]{26}$")
                self.assertEqual(completion.choices[0].message.content, DEFAULT_REPLY)
                self.assertEqual(completion.choices[0].finish_reason, "stop")
                self.assertEqual(completion.usage.prompt_tokens, prompt_tokens(WEATHER_QUESTION))

                stream = client().chat.completions.create(
                    model=model, messages=[{"role": "user", "content": WEATHER_QUESTION}], stream=True,
                    stream_options={"include_usage": True})
                chunks = list(stream)
                text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
                self.assertEqual(text, DEFAULT_REPLY)
                self.assertEqual(chunks[-1].choices, [])
                self.assertEqual(chunks[-1].usage.completion_tokens, tokens(DEFAULT_REPLY))

    def test_tool_calls_make_the_round_trip(self):
        for provider, model in PROVIDERS:
            with self.subTest(provider=provider):
                behave(provider, {"tool_calls": WEATHER_CALLS, "times": 1})
                try:
                    question = [{"role": "user", "content": WEATHER_QUESTION}]
                    asked = client().chat.completions.create(model=model, messages=question, tools=CHAT_TOOLS)
                    calls = asked.choices[0].message.tool_calls
                    self.assertEqual(asked.choices[0].finish_reason, "tool_calls")
                    self.assertEqual([json.loads(c.function.arguments) for c in calls],
                                     [c["arguments"] for c in WEATHER_CALLS])
                    results = ["18C, light rain", "24C, sunny"]
                    answered = client().chat.completions.create(model=model, tools=CHAT_TOOLS, messages=[
                        *question,
                        asked.choices[0].message.model_dump(exclude_none=True),
                        *({"role": "tool", "tool_call_id": c.id, "content": r} for c, r in zip(calls, results)),
                    ])
                    self.assertEqual(answered.choices[0].message.content, TOOL_RESULT_PREFIX + "\n".join(results))
                finally:
                    reset_behaviour(provider)


class Responses(unittest.TestCase):

    def test_every_provider_answers_streamed_and_not(self):
        for provider, model in PROVIDERS:
            with self.subTest(provider=provider):
                raw = client().responses.with_raw_response.create(model=model, input=WEATHER_QUESTION)
                response = raw.parse()
                self.assertEqual(raw.headers["x-tokenhub-provider"], provider)
                self.assertEqual(response.status, "completed")
                self.assertEqual(response.output_text, DEFAULT_REPLY)
                self.assertEqual(response.usage.input_tokens, prompt_tokens(WEATHER_QUESTION))
                self.assertEqual(response.usage.output_tokens, tokens(DEFAULT_REPLY))

                deltas = []
                with client().responses.stream(model=model, input=WEATHER_QUESTION) as stream:
                    for event in stream:
                        if event.type == "response.output_text.delta":
                            deltas.append(event.delta)
                    final = stream.get_final_response()
                self.assertGreater(len(deltas), 2)
                self.assertEqual("".join(deltas), DEFAULT_REPLY)
                self.assertEqual(final.output_text, DEFAULT_REPLY)
                self.assertEqual(final.usage.output_tokens, tokens(DEFAULT_REPLY))

    def test_function_calls_make_the_round_trip_streamed(self):
        for provider, model in PROVIDERS:
            with self.subTest(provider=provider):
                behave(provider, {"tool_calls": WEATHER_CALLS, "times": 1})
                try:
                    with client().responses.stream(model=model, input=WEATHER_QUESTION,
                                                   tools=RESPONSES_TOOLS) as stream:
                        asked = stream.get_final_response()
                    calls = [item for item in asked.output if item.type == "function_call"]
                    self.assertEqual([json.loads(c.arguments) for c in calls],
                                     [c["arguments"] for c in WEATHER_CALLS])
                    results = ["18C, light rain", "24C, sunny"]
                    answered = client().responses.create(model=model, tools=RESPONSES_TOOLS, input=[
                        {"role": "user", "content": WEATHER_QUESTION},
                        *(item.model_dump(exclude_none=True) for item in asked.output),
                        *({"type": "function_call_output", "call_id": c.call_id, "output": r}
                          for c, r in zip(calls, results)),
                    ])
                    self.assertEqual(answered.output_text, TOOL_RESULT_PREFIX + "\n".join(results))
                finally:
                    reset_behaviour(provider)


class ModelsAndErrors(unittest.TestCase):

    def test_models_list_and_retrieve(self):
        ids = {m.id for m in client().models.list()}
        self.assertIn("gpt-4o", ids)
        self.assertEqual(client().models.retrieve("claude-sonnet-4-5").owned_by, "anthropic")

    def test_a_wrong_key_is_an_authentication_error(self):
        with self.assertRaises(openai.AuthenticationError) as caught:
            client(api_key="th-not-a-key").responses.create(model="gpt-4o", input="Hi")
        self.assertEqual(caught.exception.status_code, 401)

    def test_an_unknown_model_is_not_found(self):
        with self.assertRaises(openai.NotFoundError) as caught:
            client().chat.completions.create(model="no-such-model", messages=[{"role": "user", "content": "Hi"}])
        self.assertEqual(caught.exception.code, "model_not_found")

    def test_a_rate_limit_is_raised_with_its_hint_and_retried_by_the_sdk(self):
        behave("openai", {"error_status": 429, "retry_after_seconds": 1, "times": 1})
        try:
            with self.assertRaises(openai.RateLimitError) as caught:
                client().responses.create(model=RATE_LIMITED, input="Hi")
            self.assertEqual(caught.exception.response.headers["retry-after"], "1")
            behave("openai", {"error_status": 429, "retry_after_seconds": 1, "times": 1})
            # The SDK waits for Retry-After and tries again; the second call is answered.
            retried = client(max_retries=2).responses.create(model=RATE_LIMITED, input="Hi")
            self.assertEqual(retried.output_text, DEFAULT_REPLY)
        finally:
            reset_behaviour("openai")


if __name__ == "__main__":
    unittest.main()
