import Foundation

/// Why a path could not be written, in words that name the cause ("the directory out does not
/// exist", "it is a directory"), for the one-line messages of bad input instead of Foundation's
/// error dumps.
enum PathProblem {
  /// Why writing the file at `path` failed with `error`.
  static func writing(_ path: String, _ error: any Error) -> String {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue { return "it is a directory" }
    var directory = (path as NSString).deletingLastPathComponent
    if directory.isEmpty { directory = "." }
    guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else { return "the directory \(directory) does not exist" }
    if !isDirectory.boolValue { return "\(directory) is a file, not a directory" }
    if !FileManager.default.isWritableFile(atPath: directory) { return "\(directory) is not writable" }
    return posix(error)
  }

  /// Why creating the directory at `path` (with any missing parents) failed with `error`.
  static func creatingDirectory(_ path: String, _ error: any Error) -> String {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue { return "a file of that name exists" }
    // The nearest ancestor that exists is where creating stopped.
    var ancestor = (path as NSString).deletingLastPathComponent
    if ancestor.isEmpty { ancestor = "." }
    while !FileManager.default.fileExists(atPath: ancestor, isDirectory: &isDirectory) {
      let up = (ancestor as NSString).deletingLastPathComponent
      if up.isEmpty || up == ancestor { break }
      ancestor = up
    }
    if !isDirectory.boolValue { return "\(ancestor) is a file, not a directory" }
    if !FileManager.default.isWritableFile(atPath: ancestor) { return "\(ancestor) is not writable" }
    return "\(ancestor) does not take new directories: \(posix(error))"
  }

  /// The operating system's reason underneath a Foundation error (`No space left on device`).
  private static func posix(_ error: any Error) -> String {
    let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
    if let underlying, underlying.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(underlying.code))) }
    if (error as NSError).domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32((error as NSError).code))) }
    // Foundation's own codes for what the system said (CocoaError.Code).
    switch (error as NSError).code {
    case 4, 260: return String(cString: strerror(ENOENT))
    case 513, 257: return String(cString: strerror(EACCES))
    case 516: return String(cString: strerror(EEXIST))
    case 640: return String(cString: strerror(ENOSPC))
    case 642: return String(cString: strerror(EROFS))
    default: return (error as NSError).localizedDescription
    }
  }
}
