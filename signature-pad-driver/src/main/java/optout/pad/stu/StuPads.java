package optout.pad.stu;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import optout.pad.api.PadException;
import optout.pad.api.SignaturePad;
import org.hid4java.HidDevice;
import org.hid4java.HidManager;
import org.hid4java.HidServices;
import org.hid4java.HidServicesSpecification;

/**
 * Where Wacom STU pads come from: the ones attached over USB, and virtual ones that speak the same bytes
 * (for tests, demonstrations and training, driven by a {@link VirtualSigner}). The driver itself and the
 * virtual device stay behind this factory.
 */
public final class StuPads {

  /** The vendor a virtual pad's captures record, so that no form or record mistakes them for a real pad's. */
  public static final String VIRTUAL_VENDOR = "VIRTUAL PAD (demo)";

  private static final String USB = "usb:";
  private static final String VIRTUAL = "virtual:";

  private StuPads() {}

  /**
   * A pad that can be opened, or one that is attached but cannot be (then {@code problem} says why).
   *
   * @param id what {@link #open(String)} takes: {@code usb:<hidraw path>} or {@code virtual:<model>}
   */
  public record FoundPad(String id, String model, boolean virtual, Optional<String> problem) {}

  /** The virtual pads: one for each supported model. */
  public static List<FoundPad> virtualPads() {
    return Arrays.stream(StuModel.values())
        .map(m -> new FoundPad(VIRTUAL + m.modelName(), m.modelName(), true, Optional.empty()))
        .toList();
  }

  /**
   * The STU pads attached over USB, supported or not.
   *
   * @throws PadException if USB HID cannot be used on this machine at all (no hidapi for the platform)
   */
  public static List<FoundPad> attachedPads() throws PadException {
    List<FoundPad> found = new ArrayList<>();
    for (HidDevice device : wacomDevices()) {
      Optional<StuModel> model = StuModel.byProductId(device.getProductId());
      String name = model.map(StuModel::modelName)
          .orElse(Optional.ofNullable(device.getProduct()).orElse("Wacom 0x" + Integer.toHexString(device.getProductId())));
      Optional<String> problem = model.isPresent() ? Optional.empty()
          : Optional.of(StuModel.unsupportedReason(device.getProductId()).orElse("not an STU signature pad"));
      found.add(new FoundPad(USB + device.getPath(), name, false, problem));
    }
    return found;
  }

  /** Opens a pad by the id that {@link #attachedPads()} or {@link #virtualPads()} gave. */
  public static SignaturePad open(String id) throws PadException {
    if (id == null) {
      throw new IllegalArgumentException("Cannot open a pad: its id is missing");
    }
    if (id.startsWith(VIRTUAL)) {
      return openVirtual(id.substring(VIRTUAL.length()), null);
    }
    if (!id.startsWith(USB)) {
      throw new IllegalArgumentException("Cannot open a pad: \"" + id + "\" is neither usb:PATH nor virtual:MODEL");
    }
    String path = id.substring(USB.length());
    for (HidDevice device : wacomDevices()) {
      if (device.getPath().equals(path)) {
        StuModel model = StuModel.byProductId(device.getProductId()).orElseThrow(() -> new PadException(
            "Cannot open the pad: " + StuModel.unsupportedReason(device.getProductId()).orElse("not an STU signature pad")));
        try {
          return StuPad.open(new Hid4JavaTransport(device), model);
        } catch (IOException e) {
          throw e instanceof PadException pad ? pad : new PadException("Cannot open the pad: " + e.getMessage(), e);
        }
      }
    }
    throw new PadException("Cannot open the pad: nothing is attached at " + path);
  }

  /**
   * Opens a virtual pad of a model (STU-430, STU-430V, STU-530, STU-540). With a signer, someone signs
   * whenever a capture starts; without one, the pad waits for an application's confirm or cancel.
   */
  public static SignaturePad openVirtual(String model, VirtualSigner signer) throws PadException {
    StuModel stu = StuModel.byName(model).orElseThrow(() -> new IllegalArgumentException("Cannot open a virtual pad: \""
        + model + "\" is not one of " + Arrays.stream(StuModel.values()).map(StuModel::modelName).toList()));
    VirtualStuDevice device = new VirtualStuDevice(stu);
    if (signer != null) {
      device.signer(signer);
    }
    return StuPad.open(device, stu);
  }

  private static List<HidDevice> wacomDevices() throws PadException {
    try {
      HidServicesSpecification specification = new HidServicesSpecification();
      specification.setAutoStart(false);
      specification.setAutoDataRead(false);
      HidServices services = HidManager.getHidServices(specification);
      return services.getAttachedHidDevices().stream()
          .filter(d -> d.getVendorId() == StuModel.WACOM_VENDOR_ID)
          .toList();
    } catch (RuntimeException | LinkageError e) {
      throw new PadException("USB HID is not available on this machine: " + e.getMessage(), e);
    }
  }
}
