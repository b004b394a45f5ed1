// The build-time form of the built-in templates (render/encoded.hpp): it must give back exactly what parsing
// the YAML gives, values, number types and positions, so that messages still point at the right line.
#include <doctest/doctest.h>

#include "core/text.hpp"
#include "core/yaml.hpp"
#include "render/embedded.hpp"
#include "render/encoded.hpp"
#include "render/templates.hpp"
#include "template/template.hpp"

using mlserve::core::Document;
using mlserve::core::Json;
using mlserve::render::decode_documents;
using mlserve::render::encode_documents;

namespace {

std::vector<Document> parse(const std::string& text, const std::string& file = "t.yaml") {
    auto documents = mlserve::core::parse_yaml(text, file);
    REQUIRE(documents.ok());
    return std::move(documents).value();
}

std::vector<Document> round_trip(const std::vector<Document>& documents, const std::string& file = "t.yaml") {
    auto encoded = encode_documents(documents);
    REQUIRE(encoded.ok());
    auto decoded = decode_documents(*encoded, file);
    REQUIRE(decoded.ok());
    return std::move(decoded).value();
}

/// Same values (key order included), same number types and the same positions.
void check_same(const std::vector<Document>& a, const std::vector<Document>& b) {
    REQUIRE(a.size() == b.size());
    for (size_t i = 0; i < a.size(); ++i) {
        CHECK(a[i].value == b[i].value);
        CHECK(a[i].value.dump() == b[i].value.dump());
        CHECK(a[i].positions.marks() == b[i].positions.marks());
        CHECK(a[i].file == b[i].file);
    }
}

} // namespace

TEST_CASE("encoded documents decode to what the YAML parser gave") {
    const std::string text = "a: 1\n"
                             "b: -7\n"
                             "c: 9223372036854775807\n"
                             "d: 2.5\n"
                             "e: 1.0e300\n"
                             "f: [true, false, null, ~, '', 'x']\n"
                             "g: {}\n"
                             "h: []\n"
                             "'a/b~c': {z: 1, y: 2, x: [[1], {k: v}]}\n"
                             "base: &base {p: 1, q: 2}\n"
                             "merged: {<<: *base, q: 3}\n"
                             "text: \"caf\\u00e9 ${x} \\u2603\"\n"
                             "long: |\n  line one\n  line two\n"
                             "---\n"
                             "- second document\n";
    const auto parsed = parse(text);
    const auto decoded = round_trip(parsed);
    check_same(decoded, parsed);
    CHECK(decoded[0].value["a"].is_number_integer());
    CHECK(decoded[0].value["b"].get<int64_t>() == -7);
    CHECK(decoded[0].value["c"].get<int64_t>() == 9223372036854775807);
    CHECK(decoded[0].value["d"].is_number_float());
    CHECK(decoded[0].location("/a~1b~0c/x/1/k").to_string() == "t.yaml:9:36");
    CHECK(decoded[0].location("/long").to_string() == "t.yaml:13:7");
    CHECK(decoded[1].location("/0").to_string() == "t.yaml:17:3");
}

TEST_CASE("decoded documents take the file name given") {
    const auto decoded = round_trip(parse("a: {b: 1}\n"), "templates/x/y.yaml");
    CHECK(decoded[0].location("/a/b").to_string() == "templates/x/y.yaml:1:8");
}

TEST_CASE("encoding is deterministic and an empty stream stays empty") {
    const auto parsed = parse("k: [1, 2, {a: b}]\nl: x\n");
    CHECK(encode_documents(parsed).value() == encode_documents(parse("k: [1, 2, {a: b}]\nl: x\n")).value());
    CHECK(round_trip({}).empty());
}

TEST_CASE("corrupt encoded data is an error, never a crash") {
    const std::string encoded = encode_documents(parse("a: [1, 'two', {c: 3.5}]\nb: text\n")).value();
    for (size_t cut = 0; cut < encoded.size(); ++cut) {
        auto decoded = decode_documents(std::string_view(encoded).substr(0, cut), "templates/t.yaml");
        REQUIRE_FALSE(decoded.ok());
        CHECK(decoded.error().message == "the embedded form of templates/t.yaml is corrupt");
        CHECK(decoded.error().hint == "rebuild kubectl-mlserve");
    }
    auto trailing = decode_documents(encoded + "x", "t.yaml");
    CHECK_FALSE(trailing.ok());
    std::string flipped = encoded;
    flipped[1] = '\x7f'; // not a tag
    CHECK_FALSE(decode_documents(flipped, "t.yaml").ok());
}

TEST_CASE("every built-in template is embedded as its exact source and its parsed documents") {
    auto files = mlserve::render::template_files("");
    REQUIRE(files.ok());
    REQUIRE_FALSE(files->empty());
    for (const auto& file : *files) {
        CAPTURE(file.path);
        REQUIRE_FALSE(file.encoded.empty());
        auto decoded = mlserve::render::template_documents(file);
        REQUIRE(decoded.ok());
        check_same(*decoded, parse(file.text, "templates/" + file.path));
    }
}

TEST_CASE("an evaluation error in a built-in template points at its templates/ file, line and column") {
    auto files = mlserve::render::template_files("");
    REQUIRE(files.ok());
    int failures = 0;
    for (const auto& file : *files) {
        CAPTURE(file.path);
        auto decoded = mlserve::render::template_documents(file);
        REQUIRE(decoded.ok());
        const auto parsed = parse(file.text, "templates/" + file.path);
        for (size_t i = 0; i < decoded->size(); ++i) {
            auto from_embedded = mlserve::tmpl::compile_template((*decoded)[i]);
            auto from_yaml = mlserve::tmpl::compile_template(parsed[i]);
            REQUIRE(from_embedded.ok());
            REQUIRE(from_yaml.ok());
            // An empty context: the first expression that reads the context fails.
            auto a = mlserve::tmpl::evaluate(*from_embedded, Json::object());
            auto b = mlserve::tmpl::evaluate(*from_yaml, Json::object());
            REQUIRE(a.ok() == b.ok());
            if (a.ok()) continue;
            ++failures;
            const auto& where = a.error().location;
            CHECK(a.error().headline() == b.error().headline());
            CHECK(where.file == "templates/" + file.path);
            REQUIRE(where.line > 0);
            // The reported line is one of the file's lines and holds an expression (`${`, `$if`, `$eval`...).
            const auto lines = mlserve::core::split(file.text, '\n');
            REQUIRE(static_cast<size_t>(where.line) <= lines.size());
            CHECK(lines[static_cast<size_t>(where.line) - 1].find('$') != std::string::npos);
        }
    }
    CHECK(failures > 0);
}
