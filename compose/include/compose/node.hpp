// The document tree every loader stage works on: YAML-shaped, ordered, and carrying the position of
// each node so that any error can name the file, line and column it comes from.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace berth::compose {

// Where a node was written. line and column are 1-based; 0 means "made by the loader".
struct Mark {
    std::shared_ptr<const std::string> file;
    int line = 0;
    int column = 0;

    bool known() const { return file != nullptr && line > 0; }
    // "compose.yaml:14:9", or just the file name when the position is unknown.
    std::string str() const;
};

enum class Kind { Null, Scalar, Sequence, Mapping };

// The type a scalar resolves to under YAML 1.2's core schema (as the Go YAML library reads it).
enum class ScalarType { String, Int, Float, Bool };

struct Entry;

class Node {
  public:
    Kind kind = Kind::Null;
    std::string text;     // scalar text after unquoting (for Null: what was written, e.g. "~")
    bool quoted = false;  // quoted or block scalar: a string whatever it looks like
    std::string tag;      // "!reset", "!override" or empty
    Mark mark;
    std::vector<Node> items;     // Sequence
    std::vector<Entry> entries;  // Mapping, in document order

    static Node null(Mark m = {});
    static Node string(std::string s, Mark m = {});  // always a string
    static Node plain(std::string s, Mark m = {});   // typed as YAML would type it
    static Node integer(std::int64_t v, Mark m = {});
    static Node boolean(bool v, Mark m = {});
    static Node sequence(Mark m = {});
    static Node mapping(Mark m = {});

    bool is_null() const { return kind == Kind::Null; }
    bool is_scalar() const { return kind == Kind::Scalar; }
    bool is_seq() const { return kind == Kind::Sequence; }
    bool is_map() const { return kind == Kind::Mapping; }
    bool is_string() const { return is_scalar() && type() == ScalarType::String; }

    ScalarType type() const;  // only for scalars
    std::optional<std::int64_t> as_int() const;
    std::optional<double> as_float() const;  // ints too
    std::optional<bool> as_bool() const;
    // "mapping", "array", "string", "integer", "number", "boolean", "null": the words error
    // messages use.
    std::string type_name() const;

    // Mapping access.
    Node* find(std::string_view key);
    const Node* find(std::string_view key) const;
    const Entry* find_entry(std::string_view key) const;
    Node& set(std::string key, Node value);  // replaces in place or appends
    bool erase(std::string_view key);

    // Sequence access.
    Node& push(Node value);
    bool empty_collection() const { return items.empty() && entries.empty(); }
};

struct Entry {
    std::string key;
    Mark key_mark;
    Node value;
    bool key_is_string = true;  // false for keys such as 123 or true, which compose rejects
};

bool operator==(const Node& a, const Node& b);  // structure and values; ignores marks
inline bool operator!=(const Node& a, const Node& b) {
    return !(a == b);
}

// Resolves a plain scalar's type: "42" Int, "0x1f" Int, "1.5" Float, "true" Bool, else String.
ScalarType resolve_plain(std::string_view text);
// True for the plain spellings of null: "", "~", "null", "Null", "NULL".
bool is_null_text(std::string_view text);

}  // namespace berth::compose
