package optout.warehouse.runner;

import optout.warehouse.extract.ExclusionInput;

/** Where the runner gets a purpose's exclusion snapshot: the registry's latest, verified ({@code RegistrySnapshotClient}). */
@FunctionalInterface
public interface ExclusionSource {

  ExclusionInput latest(String purpose) throws Exception;
}
