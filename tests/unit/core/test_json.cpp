// core/json.hpp: the positions of a document's nodes, and JSON pointers.
#include <doctest/doctest.h>

#include <string>

#include "core/json.hpp"

using mlserve::core::Mark;
using mlserve::core::PositionMap;

namespace {

std::string text(Mark mark) { return std::to_string(mark.line) + ":" + std::to_string(mark.column); }

} // namespace

TEST_CASE("PositionMap finds a pointer's mark, or its nearest marked ancestor's") {
    PositionMap positions;
    CHECK(positions.empty());
    CHECK(text(positions.find("/a")) == "0:0");
    CHECK(text(positions.exact("")) == "0:0");

    positions.set("", Mark{1, 1});
    positions.set("/spec", Mark{2, 3});
    positions.set("/spec/a~1b", Mark{4, 5});
    positions.set(std::string("/spec/list/0"), Mark{6, 7});
    CHECK_FALSE(positions.empty());
    CHECK(text(positions.find("/spec")) == "2:3");
    CHECK(text(positions.find("/spec/a~1b")) == "4:5");
    CHECK(text(positions.find("/spec/a~1b/deeper/still")) == "4:5");
    CHECK(text(positions.find("/spec/list/1")) == "2:3"); // /spec/list has no mark of its own
    CHECK(text(positions.find("/other")) == "1:1");
    CHECK(text(positions.find("")) == "1:1");
    CHECK(text(positions.exact("/spec/list")) == "0:0");
    CHECK(text(positions.exact("/spec/list/0")) == "6:7");
    CHECK(text(positions.find("no-slash")) == "0:0"); // not a pointer: no ancestor either

    positions.set("/spec", Mark{8, 9}); // a later mark replaces an earlier one
    CHECK(text(positions.exact("/spec")) == "8:9");
}

TEST_CASE("PositionMap keeps every mark as it grows") {
    PositionMap positions;
    for (int i = 0; i < 5000; ++i) positions.set("/items/" + std::to_string(i), Mark{i + 1, i % 80 + 1});
    for (int i = 0; i < 5000; ++i) {
        const Mark mark = positions.exact("/items/" + std::to_string(i));
        CHECK(mark.line == i + 1);
        CHECK(mark.column == i % 80 + 1);
    }
    CHECK(text(positions.find("/items/5000")) == "0:0");
    const PositionMap copy = positions;
    CHECK(text(copy.find("/items/4999/x")) == "5000:40");
}
