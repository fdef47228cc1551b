// Our description of the compose specification: a tree of rules, one per JSON-schema shape, that
// the validator walks to check a document and the key orderer walks to print one. The rules for an
// object list its fields in the field order of compose-go's Go structs, which is the order `docker
// compose config` prints; the validator does not care about that order.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string_view>
#include <vector>

namespace berth::compose::spec {

// JSON types a value may have; a rule with no bits set accepts anything.
enum Type : std::uint8_t {
    Null = 1 << 0,
    Boolean = 1 << 1,
    Integer = 1 << 2,
    Number = 1 << 3,
    String = 1 << 4,
    Array = 1 << 5,
    Object = 1 << 6,
};

// The key patterns the specification uses for pattern properties.
enum class Keys : std::uint8_t {
    Extension,  // ^x-
    Name,       // ^[a-zA-Z0-9._-]+$ (services, networks, volumes, ...)
    NonEmpty,   // .+ and ^.+$
    Lowercase,  // ^[a-z]+$ (ulimit names)
};

bool keys_match(Keys keys, std::string_view key);

struct Rule;

struct Field {
    std::string_view name;
    const Rule* rule;
};

struct KeyPattern {
    Keys keys;
    const Rule* rule;  // nullptr: any value
};

struct Rule {
    std::uint8_t types = 0;
    std::vector<std::string_view> allowed;  // enum; strings only in this specification
    std::optional<std::int64_t> minimum;
    std::optional<std::int64_t> maximum;
    std::string_view pattern;  // searched, not anchored, as JSON schema does

    // Objects.
    std::vector<Field> fields;
    std::vector<KeyPattern> patterns;
    bool closed = false;  // additionalProperties: false
    std::vector<std::string_view> required;

    // Arrays.
    const Rule* items = nullptr;
    bool unique_items = false;

    std::vector<const Rule*> one_of;

    const Field* field(std::string_view name) const;
};

// The rule for a whole compose file. Built once, lives for the process.
const Rule& compose_file_rule();

// Builders for the table. Each returns a rule that lives as long as the table.
namespace build {

const Rule* make(Rule rule);
const Rule* any();
const Rule* of(std::uint8_t types);
const Rule* str();
const Rule* boolean();
const Rule* integer();
const Rule* number();
const Rule* one_of(std::initializer_list<const Rule*> alternatives);
const Rule* enum_of(std::initializer_list<std::string_view> values);
const Rule* array(const Rule* items);
const Rule* unique_array(const Rule* items);
const Rule* at_least(std::int64_t minimum, const Rule* base);
const Rule* at_most(std::int64_t maximum, const Rule* base);
const Rule* matching(std::string_view pattern, const Rule* base);
const Rule* or_null(const Rule* base);

// A struct: closed, with x-* extensions allowed, as almost every object of the spec is.
const Rule* strict(std::initializer_list<Field> fields,
                   std::initializer_list<std::string_view> required = {});
// A struct that takes no extensions either.
const Rule* sealed(std::initializer_list<Field> fields,
                   std::initializer_list<std::string_view> required = {});
// An object that accepts any key besides its fields.
const Rule* open(std::initializer_list<Field> fields,
                 std::initializer_list<std::string_view> required = {});
// A map whose keys follow `keys`; `closed` rejects any other key.
const Rule* dict(Keys keys, const Rule* values, bool closed);

}  // namespace build

// Definitions shared between the table's files (the spec's $defs). Each is built once.
namespace defs {

const Rule* list_of_strings();  // unique strings
const Rule* string_list();      // strings; for lists the merge step has already made unique
const Rule* string_or_list();
const Rule* merged_string_or_list();
const Rule* list_or_dict();         // KEY=VALUE strings or a map of scalars
const Rule* merged_list_or_dict();  // same, for lists the merge step has already made unique
const Rule* command();
const Rule* extra_hosts();
const Rule* ulimits();
const Rule* file_refs();  // a service's secrets or configs
const Rule* service_hook();
const Rule* pre_start_hook();
const Rule* healthcheck();
const Rule* development();
const Rule* deployment();
const Rule* device_requests();
const Rule* gpus();
const Rule* env_file();
const Rule* label_file();
const Rule* service();

}  // namespace defs

}  // namespace berth::compose::spec
