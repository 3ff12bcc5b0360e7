package io.tokenhub.service.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.lang.reflect.Type;
import java.util.function.BiFunction;

/**
 * How an {@code /api} request body is read, named on each write method with
 * {@code @CustomDeserialization(StrictJson.class)}: a field the API does not define and a field given twice are
 * refused, where Quarkus's default reader ignores the first and keeps the last of the second, so a typo such as
 * {@code {"nmae":"x"}} would silently do something else. Only request bodies: the service's other JSON (REST clients,
 * Kafka) stays tolerant of fields added later.
 */
public class StrictJson implements BiFunction<ObjectMapper, Type, ObjectReader> {

    @Override
    public ObjectReader apply(ObjectMapper mapper, Type type) {
        return mapper.readerFor(mapper.constructType(type))
                .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .with(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }
}
