public import Foundation

extension PropertyResult {
  /// The encoder of result lines: sorted keys, and NaN/±∞ as the strings "NaN", "Infinity",
  /// "-Infinity" (a diverged run's measurements are NaN, which plain JSON cannot carry).
  public static func lineEncoder() -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    return encoder
  }

  /// The decoder matching ``lineEncoder()``.
  public static func lineDecoder() -> JSONDecoder {
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    return decoder
  }
}
