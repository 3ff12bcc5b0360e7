package io.tokenhub.common.catalog;

import java.time.Instant;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The models TokenHub sells, looked up by the name a client sends. Immutable once loaded. */
public final class Catalog {

    private final Map<String, CatalogModel> byId;
    private final List<CatalogModel> inFileOrder;
    private final Map<String, EquivalenceGroup> groupByModel;
    private final List<EquivalenceGroup> groups;

    public Catalog(Collection<CatalogModel> models) {
        this(models, List.of());
    }

    /**
     * A catalog whose groups may only name its own models, each model in one group at most, and whose successors are
     * its own models with no loop among them.
     */
    public Catalog(Collection<CatalogModel> models, Collection<EquivalenceGroup> groups) {
        Map<String, CatalogModel> map = new LinkedHashMap<>();
        for (CatalogModel m : models) {
            if (map.putIfAbsent(m.id(), m) != null) {
                throw new IllegalArgumentException("model listed twice in the catalog: " + m.id());
            }
        }
        this.byId = Map.copyOf(map);
        this.inFileOrder = List.copyOf(map.values());
        checkSuccessors(map);
        Map<String, EquivalenceGroup> byModel = new LinkedHashMap<>();
        for (EquivalenceGroup group : groups) {
            Set<Provider> providers = EnumSet.noneOf(Provider.class);
            for (String member : group.members()) {
                CatalogModel model = map.get(member);
                if (model == null) {
                    throw new IllegalArgumentException("group " + group.id() + " names unknown model " + member);
                }
                providers.add(model.provider());
                if (byModel.putIfAbsent(member, group) != null) {
                    throw new IllegalArgumentException("model " + member + " is in two equivalence groups");
                }
            }
            if (providers.size() < 2) {
                throw new IllegalArgumentException(
                        "group " + group.id() + " names one provider only; a backup must come from another provider");
            }
        }
        this.groupByModel = Map.copyOf(byModel);
        this.groups = List.copyOf(groups);
    }

    private static void checkSuccessors(Map<String, CatalogModel> models) {
        for (CatalogModel model : models.values()) {
            Set<String> seen = new HashSet<>();
            CatalogModel at = model;
            while (at.lifecycle().successor() != null) {
                if (!seen.add(at.id())) {
                    throw new IllegalArgumentException("the successors of " + model.id() + " form a loop");
                }
                String next = at.lifecycle().successor();
                at = models.get(next);
                if (at == null) {
                    throw new IllegalArgumentException("model " + model.id() + " names unknown successor " + next);
                }
            }
        }
    }

    /**
     * What replaces a model retired at {@code at}: its successor, or the successor's own when that is retired too.
     * Empty for a model that is not retired or names no usable successor.
     */
    public Optional<CatalogModel> successorAt(CatalogModel model, Instant at) {
        CatalogModel current = model;
        while (current.retiredAt(at)) {
            Optional<CatalogModel> next = current.lifecycle().successorId().flatMap(this::byId);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            current = next.get();
        }
        return current == model ? Optional.empty() : Optional.of(current);
    }

    public List<EquivalenceGroup> groups() {
        return groups;
    }

    /** The group a model belongs to, if any. */
    public Optional<EquivalenceGroup> groupOf(String modelId) {
        return Optional.ofNullable(groupByModel.get(modelId));
    }

    public List<CatalogModel> models() {
        return inFileOrder;
    }

    public Optional<CatalogModel> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /**
     * Resolves what a client sent: a plain id ({@code gpt-4o}) or a provider-pinned one ({@code openai/gpt-4o}).
     * A prefix that names a provider other than the model's own does not resolve.
     */
    public Optional<ModelRef> resolve(String requested) {
        if (requested == null || requested.isEmpty()) {
            return Optional.empty();
        }
        int slash = requested.indexOf('/');
        if (slash < 0) {
            return byId(requested).map(m -> new ModelRef(m, false));
        }
        Optional<Provider> pinned = Provider.find(requested.substring(0, slash));
        if (pinned.isEmpty()) {
            return Optional.empty();
        }
        return byId(requested.substring(slash + 1))
                .filter(m -> m.provider() == pinned.get())
                .map(m -> new ModelRef(m, true));
    }
}
