package io.tokenhub.deploy;

import java.util.stream.Stream;

/** Argument source for tests that must hold for both values files. */
final class Renderings {

    private Renderings() {}

    static Stream<Rendering> both() {
        return Stream.of(Chart.defaults(), Chart.production());
    }
}
