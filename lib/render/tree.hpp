#pragma once
// `render -f SPEC|DIR|-`: which documents the inputs hold, walking directories for ModelDeployment specs.

#include <functional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/json.hpp"

namespace mlserve::render {

/// Every *.yaml and *.yml file below `dir`, recursively, sorted by path. Entries whose name starts with '.'
/// are skipped (.git, editor files) and symbolic links to directories are not followed.
/// Errors (exit 2): `dir` missing or unreadable.
core::Result<std::vector<std::string>> find_yaml_files(const std::string& dir);

/// True when a parsed document is meant as a ModelDeployment: kind ModelDeployment, or an mlserve.io
/// apiVersion (so that a misspelt kind is reported by the loader instead of being skipped).
bool is_model_document(const core::Json& value);

/// Called with each spec document in turn; an error stops the walk and is returned.
using DocumentVisitor = std::function<core::Result<void>(core::Document&&)>;

/// Walks the `-f` inputs as collect_spec_documents describes, one file at a time: `visit` gets a file's
/// spec documents before the next file is read, so a tree of thousands of specs is never held at once.
/// Errors as collect_spec_documents, found in input order (a bad file late in a tree is reported after the
/// specs before it were visited), and any error `visit` returns.
core::Result<void> for_each_spec_document(const std::vector<std::string>& inputs, const DocumentVisitor& visit);

/// Expands `-f` inputs into the documents to load as specs, in order: a file or "-" gives all its
/// documents (the loader reports any that is not a ModelDeployment); a directory gives the ModelDeployment
/// documents of its YAML files in sorted order, skipping files that hold none (a file that does not parse is
/// skipped too unless it mentions ModelDeployment). A file named twice is read once.
/// Errors (exit 2): unreadable or malformed inputs, a directory with no ModelDeployment at all.
core::Result<std::vector<core::Document>> collect_spec_documents(const std::vector<std::string>& inputs);

} // namespace mlserve::render
