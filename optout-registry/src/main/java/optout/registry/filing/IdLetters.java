package optout.registry.filing;

/**
 * The first letter of a Taiwanese ID names where it was first issued. Letters of former counties
 * (L, R, S, Y) map to the municipalities that absorbed them, so statistics use today's 22 areas.
 */
final class IdLetters {

  private IdLetters() {}

  static String county(char letter) {
    return switch (Character.toUpperCase(letter)) {
      case 'A' -> "taipei-city";
      case 'B', 'L' -> "taichung-city";
      case 'C' -> "keelung-city";
      case 'D', 'R' -> "tainan-city";
      case 'E', 'S' -> "kaohsiung-city";
      case 'F' -> "new-taipei-city";
      case 'G' -> "yilan-county";
      case 'H' -> "taoyuan-city";
      case 'I' -> "chiayi-city";
      case 'J' -> "hsinchu-county";
      case 'K' -> "miaoli-county";
      case 'M' -> "nantou-county";
      case 'N' -> "changhua-county";
      case 'O' -> "hsinchu-city";
      case 'P' -> "yunlin-county";
      case 'Q' -> "chiayi-county";
      case 'T' -> "pingtung-county";
      case 'U' -> "hualien-county";
      case 'V' -> "taitung-county";
      case 'W' -> "kinmen-county";
      case 'X' -> "penghu-county";
      case 'Y' -> "taipei-city";
      case 'Z' -> "lienchiang-county";
      default -> "unknown";
    };
  }
}
