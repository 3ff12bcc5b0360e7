package io.tokenhub.common.catalog;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The models TokenHub sells, looked up by the name a client sends. Immutable once loaded. */
public final class Catalog {

    private final Map<String, CatalogModel> byId;
    private final List<CatalogModel> inFileOrder;

    public Catalog(Collection<CatalogModel> models) {
        Map<String, CatalogModel> map = new LinkedHashMap<>();
        for (CatalogModel m : models) {
            if (map.putIfAbsent(m.id(), m) != null) {
                throw new IllegalArgumentException("model listed twice in the catalog: " + m.id());
            }
        }
        this.byId = Map.copyOf(map);
        this.inFileOrder = List.copyOf(map.values());
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
