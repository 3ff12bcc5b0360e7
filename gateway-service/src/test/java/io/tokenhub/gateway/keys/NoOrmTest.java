package io.tokenhub.gateway.keys;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The gateway keeps its keys in plain JDBC: Hibernate, JPA and Hibernate's HQL parser were about 30 % of the classes
 * it loaded and a good part of its metaspace (issue 18). A dependency that brings them back fails here, not in a
 * memory measurement months later.
 */
class NoOrmTest {

    @ParameterizedTest
    @ValueSource(
            strings = {"org.hibernate.Session", "jakarta.persistence.EntityManager", "org.antlr.v4.runtime.Parser"})
    void noOrmIsOnTheClasspath(String className) {
        assertThrows(ClassNotFoundException.class, () -> Class.forName(className));
    }
}
