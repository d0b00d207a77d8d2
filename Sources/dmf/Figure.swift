import Foundation

/// One figure of the report: the inline SVG and the data it plots, which `report.html` links and the
/// report directory keeps beside it as `figures/<name>.csv`.
struct Figure {
  /// The file stem of its data (`arora-figure-2-error` → `figures/arora-figure-2-error.csv`).
  var name: String
  /// The figure, as inline SVG.
  var svg: String
  /// Its data: a header row, then one row a plotted point.
  var csv: String
}

/// Axis ticks a reader expects: decades on a log axis, 1–2–5 steps on a linear one.
enum AxisTicks {
  /// The axis range (in plotted units: log10 for a log axis) and its ticks for data in `low ... high`.
  static func ticks(low: Double, high: Double, log: Bool) -> (range: ClosedRange<Double>, ticks: [Double]) {
    if log {
      var lo = Foundation.floor(Foundation.log10(low)), hi = Foundation.ceil(Foundation.log10(high))
      if hi <= lo { lo -= 1; hi += 1 }
      let decades = Int(hi - lo)
      let stride = decades > 8 ? Int(Foundation.ceil(Double(decades) / 8)) : 1
      hi = lo + Double(Int(Foundation.ceil(Double(decades) / Double(stride))) * stride)  // the axis ends on a tick
      return (lo ... hi, Swift.stride(from: lo, through: hi, by: Double(stride)).map { $0 })
    }
    var lo = low, hi = high
    if hi - lo < 1e-12 * Swift.max(1, Swift.abs(hi)) { lo -= Swift.max(1e-12, Swift.abs(lo) * 0.05 + 0.5); hi += Swift.max(1e-12, Swift.abs(hi) * 0.05 + 0.5) }
    let raw = (hi - lo) / 5
    let magnitude = Foundation.pow(10, Foundation.floor(Foundation.log10(raw)))
    let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
    let first = Foundation.floor(lo / step) * step, last = Foundation.ceil(hi / step) * step
    let count = Int(((last - first) / step).rounded())
    return (first ... last, (0 ... count).map { first + Double($0) * step })
  }

  /// A tick's label: `10⁻⁵` on a log axis (the plotted unit is the exponent); on a linear one, with
  /// as many decimals as the tick spacing `step` needs (1.0005 beside 1.001), else a short number.
  static func label(_ tick: Double, log: Bool, step: Double? = nil) -> String {
    if !log, let step, step > 0, step < 1, tick != tick.rounded() || step < 1 {
      let decimals = Swift.max(0, Int(Foundation.ceil(-Foundation.log10(step) - 1e-9)))
      if decimals <= 8 { return String(format: "%.\(decimals)f", Swift.abs(tick) < step * 1e-9 ? 0 : tick) }
    }
    guard log else {
      // Whole ticks as grouped integers (50 000, 100 000), others short (0.2, 1.5e-3).
      if tick == tick.rounded(), Swift.abs(tick) < 1e7 {
        let digits = String(Int(Swift.abs(tick)))
        var grouped = ""
        for (k, c) in digits.enumerated() {
          if k > 0 && (digits.count - k) % 3 == 0 { grouped += "\u{2009}" }
          grouped.append(c)
        }
        return (tick < 0 ? "−" : "") + grouped
      }
      return VerdictRow.short(Swift.abs(tick) < 1e-13 ? 0 : tick)
    }
    let exponent = Int(tick.rounded())
    let superscripts: [Character: Character] = ["-": "⁻", "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹"]
    return "10" + String(String(exponent).map { superscripts[$0] ?? $0 })
  }
}

extension Report {
  /// One plotted line, with an optional band (mean ± spread over repetitions) around it.
  struct Series {
    var label: String
    var points: [(x: Double, y: Double)]
    /// (x, low, high) of a shaded band around the line.
    var band: [(x: Double, low: Double, high: Double)] = []
    /// Draw a marker at every point (for lines that can coincide with others).
    var markers = false
    /// Join the points by a line; false draws the points alone (a scatter: cases that share an x).
    var joined = true
    /// Draw the band as an error bar at each x (an interval per point) instead of a shaded region.
    var bars = false
    /// What the band is, for the legend.
    var bandLabel = "± spread"
  }

  /// A horizontal reference: a value (a baseline's, the ground truth's) or a range (a paper's reported interval).
  struct Reference {
    var label: String
    var low: Double
    var high: Double
    /// A single value drawn as a dashed line.
    init(_ label: String, at value: Double) {
      self.label = label
      low = value
      high = value
    }
    /// A range drawn as a shaded strip.
    init(_ label: String, range: ClosedRange<Double>) {
      self.label = label
      low = range.lowerBound
      high = range.upperBound
    }
  }

