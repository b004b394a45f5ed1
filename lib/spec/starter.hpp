#pragma once
// `kubectl mlserve init`: a commented starter ModelDeployment for a format and backend.

#include <string>

#include "core/error.hpp"

namespace mlserve::spec {

struct StarterOptions {
    std::string format = "sklearn";  ///< one of spec.model.format's values
    std::string backend = "kserve";  ///< kserve | seldon | deployment
    std::string name;                ///< metadata.name; "" means "<format>-model"
    std::string namespace_;          ///< metadata.namespace; "" means "default"
    std::string output;              ///< file to write; "" or "-" means return the text
    bool force = false;              ///< overwrite an existing output file
};

/// The starter spec's text: every field it sets carries a comment, optional sections are shown commented
/// out, and the text loads with load_spec as it is. Errors (exit 2) for an unknown format or backend, an
/// invalid name, or a combination no server supports (Seldon has no prepackaged LightGBM server).
core::Result<std::string> starter_spec(const StarterOptions& options);

/// Builds the starter and writes it to `options.output` (refusing to replace an existing file unless
/// `force`), or returns it for stdout when there is no output file. Writes to the file system.
core::Result<std::string> init_spec(const StarterOptions& options);

} // namespace mlserve::spec
