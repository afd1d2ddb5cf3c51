package optout.registry.event.store;

import java.util.OptionalLong;
import optout.registry.event.RegistryEvent;

/**
 * An event as stored: its insertion number, the event, what proves it was the application that stored
 * it, its place in the log once the sequencer has given it one, and the warehouse key version its person
 * pseudonym was made under (0 if the registry has not recorded versions yet).
 */
public record StoredEvent(long seq, RegistryEvent event, byte[] sealedId, String idempotencyKey, byte[] requestSha256,
    byte[] rowMac, OptionalLong logIndex, int personKeyVersion) {}
