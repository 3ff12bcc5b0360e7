package io.tokenhub.health.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenhub.common.catalog.Provider;
import io.tokenhub.common.events.AvailabilityEvent;
import io.tokenhub.common.events.AvailabilityStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderHealthBookTest {

    private static final StatusPolicy POLICY =
            new StatusPolicy(Duration.ofSeconds(60), 5, 0.1, 0.5, 3, 2, Duration.ofSeconds(2));

    private final ProviderHealthBook book = new ProviderHealthBook(POLICY);
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void nothingIsJudgedOrPublishedWithoutLeading() {
        probe(Provider.OPENAI, true);
        assertEquals(List.of(), book.check(now));
        assertEquals(List.of(), book.react(now));
        assertEquals(List.of(), book.snapshot(now));
    }

    @Test
    void publishesAProviderOnceAndThenOnlyOnChange() {
        book.lead(List.of());
        probe(Provider.OPENAI, true);
        List<AvailabilityUpdate> first = book.check(now);
        assertEquals(1, first.size());
        AvailabilityEvent event = first.get(0).event();
        assertEquals("openai", first.get(0).key());
        assertEquals(AvailabilityStatus.UP, event.status());
        assertNull(event.model());
        assertEquals(now, event.checkedAt());

        probe(Provider.OPENAI, true);
        assertEquals(List.of(), book.check(now), "unchanged: nothing new to write");
        assertEquals(1, book.snapshot(now).size(), "but the periodic republication repeats it");

        for (int i = 0; i < 3; i++) {
            probe(Provider.OPENAI, false);
        }
        List<AvailabilityUpdate> down = book.react(now);
        assertEquals(AvailabilityStatus.DOWN, down.get(0).event().status());
    }

    @Test
    void aModelGetsAnEntryOfItsOwnOnlyWhileItDiffersFromItsProvider() {
        book.lead(List.of());
        for (int i = 0; i < 40; i++) {
            probe(Provider.ANTHROPIC, true);
            call(Provider.ANTHROPIC, "claude-3-haiku", true);
        }
        assertEquals(
                Map.of("anthropic", AvailabilityStatus.UP),
                statuses(book.check(now)),
                "claude-3-haiku is UP like anthropic: no entry of its own");
        for (int i = 0; i < 3; i++) {
            call(Provider.ANTHROPIC, "claude-3-5-sonnet", false);
        }
        List<AvailabilityUpdate> updates = book.react(now);
        assertEquals(
                Map.of("anthropic/claude-3-5-sonnet", AvailabilityStatus.DOWN),
                statuses(updates),
                "3 failed calls of 83 observations keep anthropic UP; the model failed 3 times in a row");
        AvailabilityEvent model = updates.stream()
                .filter(u -> u.key().contains("/"))
                .findFirst()
                .orElseThrow()
                .event();
        assertEquals("claude-3-5-sonnet", model.model());
        assertEquals(1.0, model.errorRate());

        // The provider goes DOWN too: the model now agrees with it and its own entry is deleted.
        for (int i = 0; i < 3; i++) {
            probe(Provider.ANTHROPIC, false);
        }
        List<AvailabilityUpdate> providerDown = book.react(now);
        assertEquals(
                2,
                providerDown.size(),
                "claude-3-haiku, UP on calls from before, gets no entry: a model is never healthier than its provider");
        assertEquals(AvailabilityStatus.DOWN, providerDown.get(0).event().status());
        assertEquals("anthropic/claude-3-5-sonnet", providerDown.get(1).key());
        assertTrue(providerDown.get(1).isTombstone());
    }

    @Test
    void aModelWithoutCallsInTheWindowFollowsItsProviderAgain() {
        book.lead(List.of());
        for (int i = 0; i < 40; i++) {
            probe(Provider.MISTRAL, true);
        }
        for (int i = 0; i < 3; i++) {
            call(Provider.MISTRAL, "mistral-large", false);
        }
        book.check(now);

        // Routing skips the DOWN model, so no calls come in; once the window has passed, the entry goes.
        now = now.plusSeconds(70);
        probe(Provider.MISTRAL, true);
        List<AvailabilityUpdate> updates = book.check(now);
        assertEquals(1, updates.size());
        assertEquals("mistral/mistral-large", updates.get(0).key());
        assertTrue(updates.get(0).isTombstone());
        assertEquals(
                List.of(),
                book.snapshot(now).stream().filter(u -> u.key().contains("/")).toList());
    }

    @Test
    void aNewLeaderCarriesOnFromWhatIsPublished() {
        for (int i = 0; i < 10; i++) {
            probe(Provider.GOOGLE, true);
            call(Provider.META, "llama-3.3-70b", true);
        }
        List<AvailabilityEvent> inForce = List.of(
                new AvailabilityEvent("google", null, AvailabilityStatus.DOWN, 0.8, 0, now),
                new AvailabilityEvent("meta", "llama-3.3-70b", AvailabilityStatus.DEGRADED, 0.2, 10, now),
                new AvailabilityEvent("meta", "llama-3.1-8b", AvailabilityStatus.DOWN, 1.0, 0, now));

        List<AvailabilityUpdate> tombstones = book.lead(inForce);
        assertEquals(
                List.of(AvailabilityUpdate.tombstone("meta/llama-3.1-8b")),
                tombstones,
                "no calls to llama-3.1-8b in this replica's window: it follows meta again");

        // google was DOWN under the previous leader: healthy probes bring it UP only after the recovery checks.
        Map<String, AvailabilityStatus> first = statuses(book.check(now));
        assertEquals(
                Map.of("meta", AvailabilityStatus.UP),
                first,
                "google keeps the DOWN it inherited; llama-3.3-70b, DEGRADED before, now needs its checks too");
        Map<String, AvailabilityStatus> second = statuses(book.check(now));
        assertEquals(AvailabilityStatus.UP, second.get("google"));
        assertTrue(second.containsKey("meta/llama-3.3-70b"));
        assertNull(second.get("meta/llama-3.3-70b"), "agrees with meta again: tombstone");
    }

    @Test
    void resigningForgetsStatusesButKeepsObservations() {
        book.lead(List.of());
        probe(Provider.OPENAI, true);
        book.check(now);
        book.resign();
        assertEquals(List.of(), book.check(now));
        book.lead(List.of());
        assertEquals(
                Map.of("openai", AvailabilityStatus.UP),
                statuses(book.check(now)),
                "the window survived the time without leadership");
    }

    private void probe(Provider provider, boolean success) {
        now = now.plusMillis(100);
        book.record(provider, null, new Observation(now, success, 50, Observation.Source.PROBE));
    }

    private void call(Provider provider, String model, boolean success) {
        now = now.plusMillis(100);
        book.record(provider, model, new Observation(now, success, 800, Observation.Source.TRAFFIC));
    }

    /** Key to status, null for a tombstone. */
    private static Map<String, AvailabilityStatus> statuses(List<AvailabilityUpdate> updates) {
        Map<String, AvailabilityStatus> statuses = new HashMap<>();
        updates.forEach(
                u -> statuses.put(u.key(), u.isTombstone() ? null : u.event().status()));
        return statuses;
    }
}
