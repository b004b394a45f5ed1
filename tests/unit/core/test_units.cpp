#include <doctest/doctest.h>

#include "core/units.hpp"

using namespace mlserve::core;
using namespace std::chrono_literals;

TEST_CASE("parse_quantity follows Kubernetes' quantity grammar") {
    struct Case {
        const char* text;
        long double value;
    };
    for (auto c : {Case{"2", 2}, Case{"1.5", 1.5}, Case{"500m", 0.5}, Case{".5", 0.5}, Case{"5.", 5},
                   Case{"8Gi", 8.0L * 1024 * 1024 * 1024}, Case{"512Mi", 512.0L * 1024 * 1024}, Case{"1Ki", 1024},
                   Case{"1e3", 1000}, Case{"1E3", 1000}, Case{"1e-3", 0.001}, Case{"1e+3", 1000}, Case{"2k", 2000},
                   Case{"1M", 1e6}, Case{"1G", 1e9}, Case{"1T", 1e12}, Case{"1P", 1e15}, Case{"1E", 1e18},
                   Case{"100n", 100e-9}, Case{"100u", 100e-6}, Case{"+1", 1}, Case{"-1", -1}, Case{"0", 0}}) {
        CAPTURE(c.text);
        auto q = parse_quantity(c.text);
        REQUIRE(q.ok());
        CHECK(static_cast<double>(q->value) == doctest::Approx(static_cast<double>(c.value)));
        CHECK(q->text == c.text);
    }
}

TEST_CASE("parse_quantity refuses what Kubernetes refuses, naming the problem") {
    auto gb = parse_quantity("8GB");
    REQUIRE_FALSE(gb.ok());
    CHECK(gb.error().message == "invalid quantity \"8GB\": unknown suffix \"GB\"");
    CHECK(gb.error().hint == "write a number with an optional suffix: 500m, 2, 1.5, 8Gi, 512Mi, 1e3 "
                             "(binary Ki Mi Gi Ti Pi Ei, decimal n u m k M G T P E)");
    CHECK(gb.error().code == ExitCode::usage);
    CHECK(parse_quantity("").error().message == "invalid quantity \"\": it is empty");
    CHECK(parse_quantity("Gi").error().message == "invalid quantity \"Gi\": it does not start with a number");
    for (const char* bad : {"1 Gi", "1gi", "1KI", "1K", "1e", "1e3.5", "1.2.3", "--1", "1Gi ", " 1", "1ee3", ".", "+",
                            "1Mb", "1e999999", "0x10", "1,5"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_quantity(bad).ok());
    }
}

TEST_CASE("parse_duration reads Go durations") {
    CHECK(*parse_duration("30s") == 30s);
    CHECK(*parse_duration("5m") == 5min);
    CHECK(*parse_duration("1h30m") == 90min);
    CHECK(*parse_duration("500ms") == 500ms);
    CHECK(*parse_duration("1.5h") == 90min);
    CHECK(*parse_duration(".5s") == 500ms);
    CHECK(*parse_duration("1.s") == 1s);
    CHECK(*parse_duration("0") == 0s);
    CHECK(*parse_duration("10us") == 10us);
    CHECK(*parse_duration("10\xC2\xB5s") == 10us);
    CHECK(*parse_duration("3ns") == 3ns);
    CHECK(*parse_duration("-2s") == -2s);
    CHECK(*parse_duration("1h1m1s1ms") == 1h + 1min + 1s + 1ms);
}

TEST_CASE("parse_duration explains what is wrong") {
    CHECK(parse_duration("5").error().message == "invalid duration \"5\": missing unit after 5");
    CHECK(parse_duration("5 min").error().message == "invalid duration \"5 min\": unknown unit \" min\"");
    CHECK(parse_duration("1d").error().message ==
          "invalid duration \"1d\": Go durations have no day unit; write 24h for a day");
    CHECK(parse_duration("").error().message == "invalid duration \"\": it is empty");
    CHECK(parse_duration("s").error().message == "invalid duration \"s\": expected a number before each unit");
    CHECK(parse_duration("3000000h").error().message == "invalid duration \"3000000h\": it overflows (more than 292 years)");
    CHECK(parse_duration("5m").ok());
    CHECK(parse_duration("1h").ok());
    CHECK(parse_duration("1x").error().hint ==
          "write a number and a unit (ns, us, ms, s, m, h), e.g. 30s, 5m, 1h30m, 500ms");
    for (const char* bad : {"1.5.5s", "1h 30m", "m5", "5M", "5S", ".s", "--1s"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_duration(bad).ok());
    }
}

TEST_CASE("parse_percentage accepts 0..100 with a % sign") {
    CHECK(*parse_percentage("1%") == 1.0);
    CHECK(*parse_percentage("99.9%") == doctest::Approx(99.9));
    CHECK(*parse_percentage("0%") == 0.0);
    CHECK(*parse_percentage("100%") == 100.0);
    CHECK(parse_percentage("101%").error().message == "invalid percentage \"101%\": it is over 100%");
    CHECK(parse_percentage("1").error().message == "invalid percentage \"1\": it does not end with %");
    CHECK(parse_percentage("abc%").error().message ==
          "invalid percentage \"abc%\": expected a plain decimal number before %");
    CHECK(parse_percentage("1%").ok());
    for (const char* bad : {"%", "-1%", "1.%", ".5%", "1 %", "1e2%", "50%%"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_percentage(bad).ok());
    }
}

TEST_CASE("duration_seconds rounds sub-second remainders up") {
    CHECK(duration_seconds(30s) == 30);
    CHECK(duration_seconds(500ms) == 1);
    CHECK(duration_seconds(1500ms) == 2);
    CHECK(duration_seconds(0s) == 0);
}
