"""What the Python SDK suites share: the environment LocalSuiteIT passes, the official clients pointed at the gateway,
the simulators' control API, and the simulators' token-count rules (conformance/simulators/support.mjs has the same)."""

import json
import math
import os
import urllib.request

DEFAULT_REPLY = "Hello from the TokenHub provider simulator."
TOOL_RESULT_PREFIX = "The tool returned: "
WEATHER_QUESTION = "What is the weather in Paris and Tokyo?"
WEATHER_CALLS = [
    {"name": "get_weather", "arguments": {"city": "Paris"}},
    {"name": "get_weather", "arguments": {"city": "Tokyo", "unit": "celsius"}},
]
PROVIDERS = [
    ("openai", "openai/gpt-4o-mini"),
    ("anthropic", "anthropic/claude-sonnet-4-5"),
    ("google", "google/gemini-2.5-pro"),
    ("mistral", "mistral/mistral-small-latest"),
    ("meta", "meta/llama-3.3-70b"),
]


def env(name):
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set: run through LocalSuiteIT, or start the suite and export it")
    return value


def tokens(text):
    """TokenCounter.count: one token per started group of four characters."""
    return math.ceil(len(text) / 4)


def prompt_tokens(*texts):
    """TokenCounter.prompt: 3 + for each message 3 + its text's tokens."""
    return 3 + sum(3 + tokens(t) for t in texts)


def _control(provider, method, body=None):
    port = env(f"TOKENHUB_SIM_{provider.upper()}_PORT")
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/__sim/behaviour", data=data, method=method)
    with urllib.request.urlopen(request) as response:
        assert response.status == 204, response.status


def behave(provider, behaviour):
    """Sets a provider simulator's behaviour through its control API (provider-simulator/README.md)."""
    _control(provider, "PUT", behaviour)


def reset_behaviour(provider):
    _control(provider, "DELETE")
