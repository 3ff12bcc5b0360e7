package io.tokenhub.dashboard.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.qute.TemplateExtension;

/**
 * Lets templates read the services' JSON answers by field name ({@code usage.total_usd}): text, numbers and money as
 * the service wrote them (decimal strings stay exact), lists and objects as nodes to loop over or read further.
 */
@TemplateExtension
final class JsonFields {

    private JsonFields() {}

    @TemplateExtension(matchName = TemplateExtension.ANY)
    static Object field(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isContainerNode()) {
            return value;
        }
        return value.isBoolean() ? value.booleanValue() : value.asText();
    }
}
