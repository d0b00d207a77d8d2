import Foundation
import PropertyTesting

extension Report {
  /// A forest plot of every statistical claim's success rate: p̂, the anytime-valid 95 % confidence
  /// sequence (thick) and the fixed-n Wilson interval (thin, below it), against each design's p0 and
  /// p1 (green and red ticks). Nil when no statistical claim ran.
  static func forestPlot(rows: [VerdictRow]) -> Figure? {
    let statistical = rows.compactMap { row in row.result.statistics.map { (row, $0) } }
    guard !statistical.isEmpty else { return nil }
    let left = 150.0, right = 40.0, top = 40.0, rowHeight = 26.0, width = 620.0
    let height = top + rowHeight * Double(statistical.count) + 40
    func px(_ p: Double) -> Double { left + p * (width - left - right) }
    var svg = "<svg width='\(Int(width))' height='\(Int(height))' role='img' aria-label='statistical claims: success rates'>"
    svg += "<text x='\(width / 2)' y='18' text-anchor='middle' font-size='14'>Success rates: anytime-valid 95 % (thick), Wilson 95 % (thin)</text>"
    let axis = height - 30
    svg += "<line x1='\(px(0))' y1='\(axis)' x2='\(px(1))' y2='\(axis)' stroke='black'/>"
    for k in 0 ... 10 {
      let p = Double(k) / 10
      svg += "<line x1='\(px(p))' y1='\(axis)' x2='\(px(p))' y2='\(axis + 4)' stroke='black'/>"
      svg += "<text x='\(px(p))' y='\(axis + 16)' text-anchor='middle' font-size='10'>\(short(p))</text>"
      svg += "<line x1='\(px(p))' y1='\(top - 8)' x2='\(px(p))' y2='\(axis)' stroke='#eee'/>"
    }
    for (i, (row, statistics)) in statistical.enumerated() {
      let y = top + rowHeight * Double(i) + rowHeight / 2
      svg += "<text x='\(left - 8)' y='\(y + 4)' text-anchor='end' font-size='11'>\(escape(row.code)) (n = \(statistics.trials))</text>"
      svg += "<line x1='\(px(statistics.design.p0))' y1='\(y - 9)' x2='\(px(statistics.design.p0))' y2='\(y + 9)' stroke='#2ca02c' stroke-width='2'/>"
      svg += "<line x1='\(px(statistics.design.p1))' y1='\(y - 9)' x2='\(px(statistics.design.p1))' y2='\(y + 9)' stroke='#d62728' stroke-width='2'/>"
      if let sequence = statistics.confidenceSequence95 {
        svg += "<line x1='\(px(sequence.lower))' y1='\(y)' x2='\(px(sequence.upper))' y2='\(y)' stroke='#1f77b4' stroke-width='4'/>"
      }
      svg += "<line x1='\(px(statistics.wilson95.lower))' y1='\(y + 6)' x2='\(px(statistics.wilson95.upper))' y2='\(y + 6)' stroke='#555' stroke-width='1'/>"
      svg += "<circle cx='\(px(statistics.pHat))' cy='\(y)' r='4' fill='black'/>"
    }
    svg += "<text x='\(px(0.5))' y='\(height - 2)' text-anchor='middle' font-size='11'>success rate (green: p0, the claimed rate; red: p1, the violation the SPRT guards against)</text>"
    var csv = "code,cases,p_hat,anytime_low,anytime_high,wilson_low,wilson_high,p0,p1\n"
    for (row, statistics) in statistical {
      let sequence = statistics.confidenceSequence95
      csv += "\(row.code),\(statistics.trials),\(statistics.pHat),\(sequence.map { "\($0.lower)" } ?? ""),\(sequence.map { "\($0.upper)" } ?? ""),"
      csv += "\(statistics.wilson95.lower),\(statistics.wilson95.upper),\(statistics.design.p0),\(statistics.design.p1)\n"
    }
    return Figure(name: "forest-plot", svg: svg + "</svg>", csv: csv)
  }

