#pragma once
// What render prints or writes: canonical YAML, a v1 List as JSON, kubectl-style names, one file per object.

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/json.hpp"
#include "render/render.hpp"

namespace mlserve::render {

enum class OutputFormat { yaml, json, name };

/// Prints objects one at a time as they are rendered, so that `render -f DIR` holds one spec's objects at a
/// time: the bytes are those of to_yaml_output, to_json_list or to_names over all the objects written.
class ObjectWriter {
public:
    /// With `bare_single`, -o json of exactly one object prints that object alone instead of a List
    /// (--show-defaults of one spec); the first object is then held back until a second one or finish().
    ObjectWriter(std::ostream& out, OutputFormat format, bool bare_single = false);
    void write(const core::Json& object);
    /// Ends the output: closes the JSON List (an empty List when nothing was written). Call once.
    void finish();
    size_t count() const { return m_count; }

private:
    void write_json_item(const core::Json& object);

    std::ostream& m_out;
    OutputFormat m_format;
    bool m_bare_single;
    size_t m_count = 0; ///< objects written
    size_t m_items = 0; ///< items printed into the JSON List
    core::Json m_held;  ///< bare_single: the first object, until it is known to be the only one
};

/// Canonical multi-document YAML: each object as one document after "---" (core::to_yaml_stream).
std::string to_yaml_output(const ManifestSet& manifests);

/// {"apiVersion": "v1", "kind": "List", "items": [...]} indented by 4 spaces as `kubectl -o json` prints.
std::string to_json_list(const ManifestSet& manifests);

/// One "kind.group/name" line per object as `kubectl -o name` prints ("service/x", "deployment.apps/x").
std::string to_names(const ManifestSet& manifests);

/// The file an object goes to under --out-dir: "<namespace>/<kind>-<name>.yaml", or "<kind>-<name>.yaml"
/// for a cluster-scoped object. Every part is lowercased and keeps only [a-z0-9.-] (others become '-'),
/// never starts with '.', and is never empty, so the path is relative and cannot leave the directory.
std::string out_dir_path(const core::Json& object);

/// One file for --out-dir.
struct OutputFile {
    std::string path;   ///< relative to the output directory (out_dir_path)
    std::string text;
    std::string origin; ///< what produced it, for collision messages ("specs/a.yaml: kserve/isvc.yaml")
};

/// Writes --out-dir files batch by batch (render writes one spec's objects per batch) and remembers every
/// path it wrote, so that no file written in this run is ever overwritten by a later one.
class OutDirWriter {
public:
    /// Resolves `dir` (which need not exist yet). Errors: an empty `dir` (exit 2), one that cannot be resolved
    /// (exit 1).
    static core::Result<OutDirWriter> open(const std::string& dir);

    /// Checks every file of the batch first and writes nothing of it when one fails: a path shared with
    /// another file of the batch or with a file written by an earlier batch (exit 2, naming both origins), a
    /// path that is absolute, climbs out or resolves outside the directory through a symbolic link (exit
    /// 2). Then creates the directories and writes the files; returns the paths written (dir/path). Errors
    /// writing are exit 1. Files that existed before this run are overwritten.
    core::Result<std::vector<std::string>> write(const std::vector<OutputFile>& files);

private:
    OutDirWriter(std::string dir, std::string base) : m_dir(std::move(dir)), m_base(std::move(base)) {}

    std::string m_dir;
    std::string m_base;                          ///< m_dir, absolute and canonical
    std::map<std::string, std::string> m_written; ///< relative path -> origin, for every file written
};

/// Creates `dir` if needed and writes every file into it as one batch of OutDirWriter: nothing is written when
/// one of them fails the checks. Returns the paths written (dir/path).
core::Result<std::vector<std::string>> write_out_dir(const std::string& dir, const std::vector<OutputFile>& files);

} // namespace mlserve::render
