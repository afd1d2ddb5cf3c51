package optout.pseudonymizer.reidentify;

/** A step of re-identification that the rules do not allow. The message says which rule; it names no person. */
public final class ReidentificationRefusedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Each rule a step can break. */
  public enum Rule {
    NOT_AWAITING_APPROVAL("the request is not awaiting approval"),
    EXPIRED("the request expired before it was completed"),
    REQUESTER_CANNOT_APPROVE("the requester cannot approve their own request"),
    ALREADY_APPROVED_BY_CUSTODIAN("this custodian has approved already: a second, different custodian must approve"),
    NOT_APPROVED("the request does not have the approval of two different key custodians"),
    ONLY_REQUESTER_RESOLVES("only the requester can receive the result"),
    ALREADY_RESOLVED("the request was resolved already: results are handed out once"),
    SHARE_NOT_ACCEPTED("an approval must carry the approving custodian's own share of the re-identification keys, and this is none"),
    SHARE_GIVEN_ALREADY("this share came with the other approval already: each custodian supplies their own share"),
    KEYS_DO_NOT_OPEN("the release secret and the custodians' shares do not open the re-identification keys for this request as approved"),
    WAREHOUSE_KEY_VERSION_UNKNOWN("the re-identification keys hold no warehouse key of the version the pseudonyms were made with, or the"
        + " request names none: another version would give wrong people"),
    MANIFEST_NOT_AUTHENTIC("the extract's manifest is not signed by the warehouse, or is not a manifest that records its warehouse key version"),
    MANIFEST_OF_ANOTHER_PROJECT("the extract's manifest is of another project"),
    WAREHOUSE_KEY_VERSION_MISMATCH("the request names another warehouse key version than the extract's signed manifest");

    private final String explanation;

    Rule(String explanation) {
      this.explanation = explanation;
    }

    public String explanation() {
      return explanation;
    }
  }

  private final Rule rule;

  ReidentificationRefusedException(Rule rule) {
    super("Re-identification refused: " + rule.explanation());
    this.rule = rule;
  }

  public Rule rule() {
    return rule;
  }
}
