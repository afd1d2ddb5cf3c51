package optout.registry.event;

/**
 * Marks a leaf as written by the registry itself: a MAC under a key the database does not hold, so a
 * row inserted behind the application's back (by anyone with SQL access) is told apart from a filing.
 */
public interface LeafAuthenticator {

  /** The MAC of a leaf (32 bytes). */
  byte[] mac(byte[] leaf);

  /** Whether the MAC is the leaf's, compared in constant time. */
  boolean verify(byte[] leaf, byte[] mac);
}
