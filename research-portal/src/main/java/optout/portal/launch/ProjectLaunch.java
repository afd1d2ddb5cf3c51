package optout.portal.launch;

import java.util.UUID;

/**
 * What an approval sets going: the project and its extract. Called inside the approval's transaction,
 * so an approval and what it queues are stored together or not at all. Today's implementation
 * ({@link QueuedExtracts}) queues the extract in the job table. The project's release keys are made by
 * the warehouse runner, which holds the release custody, when it first claims the project's extract: the
 * portal holds no key.
 */
public interface ProjectLaunch {

  /** An approved application: its version, the project name its spec carries, the approved purpose and the spec as checked. */
  record Approved(UUID applicationId, int version, String project, String purpose, String spec, String specSha256) {}

  /** Queues what the approval starts; answers the job's ID. */
  UUID approved(Approved approved);
}
