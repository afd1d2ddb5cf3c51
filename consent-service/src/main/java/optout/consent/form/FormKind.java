package optout.consent.form;

/**
 * What a form asks for. Each kind has its own template, because the citizen signs different words
 * for stopping a use than for allowing it again.
 */
public enum FormKind {
  /** Stop the secondary use of the person's data for the chosen purposes. */
  OPT_OUT("opt-out"),
  /** Withdraw an earlier opt-out for the chosen purposes: consent to their use again. */
  WITHDRAWAL("withdrawal");

  private final String templateId;

  FormKind(String templateId) {
    this.templateId = templateId;
  }

  /** The ID of the template family whose text this kind of form carries. */
  public String templateId() {
    return templateId;
  }
}