  /// For each claim, the empirical distribution function of its primary measured quantity over the
  /// cases, with the interval the claim expects shaded and the 95 % order-statistic interval of the
  /// median marked. Log x when the values are positive and span more than two decades.
  static func distributionFigures(rows: [VerdictRow]) -> [Figure] {
    rows.compactMap { row in
      guard let summary = row.result.measurements.first, summary.values.count >= 3 else { return nil }
      let values = summary.values.filter(\.isFinite).sorted()
      guard values.count >= 3, let first = values.first, let last = values.last else { return nil }
      let logX = first > 0 && last / first > 100
      func tx(_ v: Double) -> Double { logX ? log10(v) : v }
      // The axis is fitted to the data; the expected interval widens it by at most twice the data's
      // spread on each side (beyond that its band is clipped and an arrow names where it ends), so
      // that a wide interval does not squeeze the data against one edge. Ticks are 1–2–5 steps (or
      // decades on a log axis) and the axis ends on ticks.
      var low = first, high = last
      let spread = max(tx(last) - tx(first), logX ? 1 : max(abs(first), abs(last), 1e-300) * 0.1)
      let expectedLow = summary.expectedLower.flatMap { $0.isFinite && (!logX || $0 > 0) ? $0 : nil }
      let expectedHigh = summary.expectedUpper.flatMap { $0.isFinite && (!logX || $0 > 0) ? $0 : nil }
      var clippedLow = false, clippedHigh = summary.expectedLower != nil && summary.expectedUpper.map { !$0.isFinite } == true
      if let a = expectedLow, a < low { if tx(low) - tx(a) <= 2 * spread { low = a } else { clippedLow = true } }
      if let b = expectedHigh, b > high { if tx(b) - tx(high) <= 2 * spread { high = b } else { clippedHigh = true } }
      let (axis, ticks) = AxisTicks.ticks(low: low, high: high, log: logX)
      let lo = axis.lowerBound, hi = axis.upperBound
      let width = 430.0, height = 200.0, left = 45.0, right = 28.0, top = 30.0, bottom = 40.0
      func px(_ v: Double) -> Double { left + (tx(v) - lo) / (hi - lo) * (width - left - right) }
      func clampX(_ x: Double) -> Double { min(max(x, left), width - right) }
      func py(_ f: Double) -> Double { height - bottom - f * (height - top - bottom) }
      var svg = "<svg width='\(Int(width))' height='\(Int(height))' role='img' aria-label='\(escape(row.code)) distribution'>"
      svg += "<text x='\(width / 2)' y='16' text-anchor='middle' font-size='12'>\(escape(row.code)): \(escape(summary.quantity)) (\(values.count) cases)</text>"
      if let a = summary.expectedLower, let b = summary.expectedUpper {
        let x0 = clampX(expectedLow.map(px) ?? left), x1 = clampX(expectedHigh.map(px) ?? width - right)
        svg += "<rect x='\(x0)' y='\(top)' width='\(max(1, x1 - x0))' height='\(height - top - bottom)' fill='#e6f4e6'/>"
        if clippedLow { svg += "<text x='\(left + 2)' y='\(top + 10)' font-size='9'>◀ \(escape(short(a)))</text>" }
        if clippedHigh { svg += "<text x='\(width - right - 2)' y='\(top + 10)' text-anchor='end' font-size='9'>\(escape(b.isFinite ? short(b) : "∞")) ▶</text>" }
      }
      svg += "<line x1='\(left)' y1='\(height - bottom)' x2='\(width - right)' y2='\(height - bottom)' stroke='black'/>"
      svg += "<line x1='\(left)' y1='\(top)' x2='\(left)' y2='\(height - bottom)' stroke='black'/>"
      let step = ticks.count > 1 ? ticks[1] - ticks[0] : nil
      for tick in ticks {
        let x = left + (tick - lo) / (hi - lo) * (width - left - right)
        svg += "<text x='\(x)' y='\(height - bottom + 13)' text-anchor='middle' font-size='9'>\(AxisTicks.label(tick, log: logX, step: step))</text>"
      }
      svg += "<text x='\(left - 4)' y='\(py(1) + 3)' text-anchor='end' font-size='9'>1</text><text x='\(left - 4)' y='\(py(0) + 3)' text-anchor='end' font-size='9'>0</text>"
      var path = "\(px(values[0])),\(py(0))"
      for (i, v) in values.enumerated() {
        path += " \(px(v)),\(py(Double(i) / Double(values.count))) \(px(v)),\(py(Double(i + 1) / Double(values.count)))"
      }
      svg += "<polyline fill='none' stroke='#1f77b4' stroke-width='1.5' points='\(path)'/>"
      var key = logX ? ["log scale"] : []
      if summary.expectedLower != nil && summary.expectedUpper != nil { key.append("green: expected interval") }
      if let median = summary.quantiles.first(where: { $0.level == 0.5 }), let a = median.lower, let b = median.upper {
        svg += "<line x1='\(px(a))' y1='\(py(0.5))' x2='\(px(b))' y2='\(py(0.5))' stroke='#d62728' stroke-width='3'/>"
        key.append("red: 95 % interval of the median")
      }
      // The key names only what is drawn (a counter-setting's row has no expected interval; a few
      // cases, no interval of the median).
      if !key.isEmpty { svg += "<text x='\(width / 2)' y='\(height - 6)' text-anchor='middle' font-size='10'>\(key.joined(separator: "; "))</text>" }
      let csv = "value,empirical_cdf\n" + values.enumerated().map { "\($0.element),\(Double($0.offset + 1) / Double(values.count))" }.joined(separator: "\n") + "\n"
      return Figure(name: "distribution-\(row.code)", svg: svg + "</svg>", csv: csv)
    }
  }
}
