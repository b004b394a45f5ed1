#pragma once
// What the validate CLI tests share: writing fixtures and quoting paths for run_cli.

#include <filesystem>
#include <fstream>
#include <string>

#include "support.hpp"

namespace mlserve::test {

inline void write_file(const std::string& path, const std::string& text) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

inline std::string quoted(const std::string& path) { return "'" + path + "'"; }

/// --schema-location for the real upstream schemas in shared/.
inline std::string shared_schemas() { return "--schema-location " + quoted(shared_dir() + "/schemas"); }

} // namespace mlserve::test
