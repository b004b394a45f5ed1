#pragma once
// Dates for $fromNow and fromNow(): JSON-e durations ("2 days 3 hours", "-1y2mo") and the ISO 8601
// timestamps JavaScript's Date reads and writes, in UTC, in milliseconds since the epoch.

#include <optional>
#include <string>
#include <string_view>

namespace mlserve::tmpl {

/// The largest time JavaScript's Date can hold: ±8.64e15 ms from the epoch.
inline constexpr double k_max_date_ms = 8.64e15;

/// A duration in milliseconds. Units, in this order, each at most once: years (y, yr, year, years: 365
/// days), months (mo, month, months: 30 days), weeks (w, wk, week, weeks), days (d, day, days), hours (h,
/// hr, hour, hours), minutes (m, min, minute, minutes), seconds (s, sec, second, seconds); a leading
/// sign; case and white space do not matter. nullopt when the text is not a duration.
std::optional<double> parse_duration(std::string_view text);

/// An ISO 8601 date ("2017-01-19", "2017-01-19T16:27:20.974Z", "...+02:00"); times without an offset
/// are UTC. nullopt when invalid.
std::optional<double> parse_date(std::string_view text);

/// "2017-01-19T16:27:20.974Z", as Date.prototype.toJSON writes it (±YYYYYY outside years 0-9999).
std::string format_date(double ms);

} // namespace mlserve::tmpl
