#include "template/dates.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>

namespace mlserve::tmpl {

namespace {

bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

// Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (eras of 400 years).
int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

struct Civil {
    int64_t year, month, day;
};

Civil civil_from_days(int64_t z) {
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int64_t doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    const int64_t d = doy - (153 * mp + 2) / 5 + 1;
    const int64_t m = mp < 10 ? mp + 3 : mp - 9;
    return {yoe + era * 400 + (m <= 2), m, d};
}

int64_t days_in_month(int64_t y, int64_t m) {
    static constexpr std::array<int, 12> k_days = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : k_days[static_cast<size_t>(m - 1)];
}

// Reads exactly `n` digits at s[i].
bool digits(std::string_view s, size_t& i, size_t n, int64_t& out) {
    if (i + n > s.size()) return false;
    out = 0;
    for (size_t k = 0; k < n; ++k) {
        if (!is_digit(s[i + k])) return false;
        out = out * 10 + (s[i + k] - '0');
    }
    i += n;
    return true;
}

bool take(std::string_view s, size_t& i, char c) {
    if (i < s.size() && s[i] == c) return ++i, true;
    return false;
}

} // namespace

std::optional<double> parse_duration(std::string_view text) {
    static constexpr std::array<std::array<std::string_view, 4>, 7> k_units = {{
        {"y", "yr", "year", "years"},
        {"mo", "month", "months", ""},
        {"w", "wk", "week", "weeks"},
        {"d", "day", "days", ""},
        {"h", "hr", "hour", "hours"},
        {"m", "min", "minute", "minutes"},
        {"s", "sec", "second", "seconds"},
    }};
    static constexpr std::array<double, 7> k_ms = {365 * 86400e3, 30 * 86400e3, 7 * 86400e3, 86400e3, 3600e3, 60e3, 1e3};
    size_t i = 0;
    auto skip = [&] {
        while (i < text.size() && is_space(text[i])) ++i;
    };
    skip();
    double sign = 1;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) sign = text[i++] == '-' ? -1 : 1;
    double total = 0;
    size_t next_unit = 0;
    while (true) {
        skip();
        if (i == text.size()) break;
        if (!is_digit(text[i])) return std::nullopt;
        double amount = 0;
        while (i < text.size() && is_digit(text[i])) amount = amount * 10 + (text[i++] - '0');
        skip();
        std::string word;
        while (i < text.size() && ((text[i] >= 'a' && text[i] <= 'z') || (text[i] >= 'A' && text[i] <= 'Z')))
            word += lower(text[i++]);
        size_t unit = next_unit;
        while (unit < k_units.size() &&
               std::find(k_units[unit].begin(), k_units[unit].end(), word) == k_units[unit].end())
            ++unit;
        if (word.empty() || unit == k_units.size()) return std::nullopt;
        total += amount * k_ms[unit];
        next_unit = unit + 1;
    }
    return sign * total;
}

std::optional<double> parse_date(std::string_view s) {
    size_t i = 0;
    int64_t year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0, millis = 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
        bool negative = s[i++] == '-';
        if (!digits(s, i, 6, year)) return std::nullopt;
        if (negative) year = -year;
    } else if (!digits(s, i, 4, year)) {
        return std::nullopt;
    }
    if (take(s, i, '-')) {
        if (!digits(s, i, 2, month)) return std::nullopt;
        if (take(s, i, '-') && !digits(s, i, 2, day)) return std::nullopt;
    }
    int64_t offset_minutes = 0;
    if (take(s, i, 'T') || take(s, i, 't') || take(s, i, ' ')) {
        if (!digits(s, i, 2, hour) || !take(s, i, ':') || !digits(s, i, 2, minute)) return std::nullopt;
        if (take(s, i, ':')) {
            if (!digits(s, i, 2, second)) return std::nullopt;
            if (take(s, i, '.')) {
                size_t start = i;
                while (i < s.size() && is_digit(s[i])) ++i;
                if (i == start) return std::nullopt;
                std::string frac(s.substr(start, std::min<size_t>(3, i - start)));
                while (frac.size() < 3) frac += '0';
                millis = std::stoi(frac);
            }
        }
        if (take(s, i, 'Z') || take(s, i, 'z')) {
        } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
            int sign = s[i++] == '-' ? -1 : 1;
            int64_t oh = 0, om = 0;
            if (!digits(s, i, 2, oh)) return std::nullopt;
            take(s, i, ':');
            if (!digits(s, i, 2, om) || oh > 23 || om > 59) return std::nullopt;
            offset_minutes = sign * (oh * 60 + om);
        }
    }
    if (i != s.size()) return std::nullopt;
    if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) || minute > 59 || second > 59 ||
        hour > 24 || (hour == 24 && (minute || second || millis)))
        return std::nullopt;
    double ms = static_cast<double>(days_from_civil(year, month, day)) * 86400e3 +
                static_cast<double>(((hour * 60 + minute - offset_minutes) * 60 + second) * 1000 + millis);
    if (std::fabs(ms) > k_max_date_ms) return std::nullopt;
    return ms;
}

std::string format_date(double ms) {
    const auto total = static_cast<int64_t>(std::floor(ms));
    int64_t days = total / 86400000;
    int64_t rest = total % 86400000;
    if (rest < 0) rest += 86400000, --days;
    const Civil c = civil_from_days(days);
    char buf[48];
    const int64_t h = rest / 3600000, m = rest / 60000 % 60, s = rest / 1000 % 60, milli = rest % 1000;
    if (c.year >= 0 && c.year <= 9999)
        std::snprintf(buf, sizeof buf, "%04lld", static_cast<long long>(c.year));
    else
        std::snprintf(buf, sizeof buf, "%c%06lld", c.year < 0 ? '-' : '+', static_cast<long long>(std::llabs(c.year)));
    std::string out = buf;
    std::snprintf(buf, sizeof buf, "-%02lld-%02lldT%02lld:%02lld:%02lld.%03lldZ", static_cast<long long>(c.month),
                  static_cast<long long>(c.day), static_cast<long long>(h), static_cast<long long>(m),
                  static_cast<long long>(s), static_cast<long long>(milli));
    return out + buf;
}

} // namespace mlserve::tmpl
