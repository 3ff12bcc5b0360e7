package io.tokenhub.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Finds fields the Kubernetes API does not know, such as a misspelt {@code readinesProbe}. The schemas from
 * kubernetes-models do not reject unknown fields and the API server only warns, so such a typo would silently do
 * nothing; fabric8's typed model (the API's own field list) keeps them aside in additionalProperties.
 */
final class StrictFields {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";

    private StrictFields() {}

    /** Unknown fields of one object as "kind/name /json/path: [names]"; fails on kinds fabric8 has no model of. */
    static List<String> unknownFields(String yaml) {
        HasMetadata object = SERIALIZATION.unmarshal(yaml, HasMetadata.class);
        if (object instanceof GenericKubernetesResource) {
            throw new AssertionError("no typed model for " + object.getApiVersion() + " " + object.getKind());
        }
        List<String> found = new ArrayList<>();
        collect(object, object.getKind() + "/" + object.getMetadata().getName() + " ", found);
        return found;
    }

    private static void collect(Object value, String path, List<String> found) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> collect(v, path + "/" + k, found));
        } else if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                collect(item, path + "/" + i++, found);
            }
        } else if (value != null && value.getClass().getName().startsWith(MODEL_PACKAGE)) {
            for (Class<?> type = value.getClass(); type != Object.class; type = type.getSuperclass()) {
                for (Field field : type.getDeclaredFields()) {
                    if (Modifier.isStatic(field.getModifiers())) {
                        continue;
                    }
                    Object fieldValue = read(field, value);
                    if (field.getName().equals("additionalProperties")) {
                        if (fieldValue instanceof Map<?, ?> extra && !extra.isEmpty()) {
                            found.add(path + ": " + extra.keySet());
                        }
                    } else {
                        collect(fieldValue, path + "/" + field.getName(), found);
                    }
                }
            }
        }
    }

    private static Object read(Field field, Object owner) {
        try {
            field.setAccessible(true);
            return field.get(owner);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read " + field, e);
        }
    }
}
