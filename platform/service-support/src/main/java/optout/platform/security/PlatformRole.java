package optout.platform.security;

import java.util.Arrays;
import java.util.Optional;

/**
 * The platform's realm roles, as Keycloak names them, and the Spring authority each maps to.
 *
 * <p>Only these roles ever become authorities: any other role a token carries (Keycloak's defaults,
 * roles of other applications) is ignored, so a new role grants nothing until it is added here.
 */
public enum PlatformRole {
  CITIZEN("citizen"),
  CLERK("clerk"),
  RESEARCHER("researcher"),
  REVIEWER("reviewer"),
  AUDITOR("auditor"),
  KEY_CUSTODIAN("key-custodian"),
  /** A machine role: the consent service's service account, which delivers signed filings to the registry. */
  FILING_SERVICE("filing-service"),
  /** A machine role: services that release data (the portal, the warehouse jobs) check opt-outs and take snapshots. */
  DATA_RELEASER("data-releaser"),
  /** A machine role: platform services that have documents timestamped by the consent service's built-in authority. */
  TIMESTAMP_CLIENT("timestamp-client"),
  /**
   * A machine role: the research portal's status watch, which reads a person's status by warehouse pseudonym at the
   * registry ({@code GET /api/v1/persons/{pseudonym}/status}) to tell a subscribed citizen it changed; nothing else.
   */
  STATUS_READER("status-reader");

  private final String realmRole;

  PlatformRole(String realmRole) {
    this.realmRole = realmRole;
  }

  /** The role's name in the Keycloak realm, e.g. {@code key-custodian}. */
  public String realmRole() {
    return realmRole;
  }

  /** The Spring Security authority, e.g. {@code ROLE_KEY_CUSTODIAN}. */
  public String authority() {
    return "ROLE_" + name();
  }

  public static Optional<PlatformRole> fromRealmRole(String realmRole) {
    return Arrays.stream(values()).filter(r -> r.realmRole.equals(realmRole)).findFirst();
  }

  public static Optional<PlatformRole> fromAuthority(String authority) {
    return Arrays.stream(values()).filter(r -> r.authority().equals(authority)).findFirst();
  }

  /** Authorities of the given roles, for {@code hasAnyAuthority(...)} rules. */
  public static String[] authorities(PlatformRole... roles) {
    return Arrays.stream(roles).map(PlatformRole::authority).toArray(String[]::new);
  }
}
