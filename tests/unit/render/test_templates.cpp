#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "core/packed.hpp"
#include "render/embedded.hpp"
#include "render/templates.hpp"
#include "support.hpp"
#include "template/template.hpp"

using mlserve::render::embedded_templates;
using mlserve::render::template_files;

TEST_CASE("template_files gives the embedded templates without a directory") {
    auto files = template_files("");
    REQUIRE(files.ok());
    REQUIRE(files->size() == embedded_templates().size());
    for (size_t i = 0; i < files->size(); ++i) {
        CHECK((*files)[i].path == embedded_templates()[i].path);
        CHECK((*files)[i].origin == "templates/" + (*files)[i].path);
        CHECK((*files)[i].text == embedded_templates()[i].text);
    }
}

TEST_CASE("template_files lays a directory over the embedded templates") {
    mlserve::test::TempDir tmp;
    std::string replaced = embedded_templates().empty() ? "kserve/inferenceservice.yaml"
                                                        : std::string(embedded_templates()[0].path);
    std::filesystem::create_directories(std::filesystem::path(tmp.path() + "/" + replaced).parent_path());
    std::ofstream(tmp.path() + "/" + replaced) << "mine: 1\n";
    std::filesystem::create_directories(tmp.path() + "/extra");
    std::ofstream(tmp.path() + "/extra/zz-configmap.yaml") << "added: 1\n";
    std::ofstream(tmp.path() + "/extra/notes.txt") << "ignored\n";
    auto files = template_files(tmp.path());
    REQUIRE(files.ok());
    bool has_replaced = false, has_added = false;
    for (const auto& file : *files) {
        CHECK(file.path != "extra/notes.txt");
        if (file.path == replaced) {
            has_replaced = true;
            CHECK(file.text == "mine: 1\n");
            CHECK(file.origin == tmp.path() + "/" + replaced);
        }
        has_added = has_added || (file.path == "extra/zz-configmap.yaml" && file.text == "added: 1\n");
    }
    CHECK(has_replaced);
    CHECK(has_added);
    size_t embedded_replaced = embedded_templates().empty() ? 0 : 1;
    CHECK(files->size() == embedded_templates().size() + 2 - embedded_replaced);
    CHECK(std::is_sorted(files->begin(), files->end(), [](auto& a, auto& b) { return a.path < b.path; }));
}

TEST_CASE("template_files refuses a missing directory") {
    auto files = template_files("/nonexistent/templates");
    REQUIRE_FALSE(files.ok());
    CHECK(files.error().message == "--templates /nonexistent/templates is not a directory");
    CHECK(files.error().code == mlserve::core::ExitCode::usage);
}

TEST_CASE("every embedded template compiles") {
    // render compiles a built-in template of the form {$if: COND, then: ...} only when COND holds for the
    // spec; this test is what makes sure that skipping one never hides a compile error.
    REQUIRE_FALSE(embedded_templates().empty());
    for (const auto& file : embedded_templates()) {
        std::string origin = "templates/" + std::string(file.path);
        CAPTURE(origin);
        auto documents = mlserve::core::unpack_documents(file.packed, origin);
        REQUIRE(documents.ok());
        for (const auto& document : *documents) {
            auto compiled = mlserve::tmpl::compile_template(document);
            CHECK_MESSAGE(compiled.ok(), (compiled.ok() ? "" : compiled.error().headline()));
        }
    }
}
