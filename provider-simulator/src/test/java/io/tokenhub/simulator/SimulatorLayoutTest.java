package io.tokenhub.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tokenhub.common.catalog.Provider;
import io.tokenhub.common.wire.ProviderWire;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every provider TokenHub knows has a simulator laid out like the others (module README, "Layout"), so a newcomer
 * finds a provider's refusals, answers, streams and injected failures in the same file of every package, and a
 * provider added halfway fails here naming the file it lacks.
 */
class SimulatorLayoutTest {

    /** The files beside {@code <P>Simulator} in every provider's package. */
    private static final List<String> ROLES = List.of("Requests", "Answers", "Streams", "Failures");

    @ParameterizedTest
    @EnumSource(Provider.class)
    void hasTheSameFileSetAsEveryOtherSimulator(Provider provider) {
        SimulatedProvider simulator = simulatorOf(provider);
        Class<?> type = simulator.getClass();
        String pkg = "io.tokenhub.simulator." + provider.wireName();
        assertEquals(pkg, type.getPackageName(), provider + ": the simulator belongs in package " + pkg);
        assertTrue(
                type.getSimpleName().endsWith("Simulator"),
                provider + ": " + type.getSimpleName() + " must be named <Provider>Simulator");
        String prefix = type.getSimpleName().substring(0, type.getSimpleName().length() - "Simulator".length());
        for (String role : ROLES) {
            String name = pkg + "." + prefix + role;
            try {
                Class.forName(name, false, getClass().getClassLoader());
            } catch (ClassNotFoundException e) {
                fail(provider + ": missing provider-simulator/src/main/java/" + name.replace('.', '/') + ".java");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void servesTheProductionBasePath(Provider provider) {
        SimulatedProvider simulator = simulatorOf(provider);
        assertEquals(ProviderWire.of(provider).basePath(), simulator.basePath(), provider.wireName());
    }

    private static SimulatedProvider simulatorOf(Provider provider) {
        return SimulatorServer.all().stream()
                .filter(s -> s.name().equals(provider.wireName()))
                .findFirst()
                .orElseGet(
                        () -> fail(provider + ": SimulatorServer.all() has no simulator named " + provider.wireName()));
    }
}
