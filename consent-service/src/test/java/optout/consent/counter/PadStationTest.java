package optout.consent.counter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import optout.pad.api.PadException;
import org.junit.jupiter.api.Test;

/** A counter never signs with a virtual pad unless the operator declared the local demo, nor starts without its pad. */
class PadStationTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final PadStation.PadDirectory NOTHING_ATTACHED = List::of;

  @Test
  void aVirtualPadOutsideTheLocalDemoIsAStartUpError() {
    assertThatThrownBy(() -> PadStation.configured("virtual:STU-540", false, TIMEOUT, NOTHING_ATTACHED))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("virtual")
        .hasMessageContaining("OPTOUT_CONSENT_COUNTER_LOCALDEMOVIRTUALPAD");
  }

  @Test
  void theLocalDemoMaySignWithAVirtualPadOfAnEmulatedModelOnly() {
    PadStation demo = PadStation.configured("virtual:STU-540", true, TIMEOUT, NOTHING_ATTACHED);
    assertThat(demo.virtual()).isTrue();
    assertThat(demo.model()).isEqualTo("STU-540");
    assertThatThrownBy(() -> PadStation.configured("virtual:STU-999", true, TIMEOUT, NOTHING_ATTACHED))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("not a model the driver emulates");
  }

  @Test
  void noPadConfiguredIsAStartUpError() {
    for (String missing : new String[] {null, "", "  "}) {
      assertThatThrownBy(() -> PadStation.configured(missing, true, TIMEOUT, NOTHING_ATTACHED))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("OPTOUT_CONSENT_COUNTER_PAD");
    }
  }

  @Test
  void aRealPadMustBeAttachedWhenTheServiceStarts() {
    assertThatThrownBy(() -> PadStation.configured("usb:/dev/hidraw3", false, TIMEOUT, NOTHING_ATTACHED))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("is not attached (no pad is)");
    assertThatThrownBy(() -> PadStation.configured("usb:/dev/hidraw3", false, TIMEOUT, () -> List.of("usb:/dev/hidraw4")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("attached: [usb:/dev/hidraw4]");
    assertThatThrownBy(() -> PadStation.configured("usb:/dev/hidraw3", false, TIMEOUT, () -> {
      throw new PadException("USB HID is not available on this machine: no hidapi");
    })).isInstanceOf(IllegalStateException.class).hasMessageContaining("no hidapi");

    PadStation attached = PadStation.configured("usb:/dev/hidraw3", false, TIMEOUT, () -> List.of("usb:/dev/hidraw3"));
    assertThat(attached.virtual()).isFalse();
    // the local-demo setting does not make a real pad virtual, nor a demo of it
    assertThat(PadStation.configured("usb:/dev/hidraw3", true, TIMEOUT, () -> List.of("usb:/dev/hidraw3")).virtual()).isFalse();
  }

  @Test
  void aCaptureTimeoutMustBePositive() {
    assertThatThrownBy(() -> PadStation.configured("virtual:STU-540", true, Duration.ZERO, NOTHING_ATTACHED))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("timeout");
  }
}
