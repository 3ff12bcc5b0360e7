package io.tokenhub.routing.models;

import io.tokenhub.common.catalog.Catalog;
import io.tokenhub.common.catalog.CatalogModel;
import io.tokenhub.common.catalog.Lifecycle;
import io.tokenhub.common.catalog.ModelRef;
import io.tokenhub.routing.openai.InvalidRequestException;
import io.tokenhub.routing.openai.OpenAiError;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Optional;

/**
 * What a request for a model its provider retired gets. By default a 404 that names the successor: a plain name is
 * never silently answered by a different model at a different price. An account that opted in to follow successors
 * (its routing settings) is answered by the successor instead, pinned to the same provider when the name was pinned.
 */
@ApplicationScoped
public class ModelLifecycle {

    private final Catalog catalog;
    private final Clock clock;

    public ModelLifecycle(Catalog catalog, Clock clock) {
        this.catalog = catalog;
        this.clock = clock;
    }

    /**
     * The model to serve for {@code ref} now.
     *
     * @param requested the name as the client sent it, for the error
     * @param followSuccessors whether the account lets a retired model's successor answer
     * @throws InvalidRequestException when the model is retired and its successor may not or cannot answer
     */
    public ModelRef current(ModelRef ref, String requested, boolean followSuccessors) {
        CatalogModel model = ref.model();
        if (!model.retiredAt(clock.instant())) {
            return ref;
        }
        Optional<CatalogModel> successor = catalog.successorAt(model, clock.instant());
        if (followSuccessors && successor.isPresent()) {
            if (!ref.pinned()) {
                return new ModelRef(successor.get(), false);
            }
            if (successor.get().provider() == model.provider()) {
                return new ModelRef(successor.get(), true);
            }
        }
        throw new InvalidRequestException(retired(requested, model, successor, ref.pinned()));
    }

    /** The retirement day to announce for a model that is deprecated now, for {@code X-TokenHub-Deprecation}. */
    public Optional<String> deprecation(CatalogModel model) {
        return model.stageAt(clock.instant()) == Lifecycle.Stage.DEPRECATED
                ? Optional.of(model.lifecycle().retiredAt().toString())
                : Optional.empty();
    }

    /** Whether {@code model} may be listed and offered now. */
    public boolean listed(CatalogModel model) {
        return !model.retiredAt(clock.instant());
    }

    private static OpenAiError retired(
            String requested, CatalogModel model, Optional<CatalogModel> successor, boolean pinned) {
        String instead = successor
                .map(s -> " Use '" + (pinned ? s.provider().wireName() + "/" : "") + s.id()
                        + "' instead, or let your account follow successors in its routing settings.")
                .orElse(" It has no successor in TokenHub's catalog.");
        return new OpenAiError(
                404,
                "invalid_request_error",
                "The model '" + requested + "' was retired by "
                        + model.provider().wireName() + " on "
                        + model.lifecycle().retiredAt() + "." + instead,
                "model",
                "model_retired",
                null);
    }
}
