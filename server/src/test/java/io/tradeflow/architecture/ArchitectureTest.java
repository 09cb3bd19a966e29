package io.tradeflow.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module graph of DESIGN.md, checked on the compiled production classes of every module (the
 * server module sees them all). A broken rule fails with ArchUnit's message, which names the
 * offending class and the dependency.
 */
final class ArchitectureTest {
    private static final String CONFIG = "io.tradeflow.config..";
    private static final String CORE = "io.tradeflow.core..";
    private static final String BROKERS = "io.tradeflow.broker..";
    private static final String PERSISTENCE = "io.tradeflow.persistence..";
    private static final String SERVICES = "io.tradeflow.service..";
    private static final String HTTP = "io.tradeflow.http..";
    private static final String SERVER = "io.tradeflow.app..";

    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // The modules' own classes only. Under `mvn test` they come from each module's target/classes; under
                // `mvn verify` the reactor hands over the modules' packaged jars (target/*.jar), which must count too,
                // while third-party jars (in the local repository) and test jars (the broker stubs) must not.
                .withImportOption(location -> !location.isJar()
                        || location.contains("/target/") && !location.contains("-tests.jar"))
                .importPackages("io.tradeflow");
    }

    @Test
    void shouldHaveNoPackageCycles() {
        slices().matching("io.tradeflow.(**)").should().beFreeOfCycles().check(production);
    }

    @Test
    void shouldLetEachModuleUseOnlyTheModulesBelowIt() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("config").definedBy(CONFIG)
                .layer("router-core").definedBy(CORE)
                .layer("broker-connectors").definedBy(BROKERS)
                .layer("persistence").definedBy(PERSISTENCE)
                .layer("services").definedBy(SERVICES)
                .layer("ingress-http").definedBy(HTTP)
                .layer("server").definedBy(SERVER)
                .whereLayer("server").mayNotBeAccessedByAnyLayer()
                .whereLayer("ingress-http").mayOnlyBeAccessedByLayers("server")
                .whereLayer("services").mayOnlyBeAccessedByLayers("ingress-http", "server")
                .whereLayer("persistence").mayOnlyBeAccessedByLayers("services", "ingress-http", "server")
                .whereLayer("broker-connectors").mayOnlyBeAccessedByLayers("services", "ingress-http", "server")
                .whereLayer("router-core").mayOnlyBeAccessedByLayers("broker-connectors", "persistence", "services",
                        "ingress-http", "server")
                .check(production);
    }

    @Test
    void shouldKeepTheRouterCoreFreeOfHttpSqlAndBrokerWireFormats() {
        noClasses().that().resideInAPackage(CORE)
                .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "org.jdbi..", "java.sql..",
                        "javax.sql..", "com.zaxxer..", "org.postgresql..", "org.flywaydb..", "java.net.http..",
                        "com.fasterxml.jackson.databind..")
                .because("router-core decides orders; HTTP, SQL and each broker's wire format live in outer modules")
                .check(production);
    }

    @Test
    void shouldKeepSqlOutOfTheBrokerConnectorsAndNettyOutOfTheServices() {
        noClasses().that().resideInAPackage(BROKERS)
                .should().dependOnClassesThat().resideInAnyPackage("org.jdbi..", "java.sql..", "io.netty..")
                .check(production);
        noClasses().that().resideInAPackage(SERVICES)
                .should().dependOnClassesThat().resideInAnyPackage("io.netty..")
                .because("services are what the dashboard does for a user, callable without an HTTP server")
                .check(production);
    }

    @Test
    void shouldKeepTheRoutesAwayFromTheLauncher() {
        noClasses().that().resideInAPackage(HTTP)
                .should().dependOnClassesThat().resideInAPackage(SERVER)
                .check(production);
    }

    @Test
    void shouldKeepTheBenchmarksOffTheProductionClasspath() {
        // The server module's classpath is the production one (its fat jar is what ./tradeflow runs).
        assertThatThrownBy(() -> Class.forName("io.tradeflow.bench.JvmFlags"))
                .as("bench classes on the server's classpath")
                .isInstanceOf(ClassNotFoundException.class);
        noClasses().should().dependOnClassesThat().resideInAPackage("io.tradeflow.bench..").check(production);
    }
}
