#include <doctest/doctest.h>

#include "render/fingerprint.hpp"
#include "render/patch.hpp"

using mlserve::core::Json;
using mlserve::render::fingerprint;

namespace {

bool same(const char* a, const char* b) { return fingerprint(Json::parse(a)) == fingerprint(Json::parse(b)); }

} // namespace

TEST_CASE("fingerprint agrees with json_equal on member order and numbers") {
    const char* pairs[][2] = {
        {R"({"a":1,"b":{"c":[1,2],"d":"x"}})", R"({"b":{"d":"x","c":[1,2]},"a":1})"},
        {R"({"n":1})", R"({"n":1.0})"},
        {R"([0])", R"([-0.0])"},
        {R"([18446744073709551615])", R"([18446744073709551615])"},
        {R"({})", R"({})"},
    };
    for (const auto& [a, b] : pairs) {
        CAPTURE(a);
        CHECK(mlserve::render::json_equal(Json::parse(a), Json::parse(b)));
        CHECK(same(a, b));
    }
}

TEST_CASE("fingerprint tells different values apart") {
    const char* values[] = {
        "null", "false", "true", "0", "1", "-1", "1.5", "\"\"", "\"1\"", "\"a\"", "\"ab\"", "\"abcdefgh\"",
        "\"abcdefgh\\u0000\"", "[]", "{}", "[null]", "[[]]", "[{}]", "[1,2]", "[2,1]", R"({"a":1})", R"({"a":2})",
        R"({"b":1})", R"({"a":1,"b":2})", R"({"a":2,"b":1})", R"({"a":{"b":1}})", R"({"a":[1]})", R"({"ab":1})",
        R"({"a":"b"})", R"(["a","b"])", R"(["ab"])", "18446744073709551615", "9223372036854775807",
    };
    for (size_t i = 0; i < std::size(values); ++i)
        for (size_t j = i + 1; j < std::size(values); ++j) {
            CAPTURE(values[i]);
            CAPTURE(values[j]);
            CHECK_FALSE(same(values[i], values[j]));
        }
}
