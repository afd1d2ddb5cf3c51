package optout.pad.api;

/** Which device captured a signature: recorded with every capture, so an examiner knows its source. */
public record DeviceInfo(String vendor, String model, String serialNumber, String firmware) {

  public DeviceInfo {
    for (String field : new String[] {vendor, model}) {
      if (field == null || field.isBlank()) {
        throw new IllegalArgumentException("Cannot describe a device: vendor and model are required");
      }
    }
    serialNumber = serialNumber == null ? "" : serialNumber;
    firmware = firmware == null ? "" : firmware;
  }
}
