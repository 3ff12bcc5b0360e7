package io.tokenhub.health.status;

import io.tokenhub.common.catalog.Provider;
import io.tokenhub.common.events.AvailabilityEvent;
import io.tokenhub.common.events.AvailabilityStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every provider's and model's tracker, and what has been published about them. A provider's tracker sees its probes
 * and every reported call; a model's tracker sees only the calls for that model, and the model gets an entry of its
 * own on the topic only while it is worse off than its provider; otherwise it follows the provider. Every replica
 * records observations, so a new leader starts with a warm window; only the leader judges.
 */
public final class ProviderHealthBook {

    private final StatusPolicy policy;
    private final Map<Provider, AvailabilityTracker> providers = new EnumMap<>(Provider.class);
    private final Map<Provider, Map<String, AvailabilityTracker>> models = new EnumMap<>(Provider.class);
    /** Status last written per record key, so only changes are written and stale model entries get tombstones. */
    private final Map<String, AvailabilityStatus> published = new HashMap<>();

    private final Set<Provider> touched = EnumSet.noneOf(Provider.class);
    private boolean judging;

    public ProviderHealthBook(StatusPolicy policy) {
        this.policy = policy;
    }

    /** Adds an observation about {@code provider}, and about {@code model} when it is not null. */
    public synchronized void record(Provider provider, String model, Observation observation) {
        providerTracker(provider).add(observation);
        if (model != null) {
            models.computeIfAbsent(provider, p -> new TreeMap<>())
                    .computeIfAbsent(model, m -> new AvailabilityTracker(policy, Observation.Source.TRAFFIC))
                    .add(observation);
        }
        touched.add(provider);
    }

    /** Judges what was recorded since the last call; statuses may only get worse here. */
    public synchronized List<AvailabilityUpdate> react(Instant now) {
        if (!judging) {
            touched.clear();
            return List.of();
        }
        List<AvailabilityUpdate> updates = new ArrayList<>();
        for (Provider provider : touched) {
            judgeAll(provider, now, false);
            collect(provider, updates);
        }
        touched.clear();
        return updates;
    }

    /** The periodic check: statuses may get worse or, after enough checks in a row, better. */
    public synchronized List<AvailabilityUpdate> check(Instant now) {
        List<AvailabilityUpdate> updates = new ArrayList<>();
        if (!judging) {
            return updates;
        }
        for (Provider provider : Provider.values()) {
            judgeAll(provider, now, true);
            // A model with no calls left in the window has no evidence of its own: it follows its provider again.
            models.getOrDefault(provider, Map.of()).values().removeIf(AvailabilityTracker::isEmpty);
            collect(provider, updates);
        }
        touched.clear();
        return updates;
    }

    /** Every entry currently in force, for periodic republication. */
    public synchronized List<AvailabilityUpdate> snapshot(Instant now) {
        List<AvailabilityUpdate> updates = new ArrayList<>();
        if (!judging) {
            return updates;
        }
        for (Provider provider : Provider.values()) {
            AvailabilityTracker tracker = providers.get(provider);
            AvailabilityStatus providerStatus =
                    tracker == null ? null : tracker.status().orElse(null);
            if (providerStatus != null) {
                updates.add(AvailabilityUpdate.of(event(provider, null, tracker, now)));
            }
            for (Map.Entry<String, AvailabilityTracker> model :
                    models.getOrDefault(provider, Map.of()).entrySet()) {
                AvailabilityStatus modelStatus = model.getValue().status().orElse(null);
                if (hasOwnEntry(modelStatus, providerStatus)) {
                    updates.add(AvailabilityUpdate.of(event(provider, model.getKey(), model.getValue(), now)));
                }
            }
        }
        return updates;
    }

    /**
     * Starts judging, carrying on from the entries the previous leader published so that a change of leader
     * neither flaps a status nor skips its hysteresis.
     *
     * @return tombstones for model entries this replica has no evidence for
     */
    public synchronized List<AvailabilityUpdate> lead(Collection<AvailabilityEvent> inForce) {
        judging = true;
        published.clear();
        return reconcile(inForce);
    }

