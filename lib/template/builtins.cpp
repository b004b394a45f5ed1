// JSON-e's built-in functions, with json-e's argument checks: "invalid arguments to builtin: NAME".

#include <array>
#include <chrono>
#include <cmath>

#include "template/dates.hpp"
#include "template/evaluator.hpp"
#include "template/parser.hpp"
#include "template/strings.hpp"

namespace mlserve::tmpl {

namespace {

// Argument types, as json-e names them; a test is a set of them.
enum Accept : unsigned {
    k_string = 1, k_number = 2, k_integer = 4, k_boolean = 8, k_array = 16, k_object = 32, k_null = 64, k_function = 128,
    k_any = 255
};

struct Signature {
    int min_args = 0;                      ///< json-e's minArgs
    std::array<unsigned, 3> tests{};       ///< per leading argument; 0 ends the list
    unsigned variadic = 0;                 ///< type of further arguments; 0: no further arguments
};

Signature signature(Builtin f) {
    switch (f) {
    case Builtin::min:
    case Builtin::max: return {1, {}, k_number};
    case Builtin::sqrt:
    case Builtin::ceil:
    case Builtin::floor:
    case Builtin::abs: return {0, {k_number}, 0};
    case Builtin::range: return {2, {k_integer, k_integer, k_integer}, k_number};
    case Builtin::str: return {0, {k_string | k_number | k_boolean | k_null}, 0};
    case Builtin::len: return {0, {k_string | k_array}, 0};
    case Builtin::split: return {2, {k_string, k_string | k_number}, 0};
    case Builtin::join: return {0, {k_array, k_string | k_number}, 0};
    case Builtin::from_now: return {1, {}, k_string};
    case Builtin::type_of: return {0, {k_any}, 0};
    default: return {0, {k_string}, 0}; // lowercase uppercase number strip rstrip lstrip defined
    }
}

bool accepts(unsigned test, const Value& v) {
    switch (v.type()) {
    case Type::string: return test & k_string;
    case Type::number:
        return (test & k_number) || ((test & k_integer) && v.as_number() == std::trunc(v.as_number()));
    case Type::boolean: return test & k_boolean;
    case Type::array: return test & k_array;
    case Type::object: return test & k_object;
    case Type::null: return test & k_null;
    case Type::function: return test & k_function;
    default: return false;
    }
}

[[noreturn]] void builtin_error(Builtin f, std::string detail = {}, std::string hint = {}) {
    fail(FailureKind::builtin, "invalid arguments to builtin: " + std::string(builtin_name(f)) + detail, std::move(hint));
}

void check_arguments(Builtin f, std::span<const Value> args) {
    const Signature sig = signature(f);
    size_t fixed = 0;
    while (fixed < sig.tests.size() && sig.tests[fixed]) ++fixed;
    if (!sig.variadic && args.size() < fixed) builtin_error(f, {}, "too few arguments");
    if (sig.min_args && args.size() < static_cast<size_t>(sig.min_args))
        builtin_error(f, ": expected at least " + std::to_string(sig.min_args) + " arguments");
    if (!sig.variadic && args.size() > fixed) builtin_error(f, {}, "too many arguments");
    for (size_t i = 0; i < args.size(); ++i) {
        unsigned test = i < fixed ? sig.tests[i] : sig.variadic;
        if (!accepts(test, args[i]))
            builtin_error(f, {}, "argument " + std::to_string(i + 1) + " is " + std::string(type_name(args[i])));
    }
}

// JavaScript's Number(string), except that what is not a number is an error rather than NaN.
std::optional<double> parse_number(std::string_view s) {
    s = trim_right(trim_left(s));
    if (s.empty()) return 0.0;
    if (s == "Infinity" || s == "+Infinity") return HUGE_VAL;
    if (s == "-Infinity") return -HUGE_VAL;
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X' || s[1] == 'o' || s[1] == 'O' || s[1] == 'b' || s[1] == 'B')) {
        int base = (s[1] == 'x' || s[1] == 'X') ? 16 : (s[1] == 'o' || s[1] == 'O') ? 8 : 2;
        double out = 0;
        for (char c : s.substr(2)) {
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 99;
            if (d >= base) return std::nullopt;
            out = out * base + d;
        }
        return out;
    }
    // [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?
    size_t i = 0, mantissa = 0;
    if (s[i] == '+' || s[i] == '-') ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++mantissa;
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++mantissa;
    }
    if (mantissa == 0) return std::nullopt;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
        size_t exponent = 0;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++exponent;
        if (exponent == 0) return std::nullopt;
    }
    if (i != s.size()) return std::nullopt;
    return std::strtod(std::string(s).c_str(), nullptr);
}

} // namespace

Value Evaluator::default_now() {
    if (!m_now) {
        auto now = m_options.now ? m_options.now() : std::chrono::system_clock::now();
        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
        m_now = m_arena.string(format_date(static_cast<double>(ms)));
    }
    return *m_now;
}

