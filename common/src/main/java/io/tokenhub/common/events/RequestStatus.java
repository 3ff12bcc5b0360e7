package io.tokenhub.common.events;

/** How a request ended, as far as billing is concerned. */
public enum RequestStatus {
    /** The provider answered in full. */
    SUCCEEDED,
    /** The request was refused before or by the provider because of what the client sent. */
    CLIENT_ERROR,
    /** No provider could answer, or the answering one failed; tokens it reported are still billed. */
    PROVIDER_ERROR,
    /** The client went away mid-answer; tokens produced until then are billed. */
    CANCELLED
}
