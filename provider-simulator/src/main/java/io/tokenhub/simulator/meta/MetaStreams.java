package io.tokenhub.simulator.meta;

import io.tokenhub.simulator.chatcompletions.ChatCompletionsWire;

/**
 * Meta's Chat Completions dialect (https://llama.developer.meta.com/docs/features/compatibility/), the hooks on the
 * shared renderer behind both its {@code chat.completion} and its chunk stream: OpenAI's shapes without OpenAI's
 * extensions, which is the renderer's default, and no cache usage.
 */
final class MetaStreams extends ChatCompletionsWire {}
