package optout.warehouse.runner;

import optout.warehouse.extract.ExclusionInput;

/** Where the runner gets a purpose's exclusion snapshot: the registry's latest, verified ({@code RegistrySnapshotClient}). */
@FunctionalInterface
public interface ExclusionSource {

  /** The latest snapshot, under the registry's current warehouse key version. */
  ExclusionInput latest(String purpose) throws Exception;

  /**
   * The latest snapshot under warehouse key {@code keyVersion}: a project built before a rotation keeps its
   * tables under its version, and a snapshot of another would remove no one. A source that serves one version
   * only answers {@link #latest(String)}, which the propagation then refuses if its version differs.
   */
  default ExclusionInput latest(String purpose, int keyVersion) throws Exception {
    return latest(purpose);
  }
}
