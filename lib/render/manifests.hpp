#pragma once
// What a template result must be, and the canonical order of rendered objects.

#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/json.hpp"
#include "render/render.hpp"

namespace mlserve::render {

/// Appends the objects of one template result to `out`: an object is one, a list gives each item, null
/// gives nothing ("does not apply"). Errors (exit 2) name `source` (the template path): any other value, or
/// an object without a non-empty string apiVersion, kind and metadata.name (and a string metadata.namespace
/// when present). The objects are moved out of `result` (pass std::move(result) to spare copying them).
core::Result<void> collect_objects(core::Json result, const std::string& source, ManifestSet& out);

/// Checks one object as collect_objects does; `what` says where it came from in the message.
core::Result<void> check_object(const core::Json& object, const std::string& what);

/// The identity two objects may not share in one apply: API group ("" for core), kind, namespace and name,
/// as one comparable string.
std::string object_identity(const core::Json& object);

/// "InferenceService ml/fraud" (or "Namespace ml") for messages.
std::string describe_object(const core::Json& object);

/// The position of `kind` in the canonical kind order (Namespace, ServiceAccount, ConfigMap, ... Application);
/// kinds outside the list come after it, ordered by name.
size_t kind_rank(std::string_view kind);

/// Sorts into canonical order (kind order, then namespace, then name; stable otherwise) and refuses two
/// objects with the same API group, kind, namespace and name (exit 2, naming both templates).
core::Result<void> canonical_order(ManifestSet& manifests);

} // namespace mlserve::render
