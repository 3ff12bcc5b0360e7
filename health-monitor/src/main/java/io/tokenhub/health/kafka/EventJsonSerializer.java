package io.tokenhub.health.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tokenhub.common.events.EventJson;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/** Writes event records with {@link EventJson#MAPPER}, the mapping every TokenHub producer and consumer shares. */
public class EventJsonSerializer implements Serializer<Object> {

    @Override
    public byte[] serialize(String topic, Object event) {
        if (event == null) {
            return null;
        }
        try {
            return EventJson.MAPPER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new SerializationException("cannot write " + event.getClass().getSimpleName(), e);
        }
    }
}
