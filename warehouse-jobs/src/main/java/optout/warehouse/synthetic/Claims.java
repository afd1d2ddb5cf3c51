package optout.warehouse.synthetic;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/** The claims the generator makes for a person: outpatient visits, inpatient stays, pharmacy dispensings. */
public final class Claims {

  private Claims() {}

  /** ORDER_TYPE: a drug, or a procedure (tests, treatments, operations, fees). */
  public static final int DRUG = 1;
  public static final int PROCEDURE = 2;

  /** One order line of a visit, stay or dispensing. */
  public record Order(int seq, int type, String code, BigDecimal dose, BigDecimal totalQuantity, BigDecimal unitPrice,
      int points, int days) {}

  /** An outpatient visit (CD) and its orders (OO). */
  public record Visit(long visitId, String hospital, LocalDate date, String department, String icd1, String icd2,
      String icd3, int points, int copay, List<Order> orders) {}

  /** An inpatient stay (DD) and its orders (DO). */
  public record Stay(long admissionId, String hospital, LocalDate admitted, LocalDate discharged, List<String> icd,
      int bedDays, int points, List<Order> orders) {}

  /** A pharmacy dispensing of a chronic prescription refill (GD) and its orders (GO). */
  public record Dispensing(long rxId, String pharmacy, LocalDate date, int days, int points, List<Order> orders) {}
}
