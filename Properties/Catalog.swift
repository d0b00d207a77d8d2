/// Every claim, paper by paper. Adding a conjecture is one `Claim` value in a paper's file and one
/// entry here (see README, "Adding a claim").
public enum Catalog {
  /// All claims, in a fixed order.
  public static let all: [Claim] =
    AroraCohenHuLuo2019.claims + RazinCohen2020.claims + CaoQianEtAl.claims + Gunasekar2017.claims
    + ChouEtAl.claims + Gissin2020.claims + LiLuoLyu2021.claims

  /// The claim with this id, if any.
  public static func claim(id: String) -> Claim? {
    all.first { $0.id == id }
  }
}
