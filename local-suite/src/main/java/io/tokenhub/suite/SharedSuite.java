package io.tokenhub.suite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One suite, as the run command starts it, for every test class of a test run that uses it as it is: a
 * {@link LocalSuite} parameter of a {@code @BeforeAll} method resolves to it. The first class that asks starts it, and
 * it stops when the run ends. A start costs about 50 s on two cores, so each class that shares instead of starting its
 * own saves that much of command 2.
 *
 * <p>A sharing class leaves the suite as it found it, or runs after the others that share it and says why. Sharing
 * classes carry {@code @Order(SharedSuite.ORDER)} (with JUnit's order-annotation class orderer configured), so they run
 * after every class that starts a suite of its own, and the shared one never idles beside another suite's
 * measurements.
 *
 * <p>JUnit is not on the launcher's class path: only tests load this class.
 */
public class SharedSuite implements ParameterResolver {

    /** The class {@code @Order} of sharing classes: after the unannotated ones ({@link Order#DEFAULT}). */
    public static final int ORDER = Order.DEFAULT + 1;

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedSuite.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LocalSuite.class;
    }

    @Override
    public LocalSuite resolveParameter(ParameterContext parameter, ExtensionContext context) {
        // The root store closes what it holds when the whole run ends, after the last class that shares.
        return context.getRoot()
                .getStore(NAMESPACE)
                .computeIfAbsent(getClass(), key -> Running.start(this), Running.class)
                .suite();
    }

    /** The repository root tests run from: Maven runs them from their module unless told otherwise. */
    public static Path repoRoot() {
        return Path.of(System.getProperty("tokenhub.repo.root", ".."))
                .toAbsolutePath()
                .normalize();
    }

    /** The options of the shared suite: free ports, data in {@code dataDir}. */
    protected SuiteOptions options(Path repoRoot, Path dataDir) {
        return LocalSuite.freePorts(repoRoot, dataDir);
    }

    /** The suite with the dashboard and its dev OIDC issuer, for the dashboard's browser tests. */
    public static final class WithDashboard extends SharedSuite {

        @Override
        protected SuiteOptions options(Path repoRoot, Path dataDir) {
            return super.options(repoRoot, dataDir).withDashboard();
        }
    }

    /** A started suite and its data, which go together, as a class's {@code @TempDir} would. */
    private record Running(LocalSuite suite, Path data) implements AutoCloseable {

        static Running start(SharedSuite kind) {
            Path data;
            try {
                data = Files.createTempDirectory("tokenhub-shared-suite");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try {
                return new Running(LocalSuite.start(kind.options(repoRoot(), data), Map.of()), data);
            } catch (RuntimeException e) {
                delete(data);
                throw e;
            }
        }

        @Override
        public void close() {
            suite.close();
            delete(data);
        }

        private static void delete(Path data) {
            try (Stream<Path> paths = Files.walk(data)) {
                paths.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                // A temp folder left behind is harmless; failing a green run over it is not.
            }
        }
    }
}
