// Writing the tree back out, in the layout `docker compose config` prints (go-yaml v3's choices of
// when to quote and how to indent), so that output can be compared with docker compose's byte for
// byte.
#include <cmath>
#include <cstdio>
#include <regex>

#include "compose/yaml.hpp"

namespace berth::compose {
namespace {

bool is_yaml11_bool(const std::string& s) {
    static const char* words[] = {"y",  "Y",  "yes", "Yes", "YES", "n",   "N",   "no",
                                  "No", "NO", "on",  "On",  "ON",  "off", "Off", "OFF"};
    for (const char* w : words) {
        if (s == w) return true;
    }
    return false;
}

bool looks_base60(const std::string& s) {
    static const std::regex re(R"([-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?)");
    return std::regex_match(s, re);
}

bool needs_quotes(const std::string& s) {
    if (s.empty()) return true;
    if (resolve_plain(s) != ScalarType::String || is_null_text(s) || is_yaml11_bool(s)) return true;
    if (looks_base60(s)) return true;
    if (s.front() == ' ' || s.back() == ' ' || s.front() == '\t' || s.back() == '\t') return true;
    const std::string indicators = "#,[]{}&*!|>'\"%@`";
    if (indicators.find(s.front()) != std::string::npos) return true;
    if ((s.front() == '-' || s.front() == '?' || s.front() == ':') &&
        (s.size() == 1 || s[1] == ' ')) {
        return true;
    }
    if (s.rfind("---", 0) == 0 || s.rfind("...", 0) == 0) return true;
    if (s.back() == ':') return true;
    if (s.find(": ") != std::string::npos || s.find(" #") != std::string::npos) return true;
    for (unsigned char c : s) {
        if (c < 0x20 || c == 0x7f) return true;
    }
    return false;
}

enum class Quoting { Yaml, Json };

// Double-quoted text for YAML or JSON: the same short escapes, then each format's own spelling of
// other control bytes; JSON also escapes <, > and & as Go's encoder does, so output stays
// HTML-safe.
void append_quoted(std::string& out, const std::string& s, Quoting q) {
    out += '"';
    for (unsigned char c : s) {
        const char* esc = c == '"'    ? "\\\""
                          : c == '\\' ? "\\\\"
                          : c == '\n' ? "\\n"
                          : c == '\t' ? "\\t"
                          : c == '\r' ? "\\r"
                                      : nullptr;
        char buf[8];
        if (esc == nullptr && q == Quoting::Json &&
            (c == '<' || c == '>' || c == '&' || c < 0x20)) {
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            esc = buf;
        } else if (esc == nullptr && q == Quoting::Yaml && (c < 0x20 || c == 0x7f)) {
            std::snprintf(buf, sizeof buf, "\\x%02X", c);
            esc = buf;
        }
        if (esc != nullptr) {
            out += esc;
        } else {
            out += static_cast<char>(c);
        }
    }
    out += '"';
}

std::string double_quoted(const std::string& s) {
    std::string out;
    append_quoted(out, s, Quoting::Yaml);
    return out;
}

// A literal block keeps multi-line text readable; it cannot carry trailing spaces on a line or
// leading blank space, which only double quotes can.
bool fits_literal_block(const std::string& s) {
    if (s.find('\n') == std::string::npos) return false;
    if (s.front() == ' ' || s.front() == '\n') return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        unsigned char c = s[i];
        if ((c < 0x20 && c != '\n') || c == 0x7f) return false;
        if (c == ' ' && (i + 1 == s.size() || s[i + 1] == '\n')) return false;
    }
    return true;
}

std::string scalar_text(const Node& n) {
    if (n.is_null()) return "null";
    if (n.type() != ScalarType::String) return n.text;
    return needs_quotes(n.text) ? double_quoted(n.text) : n.text;
}

std::string key_text(const std::string& k) {
    return needs_quotes(k) ? double_quoted(k) : k;
}

void write_literal(std::string& out, const std::string& s, int indent) {
    bool trailing_newline = s.back() == '\n';
    std::size_t end = s.size();
    while (end > 0 && s[end - 1] == '\n') --end;
    std::size_t extra_newlines = s.size() - end;
    out += trailing_newline ? (extra_newlines > 1 ? "|+" : "|") : "|-";
    out += "\n";
    std::string pad(static_cast<std::size_t>(indent), ' ');
    std::size_t start = 0;
    std::string body = s.substr(0, end);
    while (start <= body.size()) {
        std::size_t nl = body.find('\n', start);
        std::string line =
            body.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
        if (!line.empty()) out += pad + line;
        out += "\n";
        if (nl == std::string::npos) break;
        start = nl + 1;
    }
    for (std::size_t i = 1; i < extra_newlines; ++i) out += "\n";
}

void write_node(std::string& out, const Node& n, int indent);

// Writes what follows "key:" or "- ": inline for scalars and empty collections, else a new block.
void write_value(std::string& out, const Node& n, int indent, bool in_sequence) {
    if (n.is_scalar() && n.type() == ScalarType::String && fits_literal_block(n.text)) {
        out += " ";
        write_literal(out, n.text, indent);
        return;
    }
    if (n.is_null() || n.is_scalar()) {
        out += " " + scalar_text(n) + "\n";
        return;
    }
    if (n.is_map() && n.entries.empty()) {
        out += " {}\n";
        return;
    }
    if (n.is_seq() && n.items.empty()) {
        out += " []\n";
        return;
    }
    if (in_sequence) {
        // "- key: v" continues on the dash's line; nested items align under the first key.
        out += " ";
        std::string block;
        write_node(block, n, indent);
        out += block.substr(static_cast<std::size_t>(indent));
        return;
    }
    out += "\n";
    write_node(out, n, indent);
}

void write_node(std::string& out, const Node& n, int indent) {
    std::string pad(static_cast<std::size_t>(indent), ' ');
    if (n.is_map()) {
        for (const auto& e : n.entries) {
            out += pad + key_text(e.key) + ":";
            write_value(out, e.value, indent + 2, false);
        }
    } else if (n.is_seq()) {
        for (const auto& item : n.items) {
            out += pad + "-";
            write_value(out, item, indent + 2, true);
        }
    } else {
        out += pad + scalar_text(n) + "\n";
    }
}

void json_string(std::string& out, const std::string& s) {
    append_quoted(out, s, Quoting::Json);
}

void write_json(std::string& out, const Node& n, int indent, int depth) {
    auto newline = [&](int d) {
        if (indent < 0) return;
        out += "\n";
        out.append(static_cast<std::size_t>(indent * d), ' ');
    };
    if (n.is_null()) {
        out += "null";
    } else if (n.is_scalar()) {
        switch (n.type()) {
            case ScalarType::Int: {
                auto v = n.as_int();
                out += v ? std::to_string(*v) : n.text;
                break;
            }
            case ScalarType::Float: {
                auto v = n.as_float();
                if (v && std::isfinite(*v)) {
                    out += n.text.front() == '.' ? "0" + n.text : n.text;
                } else {
                    json_string(out, n.text);
                }
                break;
            }
            case ScalarType::Bool:
                out += *n.as_bool() ? "true" : "false";
                break;
            case ScalarType::String:
                json_string(out, n.text);
                break;
        }
    } else if (n.is_seq()) {
        out += "[";
        for (std::size_t i = 0; i < n.items.size(); ++i) {
            if (i) out += ",";
            newline(depth + 1);
            write_json(out, n.items[i], indent, depth + 1);
        }
        if (!n.items.empty()) newline(depth);
        out += "]";
    } else {
        out += "{";
        for (std::size_t i = 0; i < n.entries.size(); ++i) {
            if (i) out += ",";
            newline(depth + 1);
            json_string(out, n.entries[i].key);
            out += indent < 0 ? ":" : ": ";
            write_json(out, n.entries[i].value, indent, depth + 1);
        }
        if (!n.entries.empty()) newline(depth);
        out += "}";
    }
}

}  // namespace

std::string emit_yaml(const Node& node) {
    std::string out;
    if (node.is_map() && node.entries.empty()) return "{}\n";
    if (node.is_seq() && node.items.empty()) return "[]\n";
    write_node(out, node, 0);
    return out;
}

std::string emit_json(const Node& node, int indent) {
    std::string out;
    write_json(out, node, indent, 0);
    return out;
}

}  // namespace berth::compose