Value Evaluator::from_now(std::string_view offset, std::optional<std::string_view> reference, const Scope& scope) {
    auto duration = parse_duration(offset);
    if (!duration)
        template_error("'" + std::string(offset) + "' is not a time span",
                       "write e.g. '2 days 3 hours' or '-1y2mo': years, months, weeks, days, hours, minutes, seconds "
                       "in this order");
    double base;
    if (!reference) {
        Value now;
        if (!find_name("now", scope, now)) now = default_now();
        if (!now.is(Type::string)) template_error("'now' is not a date string");
        reference = now.as_string();
    }
    auto parsed = parse_date(*reference);
    if (!parsed)
        template_error("'" + std::string(*reference) + "' is not a date",
                       "write an ISO 8601 time such as 2017-01-19T16:27:20.974Z");
    base = *parsed + *duration;
    if (!(std::fabs(base) <= k_max_date_ms)) template_error("the date is outside the years JSON-e can represent");
    return m_arena.string(format_date(base));
}

Value Evaluator::call_builtin(Builtin f, std::span<const Value> args, const Scope& scope) {
    check_arguments(f, args);
    auto num = [&](size_t i) { return args[i].as_number(); };
    auto str = [&](size_t i) { return args[i].as_string(); };
    switch (f) {
    case Builtin::min:
    case Builtin::max: {
        double out = num(0);
        for (const Value& v : args) {
            double n = v.as_number();
            if (std::isnan(n) || std::isnan(out)) out = NAN;
            else out = f == Builtin::min ? std::min(out, n) : std::max(out, n);
        }
        return Value::number(out);
    }
    case Builtin::sqrt: return Value::number(std::sqrt(num(0)));
    case Builtin::ceil: return Value::number(std::ceil(num(0)));
    case Builtin::floor: return Value::number(std::floor(num(0)));
    case Builtin::abs: return Value::number(std::fabs(num(0)));
    case Builtin::range: {
        const double start = num(0), stop = num(1), by = args.size() > 2 ? num(2) : 1;
        if (by == 0) builtin_error(f, {}, "the step must not be zero");
        const double count = std::ceil((stop - start) / by);
        if (!(count <= static_cast<double>(k_max_items)) && count > 0)
            builtin_error(f, {}, "range() would make more than " + std::to_string(k_max_items) + " numbers");
        ArrayBuilder out(m_arena);
        const size_t n = count > 0 ? static_cast<size_t>(count) : 0;
        out.reserve(n);
        step(n / 16);
        for (size_t i = 0; i < n; ++i) out.push(Value::number(start + static_cast<double>(i) * by));
        return out.finish();
    }
    case Builtin::lowercase: return m_arena.string(to_lower(str(0)));
    case Builtin::uppercase: return m_arena.string(to_upper(str(0)));
    case Builtin::str: {
        if (args[0].is(Type::string)) return args[0];
        std::string out;
        if (args[0].is(Type::null)) out = "null";
        else append_interpolated(out, args[0]);
        return m_arena.string(out);
    }
    case Builtin::number: {
        auto n = parse_number(str(0));
        if (!n) builtin_error(f, {}, "'" + std::string(str(0).substr(0, 40)) + "' is not a number");
        return Value::number(*n);
    }
    case Builtin::len:
        if (args[0].is(Type::array)) return Value::number(static_cast<double>(args[0].size()));
        step(str(0).size() / 64);
        return Value::number(static_cast<double>(code_points(str(0))));
    case Builtin::strip: return Value::view(trim_right(trim_left(str(0))));
    case Builtin::lstrip: return Value::view(trim_left(str(0)));
    case Builtin::rstrip: return Value::view(trim_right(str(0)));
    case Builtin::split: {
        std::string_view input = str(0);
        std::string delimiter_text;
        if (args[1].is(Type::number)) append_js_number(delimiter_text, num(1));
        std::string_view delimiter = args[1].is(Type::string) ? str(1) : std::string_view(delimiter_text);
        ArrayBuilder out(m_arena);
        step(input.size() / 16);
        if (delimiter.empty()) {
            for (size_t i = 0; i < input.size();) {
                size_t next = is_ascii(input.substr(i, 1)) ? i + 1 : i + code_point_offset(input.substr(i), 1);
                out.push(Value::view(input.substr(i, next - i)));
                i = next;
            }
            return out.finish();
        }
        size_t start = 0;
        while (true) {
            size_t at = input.find(delimiter, start);
            out.push(Value::view(input.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start)));
            if (at == std::string_view::npos) break;
            start = at + delimiter.size();
        }
        return out.finish();
    }
    case Builtin::join: {
        std::string separator;
        if (args[1].is(Type::number)) append_js_number(separator, num(1));
        else separator = std::string(str(1));
        std::string out;
        const Value& list = args[0];
        for (size_t i = 0; i < list.size(); ++i) {
            if (i) out += separator;
            const Value item = list.item(i);
            if (!item.is(Type::null) && !append_interpolated(out, item))
                builtin_error(f, {}, "join() takes strings, numbers and booleans; item " + std::to_string(i) + " is " +
                                         std::string(type_name(item)));
            check_string_length(out.size());
        }
        step(out.size() / 64);
        return m_arena.string(out);
    }
    case Builtin::from_now:
        return from_now(str(0), args.size() > 1 && !str(1).empty() ? std::optional(str(1)) : std::nullopt, scope);
    case Builtin::type_of: return Value::view(type_name(args[0]));
    case Builtin::defined: {
        Value ignored;
        return Value::boolean(find_name(str(0), scope, ignored) || str(0) == "now" || find_builtin(str(0)) >= 0);
    }
    default: builtin_error(f);
    }
}

} // namespace mlserve::tmpl
