"""The official Anthropic Python SDK against the TokenHub gateway with only base_url and api_key changed: messages
streamed and not with tool use, for Claude natively and for other providers' models translated, count_tokens, and
errors in Anthropic's shape. Run by LocalSuiteIT with TOKENHUB_BASE_URL, TOKENHUB_API_KEY and
TOKENHUB_SIM_<PROVIDER>_PORT."""

import unittest

import anthropic

from support import (
    DEFAULT_REPLY,
    TOOL_RESULT_PREFIX,
    WEATHER_CALLS,
    WEATHER_QUESTION,
    behave,
    env,
    reset_behaviour,
)

MODELS = [
    ("anthropic", "anthropic/claude-sonnet-4-5"),
    ("openai", "openai/gpt-4o"),
    ("google", "google/gemini-2.5-pro"),
]
TOOLS = [{
    "name": "get_weather",
    "description": "Current weather of a city",
    "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
}]
QUESTION = [{"role": "user", "content": WEATHER_QUESTION}]


def client(api_key=None):
    # The SDK appends /v1/messages to the origin, so its base URL is the gateway's without /v1.
    origin = env("TOKENHUB_BASE_URL").removesuffix("/v1")
    return anthropic.Anthropic(base_url=origin, api_key=api_key or env("TOKENHUB_API_KEY"), max_retries=0)


class Messages(unittest.TestCase):

    def test_every_model_answers_streamed_and_not(self):
        for provider, model in MODELS:
            with self.subTest(model=model):
                raw = client().messages.with_raw_response.create(model=model, max_tokens=100, messages=QUESTION)
                message = raw.parse()
                self.assertEqual(raw.headers["x-tokenhub-provider"], provider)
                self.assertRegex(raw.headers["x-inferoute-request-id"], r"^req_[0-9A-Z]{26}$")
                self.assertEqual(message.content[0].text, DEFAULT_REPLY)
                self.assertEqual(message.stop_reason, "end_turn")
                self.assertGreater(message.usage.output_tokens, 0)

                with client().messages.stream(model=model, max_tokens=100, messages=QUESTION) as stream:
                    text = "".join(stream.text_stream)
                    final = stream.get_final_message()
                self.assertEqual(text, DEFAULT_REPLY)
                self.assertEqual(final.stop_reason, "end_turn")

    def test_tool_use_makes_the_round_trip_streamed_and_not(self):
        for provider, model in MODELS:
            with self.subTest(model=model):
                behave(provider, {"tool_calls": WEATHER_CALLS, "times": 1})
                try:
                    with client().messages.stream(model=model, max_tokens=200, messages=QUESTION,
                                                  tools=TOOLS) as stream:
                        asked = stream.get_final_message()
                    self.assertEqual(asked.stop_reason, "tool_use")
                    uses = [block for block in asked.content if block.type == "tool_use"]
                    self.assertEqual([use.input for use in uses], [call["arguments"] for call in WEATHER_CALLS])
                    results = ["18C, light rain", "24C, sunny"]
                    answered = client().messages.create(model=model, max_tokens=200, tools=TOOLS, messages=[
                        *QUESTION,
                        {"role": "assistant", "content": [block.model_dump(exclude_none=True)
                                                          for block in asked.content]},
                        {"role": "user", "content": [
                            {"type": "tool_result", "tool_use_id": use.id, "content": result}
                            for use, result in zip(uses, results)]},
                    ])
                    self.assertEqual(answered.content[0].text, TOOL_RESULT_PREFIX + "\n".join(results))
                finally:
                    reset_behaviour(provider)

    def test_count_tokens_answers_an_estimate(self):
        counted = client().messages.count_tokens(model="claude-sonnet-4-5", messages=QUESTION, tools=TOOLS)
        self.assertGreater(counted.input_tokens, 10)

    def test_errors_arrive_in_anthropics_shape(self):
        with self.assertRaises(anthropic.AuthenticationError) as caught:
            client(api_key="thk_aaaaaaaaaaaa_" + "A" * 32).messages.create(
                model="gpt-4o", max_tokens=10, messages=QUESTION)
        self.assertEqual(caught.exception.body["error"]["type"], "authentication_error")
        with self.assertRaises(anthropic.NotFoundError) as caught:
            client().messages.create(model="no-such-model", max_tokens=10, messages=QUESTION)
        self.assertEqual(caught.exception.body["error"]["type"], "not_found_error")


if __name__ == "__main__":
    unittest.main()
