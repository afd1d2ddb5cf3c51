package optout.registry.event;

/**
 * Who filed, as the registry keeps it: a keyed pseudonym (HMAC-SHA256 under a registry key the database
 * does not hold, truncated to 128 bits) of the clerk's or citizen's account at the consent service. The
 * same account always gets the same pseudonym, so an auditor can see that one clerk filed many
 * withdrawals, but the leaf and the database never name the account.
 */
public interface FilerPseudonyms {

  /** Bytes of a pseudonym (shown as 32 lower-case hex digits). */
  int BYTES = 16;

  /** The pseudonym of an account, 32 lower-case hex digits. */
  String pseudonym(String account);
}
