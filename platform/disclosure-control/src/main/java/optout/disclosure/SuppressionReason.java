package optout.disclosure;

/** Why a value was suppressed: for auditors, never for the public view. */
public enum SuppressionReason {
  /** Its own count is above zero and below the threshold. */
  PRIMARY,
  /** Complementary: shown, it would let someone derive a suppressed value from the published ones. */
  SECONDARY
}
