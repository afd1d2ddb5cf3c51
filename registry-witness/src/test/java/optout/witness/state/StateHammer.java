package optout.witness.state;

import java.nio.file.Path;
import java.util.List;
import optout.registry.log.Checkpoint;
import optout.registry.log.Hash;
import optout.registry.log.NoteSignature;

/** Run in a child JVM that the test kills mid-write: advances one log as fast as it can, forever. */
public final class StateHammer {

  private StateHammer() {}

  static String note(String origin, long size) {
    byte[] root = new byte[32];
    root[0] = (byte) size;
    root[1] = (byte) (size >>> 8);
    return new Checkpoint(origin, size, Hash.of(root), List.of()).text() + "\n" + new NoteSignature("hammer", 1, new byte[64]).line();
  }

  public static void main(String[] args) throws Exception {
    WitnessState state = new WitnessState(Path.of(args[0]));
    for (long size = 1; ; size++) {
      long next = size;
      state.compareAndSwap(args[1], held -> note(args[1], next));
    }
  }
}
