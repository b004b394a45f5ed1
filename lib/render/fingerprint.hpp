#pragma once
// A 128-bit digest of a JSON value that agrees with json_equal, so that `render -f DIR` can tell whether two
// specs rendered an object identically without keeping every object in memory.

#include <cstdint>

#include "core/json.hpp"

namespace mlserve::render {

struct Fingerprint {
    std::uint64_t high = 0;
    std::uint64_t low = 0;
    bool operator==(const Fingerprint&) const = default;
};

/// The digest of `value`: values that json_equal (patch.hpp) calls equal get the same fingerprint (object
/// member order does not matter, numbers count by value, so 1 and 1.0 agree); values it calls different
/// get different ones except with a probability of about 2^-128 per pair.
Fingerprint fingerprint(const core::Json& value);

} // namespace mlserve::render
