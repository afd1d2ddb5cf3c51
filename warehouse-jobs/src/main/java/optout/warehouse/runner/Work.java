package optout.warehouse.runner;

import java.util.function.IntConsumer;

/** What the runner does with a job of one kind. The Spark side implements it ({@link WarehouseWork}); tests may give their own. */
public interface Work {

  /**
   * Runs the job; answers its outcome as JSON. Must be safe to run again after a crash part-way (the runner
   * may die at any point, and another runner then claims the job anew).
   *
   * @param progress told 0 to 100 as the work advances
   */
  String run(Job job, IntConsumer progress) throws Exception;
}
