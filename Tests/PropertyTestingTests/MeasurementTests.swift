import PropertyTesting
import Testing

/// Measured quantities: the property's own quantity first, every value kept in case order.
struct MeasurementTests {
  @Test func thePrimaryQuantityIsListedFirstAndEveryValueIsKept() async {
    let result = await testRunner(parallelism: 1).check("measured", Gen<Int>.int(in: 0 ... 9), budget: .cases(12)) { x in
      PropertyContext.measure("diagnostic", 1)
      PropertyContext.measure("the claim's quantity", Double(x), primary: true)
    }
    #expect(result.measurements.map(\.quantity) == ["the claim's quantity", "diagnostic"])
    let values = result.measurements[0].values
    #expect(values.count == 12 && values.allSatisfy { (0 ... 9).contains($0) })
    #expect(result.measurements[0].min == values.min() && result.measurements[0].max == values.max())
  }
}
