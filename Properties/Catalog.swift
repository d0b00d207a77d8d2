public import ClaimKit
import Foundation

/// Every claim, paper by paper. Adding a conjecture is one `Claim` value in a paper's file and one
/// entry here (see README, "Adding a claim").
public enum Catalog {
  /// All claims, in a fixed order.
  public static let all: [Claim] =
    AroraCohenHuLuo2019.claims + RazinCohen2020.claims + CaoQianEtAl.claims + Gunasekar2017.claims
    + ChouEtAl.claims + Gissin2020.claims + LiLuoLyu2021.claims + SaxeMcClellandGanguli2014.claims
    + GidelBachLacosteJulien2019.claims + JacotEtAl2021.claims + RazinMamanCohen2021.claims + RazinMamanCohen2022.claims
    + BaiZhaoZhang2024.claims + NeyshaburTomiokaSrebro2015.claims + HouSraYurtsever2025.claims + HarizEtAl2022.claims
    + GhoshEtAl2025.claims + WangJacot2024.claims + StoegerSoltanolkotabi2021.claims + GaugeOptimizers2026.claims

  /// The pinned counterexamples, `Fixtures/counterexamples` next to this source tree (found from any
  /// working directory), or nil when the tree is not there (a binary copied elsewhere).
  public static let pinnedDirectory: String? = {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fixtures/counterexamples").path
    var isDirectory: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue ? path : nil
  }()

  /// The claim with this id, if any.
  public static func claim(id: String) -> Claim? {
    all.first { $0.id == id }
  }
}
