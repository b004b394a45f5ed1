#include <doctest/doctest.h>

#include "core/json.hpp"
#include "core/text.hpp"

using namespace mlserve::core;

TEST_CASE("closest_match suggests near names only") {
    std::vector<std::string> names{"storageUri", "format", "runtime", "protocol"};
    CHECK(closest_match("storageURI", names) == "storageUri");
    CHECK(closest_match("fromat", names) == "format");
    CHECK(closest_match("zzzzzz", names).empty());
}

TEST_CASE("valid_utf8 accepts UTF-8 and refuses overlongs and surrogates") {
    CHECK(valid_utf8("plain ascii"));
    CHECK(valid_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
    CHECK_FALSE(valid_utf8("\xc0\xaf"));
    CHECK_FALSE(valid_utf8("\xed\xa0\x80"));
    CHECK_FALSE(valid_utf8("\xe2\x82"));
}

TEST_CASE("pointer_to_path prints field paths for people") {
    CHECK(pointer_to_path("/spec/canary/steps/2") == "spec.canary.steps[2]");
    CHECK(pointer_to_path(pointer_append("/metadata/annotations", "a/b~c")) == "metadata.annotations.a/b~c");
    CHECK(pointer_to_path("") == "");
}
