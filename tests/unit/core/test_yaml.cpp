#include <doctest/doctest.h>

#include "core/yaml.hpp"

using mlserve::core::Json;
using mlserve::core::parse_yaml;
using mlserve::core::to_yaml;

TEST_CASE("parse_yaml resolves plain scalars with the core schema and keeps quoted ones as strings") {
    auto docs = parse_yaml("a: 1\nb: '1'\nc: true\nd: ~\ne: 1.5\nf: 0x10\ng: 0.8.2\nh: yes\n", "t.yaml");
    REQUIRE(docs.ok());
    const Json& v = docs->at(0).value;
    CHECK(v["a"] == 1);
    CHECK(v["b"] == "1");
    CHECK(v["c"] == true);
    CHECK(v["d"].is_null());
    CHECK(v["e"] == 1.5);
    CHECK(v["f"] == 16);
    CHECK(v["g"] == "0.8.2");
    CHECK(v["h"] == "yes");
}

TEST_CASE("parse_yaml records 1-based positions by JSON pointer") {
    auto docs = parse_yaml("spec:\n  model:\n    format: sklearn\n", "m.yaml");
    REQUIRE(docs.ok());
    auto loc = docs->at(0).location("/spec/model/format");
    CHECK(loc.to_string() == "m.yaml:3:13");
}

TEST_CASE("parse_yaml rejects duplicate keys with a location") {
    auto docs = parse_yaml("a: 1\nb: 2\na: 3\n", "d.yaml");
    REQUIRE_FALSE(docs.ok());
    CHECK(docs.error().headline() == "d.yaml:3:1: duplicate key 'a'");
}

TEST_CASE("parse_yaml bounds alias expansion and nesting") {
    std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
    std::string prev = "a";
    for (int i = 0; i < 8; ++i) {
        std::string name = "l" + std::to_string(i);
        bomb += name + ": &" + name + " [";
        for (int k = 0; k < 10; ++k) bomb += (k ? ", *" : "*") + prev;
        bomb += "]\n";
        prev = name;
    }
    auto docs = parse_yaml(bomb, "bomb.yaml");
    REQUIRE_FALSE(docs.ok());
    CHECK(docs.error().message.find("more than") != std::string::npos);

    std::string deep(1000, '[');
    deep += std::string(1000, ']');
    auto nested = parse_yaml(deep, "deep.yaml");
    REQUIRE_FALSE(nested.ok());
}

TEST_CASE("parse_yaml rejects invalid UTF-8 with its line") {
    auto docs = parse_yaml("a: ok\nb: \xff\xfe\n", "u.yaml");
    REQUIRE_FALSE(docs.ok());
    CHECK(docs.error().headline() == "u.yaml:2:4: invalid UTF-8");
}

TEST_CASE("parse_yaml applies merge keys and skips empty documents") {
    auto docs = parse_yaml("---\n---\nbase: &b {x: 1, y: 2}\nd:\n  <<: *b\n  y: 3\n", "m.yaml");
    REQUIRE(docs.ok());
    REQUIRE(docs->size() == 1);
    CHECK(docs->at(0).value["d"] == Json::parse(R"({"x":1,"y":3})"));
}

TEST_CASE("parse_yaml reports malformed YAML with a location") {
    auto docs = parse_yaml("a: [1, 2\n", "bad.yaml");
    REQUIRE_FALSE(docs.ok());
    CHECK(docs.error().headline().starts_with("bad.yaml:"));
    CHECK(docs.error().message.starts_with("malformed YAML"));
}

TEST_CASE("to_yaml quotes strings another reader would retype and avoids scientific notation") {
    Json v = Json::parse(R"({"a":"1","b":"true","c":"yes","d":"0.8.2","e":"2024-01-01","f":"8Gi","g":1e21,"h":0.1,
                             "i":2.0,"j":"a: b","k":"","l":"- x","l2":"--flag","m":"line1\nline2\n","n":[],"o":{},"p":[{"x":1,"y":[1,2]}]})");
    CHECK(to_yaml(v) == "a: \"1\"\nb: \"true\"\nc: \"yes\"\nd: \"0.8.2\"\ne: \"2024-01-01\"\nf: 8Gi\n"
                        "g: 1000000000000000000000\nh: 0.1\ni: 2\nj: \"a: b\"\nk: \"\"\nl: \"- x\"\nl2: --flag\n"
                        "m: |\n  line1\n  line2\n\"n\": []\no: {}\np:\n- x: 1\n  \"y\":\n  - 1\n  - 2\n");
}

TEST_CASE("to_yaml output parses back to the same value") {
    Json v = Json::parse(R"({"s":["on","NULL","~","1_000","0o17",".5","1:20","#x","a #b","tab\there","q\"uote","  pad","-","?","-x","--y",":z","-1"],
                             "nested":{"deep":{"list":[[1,2],[]]}},"ml":"no trailing newline\nsecond"})");
    auto back = parse_yaml(to_yaml(v), "round.yaml");
    REQUIRE(back.ok());
    CHECK(back->at(0).value == v);
}

TEST_CASE("to_yaml writes a key over 1000 characters in the explicit form and escapes a key's line break") {
    const std::string long_key(1001, 'k');
    Json v = {{long_key, 1}, {"two\nlines", {{"x", "y"}}}, {"short", true}};
    CHECK(to_yaml(v) == "? " + long_key + "\n: 1\n\"two\\nlines\":\n  x: \"y\"\nshort: true\n");
    auto back = parse_yaml(to_yaml(v), "keys.yaml");
    REQUIRE(back.ok());
    CHECK(back->at(0).value == v);
}

TEST_CASE("parse_yaml records where each key stands, for errors about the key itself") {
    auto docs = parse_yaml("spec:\n  model:\n    storageURI: gs://x\n", "k.yaml");
    REQUIRE(docs.ok());
    CHECK(docs->at(0).key_location("/spec/model/storageURI").to_string() == "k.yaml:3:5");
    CHECK(docs->at(0).location("/spec/model/storageURI").to_string() == "k.yaml:3:17");
    CHECK(docs->at(0).key_location("/spec/missing").to_string() == "k.yaml:2:3");
}
