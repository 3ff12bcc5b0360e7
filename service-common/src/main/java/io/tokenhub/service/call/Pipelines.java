package io.tokenhub.service.call;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;

/** Where TokenHub puts its own Netty handlers on a connection Vert.x set up. */
public final class Pipelines {

    /** The name Vert.x gives the TLS handler of a connection. */
    private static final String SSL = "ssl";

    private Pipelines() {}

    /**
     * Adds {@code handler} as close to the socket as it can see plain bytes: first, or right behind TLS, so it reads
     * decrypted requests and what it writes is encrypted once.
     */
    public static void addFront(ChannelPipeline pipeline, String name, ChannelHandler handler) {
        if (pipeline.get(SSL) != null) {
            pipeline.addAfter(SSL, name, handler);
        } else {
            pipeline.addFirst(name, handler);
        }
    }
}
