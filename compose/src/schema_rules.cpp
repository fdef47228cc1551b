#include "schema_rules.hpp"

#include <deque>

namespace berth::compose::spec {

bool keys_match(Keys keys, std::string_view key) {
    switch (keys) {
        case Keys::Extension:
            return key.substr(0, 2) == "x-";
        case Keys::NonEmpty:
            return !key.empty();
        case Keys::Name:
        case Keys::Lowercase:
            break;
    }
    if (key.empty()) return false;
    for (char c : key) {
        bool lower = c >= 'a' && c <= 'z';
        bool ok = keys == Keys::Lowercase
                      ? lower
                      : lower || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                            c == '_' || c == '-';
        if (!ok) return false;
    }
    return true;
}

const Field* Rule::field(std::string_view name) const {
    for (const auto& f : fields) {
        if (f.name == name) return &f;
    }
    return nullptr;
}

namespace build {
namespace {

// Rules are only ever built inside the one-time initialization of compose_file_rule(), which the
// language serializes, so the arena needs no lock of its own.
std::deque<Rule>& arena() {
    static std::deque<Rule> rules;
    return rules;
}

Rule object(std::initializer_list<Field> fields, std::initializer_list<std::string_view> required) {
    Rule r;
    r.types = Object;
    r.fields = fields;
    r.required = required;
    return r;
}

}  // namespace

const Rule* make(Rule rule) {
    return &arena().emplace_back(std::move(rule));
}

const Rule* any() {
    return make(Rule{});
}

const Rule* of(std::uint8_t types) {
    Rule r;
    r.types = types;
    return make(std::move(r));
}

const Rule* str() {
    return of(String);
}
const Rule* boolean() {
    return of(Boolean);
}
const Rule* integer() {
    return of(Integer);
}
const Rule* number() {
    return of(Number);
}

const Rule* one_of(std::initializer_list<const Rule*> alternatives) {
    Rule r;
    r.one_of = alternatives;
    return make(std::move(r));
}

const Rule* enum_of(std::initializer_list<std::string_view> values) {
    Rule r;
    r.types = String;
    r.allowed = values;
    return make(std::move(r));
}

const Rule* array(const Rule* items) {
    Rule r;
    r.types = Array;
    r.items = items;
    return make(std::move(r));
}

const Rule* unique_array(const Rule* items) {
    Rule r = *array(items);
    r.unique_items = true;
    return make(std::move(r));
}

const Rule* at_least(std::int64_t minimum, const Rule* base) {
    Rule r = *base;
    r.minimum = minimum;
    return make(std::move(r));
}

const Rule* at_most(std::int64_t maximum, const Rule* base) {
    Rule r = *base;
    r.maximum = maximum;
    return make(std::move(r));
}

const Rule* matching(std::string_view pattern, const Rule* base) {
    Rule r = *base;
    r.pattern = pattern;
    return make(std::move(r));
}

const Rule* or_null(const Rule* base) {
    Rule r = *base;
    r.types |= Null;
    return make(std::move(r));
}

const Rule* strict(std::initializer_list<Field> fields,
                   std::initializer_list<std::string_view> required) {
    Rule r = object(fields, required);
    r.closed = true;
    r.patterns.push_back({Keys::Extension, nullptr});
    return make(std::move(r));
}

const Rule* sealed(std::initializer_list<Field> fields,
                   std::initializer_list<std::string_view> required) {
    Rule r = object(fields, required);
    r.closed = true;
    return make(std::move(r));
}

const Rule* open(std::initializer_list<Field> fields,
                 std::initializer_list<std::string_view> required) {
    return make(object(fields, required));
}

const Rule* dict(Keys keys, const Rule* values, bool closed) {
    Rule r;
    r.types = Object;
    r.patterns.push_back({keys, values});
    r.closed = closed;
    return make(std::move(r));
}

}  // namespace build

}  // namespace berth::compose::spec