    /**
     * Brings the book in line with the entries on the topic that it did not write itself: those a previous leader
     * wrote, possibly read only after this replica started leading. A provider's status is taken over when this
     * replica has none yet; a model's entry is taken over when the model has a tracker here, and deleted otherwise,
     * since without calls in the window the model follows its provider.
     *
     * @return tombstones for model entries to delete
     */
    public synchronized List<AvailabilityUpdate> reconcile(Collection<AvailabilityEvent> inForce) {
        List<AvailabilityUpdate> updates = new ArrayList<>();
        if (!judging) {
            return updates;
        }
        for (AvailabilityEvent event : inForce) {
            Provider provider = Provider.find(event.provider()).orElse(null);
            if (provider == null || event.status() == null || published.containsKey(event.key())) {
                continue;
            }
            AvailabilityTracker tracker = event.model() == null
                    ? providerTracker(provider)
                    : models.getOrDefault(provider, Map.of()).get(event.model());
            if (tracker == null) {
                updates.add(AvailabilityUpdate.tombstone(event.key()));
                continue;
            }
            if (tracker.status().isEmpty()) {
                tracker.adopt(event.status());
            }
            // Recorded as written, so the next check writes only what this replica judges differently.
            published.put(event.key(), event.status());
        }
        return updates;
    }

    /** Stops judging: another replica leads now. Observations are kept for the next time this one leads. */
    public synchronized void resign() {
        judging = false;
        published.clear();
        providers.values().forEach(AvailabilityTracker::resign);
        models.values().forEach(byModel -> byModel.values().forEach(AvailabilityTracker::resign));
    }

    public synchronized boolean isJudging() {
        return judging;
    }

    private AvailabilityTracker providerTracker(Provider provider) {
        return providers.computeIfAbsent(provider, p -> new AvailabilityTracker(policy, Observation.Source.PROBE));
    }

    private void judgeAll(Provider provider, Instant now, boolean periodic) {
        AvailabilityTracker tracker = providers.get(provider);
        if (tracker != null) {
            tracker.judge(now, periodic);
        }
        for (AvailabilityTracker model : models.getOrDefault(provider, Map.of()).values()) {
            model.judge(now, periodic);
        }
    }

    private void collect(Provider provider, List<AvailabilityUpdate> updates) {
        AvailabilityTracker tracker = providers.get(provider);
        AvailabilityStatus providerStatus =
                tracker == null ? null : tracker.status().orElse(null);
        if (providerStatus != null && published.get(provider.wireName()) != providerStatus) {
            published.put(provider.wireName(), providerStatus);
            updates.add(AvailabilityUpdate.of(event(provider, null, tracker, null)));
        }
        Map<String, AvailabilityTracker> byModel = models.getOrDefault(provider, Map.of());
        for (Map.Entry<String, AvailabilityTracker> model : byModel.entrySet()) {
            String key = provider.wireName() + "/" + model.getKey();
            AvailabilityStatus modelStatus = model.getValue().status().orElse(null);
            if (hasOwnEntry(modelStatus, providerStatus)) {
                if (published.get(key) != modelStatus) {
                    published.put(key, modelStatus);
                    updates.add(AvailabilityUpdate.of(event(provider, model.getKey(), model.getValue(), null)));
                }
            } else if (published.remove(key) != null) {
                updates.add(AvailabilityUpdate.tombstone(key));
            }
        }
        String modelPrefix = provider.wireName() + "/";
        List<String> orphans = published.keySet().stream()
                .filter(key -> key.startsWith(modelPrefix) && !byModel.containsKey(key.substring(modelPrefix.length())))
                .sorted()
                .toList();
        for (String key : orphans) {
            published.remove(key);
            updates.add(AvailabilityUpdate.tombstone(key));
        }
    }

    /**
     * Whether a model needs an entry of its own: only when it is worse off than its provider. Never when better: the
     * provider's verdict includes probes, which calls made before an outage cannot outweigh.
     */
    private static boolean hasOwnEntry(AvailabilityStatus model, AvailabilityStatus provider) {
        return model != null && AvailabilityTracker.severity(model) > AvailabilityTracker.severity(provider);
    }

    private static AvailabilityEvent event(
            Provider provider, String model, AvailabilityTracker tracker, Instant fallbackCheckedAt) {
        Instant checkedAt = tracker.checkedAt() == null ? fallbackCheckedAt : tracker.checkedAt();
        return new AvailabilityEvent(
                provider.wireName(),
                model,
                tracker.status().orElseThrow(),
                tracker.errorRate(),
                tracker.latencyMs(),
                checkedAt);
    }
}
