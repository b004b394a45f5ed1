#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/packed.hpp"
#include "core/yaml.hpp"
#include "render/embedded.hpp"

using mlserve::core::Document;
using mlserve::core::Json;

namespace {

/// Every pointer of `value`, the root included.
void pointers(const Json& value, const std::string& pointer, std::vector<std::string>& out) {
    out.push_back(pointer);
    if (value.is_array())
        for (size_t i = 0; i < value.size(); ++i) pointers(value[i], pointer + "/" + std::to_string(i), out);
    if (value.is_object())
        for (auto it = value.begin(); it != value.end(); ++it)
            pointers(it.value(), mlserve::core::pointer_append(pointer, it.key()), out);
}

/// Same values with the same JSON types, same file, same location for every node and for pointers below
/// the leaves (which fall back to the nearest ancestor).
void check_same(const std::vector<Document>& want, const std::vector<Document>& got) {
    REQUIRE(got.size() == want.size());
    for (size_t i = 0; i < want.size(); ++i) {
        CHECK(got[i].value == want[i].value);
        CHECK(got[i].value.dump() == want[i].value.dump());
        CHECK(got[i].file == want[i].file);
        std::vector<std::string> all;
        pointers(want[i].value, "", all);
        for (const auto& pointer : all) {
            for (const std::string& p : {pointer, pointer + "/missing"}) {
                CAPTURE(p);
                auto a = want[i].positions.find(p), b = got[i].positions.find(p);
                CHECK(a.line == b.line);
                CHECK(a.column == b.column);
            }
        }
    }
}

/// The JSON type of every node, as a string ("o{a:i,b:a[u,f]}"), to compare exactly.
std::string types(const Json& value) {
    switch (value.type()) {
    case Json::value_t::number_integer: return "i";
    case Json::value_t::number_unsigned: return "u";
    case Json::value_t::number_float: return "f";
    case Json::value_t::array: {
        std::string out = "a[";
        for (const auto& item : value) out += types(item) + ",";
        return out + "]";
    }
    case Json::value_t::object: {
        std::string out = "o{";
        for (auto it = value.begin(); it != value.end(); ++it) out += it.key() + ":" + types(it.value()) + ",";
        return out + "}";
    }
    default: return std::string(value.type_name()).substr(0, 2);
    }
}

} // namespace

TEST_CASE("pack_documents and unpack_documents give back the parsed documents exactly") {
    const char* yaml = "a: 1\n"
                       "b: -7\n"
                       "c: 18446744073709551615\n"
                       "d: 2.5\n"
                       "e: [true, false, null, '', \"x\\ny\"]\n"
                       "'we/ird~key': {nested: [[{}], []]}\n"
                       "f: 1.0e+3\n"
                       "---\n"
                       "- just\n"
                       "- a list\n"
                       "---\n"
                       "scalar\n";
    auto parsed = mlserve::core::parse_yaml(yaml, "in.yaml");
    REQUIRE(parsed.ok());
    auto unpacked = mlserve::core::unpack_documents(mlserve::core::pack_documents(*parsed), "in.yaml");
    REQUIRE(unpacked.ok());
    check_same(*parsed, *unpacked);
    for (size_t i = 0; i < parsed->size(); ++i) CHECK(types((*unpacked)[i].value) == types((*parsed)[i].value));
}

TEST_CASE("unpack_documents refuses bytes that pack_documents did not write") {
    auto parsed = mlserve::core::parse_yaml("a: {b: [1, 2, 3]}\n", "in.yaml");
    REQUIRE(parsed.ok());
    std::string packed = mlserve::core::pack_documents(*parsed);
    for (size_t cut = 0; cut < packed.size(); ++cut) {
        auto truncated = mlserve::core::unpack_documents(packed.substr(0, cut), "t.yaml");
        REQUIRE_FALSE(truncated.ok());
        CHECK(truncated.error().message == "the packed form of t.yaml is corrupt");
    }
    CHECK_FALSE(mlserve::core::unpack_documents(packed + "x", "t.yaml").ok());
    CHECK_FALSE(mlserve::core::unpack_documents("not packed", "t.yaml").ok());
    // Any one byte changed: refused or read as some other document, never past the end (ASan builds check).
    for (size_t at = 0; at < packed.size(); ++at) {
        for (int delta : {1, -1, 0x40}) {
            std::string changed = packed;
            changed[at] = static_cast<char>(changed[at] + delta);
            static_cast<void>(mlserve::core::unpack_documents(changed, "t.yaml"));
        }
    }
}

