#include "render/fingerprint.hpp"

#include <cmath>
#include <cstring>
#include <limits>
#include <string>

namespace mlserve::render {

using core::Json;

namespace {

/// SplitMix64's finaliser: spreads every input bit over the whole word.
std::uint64_t mix(std::uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/// Two independent 64-bit lanes fed the same words.
class Hasher {
public:
    void word(std::uint64_t w) {
        m_high = mix(m_high ^ w) * 0x9e3779b97f4a7c15ULL;
        m_low = mix(m_low + w + 0x632be59bd9b4e019ULL) ^ (m_low >> 29);
    }
    void bytes(const std::string& text) {
        word(text.size());
        std::uint64_t chunk = 0;
        size_t i = 0;
        for (; i + 8 <= text.size(); i += 8) {
            std::memcpy(&chunk, text.data() + i, 8);
            word(chunk);
        }
        chunk = 0;
        std::memcpy(&chunk, text.data() + i, text.size() - i);
        word(chunk);
    }
    void fingerprint(const Fingerprint& f) {
        word(f.high);
        word(f.low);
    }
    Fingerprint done() const { return {mix(m_high), mix(m_low ^ 0x2545f4914f6cdd1dULL)}; }

private:
    std::uint64_t m_high = 0x243f6a8885a308d3ULL;
    std::uint64_t m_low = 0x13198a2e03707344ULL;
};

enum Tag : std::uint64_t { k_null = 1, k_false, k_true, k_integer, k_unsigned, k_float, k_string, k_array, k_object, k_binary };

void add_number(Hasher& h, const Json& value) {
    constexpr double k_two_63 = 9223372036854775808.0;
    if (value.is_number_unsigned()) {
        auto u = value.get<std::uint64_t>();
        if (u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
            h.word(k_integer);
            h.word(u);
        } else {
            h.word(k_unsigned);
            h.word(u);
        }
        return;
    }
    if (value.is_number_integer()) {
        h.word(k_integer);
        h.word(static_cast<std::uint64_t>(value.get<std::int64_t>()));
        return;
    }
    double d = value.get<double>();
    // Integral floats hash as the integer they equal (json_equal says 1 == 1.0; -0.0 == 0).
    if (std::isfinite(d) && std::trunc(d) == d && d >= -k_two_63 && d < k_two_63) {
        h.word(k_integer);
        h.word(static_cast<std::uint64_t>(static_cast<std::int64_t>(d)));
    } else if (std::isfinite(d) && std::trunc(d) == d && d >= k_two_63 && d < 2 * k_two_63) {
        h.word(k_unsigned);
        h.word(static_cast<std::uint64_t>(d));
    } else {
        std::uint64_t bits = 0;
        std::memcpy(&bits, &d, sizeof bits);
        h.word(k_float);
        h.word(bits);
    }
}

void add(Hasher& h, const Json& value) {
    switch (value.type()) {
    case Json::value_t::null: h.word(k_null); return;
    case Json::value_t::boolean: h.word(value.get<bool>() ? k_true : k_false); return;
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float: add_number(h, value); return;
    case Json::value_t::string:
        h.word(k_string);
        h.bytes(value.get_ref<const std::string&>());
        return;
    case Json::value_t::array:
        h.word(k_array);
        h.word(value.size());
        for (const auto& item : value) add(h, item);
        return;
    case Json::value_t::object: {
        // Member order must not matter: each member is digested on its own and the digests are summed.
        Fingerprint sum;
        for (auto it = value.begin(); it != value.end(); ++it) {
            Hasher member;
            member.bytes(it.key());
            add(member, it.value());
            Fingerprint f = member.done();
            sum.high += f.high;
            sum.low += f.low;
        }
        h.word(k_object);
        h.word(value.size());
        h.fingerprint(sum);
        return;
    }
    case Json::value_t::binary: {
        h.word(k_binary);
        const auto& binary = value.get_binary();
        h.bytes(std::string(binary.begin(), binary.end()));
        return;
    }
    case Json::value_t::discarded: h.word(0); return;
    }
}

} // namespace

Fingerprint fingerprint(const Json& value) {
    Hasher h;
    add(h, value);
    return h.done();
}

} // namespace mlserve::render
