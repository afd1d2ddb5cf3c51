package optout.consent.filing;

/** A draft cannot do what was asked in its present state (filed already, not signed yet, no evidence). */
public final class DraftStateException extends RuntimeException {

  private final String problemType;
  private final String filingId;

  public DraftStateException(String problemType, String message, String filingId) {
    super(message);
    this.problemType = problemType;
    this.filingId = filingId;
  }

  /** The problem type's name, e.g. {@code already-filed}. */
  public String problemType() {
    return problemType;
  }

  /** The filing the draft became, if it did. */
  public String filingId() {
    return filingId;
  }
}
