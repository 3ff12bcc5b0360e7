package io.tokenhub.routing.usage;

import io.tokenhub.common.events.Api;
import io.tokenhub.common.events.RequestStatus;
import io.tokenhub.common.events.UsageEvent;
import io.tokenhub.common.events.UsageSource;
import java.time.Instant;

/** A usage event of the usual size (about 470 bytes of JSON) for the spool and publisher tests. */
final class SampleUsageEvents {

    private SampleUsageEvents() {}

    static UsageEvent answered(String requestId) {
        return new UsageEvent(
                UsageEvent.CURRENT_VERSION,
                requestId,
                "demo",
                "key_123",
                "gpt-4o-mini",
                "gpt-4o-mini",
                "openai",
                "gpt-4o-mini-2024-07-18",
                12,
                34,
                0,
                42,
                null,
                RequestStatus.SUCCEEDED,
                200,
                0,
                false,
                Instant.parse("2026-12-06T02:00:00.123456Z"),
                null,
                null,
                Api.CHAT_COMPLETIONS,
                UsageSource.REPORTED,
                0,
                0);
    }
}