TEST_CASE("a container whose recorded length disagrees with its contents is refused") {
    auto parsed = mlserve::core::parse_yaml("a: [1, 2]\n", "in.yaml");
    REQUIRE(parsed.ok());
    std::string packed = mlserve::core::pack_documents(*parsed);
    REQUIRE(mlserve::core::unpack_documents(packed, "t.yaml").ok());
    // After the 17-byte magic and the document count: the root's tag, its line and column, then its length.
    const size_t length_at = 17 + 1 + 3;
    REQUIRE(static_cast<size_t>(packed[length_at]) == packed.size() - length_at - 1);
    for (int delta : {-1, 1}) {
        std::string changed = packed;
        changed[length_at] = static_cast<char>(changed[length_at] + delta);
        auto unpacked = mlserve::core::unpack_documents(changed, "t.yaml");
        REQUIRE_FALSE(unpacked.ok());
        CHECK(unpacked.error().message == "the packed form of t.yaml is corrupt");
    }
}

TEST_CASE("the embedded templates' packed form is their text, parsed") {
    for (const auto& file : mlserve::render::embedded_templates()) {
        std::string origin = "templates/" + std::string(file.path);
        CAPTURE(origin);
        auto parsed = mlserve::core::parse_yaml(file.text, origin);
        REQUIRE(parsed.ok());
        auto unpacked = mlserve::core::unpack_documents(file.packed, origin);
        REQUIRE(unpacked.ok());
        check_same(*parsed, *unpacked);
    }
}

TEST_CASE("split_packed and unpack_document read one document, or only its top, at a time") {
    auto parsed = mlserve::core::parse_yaml("$if: a == 1\nthen:\n  b: [1, {c: 2}]\n---\nx: 1\n", "t.yaml");
    REQUIRE(parsed.ok());
    std::string packed = mlserve::core::pack_documents(*parsed); // the views point into it
    auto views = mlserve::core::split_packed(packed, "t.yaml");
    REQUIRE(views.ok());
    REQUIRE(views->size() == 2);

    auto full = mlserve::core::unpack_document((*views)[0], "t.yaml");
    REQUIRE(full.ok());
    check_same({parsed->at(0)}, {*full});

    auto top = mlserve::core::unpack_document((*views)[0], "t.yaml", 1);
    REQUIRE(top.ok());
    CHECK(top->value == Json::parse(R"({"$if": "a == 1", "then": null})"));
    CHECK(top->location("/then").to_string() == "t.yaml:3:3");
    CHECK(top->location("/$if").to_string() == "t.yaml:1:6");

    auto second = mlserve::core::unpack_document((*views)[1], "t.yaml");
    REQUIRE(second.ok());
    CHECK(second->value == Json::parse(R"({"x": 1})"));
    CHECK_FALSE(mlserve::core::unpack_document((*views)[0].substr(1), "t.yaml").ok());
}

TEST_CASE("unpack_document without positions gives the same value and records no position") {
    auto parsed = mlserve::core::parse_yaml("$if: a == 1\nthen:\n  b: [1, {c: 2}]\n", "t.yaml");
    REQUIRE(parsed.ok());
    std::string packed = mlserve::core::pack_documents(*parsed);
    auto views = mlserve::core::split_packed(packed, "t.yaml");
    REQUIRE(views.ok());
    auto bare = mlserve::core::unpack_document((*views)[0], "t.yaml", static_cast<size_t>(-1), false);
    REQUIRE(bare.ok());
    CHECK(bare->value.dump() == parsed->at(0).value.dump());
    CHECK(bare->file == "t.yaml");
    CHECK(bare->location("/then/b/1/c").to_string() == "t.yaml");
    CHECK(bare->location("").to_string() == "t.yaml");
    CHECK_FALSE(mlserve::core::unpack_document((*views)[0].substr(1), "t.yaml", static_cast<size_t>(-1), false).ok());
}
