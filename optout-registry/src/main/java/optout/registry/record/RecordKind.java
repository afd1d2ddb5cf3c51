package optout.registry.record;

import java.util.Arrays;
import java.util.Optional;

/** What a log record states, besides events: the scope rules in force, or an auditor's exemption decision. */
public enum RecordKind {
  /** {@link optout.registry.scope.ScopeRules}: logged when the registry starts with rules other than the last logged. */
  SCOPE_RULES("scope-rules"),
  /** {@link optout.registry.exemption.DecisionLeaf}: an auditor's grant or revocation of a legal exemption. */
  EXEMPTION_DECISION("exemption-decision");

  private final String code;

  RecordKind(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  public static Optional<RecordKind> fromCode(String code) {
    return Arrays.stream(values()).filter(k -> k.code.equals(code)).findFirst();
  }
}
