// The key order of `docker compose config`: go-yaml writes a struct's fields in declaration order,
// then its inline extension map, and any Go map sorted with its own key comparison.
#include <algorithm>
#include <cstdint>
#include <limits>

#include "compose/schema.hpp"
#include "schema_rules.hpp"

namespace berth::compose {
namespace {

using spec::Rule;

// Decodes UTF-8 into code points; a stray byte stands for itself, as Go's []rune(s) yields U+FFFD
// for it, which only needs to compare consistently.
std::u32string runes(std::string_view s) {
    std::u32string out;
    for (std::size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (len <= 1 || i + len > s.size()) {
            out.push_back(len == 1 ? c : 0xFFFD);
            ++i;
            continue;
        }
        char32_t cp = c & (0xFF >> (len + 1));
        for (int k = 1; k < len; ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        out.push_back(cp);
        i += static_cast<std::size_t>(len);
    }
    return out;
}

bool is_digit(char32_t c) {
    return c >= '0' && c <= '9';
}

// Go's unicode.IsLetter, exact for ASCII; beyond it, most code points in keys people write are
// letters.
bool is_letter(char32_t c) {
    if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    return c != 0xD7 && c != 0xF7 && c >= 0xC0 && c != 0xFFFD;
}

// The rule that applies to `node` when `rule` offers alternatives (a oneOf of string, list,
// map...).
const Rule* shape_for(const Rule* rule, const Node& node) {
    if (rule == nullptr) return nullptr;
    std::uint8_t want = node.is_map() ? spec::Object : node.is_seq() ? spec::Array : 0;
    if (!rule->one_of.empty()) {
        for (const Rule* alt : rule->one_of) {
            if (const Rule* r = shape_for(alt, node); r != nullptr && (r->types & want)) return r;
        }
        return nullptr;
    }
    return rule;
}

const Rule* value_rule(const Rule* rule, const std::string& key) {
    if (rule == nullptr) return nullptr;
    if (const spec::Field* f = rule->field(key)) return f->rule;
    for (const auto& p : rule->patterns) {
        if (spec::keys_match(p.keys, key)) return p.rule;
    }
    return nullptr;
}

void order(Node& node, const Rule* rule) {
    rule = shape_for(rule, node);
    if (node.is_seq()) {
        for (Node& item : node.items) order(item, rule ? rule->items : nullptr);
        return;
    }
    if (!node.is_map()) return;
    auto rank = [rule](const Entry& e) -> std::size_t {
        if (rule == nullptr) return 0;
        for (std::size_t i = 0; i < rule->fields.size(); ++i) {
            if (rule->fields[i].name == e.key) return i;
        }
        return std::numeric_limits<std::size_t>::max();
    };
    std::stable_sort(node.entries.begin(), node.entries.end(), [&](const Entry& a, const Entry& b) {
        std::size_t ra = rank(a), rb = rank(b);
        if (ra != rb) return ra < rb;
        return yaml_key_less(a.key, b.key);
    });
    for (Entry& e : node.entries) order(e.value, value_rule(rule, e.key));
}

}  // namespace

bool yaml_key_less(std::string_view a_text, std::string_view b_text) {
    std::u32string a = runes(a_text), b = runes(b_text);
    bool digits = false;
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
        if (a[i] == b[i]) {
            digits = is_digit(a[i]);
            continue;
        }
        bool al = is_letter(a[i]), bl = is_letter(b[i]);
        if (al && bl) return a[i] < b[i];
        if (al || bl) return digits ? al : bl;
        // Two non-letters: compare the digit runs starting here by value. Go wraps on overflow;
        // unsigned arithmetic does the same without undefined behaviour.
        std::uint64_t an = 0, bn = 0;
        if (a[i] == '0' || b[i] == '0') {
            for (std::size_t j = i; j-- > 0 && is_digit(a[j]);) {
                if (a[j] != '0') {
                    an = bn = 1;
                    break;
                }
            }
        }
        std::size_t ai = i, bi = i;
        for (; ai < a.size() && is_digit(a[ai]); ++ai) an = an * 10 + (a[ai] - '0');
        for (; bi < b.size() && is_digit(b[bi]); ++bi) bn = bn * 10 + (b[bi] - '0');
        if (an != bn) return static_cast<std::int64_t>(an) < static_cast<std::int64_t>(bn);
        if (ai != bi) return ai < bi;
        return a[i] < b[i];
    }
    return a.size() < b.size();
}

void order_keys(Node& root) {
    order(root, &spec::compose_file_rule());
}

}  // namespace berth::compose
