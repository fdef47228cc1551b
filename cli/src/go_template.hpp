// The part of Go's text/template that docker's `--format` and `inspect -f` users write: fields
// (`{{.Name}}`, `{{.IPAM.Config}}`), pipelines, `if`/`range`/`with`/`else`/`end`, `{{- -}}`
// trimming, comments, and the functions docker adds (json, join, split, upper, lower, title,
// truncate, pad) with Go's index, len, print, println, eq, ne, not, and, or. Values are JSON, so
// a script written for docker's output reads berth's the same way. Variables (`$x`) and
// parentheses are not supported and are refused at parse time.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace berth::cli {

class GoTemplate {
  public:
    struct Node;

    // Errors read "template parsing error: ..." as docker prints them.
    static Result<GoTemplate> parse(std::string_view text);
    Result<std::string> execute(const nlohmann::json& dot) const;

  private:
    std::shared_ptr<const std::vector<Node>> nodes_;
};

// A value as Go's fmt prints it: strings bare, maps as `map[k:v]`, arrays as `[a b]`, a missing
// value as `<no value>`.
std::string go_print(const nlohmann::json& value);

// docker's --format preprocessing: "table " dropped (reported through `table`), surrounding
// spaces trimmed, and the two-character sequences `\t` and `\n` turned into a tab and a newline.
std::string docker_format_text(std::string format, bool* table);

}  // namespace berth::cli
