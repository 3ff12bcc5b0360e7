package io.tokenhub.billing;

import io.tokenhub.common.catalog.Catalog;
import io.tokenhub.common.catalog.CatalogLoader;
import io.tokenhub.common.events.Api;
import io.tokenhub.common.events.RequestStatus;
import io.tokenhub.common.events.UsageEvent;
import io.tokenhub.common.events.UsageSource;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/** Usage events and the test catalog for billing tests. */
public final class TestEvents {

    public static final Path CATALOG_PATH = Path.of("src/test/resources/test-catalog.yaml");

    private TestEvents() {}

    public static Catalog catalog() {
        return CatalogLoader.load(Optional.of(CATALOG_PATH));
    }

    /** A successful, non-streamed request of {@code model} from {@code provider}. */
    public static UsageEvent usage(
            String requestId,
            String account,
            String provider,
            String model,
            long input,
            long cached,
            long output,
            Instant at) {
        return usage(requestId, account, "key-1", provider, model, input, cached, output, RequestStatus.SUCCEEDED, at);
    }

    public static UsageEvent usage(
            String requestId,
            String account,
            String keyId,
            String provider,
            String model,
            long input,
            long cached,
            long output,
            RequestStatus status,
            Instant at) {
        return usage(requestId, account, keyId, provider, model, input, cached, 0, 0, output, status, at);
    }

    /** A request whose prompt also wrote {@code write5m} and {@code write1h} tokens to the provider's cache. */
    public static UsageEvent usage(
            String requestId,
            String account,
            String keyId,
            String provider,
            String model,
            long input,
            long cached,
            long write5m,
            long write1h,
            long output,
            RequestStatus status,
            Instant at) {
        return new UsageEvent(
                UsageEvent.CURRENT_VERSION,
                requestId,
                account,
                keyId,
                model,
                model,
                provider,
                model,
                input,
                output,
                cached,
                120,
                null,
                status,
                status == RequestStatus.SUCCEEDED ? 200 : 502,
                0,
                false,
                at,
                null,
                null,
                Api.CHAT_COMPLETIONS,
                UsageSource.REPORTED,
                write5m,
                write1h);
    }
}
