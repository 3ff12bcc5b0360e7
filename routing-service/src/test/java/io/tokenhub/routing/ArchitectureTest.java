package io.tokenhub.routing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package plan of routing-service (its README draws it): dependencies run one way, from the HTTP entry down to
 * the OpenAI model, and no package cycle can come back. A new import that breaks the plan fails here, naming the
 * class and the dependency.
 */
class ArchitectureTest {

    private static final String ROOT = "io.tokenhub.routing";
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void dependenciesRunOneWay() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("Entry")
                .definedBy(p("api"), p("internal"))
                .layer("Services")
                .definedBy(p("chat"), p("embeddings"), p("models"))
                .layer("Settings")
                .definedBy(p("settings"), p("strategy"))
                .layer("Call")
                .definedBy(p("call"))
                .layer("Providers")
                .definedBy(p("providers"))
                .layer("Translate")
                .definedBy(p("translate"))
                .layer("Stream")
                .definedBy(p("stream"))
                .layer("Upstream")
                .definedBy(p("upstream"))
                .layer("Spi")
                .definedBy(p("spi"))
                .layer("Inbound")
                .definedBy(p("inbound"))
                .layer("Dialect")
                .definedBy(p("dialect"))
                .layer("Infrastructure")
                .definedBy(p("availability"), p("usage"), p("config"), p("catalog"), p("metrics"))
                .layer("OpenAi")
                .definedBy(p("openai"))
                .whereLayer("Entry")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("Services")
                .mayOnlyBeAccessedByLayers("Entry")
                .whereLayer("Settings")
                .mayOnlyBeAccessedByLayers("Entry", "Services")
                .whereLayer("Call")
                .mayOnlyBeAccessedByLayers("Services")
                .whereLayer("Providers")
                .mayOnlyBeAccessedByLayers("Services")
                .whereLayer("Translate")
                .mayOnlyBeAccessedByLayers("Providers", "Dialect")
                .whereLayer("Stream")
                .mayOnlyBeAccessedByLayers("Services")
                .whereLayer("Upstream")
                .mayOnlyBeAccessedByLayers("Services", "Call")
                .whereLayer("Spi")
                .mayOnlyBeAccessedByLayers("Services", "Call", "Providers", "Translate", "Stream", "Upstream")
                .whereLayer("Inbound")
                .mayOnlyBeAccessedByLayers("Entry", "Services")
                .whereLayer("Dialect")
                .mayOnlyBeAccessedByLayers("Entry", "Services", "Stream", "Inbound")
                .whereLayer("Infrastructure")
                .mayOnlyBeAccessedByLayers("Entry", "Services", "Settings", "Call", "Upstream", "Dialect")
                .check(classes);
    }

    @Test
    void noPackageCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void providersDoNotKnowEachOther() {
        slices().matching(ROOT + ".providers.(*)..")
                .should()
                .notDependOnEachOther()
                .check(classes);
    }

    @Test
    void clientApisDoNotKnowEachOther() {
        slices().matching(ROOT + ".dialect.(*)..")
                .should()
                .notDependOnEachOther()
                .check(classes);
    }

    @Test
    void theOpenAiModelDoesNoInputOrOutput() {
        noClasses()
                .that()
                .resideInAPackage(p("openai"))
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.vertx..",
                        "io.smallrye..",
                        "io.quarkus..",
                        "jakarta..",
                        "org.apache.kafka..",
                        ROOT + ".config..")
                .check(classes);
    }

    private static String p(String name) {
        return ROOT + "." + name + "..";
    }
}
