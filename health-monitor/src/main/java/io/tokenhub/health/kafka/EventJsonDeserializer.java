package io.tokenhub.health.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import io.quarkus.logging.Log;
import io.tokenhub.common.events.EventJson;
import java.io.IOException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads event records with {@link EventJson#MAPPER}. A value it cannot read (a newer producer's enum constant, a
 * broken record) becomes null with a warning: for health, one lost observation is better than a stuck consumer.
 * Tombstones are null as well.
 */
public abstract class EventJsonDeserializer<T> implements Deserializer<T> {

    private final Class<T> type;
    private final ObjectReader reader;

    protected EventJsonDeserializer(Class<T> type) {
        this(type, EventJson.MAPPER.readerFor(type));
    }

    /** With a reader of its own, for a topic whose records come in more than one shape. */
    protected EventJsonDeserializer(Class<T> type, ObjectReader reader) {
        this.type = type;
        this.reader = reader;
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            return reader.readValue(data);
        } catch (JsonProcessingException e) {
            // The original message names the field at fault without echoing the record.
            Log.warnf("Skipping an unreadable %s on %s: %s", type.getSimpleName(), topic, e.getOriginalMessage());
            return null;
        } catch (IOException e) {
            Log.warnf(
                    "Skipping an unreadable %s on %s: %s",
                    type.getSimpleName(), topic, e.getClass().getName());
            return null;
        }
    }
}
