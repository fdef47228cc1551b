// Compose's variable template language: $VAR, ${VAR}, ${VAR:-default}, ${VAR-default},
// ${VAR:?error}, ${VAR?error}, ${VAR:+alternative}, ${VAR+alternative} and the $$ escape.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "compose/environment.hpp"

namespace berth::compose {

// Why a template could not be expanded. Callers that wrap the message (the model interpolation
// names the path of the value) need the pieces, not only the text.
struct TemplateFailure {
    enum class Kind { InvalidTemplate, MissingRequired, TooDeep };
    Kind kind = Kind::InvalidTemplate;
    std::string template_text;  // InvalidTemplate, TooDeep: the template (or nested default)
    std::string variable;       // MissingRequired
    std::string reason;         // MissingRequired: the expanded message after ? or :?

    // `Invalid template: "<tmpl>"` or `required variable NAME is missing a value[: reason]`
    // (TooDeep guards the stack against absurdly nested defaults; compose has no such limit).
    std::string message() const;
};

struct Expansion {
    std::string text;
    std::optional<TemplateFailure> failure;  // the first failure; text is then meaningless
};

Expansion expand_template(std::string_view text, const Lookup& lookup);

// The expanded text, or an Error carrying TemplateFailure::message().
Result<std::string> substitute(std::string_view text, const Lookup& lookup);

// The operator of a braced expression's content (the text between "${" and "}"): the one that
// occurs first wins, so "VAR-a:?b" is "-". Returns ":?", "?", ":-", "-", ":+", "+" or "".
std::string operator_for(std::string_view braced_content);

}  // namespace berth::compose
