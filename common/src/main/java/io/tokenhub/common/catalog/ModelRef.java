package io.tokenhub.common.catalog;

/**
 * A resolved model name.
 *
 * @param model the catalog entry
 * @param pinned true when the client named the provider, which forbids answering from any other provider
 */
public record ModelRef(CatalogModel model, boolean pinned) {}