  /// A line chart with ticks at decades (log axes) or 1–2–5 steps, bands, reference lines and ranges,
  /// distinct dashes and markers so that coinciding lines stay visible, and the legend outside the plot.
  static func chart(
    name: String, title: String, xLabel: String, yLabel: String, series: [Series], references: [Reference] = [],
    logX: Bool = false, logY: Bool = false, xCategories: [String]? = nil
  ) -> Figure {
    let legendWidth = 170.0
    let width = 560.0 + legendWidth, height = 320.0, left = 64.0, right = legendWidth + 16, top = 30.0, bottom = 48.0
    func tx(_ v: Double) -> Double { logX ? (v > 0 ? log10(v) : .nan) : v }
    func ty(_ v: Double) -> Double { logY ? (v > 0 ? log10(v) : .nan) : v }
    let xs = series.flatMap { $0.points.map(\.x) + $0.band.map(\.x) }.filter { tx($0).isFinite }
    var ys = series.flatMap { $0.points.map(\.y) + $0.band.flatMap { [$0.low, $0.high] } }
    ys += references.flatMap { [$0.low, $0.high] }
    ys = ys.filter { ty($0).isFinite }
    let csv = csvRows(series: series, references: references)
    guard let xMin = xs.min(), let xMax = xs.max(), let yMin = ys.min(), let yMax = ys.max() else {
      return Figure(name: name, svg: "<p>\(escape(title)): no data</p>", csv: csv)
    }
    // A categorical x: every category a tick at its index, half a category of margin on each side.
    let (xRange, xTicks) = xCategories.map { names in (-0.5 ... Double(max(1, names.count)) - 0.5, names.indices.map(Double.init)) }
      ?? AxisTicks.ticks(low: xMin, high: xMax, log: logX)
    let (yRange, yTicks) = AxisTicks.ticks(low: yMin, high: yMax, log: logY)
    let plotWidth = width - left - right, plotHeight = height - top - bottom
    func px(_ v: Double) -> Double { left + (tx(v) - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * plotWidth }
    func py(_ v: Double) -> Double { height - bottom - (ty(v) - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound) * plotHeight }
    func fmt(_ v: Double) -> String { String(format: "%.1f", v) }
    let colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf", "#7f7f7f"]
    let dashes = ["", "6,3", "2,2", "8,3,2,3"]
    var svg = "<svg width='\(Int(width))' height='\(Int(height))' role='img' aria-label='\(escape(title))' font-family='sans-serif'>"
    svg += "<text x='\(fmt(left + plotWidth / 2))' y='18' text-anchor='middle' font-size='14'>\(escape(title))</text>"
    // Reference ranges and lines under the data.
    var legend: [(label: String, color: String, dash: String, band: Bool, marker: Bool, line: Bool)] = []
    for (i, reference) in references.enumerated() {
      let color = ["#999999", "#444444", "#b8860b", "#6a5acd"][i % 4]
      if reference.high > reference.low {
        let y0 = py(reference.high), y1 = py(reference.low)
        guard y0.isFinite, y1.isFinite else { continue }
        svg += "<rect x='\(fmt(left))' y='\(fmt(y0))' width='\(fmt(plotWidth))' height='\(fmt(max(1, y1 - y0)))' fill='\(color)' fill-opacity='0.12'/>"
        legend.append((reference.label, color, "", true, false, false))
      } else {
        let y = py(reference.low)
        guard y.isFinite else { continue }
        svg += "<line x1='\(fmt(left))' y1='\(fmt(y))' x2='\(fmt(left + plotWidth))' y2='\(fmt(y))' stroke='\(color)' stroke-width='1.5' stroke-dasharray='4,4'/>"
        legend.append((reference.label, color, "4,4", false, false, true))
      }
    }
    // Axes and ticks.
    svg += "<line x1='\(fmt(left))' y1='\(fmt(height - bottom))' x2='\(fmt(left + plotWidth))' y2='\(fmt(height - bottom))' stroke='black'/>"
    svg += "<line x1='\(fmt(left))' y1='\(fmt(top))' x2='\(fmt(left))' y2='\(fmt(height - bottom))' stroke='black'/>"
    let yStep = yTicks.count > 1 ? yTicks[1] - yTicks[0] : nil, xStep = xTicks.count > 1 ? xTicks[1] - xTicks[0] : nil
    for tick in xTicks {
      let x = left + (tick - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * plotWidth
      svg += "<line x1='\(fmt(x))' y1='\(fmt(height - bottom))' x2='\(fmt(x))' y2='\(fmt(height - bottom + 4))' stroke='black'/>"
      svg += "<text x='\(fmt(x))' y='\(fmt(height - bottom + 16))' text-anchor='middle' font-size='10'>\(xCategories.map { escape($0[Int(tick)]) } ?? AxisTicks.label(tick, log: logX, step: xStep))</text>"
    }
    for tick in yTicks {
      let y = height - bottom - (tick - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound) * plotHeight
      svg += "<line x1='\(fmt(left - 4))' y1='\(fmt(y))' x2='\(fmt(left))' y2='\(fmt(y))' stroke='black'/>"
      svg += "<line x1='\(fmt(left))' y1='\(fmt(y))' x2='\(fmt(left + plotWidth))' y2='\(fmt(y))' stroke='#eeeeee'/>"
      svg += "<text x='\(fmt(left - 6))' y='\(fmt(y + 3))' text-anchor='end' font-size='10'>\(AxisTicks.label(tick, log: logY, step: yStep))</text>"
    }
    svg += "<text x='\(fmt(left + plotWidth / 2))' y='\(fmt(height - 10))' text-anchor='middle' font-size='11'>\(escape(xLabel))</text>"
    svg += "<text x='14' y='\(fmt(top + plotHeight / 2))' text-anchor='middle' font-size='11' transform='rotate(-90 14 \(fmt(top + plotHeight / 2)))'>\(escape(yLabel))</text>"
    // Bands, then lines with markers, each with its own dash so that coinciding lines stay visible.
    for (i, s) in series.enumerated() where !s.band.isEmpty {
      let color = colors[i % colors.count]
      let band = s.band.filter { px($0.x).isFinite && py($0.low).isFinite && py($0.high).isFinite }
      guard !band.isEmpty else { continue }
      if s.bars {
        for b in band {
          let x = fmt(px(b.x)), low = fmt(py(b.low)), high = fmt(py(b.high))
          svg += "<line x1='\(x)' y1='\(low)' x2='\(x)' y2='\(high)' stroke='\(color)' stroke-width='1.6'/>"
          for y in [low, high] { svg += "<line x1='\(fmt(px(b.x) - 5))' y1='\(y)' x2='\(fmt(px(b.x) + 5))' y2='\(y)' stroke='\(color)' stroke-width='1.6'/>" }
        }
        continue
      }
      let upper = band.map { "\(fmt(px($0.x))),\(fmt(py($0.high)))" }, lower = band.reversed().map { "\(fmt(px($0.x))),\(fmt(py($0.low)))" }
      svg += "<polygon points='\((upper + lower).joined(separator: " "))' fill='\(color)' fill-opacity='0.18' stroke='none'/>"
    }
    for (i, s) in series.enumerated() {
      let color = colors[i % colors.count], dash = dashes[(i / colors.count + i) % dashes.count]
      let points = s.points.filter { px($0.x).isFinite && py($0.y).isFinite }
      let path = points.map { "\(fmt(px($0.x))),\(fmt(py($0.y)))" }.joined(separator: " ")
      if s.joined { svg += "<polyline fill='none' stroke='\(color)' stroke-width='1.6'\(dash.isEmpty ? "" : " stroke-dasharray='\(dash)'") points='\(path)'/>" }
      let marked = s.markers || points.count <= 12 || !s.joined
      if marked {
        for p in points { svg += "<circle cx='\(fmt(px(p.x)))' cy='\(fmt(py(p.y)))' r='2.6' fill='\(color)'/>" }
      }
      legend.insert((s.label + (s.band.isEmpty ? "" : " (\(s.bandLabel))"), color, dash, false, marked, s.joined), at: i)
    }
    // The legend, outside the plot on the right.
    let legendX = width - right + 14
    for (i, entry) in legend.enumerated() {
      let y = top + 8 + 16 * Double(i)
      if entry.band {
        svg += "<rect x='\(fmt(legendX))' y='\(fmt(y - 5))' width='20' height='10' fill='\(entry.color)' fill-opacity='0.25'/>"
      } else {
        if entry.line { svg += "<line x1='\(fmt(legendX))' y1='\(fmt(y))' x2='\(fmt(legendX + 20))' y2='\(fmt(y))' stroke='\(entry.color)' stroke-width='1.6'\(entry.dash.isEmpty ? "" : " stroke-dasharray='\(entry.dash)'")/>" }
        if entry.marker { svg += "<circle cx='\(fmt(legendX + 10))' cy='\(fmt(y))' r='2.6' fill='\(entry.color)'/>" }
      }
      svg += "<text x='\(fmt(legendX + 26))' y='\(fmt(y + 4))' font-size='11'>\(escape(entry.label))</text>"
    }
    return Figure(name: name, svg: svg + "</svg>", csv: csv)
  }

  /// `series,x,y,low,high`: every plotted point (with its band where there is one), then each reference.
  static func csvRows(series: [Series], references: [Reference]) -> String {
    func field(_ text: String) -> String { text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text }
    func number(_ v: Double) -> String { v.isFinite ? "\(v)" : (v.isNaN ? "NaN" : (v > 0 ? "Infinity" : "-Infinity")) }
    var lines = ["series,x,y,low,high"]
    for s in series {
      for (k, p) in s.points.enumerated() {
        let band = s.band.first { $0.x == p.x } ?? (s.band.count == s.points.count ? s.band[k] : nil)
        lines.append([field(s.label), number(p.x), number(p.y), band.map { number($0.low) } ?? "", band.map { number($0.high) } ?? ""].joined(separator: ","))
      }
    }
    for r in references {
      lines.append([field(r.label), "", r.low == r.high ? number(r.low) : "", r.low == r.high ? "" : number(r.low), r.low == r.high ? "" : number(r.high)].joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
