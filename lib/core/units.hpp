#pragma once
// Kubernetes quantities, Go durations and percentages: the value types the spec writes as strings.

#include <chrono>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace mlserve::core {

/// A parsed Kubernetes quantity: `value` in base units (cores, bytes, GPUs), `text` as written.
struct Quantity {
    std::string text;
    long double value = 0;
};

/// Parses a quantity exactly by Kubernetes' grammar (k8s.io/apimachinery resource.Quantity): an optionally
/// signed decimal number (`2`, `1.5`, `.5`, `5.`), then one suffix: binary `Ki Mi Gi Ti Pi Ei`, decimal
/// `n u m k M G T P E`, or a decimal exponent `e3`/`E-2`. `8GB`, `1 Gi` and `1gi` are refused.
/// The error (exit 2) names the text and hints at the valid forms; it carries no location.
Result<Quantity> parse_quantity(std::string_view text);

/// Parses a Go duration (time.ParseDuration): `0`, or one or more number+unit pairs with units
/// `ns us µs ms s m h`, e.g. `30s`, `1h30m`, `1.5h`, `500ms`. A leading sign is accepted; past about 292 years
/// is an overflow error, as in Go.
Result<std::chrono::nanoseconds> parse_duration(std::string_view text);

/// Parses a percentage string `"<number>%"` in 0..100 (`"1%"`, `"99.9%"`) and returns the number.
Result<double> parse_percentage(std::string_view text);

/// Whole seconds of a duration, rounded up so that a sub-second duration never becomes 0.
long long duration_seconds(std::chrono::nanoseconds duration);

} // namespace mlserve::core
