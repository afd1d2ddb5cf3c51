package optout.portal.register;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One approved project as the public register shows it. Nothing here names a person: no researcher, reviewer or
 * checker (their Keycloak subjects stay inside the portal), and the cohort is a band.
 *
 * @param id the stable ID: the project's name, {@code application-<number>}
 * @param organisation the applying institution
 * @param purpose the registry scope whose opt-outs were applied
 * @param tables the released warehouse tables and, for each, the released columns
 * @param cohortSizeBand the persons in the extract as a {@link CohortBand} (null until the extract was delivered)
 * @param status {@code approved} (extract not delivered yet), {@code active} (delivered) or {@code closed}
 * @param optOutsApplied always true: every extract leaves out the persons who opted out of its purpose, unless an exemption is named
 * @param exemption the legal exemption invoked instead (null: none, opt-outs were applied)
 * @param extract the delivered extract's signed manifest, named by its hash (null until delivered)
 * @param outputs the aggregate results released from the project (checked by two output checkers)
 */
public record RegisterEntry(String id, long number, String title, String organisation, String laySummary, String publicBenefit,
    String purpose, String legalBasis, Map<String, List<String>> tables, String cohortSizeBand, Instant approvedAt, Instant releasedAt,
    Instant closedAt, String status, boolean optOutsApplied, String exemption, Extract extract, List<Output> outputs) {

  /** The extract: its ID, the SHA-256 of its manifest (signed by the warehouse) and the registry checkpoint it was built against. */
  public record Extract(String extractId, String manifestSha256, Long registryCheckpointSize, String registryCheckpointRootHash) {}

  /** A released output: its number in the project, what it is, the rule set it passed, when, and the released table's SHA-256. */
  public record Output(int number, String description, String rules, Instant releasedAt, String sha256) {}
}
