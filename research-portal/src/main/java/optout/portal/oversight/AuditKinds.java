package optout.portal.oversight;

import java.util.List;

/** The kinds of audit event the console knows, across every service (what the kind filter accepts). */
final class AuditKinds {

  static final String FILING = "filing";
  static final String EXEMPTION = "exemption";
  static final String SCOPE_RULES = "scope-rules";
  static final String SNAPSHOT = "snapshot";
  static final String EXTRACT = "extract";
  static final String PREVIEW = "preview";
  static final String PROPAGATION = "propagation";
  static final String OUTPUT_RELEASE = "output-release";
  static final String KEY_OPERATION = "key-operation";
  static final String REIDENTIFICATION = "reidentification";
  static final String SURGE_ALERT = "surge-alert";
  static final String LOG_ALERT = "log-alert";
  static final String APPLICATION = "application";
  static final String EVIDENCE_EXPORT = "evidence-export";

  static final List<String> ALL = List.of(FILING, EXEMPTION, SCOPE_RULES, SNAPSHOT, EXTRACT, PREVIEW, PROPAGATION, OUTPUT_RELEASE,
      KEY_OPERATION, REIDENTIFICATION, SURGE_ALERT, LOG_ALERT, APPLICATION, EVIDENCE_EXPORT);

  private AuditKinds() {}
}
