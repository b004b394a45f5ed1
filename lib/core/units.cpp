#include "core/units.hpp"

#include <array>
#include <cmath>
#include <cstdlib>
#include <utility>

namespace mlserve::core {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string quoted(std::string_view text) {
    // Messages show at most a line's worth of the offending text.
    std::string shown(text.substr(0, 64));
    if (text.size() > 64) shown += "...";
    return "\"" + shown + "\"";
}

Error quantity_error(std::string_view text, std::string why) {
    return input_error("invalid quantity " + quoted(text) + ": " + std::move(why), {}, {},
                       "write a number with an optional suffix: 500m, 2, 1.5, 8Gi, 512Mi, 1e3 "
                       "(binary Ki Mi Gi Ti Pi Ei, decimal n u m k M G T P E)");
}

struct Suffix {
    std::string_view name;
    int base;
    int exponent;
};

constexpr std::array<Suffix, 16> k_suffixes{{{"", 10, 0},   {"n", 10, -9}, {"u", 10, -6},  {"m", 10, -3},
                                             {"k", 10, 3},  {"M", 10, 6},  {"G", 10, 9},   {"T", 10, 12},
                                             {"P", 10, 15}, {"E", 10, 18}, {"Ki", 2, 10},  {"Mi", 2, 20},
                                             {"Gi", 2, 30}, {"Ti", 2, 40}, {"Pi", 2, 50}, {"Ei", 2, 60}}};

Error duration_error(std::string_view text, std::string why) {
    return input_error("invalid duration " + quoted(text) + ": " + std::move(why), {}, {},
                       "write a number and a unit (ns, us, ms, s, m, h), e.g. 30s, 5m, 1h30m, 500ms");
}

// Go accepts both the micro sign U+00B5 and the Greek mu U+03BC for microseconds.
constexpr std::array<std::pair<std::string_view, long double>, 9> k_duration_units{{{"ns", 1.0L},
                                                                                    {"us", 1e3L},
                                                                                    {"\xC2\xB5s", 1e3L},
                                                                                    {"\xCE\xBCs", 1e3L},
                                                                                    {"ms", 1e6L},
                                                                                    {"s", 1e9L},
                                                                                    {"m", 60e9L},
                                                                                    {"h", 3600e9L},
                                                                                    {"d", -1.0L}}};

} // namespace

Result<Quantity> parse_quantity(std::string_view text) {
    if (text.empty()) return quantity_error(text, "it is empty");
    size_t pos = 0;
    if (text[0] == '+' || text[0] == '-') ++pos;
    size_t number_start = pos, digits = 0;
    while (pos < text.size() && is_digit(text[pos])) ++pos, ++digits;
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        while (pos < text.size() && is_digit(text[pos])) ++pos, ++digits;
    }
    if (digits == 0) return quantity_error(text, "it does not start with a number");
    std::string number(text.substr(number_start, pos - number_start));
    std::string_view suffix = text.substr(pos);

    int base = 10;
    long exponent = 0;
    bool known = false;
    for (const auto& s : k_suffixes) {
        if (s.name == suffix) {
            base = s.base;
            exponent = s.exponent;
            known = true;
        }
    }
    if (!known && (suffix[0] == 'e' || suffix[0] == 'E')) {
        size_t i = 1;
        bool negative = false;
        if (i < suffix.size() && (suffix[i] == '+' || suffix[i] == '-')) negative = suffix[i++] == '-';
        if (i < suffix.size()) {
            known = true;
            for (; i < suffix.size(); ++i) {
                if (!is_digit(suffix[i])) {
                    known = false;
                    break;
                }
                exponent = std::min(exponent * 10 + (suffix[i] - '0'), 100000L);
            }
            if (negative) exponent = -exponent;
        }
    }
    if (!known) return quantity_error(text, "unknown suffix \"" + std::string(suffix.substr(0, 16)) + "\"");

    long double value = std::strtold(number.c_str(), nullptr);
    value *= std::pow(static_cast<long double>(base), static_cast<long double>(exponent));
    if (!std::isfinite(value)) return quantity_error(text, "it is out of range");
    if (text[0] == '-') value = -value;
    return Quantity{std::string(text), value};
}

Result<std::chrono::nanoseconds> parse_duration(std::string_view text) {
    std::string_view s = text;
    bool negative = false;
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
        negative = s[0] == '-';
        s.remove_prefix(1);
    }
    if (s == "0") return std::chrono::nanoseconds(0);
    if (s.empty()) return duration_error(text, "it is empty");
    long double total = 0;
    while (!s.empty()) {
        size_t i = 0, digits = 0;
        while (i < s.size() && is_digit(s[i])) ++i, ++digits;
        if (i < s.size() && s[i] == '.') {
            ++i;
            while (i < s.size() && is_digit(s[i])) ++i, ++digits;
        }
        if (digits == 0) return duration_error(text, "expected a number before each unit");
        std::string number(s.substr(0, i));
        s.remove_prefix(i);
        size_t unit_end = 0;
        while (unit_end < s.size() && s[unit_end] != '.' && !is_digit(s[unit_end])) ++unit_end;
        if (unit_end == 0) return duration_error(text, "missing unit after " + number);
        std::string_view unit = s.substr(0, unit_end);
        long double scale = 0;
        for (const auto& [name, factor] : k_duration_units)
            if (name == unit) scale = factor;
        if (scale < 0) return duration_error(text, "Go durations have no day unit; write 24h for a day");
        if (scale == 0) return duration_error(text, "unknown unit \"" + std::string(unit.substr(0, 16)) + "\"");
        s.remove_prefix(unit_end);
        total += std::strtold(number.c_str(), nullptr) * scale;
        // Go keeps durations in an int64 of nanoseconds (about 292 years).
        if (!(total <= 9.223372036854775807e18L)) return duration_error(text, "it overflows (more than 292 years)");
    }
    auto ns = static_cast<long long>(total);
    return std::chrono::nanoseconds(negative ? -ns : ns);
}

Result<double> parse_percentage(std::string_view text) {
    auto error = [&](std::string why) {
        return input_error("invalid percentage " + quoted(text) + ": " + std::move(why), {}, {},
                           "write a number from 0 to 100 followed by %, e.g. \"1%\" or \"99.9%\"");
    };
    if (text.empty() || text.back() != '%') return error("it does not end with %");
    std::string_view number = text.substr(0, text.size() - 1);
    size_t i = 0, digits = 0;
    while (i < number.size() && is_digit(number[i])) ++i, ++digits;
    if (digits > 0 && i < number.size() && number[i] == '.') {
        ++i;
        size_t fraction = 0;
        while (i < number.size() && is_digit(number[i])) ++i, ++fraction;
        if (fraction == 0) digits = 0;
    }
    if (digits == 0 || i != number.size()) return error("expected a plain decimal number before %");
    double value = std::strtod(std::string(number).c_str(), nullptr);
    if (value > 100) return error("it is over 100%");
    return value;
}

long long duration_seconds(std::chrono::nanoseconds duration) {
    auto ns = duration.count();
    long long seconds = ns / 1'000'000'000;
    if (ns % 1'000'000'000 > 0) ++seconds;
    return seconds;
}

} // namespace mlserve::core
