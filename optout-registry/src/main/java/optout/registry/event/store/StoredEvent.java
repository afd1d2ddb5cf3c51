package optout.registry.event.store;

import java.util.OptionalLong;
import optout.registry.event.RegistryEvent;

/**
 * An event as stored: its insertion number, the event, what proves it was the application that stored
 * it, and its place in the log once the sequencer has given it one.
 */
public record StoredEvent(long seq, RegistryEvent event, byte[] sealedId, String idempotencyKey, byte[] requestSha256,
    byte[] rowMac, OptionalLong logIndex) {}
